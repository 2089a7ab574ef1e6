"""Translatable names for the roles, scopes and job states the console shows."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from saas.identity import roles as R
from saas.jobs.models import DEAD, DISCARDED, RETRIED
from saas.web.admin import bp

ROLES = {
    R.OWNER: (_l("Owner"), _l("Owns the brand: every permission")),
    R.ADMIN: (_l("Administrator"), _l("Runs the brand console: settings, staff, API keys")),
    R.AGENT: (_l("Agent"), _l("Customer care: works with subscribers")),
    R.FINANCE: (_l("Finance"), _l("Billing, payments and settlement")),
    R.READ_ONLY: (_l("Read only"), _l("Sees everything, changes nothing")),
    R.COMPLIANCE: (_l("Compliance"), _l("Works the KYC queue and sees personal data in full")),
}

SCOPES = {
    "subscribers.read": _l("Read subscribers"),
    "subscribers.write": _l("Create and change subscribers"),
    "catalog.read": _l("Read the offer catalogue"),
    "catalog.write": _l("Design plans, prices and promotions"),
    "subscriptions.read": _l("Read subscriptions and their history"),
    "subscriptions.write": _l("Subscribe, change, suspend and cancel"),
    "network.read": _l("Read numbers, SIMs and lines"),
    "network.write": _l("Load number ranges and import SIMs"),
    "usage.read": _l("Read usage files, rated records and what is left of allowances and balances"),
    "usage.write": _l("Send usage files"),
    "provisioning.read": _l("Read provisioning orders and number porting"),
    "provisioning.write": _l("Retry provisioning orders and file number porting"),
    "rating.read": _l("Read rate decks and price records"),
    "rating.write": _l("Import CGRateS tariff plans"),
    "audit.read": _l("Read the audit log"),
    "jobs.read": _l("See background jobs and dead letters"),
    "brand.read": _l("Read the brand's settings"),
    "kyc.read": _l("Read KYC cases and check machine-readable zones"),
    "kyc.write": _l("Decide KYC cases waiting for review"),
    "credit.read": _l("Read credit decisions and why they were taken"),
    "credit.write": _l("Run credit checks"),
    "personal_data.read": _l(
        "Read all of a subscriber's personal data, unmasked (each read logged)"
    ),
    "personal_data.write": _l("Erase a subscriber's personal data at their request"),
    "prepaid.write": _l("Top up prepaid balances, giving a reason"),
}

JOB_STATES = {DEAD: _l("Dead"), RETRIED: _l("Retried"), DISCARDED: _l("Discarded")}

# What the audit log's entries are about, by the table (or kind) they name.
OBJECT_TYPES = {
    "metrics": _l("Metrics"),
    "products": _l("Products"),
    "plan": _l("Plans"),
    "plans": _l("Plans"),
    "plan_versions": _l("Plan versions"),
    "price_components": _l("Price components"),
    "allowances": _l("Allowances"),
    "promotions": _l("Promotions"),
    "plan_migrations": _l("Migrations"),
    "api_keys": _l("API keys"),
    "users": _l("People"),
    "failed_jobs": _l("Failed jobs"),
    "tenants": _l("Brand"),
    "accounts": _l("Accounts"),
    "subscriptions": _l("Subscriptions"),
    "subscription_addons": _l("Add-ons"),
    "applications": _l("Sign-ups"),
    "kyc_cases": _l("KYC cases"),
    "kyc_settings": _l("KYC settings"),
    "sepa_mandates": _l("SEPA mandates"),
    "network_settings": _l("Network settings"),
    "number_ranges": _l("Number ranges"),
    "sim_imports": _l("SIM imports"),
    "sims": _l("SIMs"),
    "lines": _l("Lines"),
    "usage_sources": _l("Usage sources"),
    "credit_decisions": _l("Credit decisions"),
    "credit_scorecards": _l("Credit scorecard"),
    "provisioning_orders": _l("Provisioning orders"),
    "port_ins": _l("Number porting"),
    "privacy_settings": _l("Privacy settings"),
    "personal_data_erasures": _l("Erasures of personal data"),
    "wholesale_agreements": _l("Wholesale agreement"),
}

OTHER_RECORDS = _l("Other records")


def role_label(name: str) -> str:
    """Return a role's display name."""
    return str(ROLES[name][0]) if name in ROLES else name


def role_help(name: str) -> str:
    """Return what a role may do, in a sentence."""
    return str(ROLES[name][1]) if name in ROLES else ""


def scope_label(name: str) -> str:
    """Return what an API scope allows."""
    return str(SCOPES.get(name, name))


def job_state(status: str) -> str:
    """Return a dead letter's state for display."""
    return str(JOB_STATES.get(status, status))


def object_type(name: str) -> str:
    """Return what kind of record an audit entry concerns, in words."""
    return str(OBJECT_TYPES.get(name, OTHER_RECORDS))


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {
        "role_label": role_label,
        "role_help": role_help,
        "scope_label": scope_label,
        "job_state": job_state,
        "object_type_name": object_type,
    }
