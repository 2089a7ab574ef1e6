"""The brand console for staff, at /admin on the brand's host."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from saas.web.admin import (  # noqa: E402,F401
    accounts,
    allowances,
    apikeys,
    audit,
    catalog,
    catalog_import,
    catalog_migrations,
    catalog_quote,
    catalog_versions,
    credit,
    credit_settings,
    credit_text,
    dashboard,
    jobs,
    kyc,
    kyc_settings,
    labels,
    nav,
    network,
    network_audit,
    network_lines,
    network_sims,
    port_ins,
    privacy,
    privacy_settings,
    promotions,
    provisioning,
    rating,
    settings,
    signups,
    staff,
    subscribers,
    subscriptions,
    usage,
)
