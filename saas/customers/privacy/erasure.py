"""Erasing personal data: recorded with its rule, and on a person's request where the law lets it.

An erasure empties the sealed fields of a person's records (`parts`), keeps the records, and
writes what went and why both as an `Erasure` and into the audit log. A request is refused while
a line still runs or a subscription has not ended: the line needs what it was signed up with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from saas.customers.privacy import holdings, parts
from saas.customers.privacy.errors import PrivacyError
from saas.customers.privacy.holdings import Holdings
from saas.customers.privacy.models import REQUEST, Erasure
from saas.db import DbSession, utcnow
from saas.errors import Term
from saas.identity import audit
from saas.identity.actor import current_actor
from saas.identity.models import SUBSCRIBER, User
from saas.network.models import TERMINATED
from saas.network.numbering import shown
from saas.subscriptions.models import CANCELLED

REASON_MAX = 2000
ERASED = "personal_data.erase"
REFUSED = "personal_data.erasure_refused"

# What stays when a person's data is erased, and why (screens say each in words).
KEPT_ALWAYS = ("profile", "audit")
KEPT_IF = {
    "subscriptions": lambda h: h.subscriptions,
    "lines": lambda h: h.lines,
    "kyc_outcome": lambda h: h.cases,
    "credit_class": lambda h: h.decisions,
    "mandates": lambda h: h.mandates,
    "port_ins": lambda h: h.port_ins,
}


def record(
    session: DbSession,
    items: list[dict[str, Any]],
    rule: str,
    *,
    subscriber_id: int | None = None,
    application_id: int | None = None,
    since: datetime | None = None,
    reason: str = "",
    by_user_id: int | None = None,
) -> Erasure:
    """Keep the record of an erasure and write it into the audit log."""
    erasure = Erasure(
        subscriber_id=subscriber_id,
        application_id=application_id,
        rule=rule,
        erased=items,
        due_since=since,
        reason=reason,
        requested_by_id=by_user_id,
        actor_label=current_actor().label,
        erased_at=utcnow(),
    )
    session.add(erasure)
    session.flush()
    kind, ident = ("users", subscriber_id) if subscriber_id else ("applications", application_id)
    details: dict[str, Any] = {"rule": rule, "erasure_id": erasure.id, "erased": items}
    if reason:
        details["reason"] = reason
    audit.record(session, ERASED, kind, ident or 0, **details)
    return erasure


def erase_holdings(
    session: DbSession, held: Holdings, rule: str, **recorded: Any
) -> Erasure | None:
    """Erase what a subscriber's records still hold; None when nothing was left."""
    items = parts.erase(held.with_personal_data)
    if not items:
        return None
    session.flush()
    return record(session, items, rule, subscriber_id=held.person.id, **recorded)


@dataclass(frozen=True)
class Plan:
    """What a request would erase, what stays by law, and what stands in its way."""

    erasable: list[tuple[Any, list[parts.Part]]]
    kept: list[str]
    blocker: PrivacyError | None

    @property
    def allowed(self) -> bool:
        """Whether a request would erase something now."""
        return self.blocker is None and bool(self.erasable)


def _about(person: User) -> Term:
    return Term("record.erasure_of", name=person.display_name)


def blocker(held: Holdings) -> PrivacyError | None:
    """Why the person's data may not go yet: a line still in use, a subscription running."""
    for line in held.lines:
        if line.state != TERMINATED:
            number = next((n.msisdn for n in line.numbers if n.valid_to is None), "")
            said = shown(number) if number else f"#{line.id}"
            return PrivacyError("privacy.line_active", record=_about(held.person), number=said)
    if any(sub.status != CANCELLED for sub in held.subscriptions):
        return PrivacyError("privacy.subscription_active", record=_about(held.person))
    return None


def plan(session: DbSession, person: User) -> Plan:
    """What erasing the person's data would do now."""
    held = holdings.of(session, person)
    erasable = [(row, found) for row in held.with_personal_data if (found := parts.held(row))]
    kept = [*KEPT_ALWAYS[:1], *(k for k, has in KEPT_IF.items() if has(held)), *KEPT_ALWAYS[1:]]
    return Plan(erasable, kept, blocker(held))


def _reason(person: User, reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise PrivacyError("privacy.reason_missing", field="reason", record=_about(person))
    if len(reason) > REASON_MAX:
        raise PrivacyError(
            "privacy.reason_too_long", field="reason", record=_about(person), limit=REASON_MAX
        )
    return reason


def request(
    session: DbSession, person: User, reason: str, by_user_id: int | None = None
) -> Erasure:
    """Erase a subscriber's personal data on their request, with the reason; or refuse why not.

    `by_user_id` names the staff member; without one the request came through the API, whose
    key the audit log names.
    """
    if person.kind != SUBSCRIBER:
        raise PrivacyError("privacy.not_a_subscriber", record=_about(person))
    reason = _reason(person, reason)
    held = holdings.of(session, person)
    stop = blocker(held)
    if stop is not None:
        raise stop
    done = erase_holdings(session, held, REQUEST, reason=reason, by_user_id=by_user_id)
    if done is None:
        raise PrivacyError("privacy.nothing_left", record=_about(person))
    return done


def refused(session: DbSession, person_id: int, reason: str, refusal: PrivacyError) -> None:
    """Write a refused request into the audit log; one without a reason was no request."""
    if refusal.field == "reason":
        return
    said = {k: v for k, v in refusal.params.items() if isinstance(v, str | int)}
    audit.record(
        session,
        REFUSED,
        "users",
        person_id,
        reason=(reason or "").strip()[:REASON_MAX],
        code=refusal.code,
        params=said,
    )
