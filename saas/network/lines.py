"""Lines: a subscription's number and SIM over time, and its lifecycle as stored events.

What a line held is kept as intervals (`valid_from` until `valid_to`, UTC; an open one has no
end), so the line that held a number or an IMSI at any past instant is found by one indexed
read (`line_at`): usage that arrives late is rated against the line as it was. Every change is
an event with the instant it took effect and who made it; a change never comes before the
line's last one, so the history is only ever added to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import aliased

from saas.db import DbSession, get_scoped, utcnow
from saas.errors import Term
from saas.identity.actor import current_actor
from saas.network import numbers, sims
from saas.network.errors import NetworkError, line_named
from saas.network.models import (
    ACTIVE,
    IN_STOCK,
    LOST,
    PENDING,
    PHYSICAL,
    PORTED,
    RETIRED,
    SIM_ACTIVE,
    SIM_ASSIGNED,
    SUSPENDED,
    SWAPPED,
    TERMINATED,
    Line,
    LineEvent,
    LineNumber,
    LineSim,
    Number,
    Sim,
)
from saas.subscriptions.models import Subscription

CREATED, ACTIVATED, SUSPENDED_EVENT, RESTORED = "created", "activated", "suspended", "restored"
TERMINATED_EVENT, SIM_SWAPPED, NUMBER_CHANGED = "terminated", "sim_swapped", "number_changed"
EVENT_KINDS = (
    CREATED,
    ACTIVATED,
    SUSPENDED_EVENT,
    RESTORED,
    TERMINATED_EVENT,
    SIM_SWAPPED,
    NUMBER_CHANGED,
)
# Each lifecycle change: the states it may start from, and the state it leaves.
LIFECYCLE = {
    ACTIVATED: ((PENDING,), ACTIVE),
    SUSPENDED_EVENT: ((ACTIVE,), SUSPENDED),
    RESTORED: ((SUSPENDED,), ACTIVE),
    TERMINATED_EVENT: ((PENDING, ACTIVE, SUSPENDED), TERMINATED),
}
# Why a SIM is swapped: the old card was lost (or stolen), or it is replaced (damaged, eSIM).
LOST_CARD, REPLACED = "lost", "replaced"
SWAP_REASONS = (LOST_CARD, REPLACED)


@dataclass(frozen=True)
class LineAt:
    """A line as it stood at an instant: its state, number and SIM then."""

    line: Line
    at: datetime
    state: str
    msisdn: str | None
    imsi: str | None
    iccid: str | None


def get(session: DbSession, ident: int) -> Line | None:
    """The brand's line with that id."""
    return get_scoped(session, Line, ident)


def of_subscription(session: DbSession, subscription_id: int) -> Line | None:
    """The line of a subscription, if it has one."""
    return session.scalar(select(Line).filter_by(subscription_id=subscription_id))


