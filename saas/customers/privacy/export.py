"""Everything the brand holds about a subscriber, written out for them: machine-readable, whole.

The document is the subscriber's own data unmasked (it is theirs); every export is written to the
audit log. The portal's download and the API's answer are this same document.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from saas.customers.credit.models import CreditDecision
from saas.customers.kyc.models import KycCase, SepaMandate
from saas.customers.onboarding import services as onboarding
from saas.customers.onboarding.models import Application
from saas.customers.onboarding.steps import NAMES
from saas.customers.privacy import holdings
from saas.customers.privacy.models import Erasure
from saas.db import DbSession, utcnow
from saas.identity import audit
from saas.identity.models import User
from saas.network.models import Line
from saas.network.provisioning.models import PortIn
from saas.subscriptions.models import Subscription
from saas.tenancy.models import Tenant

EXPORTED = "personal_data.export"
CONSENTS = ("terms", "privacy", "marketing")


def _at(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _opened(sealed: str | None) -> Any:
    return json.loads(sealed) if sealed else None


def profile(person: User) -> dict[str, Any]:
    """Who the person is to the brand: their log-in and contact."""
    return {
        "subscriber_id": person.id,
        "email": person.email,
        "full_name": person.full_name,
        "locale": person.locale,
        "created_at": _at(person.created_at),
        "active": person.active,
    }


def sign_up(application: Application) -> dict[str, Any]:
    """A sign-up with every answer, personal ones opened."""
    return {
        "id": application.id,
        "status": application.status,
        "kind": application.kind,
        "email": application.email,
        "created_at": _at(application.created_at),
        "submitted_at": _at(application.submitted_at),
        "decided_at": _at(application.decided_at),
        "answers": {name: onboarding.answers(application, name) for name in NAMES},
    }


def consents(application: Application) -> dict[str, Any]:
    """What the person agreed to when they signed up."""
    told = application.details or {}
    return {"sign_up_id": application.id, "given_at": _at(application.submitted_at)} | {
        name: bool(told.get(name)) for name in CONSENTS
    }


def mandate(row: SepaMandate) -> dict[str, Any]:
    """A SEPA direct debit mandate, its account opened."""
    return {
        "reference": row.reference,
        "iban": row.iban or None,
        "bic": row.bic,
        "account_holder": row.account_holder,
        "creditor_id": row.creditor_id,
        "signed_at": _at(row.signed_at),
        "status": row.status,
    }


def kyc_case(case: KycCase) -> dict[str, Any]:
    """An identity check: who was checked, the document, the decision and its reasons."""
    return {
        "id": case.id,
        "status": case.status,
        "created_at": _at(case.created_at),
        "decided_at": _at(case.decided_at),
        "given_names": case.given_names,
        "surname": case.surname,
        "birth_date": case.birth_date or None,
        "sex": case.sex,
        "nationality": case.nationality,
        "document_format": case.document_format,
        "document_code": case.document_code,
        "document_country": case.document_country,
        "document_number": case.document_number,
        "document_expires": _at(case.document_expires),
        "national_id": case.national_id,
        "national_id_country": case.national_id_country,
        "mrz": (case.mrz or "").splitlines(),
        "vendor_answer": _opened(case.vendor_answer),
        "decision_reasons": [reason["code"] for reason in case.reasons],
        "decision_note": case.decision_note,
        "sepa_mandate": mandate(case.mandate) if case.mandate is not None else None,
    }


def credit_decision(decision: CreditDecision) -> dict[str, Any]:
    """A credit decision: the class, and what was asked and answered about the person."""
    return {
        "id": decision.id,
        "kind": decision.kind,
        "outcome": decision.outcome,
        "class_code": decision.class_code,
        "class_names": dict(decision.class_names or {}),
        "decided_at": _at(decision.decided_at),
        "reason": decision.reason,
        "applicant": _opened(decision.applicant),
        "bureau_answer": _opened(decision.report),
    }


def subscription(sub: Subscription) -> dict[str, Any]:
    """A subscription: the plan, the line's name, when it ran."""
    return {
        "id": sub.id,
        "plan": sub.plan_version.plan.name,
        "plan_version_id": sub.plan_version_id,
        "status": sub.status,
        "line_label": sub.line_label,
        "started_at": _at(sub.started_at),
        "ended_at": _at(sub.ended_at),
    }


def line(row: Line) -> dict[str, Any]:
    """A line with every number and SIM it held, and when."""
    return {
        "id": row.id,
        "subscription_id": row.subscription_id,
        "state": row.state,
        "created_at": _at(row.created_at),
        "numbers": [
            {"msisdn": f"+{n.msisdn}", "valid_from": _at(n.valid_from), "valid_to": _at(n.valid_to)}
            for n in row.numbers
        ],
        "sims": [
            {
                "iccid": s.iccid,
                "imsi": s.imsi,
                "valid_from": _at(s.valid_from),
                "valid_to": _at(s.valid_to),
            }
            for s in row.sims
        ],
    }


def port_in(row: PortIn) -> dict[str, Any]:
    """A number brought over from another operator, with the holder as the donor knows them."""
    return {
        "id": row.id,
        "subscription_id": row.subscription_id,
        "msisdn": row.msisdn,
        "donor": row.donor,
        "holder_name": row.holder_name or None,
        "donor_account": row.donor_account or None,
        "state": row.state,
        "wished_date": _at(row.wished_date),
        "porting_date": _at(row.porting_date),
        "rejection": row.rejection,
        "created_at": _at(row.created_at),
    }


def erasure(row: Erasure) -> dict[str, Any]:
    """An erasure of the person's data: when, by which rule, what went."""
    return {"id": row.id, "rule": row.rule, "erased_at": _at(row.erased_at), "erased": row.erased}


def document(session: DbSession, person: User) -> dict[str, Any]:
    """Everything the brand holds about a subscriber, as JSON-ready values."""
    held = holdings.of(session, person)
    tenant = session.get_one(Tenant, person.tenant_id)
    return {
        "exported_at": _at(utcnow()),
        "provider": {
            "name": tenant.legal_name or tenant.name,
            "support_email": tenant.support_email,
        },
        "profile": profile(person),
        "sign_ups": [sign_up(a) for a in held.applications],
        "consents": [consents(a) for a in held.applications if a.submitted_at is not None],
        "kyc_cases": [kyc_case(c) for c in held.cases],
        "credit_decisions": [credit_decision(d) for d in held.decisions],
        "subscriptions": [subscription(s) for s in held.subscriptions],
        "lines": [line(row) for row in held.lines],
        "port_ins": [port_in(p) for p in held.port_ins],
        "erasures": [erasure(e) for e in held.erasures],
    }


def export(session: DbSession, person: User, via: str) -> dict[str, Any]:
    """The document for the person (or a client acting for the brand), the export audited."""
    written = document(session, person)
    audit.record(session, EXPORTED, "users", person.id, via=via)
    return written
