"""Credit checks and what they allow: the entry points of console, API and sign-up.

`check` asks the bureau about an applicant, scores the answer on the brand's scorecard and keeps
the decision; a bureau that cannot be asked gives the brand's fallback class (prepaid only),
never an approval. `override` lets a staff member set another class, with a reason. `allowance`
says what may be sold to a person now; `may_sell` refuses a sale their class does not allow.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from saas.catalog import models as M
from saas.catalog.periods import local_date
from saas.customers.credit import policy
from saas.customers.credit.bureau import Bureau, BureauUnavailable, configured, read_report
from saas.customers.credit.errors import CreditError
from saas.customers.credit.models import (
    CHECK,
    NO_RECORD,
    OVERRIDE,
    SCORED,
    UNAVAILABLE,
    CreditDecision,
)
from saas.customers.credit.reports import Applicant, BureauReport
from saas.customers.credit.scorecard import CreditClass, Facts, Scoring, evaluate
from saas.db import DbSession, get_scoped, utcnow
from saas.identity import audit
from saas.identity.actor import current_actor
from saas.identity.models import STAFF, SUBSCRIBER, User
from saas.subscriptions.models import CANCELLED, Subscription

REASON_MAX = 500
BUREAU_READ = "credit.bureau_read"


def held_lines(session: DbSession, person: User) -> int:
    """How many lines (subscriptions not ended) the person holds with the brand."""
    query = select(func.count(Subscription.id)).where(
        Subscription.subscriber_id == person.id, Subscription.status != CANCELLED
    )
    return int(session.scalar(query) or 0)


def _allows(klass: CreditClass, currency: str) -> dict[str, Any]:
    return {
        "class_code": klass.code,
        "class_names": dict(klass.names),
        "currency": currency,
        "deposit": klass.deposit,
        "credit_limit": klass.credit_limit,
        "max_lines": klass.max_lines,
        "postpaid": klass.postpaid,
    }


def _subscriber(person: User) -> None:
    if person.kind != SUBSCRIBER:
        raise CreditError("credit.not_a_subscriber")


def _asked(bureau: Bureau, applicant: Applicant) -> BureauReport | str:
    """The bureau's report, or why there is none."""
    try:
        return bureau.score(applicant)
    except BureauUnavailable as exc:
        return exc.reason[:200]


def check(
    session: DbSession,
    person: User,
    applicant: Applicant,
    *,
    at: datetime | None = None,
    bureau: Bureau | None = None,
) -> CreditDecision:
    """Check a person with the bureau and the brand's scorecard, and keep the decision."""
    _subscriber(person)
    at = at or utcnow()
    card, brand = policy.scorecard(session), policy.brand(session)
    decision = CreditDecision(
        subscriber=person,
        kind=CHECK,
        applicant=json.dumps(applicant.to_json(), sort_keys=True),
        actor_label=current_actor().label,
        decided_at=at,
    )
    # Asked inside the unit of work: the bureau's timeout bounds how long it stays open.
    report = _asked(bureau or configured(), applicant)
    if isinstance(report, str):
        decision.outcome, decision.bureau_problem, decision.lines = UNAVAILABLE, report, []
        klass = card.fallback_class()
    else:
        age = applicant.age_on(local_date(at, brand.timezone))
        facts = Facts(report, age, held_lines(session, person), applicant.direct_debit)
        klass = _scored(decision, evaluate(card, facts), report)
    for name, value in _allows(klass, brand.currency).items():
        setattr(decision, name, value)
    session.add(decision)
    session.flush()
    return decision


def _scored(decision: CreditDecision, scoring: Scoring, report: BureauReport) -> CreditClass:
    """Write a scoring and the report it came from into the decision; return its class."""
    decision.outcome = SCORED if report.found else NO_RECORD
    decision.report, decision.bureau_reference = report.sealed_text(), report.reference
    decision.lines, decision.total = [x.to_json() for x in scoring.lines], scoring.total
    return scoring.klass


def _reason(text: str) -> str:
    reason = " ".join(text.split())
    if not reason:
        raise CreditError("credit.reason_missing", "reason")
    if len(reason) > REASON_MAX:
        raise CreditError("credit.text_too_long", "reason", limit=REASON_MAX)
    return reason


