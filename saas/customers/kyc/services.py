"""KYC services: check an applicant, work the review queue, show personal data with a trace.

`check(session, applicant)` is the one entry point for sign-up (portal, console, API): it runs
the brand's verifier chain and returns the stored case, decided by the system; a reviewer then
decides a case the chain sent to manual review with `decide`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from sqlalchemy import Select, func, select

from saas.customers.kyc import chain, sanctions
from saas.customers.kyc.applicant import Applicant
from saas.customers.kyc.checks import Check, Context
from saas.customers.kyc.lookups import identity_keys
from saas.customers.kyc.models import (
    ACTIVE,
    API,
    DEFAULT_MIN_AGE,
    PENDING,
    STAFF,
    SYSTEM,
    VOID,
    KycCase,
    KycSettings,
    SepaMandate,
)
from saas.customers.kyc.outcome import (
    APPROVED,
    MANUAL_REVIEW,
    REJECTED,
    Result,
)
from saas.customers.kyc.outcome import (
    decide as decision_of,
)
from saas.customers.kyc.vendor import KycVendor, http_vendor
from saas.db import DbSession, get_scoped, utcnow
from saas.db.sealed import digest
from saas.db.sealed import masked as sealed_mask
from saas.errors import N_, Refusal, Term, register
from saas.identity import audit
from saas.tenancy.context import require_tenant_id
from saas.tenancy.models import Tenant

NOTE_MAX = 2000
MIN_AGE_RANGE = (16, 99)
PERSONAL_VIEW = "kyc.personal_data.view"
REFUSALS = {
    "record.kyc_case": N_("KYC case %(id)s"),
    "record.kyc_settings": N_("KYC settings"),
    "kyc.case.decided": N_("is decided already (%(status)s)"),
    "kyc.decision.choose": N_("choose approve or reject"),
    "kyc.decision.reason_missing": N_("give the reason for the decision"),
    "kyc.decision.reason_too_long": N_("the reason may have at most %(limit)s characters"),
    "kyc.settings.min_age": N_("the minimum age must be between %(low)s and %(high)s"),
    "kyc.settings.creditor_id": N_("%(value)s is not a SEPA creditor identifier"),
    "kyc.settings.unknown": N_("unknown setting(s): %(names)s"),
    "kyc.status.approved": N_("approved"),
    "kyc.status.manual_review": N_("waiting for review"),
    "kyc.status.rejected": N_("rejected"),
}
register(REFUSALS)


class KycError(Refusal):
    """A KYC action the rules refuse: deciding a decided case, a decision without a reason."""


def _case_term(case: KycCase) -> Term:
    return Term("record.kyc_case", id=case.id)


# Settings


def rules(session: DbSession) -> KycSettings:
    """The brand's KYC settings; the defaults (not stored) until someone saves them."""
    found = session.scalar(select(KycSettings))
    return found if found is not None else KycSettings(min_age=DEFAULT_MIN_AGE, creditor_id="")


def save_rules(
    session: DbSession, min_age: int, vendor_enabled: bool, creditor_id: str
) -> KycSettings:
    """Change the brand's KYC settings, refusing an impossible age or a malformed creditor id."""
    from saas.customers.kyc.identifiers import creditor_id_valid

    record = Term("record.kyc_settings")
    low, high = MIN_AGE_RANGE
    if not low <= min_age <= high:
        raise KycError("kyc.settings.min_age", field="min_age", record=record, low=low, high=high)
    creditor_id = creditor_id.strip().upper().replace(" ", "")
    if creditor_id and not creditor_id_valid(creditor_id):
        raise KycError(
            "kyc.settings.creditor_id", field="creditor_id", record=record, value=creditor_id
        )
    stored = session.scalar(select(KycSettings)) or KycSettings()
    stored.min_age, stored.vendor_enabled, stored.creditor_id = min_age, vendor_enabled, creditor_id
    session.add(stored)
    session.flush()
    return stored


RULE_KEYS = ("min_age", "vendor", "creditor_id")


def seed_rules(session: DbSession, spec: dict[str, Any]) -> bool:
    """Create the brand's KYC settings from its file's [kyc] table, once; whether it did."""
    unknown = sorted(set(spec) - set(RULE_KEYS))
    if unknown:
        raise KycError(
            "kyc.settings.unknown", record=Term("record.kyc_settings"), names=", ".join(unknown)
        )
    if not spec or session.scalar(select(KycSettings)) is not None:
        return False
    min_age = spec.get("min_age", DEFAULT_MIN_AGE)
    if not isinstance(min_age, int) or isinstance(min_age, bool):
        min_age = -1  # refused below, naming the range
    save_rules(session, min_age, bool(spec.get("vendor", False)), str(spec.get("creditor_id", "")))
    return True


