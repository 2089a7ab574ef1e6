"""The brand console for staff, at /admin on the brand's host."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from saas.web.admin import (  # noqa: E402,F401
    apikeys,
    audit,
    catalog,
    dashboard,
    jobs,
    labels,
    settings,
    staff,
    subscribers,
    subscriptions,
)