def override(
    session: DbSession,
    person: User,
    class_code: str,
    reason: str,
    by: User,
    at: datetime | None = None,
) -> CreditDecision:
    """Set another class for a person's current decision, for a reason a staff member gives."""
    based_on = current(session, person)
    if based_on is None:
        raise CreditError("credit.nothing_to_override")
    if by.kind != STAFF:
        raise CreditError("credit.staff_only")
    klass = policy.scorecard(session).class_named(class_code)
    if klass is None:
        raise CreditError("credit.class_unknown", "class_code", klass=class_code)
    decision = CreditDecision(
        subscriber_id=person.id,
        kind=OVERRIDE,
        outcome=OVERRIDE,
        based_on=based_on,
        lines=list(based_on.lines),
        total=based_on.total,
        bureau_reference=based_on.bureau_reference,
        reason=_reason(reason),
        decided_by=by,
        actor_label=current_actor().label,
        decided_at=at or utcnow(),
        **_allows(klass, policy.brand(session).currency),
    )
    session.add(decision)
    session.flush()
    return decision


def decisions(session: DbSession, person: User) -> list[CreditDecision]:
    """A person's decisions, newest first."""
    query = select(CreditDecision).filter_by(subscriber_id=person.id)
    return list(session.scalars(query.order_by(CreditDecision.id.desc())))


def current(session: DbSession, person: User) -> CreditDecision | None:
    """The decision that stands for a person: their newest."""
    query = select(CreditDecision).filter_by(subscriber_id=person.id)
    return session.scalar(query.order_by(CreditDecision.id.desc()).limit(1))


def get(session: DbSession, ident: int) -> CreditDecision | None:
    """The brand's decision with that id."""
    return get_scoped(session, CreditDecision, ident)


@dataclass(frozen=True)
class Disclosure:
    """The personal data behind a decision: what was asked, and what the bureau answered."""

    decision: CreditDecision
    applicant: Applicant | None
    report: BureauReport | None


def disclose(session: DbSession, decision: CreditDecision) -> Disclosure:
    """Open the sealed inputs and answer of a decision, writing the view into the audit log."""
    source = decision
    while source.kind == OVERRIDE and source.based_on is not None:  # the check it overrode
        source = source.based_on
    audit.record(session, BUREAU_READ, "users", decision.subscriber_id, decision_id=decision.id)
    applicant = Applicant.from_json(json.loads(source.applicant)) if source.applicant else None
    report = read_report(json.loads(source.report)) if source.report else None
    return Disclosure(decision, applicant, report)


@dataclass(frozen=True)
class Allowance:
    """What may be sold to a person now, by their standing decision (or the lack of one)."""

    decision: CreditDecision | None
    required: bool
    lines_held: int

    @property
    def checked(self) -> bool:
        """Whether the person has a decision."""
        return self.decision is not None

    @property
    def postpaid(self) -> bool:
        """Whether postpaid plans may be sold; without a check, unless one is required."""
        return self.decision.postpaid if self.decision else not self.required

    @property
    def max_lines(self) -> int | None:
        """How many lines the person may hold; None: no limit is set."""
        return self.decision.max_lines if self.decision else (0 if self.required else None)

    @property
    def deposit(self) -> Decimal:
        """The deposit their class asks for, in the brand's currency."""
        return self.decision.deposit if self.decision else Decimal(0)

    @property
    def credit_limit(self) -> Decimal | None:
        """The monthly credit limit of their class; None: no limit is set."""
        return self.decision.credit_limit if self.decision else None


def allowance(session: DbSession, person: User) -> Allowance:
    """What may be sold to a person: their class's rules, with the lines they hold now."""
    required = policy.scorecard(session).required
    return Allowance(current(session, person), required, held_lines(session, person))


def _klass(allowed: Allowance) -> str:
    return allowed.decision.class_code if allowed.decision else ""


def may_hold(session: DbSession, person: User, version: M.PlanVersion) -> Allowance:
    """Refuse a plan the person's class does not allow them to be on (postpaid when prepaid)."""
    allowed = allowance(session, person)
    if not allowed.checked and allowed.required:
        raise CreditError("credit.check_required", "plan")
    if version.plan.payment == M.POSTPAID and not allowed.postpaid:
        raise CreditError("credit.prepaid_only", "plan", klass=_klass(allowed))
    return allowed


def may_sell(session: DbSession, person: User, version: M.PlanVersion) -> None:
    """Refuse a new line the person's class does not allow: its kind of plan, or one too many."""
    allowed = may_hold(session, person, version)
    limit = allowed.max_lines
    if limit is not None and allowed.lines_held + 1 > limit:
        held = allowed.lines_held
        raise CreditError("credit.max_lines", "plan", klass=_klass(allowed), limit=limit, held=held)
