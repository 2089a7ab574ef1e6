"""Personal data in words: what an erasure took, why, what stays by law, records by name."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from saas.customers.credit.models import CreditDecision
from saas.customers.kyc.outcome import APPROVED, MANUAL_REVIEW, REJECTED
from saas.customers.onboarding import services as onboarding
from saas.customers.onboarding.models import Application
from saas.customers.onboarding.steps import NAMES
from saas.customers.privacy import models as M
from saas.db.sealed import masked
from saas.network.numbering import shown
from saas.web.refusals import say

RULES = {
    M.LINE_ENDED: _l("the retention period ran out after the last line ended"),
    M.SIGNUP_REJECTED: _l("the retention period ran out after the sign-up was refused"),
    M.SIGNUP_ABANDONED: _l("the retention period ran out after the sign-up was left unfinished"),
    M.REQUEST: _l("at the person's request"),
}
PARTS = {
    "personal": _l("sign-up answers: date of birth, address, identity document, bank account"),
    "donor_account": _l("customer number at the previous operator"),
    "birth_date": _l("date of birth"),
    "document_number": _l("document number"),
    "document_expires": _l("document expiry date"),
    "mrz": _l("machine-readable zone of the document"),
    "national_id": _l("national identification number"),
    "vendor_answer": _l("answer of the verification service"),
    "iban": _l("IBAN"),
    "applicant": _l("what the credit bureau was asked"),
    "report": _l("what the credit bureau answered"),
    "holder_name": _l("account holder's name at the previous operator"),
}
RECORDS = {
    "applications": _l("Sign-up %(id)s"),
    "kyc_cases": _l("KYC case %(id)s"),
    "sepa_mandates": _l("SEPA mandate %(id)s"),
    "credit_decisions": _l("Credit decision %(id)s"),
    "port_ins": _l("Number porting %(id)s"),
}
KEPT = {
    "profile": _l("Name, e-mail address and language: the contract and its invoices name them."),
    "subscriptions": _l(
        "Subscriptions and their history: accounting records are kept as long as the law says."
    ),
    "lines": _l("Lines with the numbers and SIM cards they held: late usage is rated on them."),
    "kyc_outcome": _l("That the identity was checked, when, and the decision taken."),
    "credit_class": _l("The credit classes decided and when: deposits and limits rest on them."),
    "mandates": _l("The references and dates of SEPA mandates: collected debits name them."),
    "port_ins": _l("Number porting: the number, the previous operator and the dates."),
    "audit": _l("The audit log: who did what, this erasure included."),
}
SIGNUP_STATUSES = {
    "draft": _l("Being filled in"),
    "checking": _l("Being checked"),
    "review": _l("Waiting for review"),
    "rejected": _l("Refused"),
    "approved": _l("Accepted"),
    "active": _l("Line active"),
}
CONSENTS = {
    "terms": _l("Terms and conditions accepted"),
    "privacy": _l("Privacy notice accepted"),
    "marketing": _l("Offers by e-mail"),
}
KYC_STATUSES = {
    APPROVED: _l("Approved"),
    MANUAL_REVIEW: _l("Waiting for review"),
    REJECTED: _l("Rejected"),
}


def named(words: dict[str, Any], key: str) -> str:
    """A stored value in words; an unknown one as it is."""
    return str(words.get(key, key))


def record_name(table: str, ident: Any) -> str:
    """A record an erasure names, in words."""
    words = RECORDS.get(table)
    return str(words) % {"id": ident} if words is not None else f"#{ident}"


def parts_text(fields: list[str]) -> str:
    """The pieces of personal data an erasure names, in words."""
    return ", ".join(named(PARTS, f) for f in fields)


def erased_text(items: list[dict[str, Any]]) -> str:
    """What an erasure took, record by record."""
    said = (f"{record_name(i['record'], i['id'])}: {parts_text(i['fields'])}" for i in items)
    return "; ".join(said)


def rule_text(rule: str, reason: str = "") -> str:
    """Why personal data was erased."""
    said = named(RULES, rule)
    return f"{said}: {reason}" if reason else said


def class_name(decision: CreditDecision) -> str:
    """A credit decision's class in the reader's language, else the brand's default."""
    return decision.class_name(str(get_locale()), g.tenant.default_locale)


def consents_of(details: dict[str, Any]) -> list[tuple[str, bool]]:
    """What a person agreed to at sign-up, each in words with yes or no."""
    return [(str(CONSENTS[name]), bool(details.get(name))) for name in CONSENTS]


def signup_answers(application: Application) -> dict[str, dict[str, Any]]:
    """A sign-up's answers, step by step."""
    return {name: onboarding.answers(application, name) for name in NAMES}


def helpers() -> dict[str, Any]:
    """What the privacy screens call in their templates."""
    return {
        "privacy_rule": rule_text,
        "privacy_parts": parts_text,
        "privacy_erased": erased_text,
        "privacy_record": record_name,
        "privacy_kept": lambda key: named(KEPT, key),
        "privacy_signup_status": lambda key: named(SIGNUP_STATUSES, key),
        "privacy_kyc_status": lambda key: named(KYC_STATUSES, key),
        "privacy_masked": lambda text: masked(text, keep=3) if text else "",
        "privacy_class": class_name,
        "privacy_said": say,
        "signup_answers": signup_answers,
        "privacy_consents": consents_of,
        "privacy_msisdn": lambda digits: shown(digits) if digits else "",
    }