def _locked(session: DbSession, line: Line) -> Line:
    """The line again, locked for this transaction and read afresh."""
    stmt = (
        select(Line)
        .filter_by(id=line.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.scalars(stmt).one()


def _record(session: DbSession, line: Line, kind: str, at: datetime, **data: Any) -> LineEvent:
    event = LineEvent(
        line_id=line.id, kind=kind, at=at, actor_label=current_actor().label, data=data
    )
    session.add(event)
    line.changed_at = at
    return event


def _last_at(session: DbSession, line: Line) -> datetime | None:
    stmt = select(LineEvent.at).filter_by(line_id=line.id).order_by(LineEvent.at.desc())
    return session.scalars(stmt.limit(1)).first()


def _checked(
    session: DbSession, line: Line, change: str, at: datetime | None
) -> tuple[Line, datetime]:
    """The line locked, and the instant of a change that may be made to it then."""
    line = _locked(session, line)
    at = at or utcnow()
    last = _last_at(session, line)
    if last is not None and at < last:
        raise NetworkError("network.before_last_change", line_named(line.id), "at")
    allowed = LIFECYCLE[change][0] if change in LIFECYCLE else (PENDING, ACTIVE, SUSPENDED)
    if line.state not in allowed:
        raise NetworkError(
            "network.line_state",
            line_named(line.id),
            change=Term(f"line.change.{change}"),
            state=Term(f"line.state.{line.state}"),
        )
    return line, at


# Creating


def create(
    session: DbSession,
    subscription: Subscription,
    reservation: str,
    *,
    sim: Sim | None = None,
    kind: str = PHYSICAL,
    at: datetime | None = None,
) -> Line:
    """A pending line for a subscription with the reserved number and a SIM (given or picked)."""
    at = at or utcnow()
    if of_subscription(session, subscription.id) is not None:
        raise NetworkError("network.line_exists", field="subscription")
    number = numbers.held(session, reservation, at)
    sim = sim if sim is not None else sims.pick(session, kind)
    if sim.state != IN_STOCK:
        raise NetworkError("network.sim_taken", Term("record.sim", iccid=sim.iccid), "iccid")
    line = Line(subscription_id=subscription.id, state=PENDING, created_at=at, changed_at=at)
    session.add(line)
    session.flush()
    _give_number(session, line, number, at)
    _give_sim(session, line, sim, at)
    _record(session, line, CREATED, at, state=PENDING, msisdn=number.msisdn, iccid=sim.iccid)
    session.flush()
    return line


def _give_number(session: DbSession, line: Line, number: Number, at: datetime) -> None:
    numbers.assign(number, at)
    session.add(
        LineNumber(line_id=line.id, number_id=number.id, msisdn=number.msisdn, valid_from=at)
    )


def _give_sim(session: DbSession, line: Line, sim: Sim, at: datetime) -> None:
    sim.state = SIM_ACTIVE if line.state in (ACTIVE, SUSPENDED) else SIM_ASSIGNED
    sim.changed_at = at
    session.add(
        LineSim(line_id=line.id, sim_id=sim.id, imsi=sim.imsi, iccid=sim.iccid, valid_from=at)
    )


def _open_number(session: DbSession, line: Line) -> LineNumber | None:
    return session.scalar(select(LineNumber).filter_by(line_id=line.id, valid_to=None))


def _open_sim(session: DbSession, line: Line) -> LineSim | None:
    return session.scalar(select(LineSim).filter_by(line_id=line.id, valid_to=None))


# The lifecycle


def _lifecycle(
    session: DbSession, line: Line, change: str, at: datetime | None, reason: str
) -> Line:
    line, at = _checked(session, line, change, at)
    line.state = LIFECYCLE[change][1]
    _record(session, line, change, at, state=line.state, **({"reason": reason} if reason else {}))
    return line


def activate(session: DbSession, line: Line, at: datetime | None = None) -> Line:
    """The host network has confirmed the line: it is live, and so is its SIM."""
    line = _lifecycle(session, line, ACTIVATED, at, "")
    held = _open_sim(session, line)
    if held is not None:
        sim = session.get_one(Sim, held.sim_id)
        sim.state, sim.changed_at = SIM_ACTIVE, line.changed_at
    session.flush()
    return line


def suspend(session: DbSession, line: Line, at: datetime | None = None, reason: str = "") -> Line:
    """Bar the line (unpaid bills, a lost phone); it keeps its number and SIM."""
    line = _lifecycle(session, line, SUSPENDED_EVENT, at, reason)
    session.flush()
    return line


def restore(session: DbSession, line: Line, at: datetime | None = None, reason: str = "") -> Line:
    """Lift a suspension."""
    line = _lifecycle(session, line, RESTORED, at, reason)
    session.flush()
    return line


def terminate(session: DbSession, line: Line, at: datetime | None = None, reason: str = "") -> Line:
    """End the line: its number goes into quarantine and its SIM is retired."""
    line = _lifecycle(session, line, TERMINATED_EVENT, at, reason)
    when = line.changed_at
    number_held, sim_held = _open_number(session, line), _open_sim(session, line)
    if number_held is not None:
        number_held.valid_to = when
        numbers.quarantine(session, session.get_one(Number, number_held.number_id), when)
    if sim_held is not None:
        sim_held.valid_to = when
        sim = session.get_one(Sim, sim_held.sim_id)
        sim.state, sim.changed_at = RETIRED, when
    session.flush()
    return line


# Swaps


def swap_sim(
    session: DbSession,
    line: Line,
    reason: str,
    *,
    sim: Sim | None = None,
    kind: str | None = None,
    at: datetime | None = None,
) -> Line:
    """Give the line another SIM from `at`; the old one is marked lost or swapped; same number."""
    if reason not in SWAP_REASONS:
        raise NetworkError("network.swap_reason", line_named(line.id), "reason")
    line, at = _checked(session, line, SIM_SWAPPED, at)
    held = _open_sim(session, line)
    old = session.get_one(Sim, held.sim_id) if held is not None else None
    new = sim if sim is not None else sims.pick(session, kind or (old.kind if old else PHYSICAL))
    if new.state != IN_STOCK:
        raise NetworkError("network.sim_taken", Term("record.sim", iccid=new.iccid), "iccid")
    if held is not None and old is not None:
        held.valid_to = at
        old.state, old.changed_at = (LOST if reason == LOST_CARD else SWAPPED), at
    session.flush()  # the old SIM's interval closes before the new one opens
    _give_sim(session, line, new, at)
    old_iccid = old.iccid if old else ""
    _record(session, line, SIM_SWAPPED, at, reason=reason, old_iccid=old_iccid, iccid=new.iccid)
    session.flush()
    return line


def change_number(
    session: DbSession, line: Line, reservation: str, at: datetime | None = None
) -> Line:
    """Give the line the reserved number from `at`; the old one goes into quarantine."""
    line, at = _checked(session, line, NUMBER_CHANGED, at)
    number = numbers.held(session, reservation, at)
    held = _open_number(session, line)
    old = ""
    if held is not None:
        held.valid_to, old = at, held.msisdn
        numbers.quarantine(session, session.get_one(Number, held.number_id), at)
    session.flush()
    _give_number(session, line, number, at)
    _record(session, line, NUMBER_CHANGED, at, old_msisdn=old, msisdn=number.msisdn)
    session.flush()
    return line


# Looking back


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _holding(session: DbSession, model: Any, at: datetime, **which: Any) -> Any:
    """The interval of `model` open at `at` among those matching `which`, or None."""
    stmt = (
        select(model)
        .filter_by(**which)
        .where(model.valid_from <= at)
        .order_by(model.valid_from.desc(), model.id.desc())
        .limit(1)
    )
    found = session.scalar(stmt)
    return found if found is not None and (found.valid_to is None or found.valid_to > at) else None


def state_at(session: DbSession, line: Line, at: datetime) -> str | None:
    """The line's lifecycle state at an instant (None before it was made)."""
    stmt = (
        select(LineEvent.data)
        .filter_by(line_id=line.id)
        .where(LineEvent.at <= at, LineEvent.kind.in_([CREATED, *LIFECYCLE]))
        .order_by(LineEvent.at.desc(), LineEvent.id.desc())
        .limit(1)
    )
    data = session.scalar(stmt)
    return None if data is None else str(data.get("state"))


def line_at(
    session: DbSession, msisdn: str | None = None, imsi: str | None = None, *, at: datetime
) -> LineAt | None:
    """The line that held the number (or the IMSI) at the instant, as it stood then."""
    if msisdn:
        held = _holding(session, LineNumber, at, msisdn=_digits(msisdn))
    else:
        held = _holding(session, LineSim, at, imsi=_digits(imsi or ""))
    if held is None:
        return None
    line = session.get_one(Line, held.line_id)
    number = (
        held if isinstance(held, LineNumber) else _holding(session, LineNumber, at, line_id=line.id)
    )
    sim = held if isinstance(held, LineSim) else _holding(session, LineSim, at, line_id=line.id)
    return LineAt(
        line=line,
        at=at,
        state=state_at(session, line, at) or PENDING,
        msisdn=number.msisdn if number else None,
        imsi=sim.imsi if sim else None,
        iccid=sim.iccid if sim else None,
    )


def current_sim(session: DbSession, line: Line) -> Sim | None:
    """The SIM the line holds now."""
    held = _open_sim(session, line)
    return session.get(Sim, held.sim_id) if held is not None else None


def current_msisdn(session: DbSession, line: Line) -> str | None:
    """The number the line holds now."""
    held = _open_number(session, line)
    return held.msisdn if held is not None else None


@dataclass(frozen=True)
class Held:
    """A line as a page shows it: its state, and the number and SIM it holds now."""

    id: int
    state: str
    msisdn: str | None
    ported: bool
    sim_id: int | None
    sim_kind: str | None
    matching_id: str


def held_by(session: DbSession, subscription_id: int) -> Held | None:
    """The subscription's line with its current number and SIM, in one statement."""
    return seen_by_holder(session, subscription_id)[0]


def seen_by_holder(session: DbSession, subscription_id: int) -> tuple[Held | None, bool]:
    """The subscription's line as `held_by` reads it, and whether it ever asked for a port-in."""
    row = session.execute(_held_by(), {"subscription": subscription_id}).first()
    if row is None:
        return None, False
    line_id, state, msisdn, origin, sim_id, kind, matching, port_in = row
    if line_id is None:
        return None, bool(port_in)
    return Held(line_id, state, msisdn, origin == PORTED, sim_id, kind, matching or ""), port_in


@cache
def _held_by() -> Any:
    from saas.network.provisioning.models import PortIn  # provisioning builds on lines

    number = aliased(LineNumber)
    held_sim = aliased(LineSim)
    asked = select(PortIn.id).where(PortIn.subscription_id == Subscription.id).exists()
    return (
        select(
            Line.id,
            Line.state,
            number.msisdn,
            Number.origin,
            Sim.id,
            Sim.kind,
            Sim.matching_id,
            asked,
        )
        .select_from(Subscription)
        .outerjoin(Line, Line.subscription_id == Subscription.id)
        .outerjoin(number, and_(number.line_id == Line.id, number.valid_to.is_(None)))
        .outerjoin(Number, Number.msisdn == number.msisdn)
        .outerjoin(held_sim, and_(held_sim.line_id == Line.id, held_sim.valid_to.is_(None)))
        .outerjoin(Sim, Sim.id == held_sim.sim_id)
        .where(Subscription.id == bindparam("subscription"))
    )