# The check


def default_vendor() -> KycVendor | None:
    """The platform's KYC vendor over HTTP, when SAAS_KYC_VENDOR_URL names one."""
    settings = current_app.config["SAAS"] if has_app_context() else None
    if settings is None or not settings.kyc_vendor_url:
        return None
    timeout = float(settings.kyc_vendor_timeout_seconds)
    return http_vendor(settings.kyc_vendor_url, settings.kyc_vendor_token, timeout)


def _context(
    session: DbSession, applicant: Applicant, vendor: KycVendor | None, now: datetime
) -> Context:
    brand = session.get(Tenant, require_tenant_id())
    zone = ZoneInfo(brand.timezone if brand else "UTC")
    settings = rules(session)
    return Context(
        session=session,
        applicant=applicant,
        rules=settings,
        country=brand.country if brand else "",
        today=now.astimezone(zone).date(),
        now=now,
        lists=sanctions.current(session),
        vendor=vendor if vendor is not None or not settings.vendor_enabled else default_vendor(),
    )


def check(
    session: DbSession,
    applicant: Applicant,
    *,
    vendor: KycVendor | None = None,
    checks: list[Check] | None = None,
    now: datetime | None = None,
) -> KycCase:
    """Run the brand's verifier chain on an applicant and store the decided case.

    The vendor is asked where the brand uses one (`vendor`, else SAAS_KYC_VENDOR_URL); a vendor
    that cannot answer sends the case to manual review, never to approval.
    """
    now = now or utcnow()
    ctx = _context(session, applicant, vendor, now)
    results = chain.run(ctx, checks if checks is not None else chain.checks_for(ctx.rules))
    case = _stored(session, ctx, results)
    _mandate(session, ctx, case)
    return case


def _stored(session: DbSession, ctx: Context, results: list[Result]) -> KycCase:
    decision, reasons = decision_of(results)
    case = KycCase(
        **_identity(ctx),
        status=decision,
        system_decision=decision,
        checks=[r.to_json() for r in results],
        reasons=[r.to_json() for r in reasons],
        lists=[v.version() for v in ctx.lists],
        decided_by=SYSTEM,
        decided_at=ctx.now,
        vendor_answer=_vendor_answer(ctx),
    )
    session.add(case)
    session.flush()
    return case


def _identity(ctx: Context) -> dict[str, Any]:
    """What the case keeps of who the person is and what they brought."""
    person, zone = ctx.applicant, ctx.zone
    document_key, national_key = identity_keys(ctx)
    return {
        "subscriber_id": person.subscriber_id,
        "given_names": person.given_names.strip()[:200],
        "surname": person.surname.strip()[:200],
        "birth_date": person.birth_date.isoformat(),
        "sex": person.sex[:1],
        "nationality": (zone.nationality if zone else person.nationality)[:3],
        "document_format": zone.format if zone else "",
        "document_code": zone.document_code if zone else "",
        "document_country": (zone.issuing_state if zone else person.document_country)[:3],
        "document_number": (zone.document_number if zone else person.document_number) or None,
        "document_digest": document_key,
        "document_expires": zone.expiry_date if zone else person.document_expires,
        "mrz": "\n".join(person.mrz) or None,
        "national_id": person.national_id or None,
        "national_id_country": (person.national_id_country or ctx.country)[:2]
        if person.national_id
        else "",
        "national_id_digest": national_key,
        "direct_debit": person.direct_debit,
    }


def _vendor_answer(ctx: Context) -> str | None:
    answer = ctx.found.get("vendor")
    if answer is not None:
        return json.dumps(answer.raw, sort_keys=True)
    error = ctx.found.get("vendor_error")
    return json.dumps({"error": error}, sort_keys=True) if error else None


def mandate_reference(case: KycCase) -> str:
    """A mandate's reference: unique at the brand, at most 35 characters as SEPA allows."""
    return f"KYC-{case.id:010d}"


def _mandate(session: DbSession, ctx: Context, case: KycCase) -> None:
    """Record the SEPA mandate of a direct debit, used once the case is approved."""
    account = ctx.found.get("iban")
    if account is None or case.status == REJECTED:
        return
    person = ctx.applicant
    session.add(
        SepaMandate(
            case_id=case.id,
            subscriber_id=person.subscriber_id,
            reference=mandate_reference(case),
            iban=account.compact,
            iban_digest=digest(account.compact, "kyc.iban"),
            bic=str(account.bic or "")[:11],
            account_holder=(person.account_holder or person.full_name)[:200],
            creditor_id=ctx.rules.creditor_id,
            signed_at=person.mandate_signed_at or ctx.now,
            status=ACTIVE if case.status == APPROVED else PENDING,
        )
    )
    session.flush()


