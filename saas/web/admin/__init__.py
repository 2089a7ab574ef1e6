"""The brand console for staff, at /admin on the brand's host."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from saas.web.admin import (  # noqa: E402,F401
    accounts,
    apikeys,
    audit,
    catalog,
    catalog_import,
    catalog_migrations,
    catalog_quote,
    catalog_versions,
    dashboard,
    jobs,
    labels,
    nav,
    promotions,
    settings,
    staff,
    subscribers,
    subscriptions,
)