# The review queue


def get(session: DbSession, ident: int) -> KycCase:
    """The brand's case with that id, or LookupError."""
    case = get_scoped(session, KycCase, ident)
    if case is None:
        raise LookupError(f"KYC case {ident} not found")
    return case


def cases_query(status: str | None = None) -> Select[KycCase]:
    """The brand's cases, oldest first, of one status if asked."""
    stmt = select(KycCase).order_by(KycCase.id)
    return stmt.where(KycCase.status == status) if status else stmt


def queue(
    session: DbSession, after: int | None = None, limit: int = 50
) -> tuple[list[KycCase], int | None, int]:
    """A page of the cases waiting for review, oldest first; the next page's key; how many wait."""
    stmt = cases_query(MANUAL_REVIEW)
    if after is not None:
        stmt = stmt.where(KycCase.id > after)
    rows = list(session.scalars(stmt.limit(limit + 1)))
    waiting = session.scalar(select(func.count()).where(KycCase.status == MANUAL_REVIEW)) or 0
    more = len(rows) > limit
    return rows[:limit], rows[limit - 1].id if more else None, waiting


def decide(
    session: DbSession,
    case: KycCase,
    decision: str,
    note: str,
    by_user_id: int | None,
    now: datetime | None = None,
) -> KycCase:
    """A reviewer approves or rejects a case waiting for review, saying why.

    `by_user_id` names the staff member; without one the decision came through the API, whose
    key the audit log names.
    """
    record = _case_term(case)
    if case.status != MANUAL_REVIEW:
        raise KycError("kyc.case.decided", record=record, status=Term(f"kyc.status.{case.status}"))
    if decision not in (APPROVED, REJECTED):
        raise KycError("kyc.decision.choose", field="decision", record=record)
    note = note.strip()
    if not note:
        raise KycError("kyc.decision.reason_missing", field="reason", record=record)
    if len(note) > NOTE_MAX:
        raise KycError(
            "kyc.decision.reason_too_long", field="reason", record=record, limit=NOTE_MAX
        )
    case.status, case.decided_by_user_id = decision, by_user_id
    case.decided_by = STAFF if by_user_id is not None else API
    case.decided_at, case.decision_note = now or utcnow(), note
    if case.mandate is not None:
        case.mandate.status = ACTIVE if decision == APPROVED else VOID
    session.flush()
    for heard in DECIDED:
        heard(session, case)
    return case


# Who hears of a reviewer's decision (a sign-up waiting on the case), in the same unit of work.
DECIDED: list[Callable[[DbSession, KycCase], None]] = []


def on_decided(listener: Callable[[DbSession, KycCase], None]) -> None:
    """Be told, inside the unit of work that records it, when a reviewer decides a case."""
    if listener not in DECIDED:
        DECIDED.append(listener)


# Personal data


def results(case: KycCase) -> list[Result]:
    """The stored results of a case's checks."""
    return [Result.from_json(r) for r in case.checks]


def birth_date(case: KycCase) -> date | None:
    """The case's birth date, opened; None once erased."""
    return date.fromisoformat(case.birth_date) if case.birth_date else None


def personal_data(session: DbSession, case: KycCase) -> dict[str, Any]:
    """The case's personal data in full, the view written to the audit log."""
    shown = {
        "birth_date": case.birth_date,
        "document_number": case.document_number or "",
        "national_id": case.national_id or "",
        "mrz": (case.mrz or "").splitlines(),
        "vendor_answer": json.loads(case.vendor_answer) if case.vendor_answer else None,
        "iban": case.mandate.iban if case.mandate is not None else "",
    }
    audit.record(
        session,
        PERSONAL_VIEW,
        "kyc_cases",
        case.id,
        fields=sorted(k for k, v in shown.items() if v),
    )
    return shown


def masked(case: KycCase) -> dict[str, str]:
    """The case's personal data as anyone who may see the case sees it: mostly hidden."""
    mandate = case.mandate
    return {
        "birth_date": f"{case.birth_date[:4]}-••-••" if case.birth_date else "",
        "document_number": sealed_mask(case.document_number or "", keep=3),
        "national_id": sealed_mask(case.national_id or "", keep=3),
        "iban": sealed_mask(mandate.iban, keep=4) if mandate is not None else "",
    }
