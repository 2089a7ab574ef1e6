"""Provisioning orders: what the host network is asked to do, carried out by jobs.

An order is made `pending` and a job sends it once the unit of work commits. The network
carries it out (`completed`), accepts it and works on (`sent`: the next run asks how it
stands), refuses it for good (`failed`: a 4xx), or cannot be reached (a time-out, a 5xx): the
order stays as it was and the job runs again, with back-off, up to `AUTOMATIC_ATTEMPTS` runs,
after which it is `stuck`. A person retries a failed or stuck order (back to `pending`). Every
change is an `OrderEvent`; the callbacks in `hooks` hear of each completion and failure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import phonenumbers
from sqlalchemy import Select, select
from stdnum import luhn

from saas.db import DbSession, get_scoped, utcnow
from saas.identity import audit
from saas.identity.actor import current_actor
from saas.jobs.queue import enqueue
from saas.network.provisioning import decisions, hooks
from saas.network.provisioning import models as M
from saas.network.provisioning.errors import (
    ProvisioningError,
    order_term,
    refuse_all,
)
from saas.network.provisioning.jobs import RUN_ORDER
from saas.network.provisioning.mno import DONE, REFUSED, WORKING, Answer, HostNetwork
from saas.network.provisioning.sim_network import IMSI, PROFILE
from saas.subscriptions.models import Subscription

# Runs of the job per round (its first try and its retries) before the order is stuck.
AUTOMATIC_ATTEMPTS = 6
# What each action needs from its caller.
NEEDS: dict[str, tuple[str, ...]] = {
    M.ACTIVATE: ("msisdn", "iccid", "imsi", "profile"),
    M.SUSPEND: ("msisdn",),
    M.RESTORE: ("msisdn",),
    M.TERMINATE: ("msisdn",),
    M.CHANGE_PROFILE: ("msisdn", "profile"),
    M.SWAP_SIM: ("msisdn", "iccid", "imsi"),
}


def _msisdn_ok(text: str) -> bool:
    try:
        number = phonenumbers.parse(text)
    except phonenumbers.NumberParseException:
        return False
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return phonenumbers.is_valid_number(number) and e164 == text


CHECKS = {
    "msisdn": ("provisioning.bad_msisdn", _msisdn_ok),
    "iccid": (
        "provisioning.bad_iccid",
        lambda t: t.isdigit() and 19 <= len(t) <= 20 and luhn.is_valid(t),
    ),
    "imsi": ("provisioning.bad_imsi", lambda t: bool(IMSI.fullmatch(t))),
    "profile": ("provisioning.bad_profile", lambda t: bool(PROFILE.fullmatch(t))),
}


def checked(action: str, payload: Mapping[str, Any]) -> dict[str, str]:
    """The payload an action needs, each value checked; every wrong one is refused at once."""
    if action not in NEEDS:
        raise ProvisioningError("provisioning.unknown_action", field="action")
    clean, refusals = {}, []
    for name in NEEDS[action]:
        value = str(payload.get(name) or "").strip()
        code, ok = CHECKS[name]
        if not value or not ok(value):
            refusals.append(
                ProvisioningError(code if value else "provisioning.missing", field=name)
            )
        clean[name] = value
    refuse_all(refusals)
    return clean


def _record(
    session: DbSession,
    order: M.ProvisioningOrder,
    to: str,
    *,
    attempt: int = 0,
    answer: Answer | None = None,
    made: bool = False,
) -> None:
    """Move the order to a state the machine allows, and keep the change."""
    if to not in M.TRANSITIONS[order.state]:
        raise ProvisioningError("provisioning.not_retryable", record=order_term(order.id))
    error, detail = (answer.error, answer.detail[:2000]) if answer else ("", "")
    session.add(
        M.OrderEvent(
            order_id=order.id,
            from_state="" if made else order.state,
            to_state=to,
            attempt=attempt,
            error=error,
            detail=detail,
            actor_label=current_actor().label,
        )
    )
    order.state, order.updated_at = to, utcnow()
    if answer is not None:
        order.last_error, order.last_error_detail = error, detail
    session.flush()
    session.expire(order, ["events"])


def _place(
    session: DbSession, subscription_id: int, action: str, payload: dict[str, Any], key: str | None
) -> M.ProvisioningOrder:
    if get_scoped(session, Subscription, subscription_id) is None:
        raise ProvisioningError("provisioning.no_subscription", field="subscription_id")
    if key:
        same = session.scalar(select(M.ProvisioningOrder).filter_by(idempotency_key=key))
        if same is not None:
            return same  # asked twice (a double click, a repeated sign-up step): one order
    order = M.ProvisioningOrder(subscription_id=subscription_id, action=action, payload=payload)
    if key:
        order.idempotency_key = key
    session.add(order)
    session.flush()
    _record(session, order, M.PENDING, made=True)
    enqueue(RUN_ORDER, order.tenant_id, order.id, session=session)
    return order


def place(
    session: DbSession,
    subscription_id: int,
    action: str,
    payload: Mapping[str, Any],
    *,
    key: str | None = None,
) -> M.ProvisioningOrder:
    """Ask the host network to act for a subscription's line; sent by a job after the commit.

    `key`, if given, makes the call idempotent: an order already placed under it is returned.
    """
    return _place(session, subscription_id, action, checked(action, payload), key)


def activate(
    session: DbSession,
    subscription_id: int,
    *,
    msisdn: str,
    iccid: str,
    imsi: str,
    profile: str,
    key: str | None = None,
) -> M.ProvisioningOrder:
    """Put a new line on the network: its number, SIM and network profile."""
    payload = {"msisdn": msisdn, "iccid": iccid, "imsi": imsi, "profile": profile}
    return place(session, subscription_id, M.ACTIVATE, payload, key=key)


def suspend(
    session: DbSession, subscription_id: int, *, msisdn: str, key: str | None = None
) -> M.ProvisioningOrder:
    """Bar an active line."""
    return place(session, subscription_id, M.SUSPEND, {"msisdn": msisdn}, key=key)


def restore(
    session: DbSession, subscription_id: int, *, msisdn: str, key: str | None = None
) -> M.ProvisioningOrder:
    """Lift the bar of a suspended line."""
    return place(session, subscription_id, M.RESTORE, {"msisdn": msisdn}, key=key)


def terminate(
    session: DbSession, subscription_id: int, *, msisdn: str, key: str | None = None
) -> M.ProvisioningOrder:
    """End a line at the network for good."""
    return place(session, subscription_id, M.TERMINATE, {"msisdn": msisdn}, key=key)


def change_profile(
    session: DbSession, subscription_id: int, *, msisdn: str, profile: str, key: str | None = None
) -> M.ProvisioningOrder:
    """Give a line another network profile."""
    payload = {"msisdn": msisdn, "profile": profile}
    return place(session, subscription_id, M.CHANGE_PROFILE, payload, key=key)


def swap_sim(
    session: DbSession,
    subscription_id: int,
    *,
    msisdn: str,
    iccid: str,
    imsi: str,
    key: str | None = None,
) -> M.ProvisioningOrder:
    """Move a line to a new SIM card (a lost or broken one)."""
    payload = {"msisdn": msisdn, "iccid": iccid, "imsi": imsi}
    return place(session, subscription_id, M.SWAP_SIM, payload, key=key)


def place_port_in(session: DbSession, port_in: M.PortIn) -> M.ProvisioningOrder:
    """The order that carries a port-in request to the network."""
    payload = {"port_in_id": port_in.id, "msisdn": port_in.msisdn}
    return _place(session, port_in.subscription_id, M.PORT_IN, payload, None)


def get(session: DbSession, order_id: int) -> M.ProvisioningOrder:
    """One of the brand's orders; LookupError for any other id."""
    order = get_scoped(session, M.ProvisioningOrder, order_id)
    if order is None:
        raise LookupError(f"provisioning order {order_id} not found")
    return order


def query(state: str | None = None, subscription_id: int | None = None) -> Select[Any]:
    """The brand's orders, or those in one state, or of one subscription."""
    stmt = select(M.ProvisioningOrder)
    if state:
        stmt = stmt.where(M.ProvisioningOrder.state == state)
    if subscription_id is not None:
        stmt = stmt.where(M.ProvisioningOrder.subscription_id == subscription_id)
    return stmt


def retry(session: DbSession, order_id: int) -> M.ProvisioningOrder:
    """Send a failed or stuck order again, with a fresh round of automatic attempts."""
    order = get(session, order_id)
    if not order.needs_a_person:
        raise ProvisioningError("provisioning.not_retryable", record=order_term(order.id))
    order.round_attempts = 0
    _record(session, order, M.PENDING)
    audit.record(session, "provisioning.retry", "provisioning_orders", order.id)
    enqueue(RUN_ORDER, order.tenant_id, order.id, session=session)
    return order


@dataclass(frozen=True)
class Step:
    """What one run of the job did, and whether the job must run again later."""

    order: M.ProvisioningOrder
    again: bool


def _locked(session: DbSession, order_id: int) -> M.ProvisioningOrder:
    """The order, locked until the unit of work ends: a second delivery waits, then sees it."""
    stmt = select(M.ProvisioningOrder).filter_by(id=order_id).with_for_update()
    order = session.scalar(stmt.execution_options(populate_existing=True))
    if order is None:
        raise LookupError(f"provisioning order {order_id} not found")
    return order


def _ask(session: DbSession, order: M.ProvisioningOrder, network: HostNetwork) -> Answer:
    if order.state == M.SENT and order.network_ref:
        return network.status(order.network_ref)
    if order.action == M.PORT_IN:
        return network.request_port_in(order.idempotency_key, **decisions.wire(session, order))
    call = getattr(network, order.action)
    return call(order.idempotency_key, **{k: order.payload[k] for k in NEEDS[order.action]})


def advance(
    session: DbSession, order_id: int, network: HostNetwork, now: datetime | None = None
) -> Step:
    """Send a pending order, or ask how a sent one stands, and record what the network said.

    A redelivered job finds the order done (or given up) and changes nothing; the network
    itself carries an order out once per idempotency key.
    """
    order = _locked(session, order_id)
    if order.state not in (M.PENDING, M.SENT):
        return Step(order, False)
    answer = _ask(session, order, network)
    order.attempts += 1
    order.round_attempts += 1
    order.network_ref = answer.ref or order.network_ref
    return _outcome(session, order, answer, now or utcnow())


def _outcome(session: DbSession, order: M.ProvisioningOrder, answer: Answer, now: datetime) -> Step:
    attempt = order.attempts
    if answer.status == DONE:
        order.answer, order.completed_at = answer.data, now
        _record(session, order, M.COMPLETED, attempt=attempt)
        decisions.order_done(session, order, now)
        hooks.order_completed(session, order)
        return Step(order, False)
    if answer.status == REFUSED or order.round_attempts >= AUTOMATIC_ATTEMPTS:
        # A refusal is final; an answer still to come after the last run is given up on. The
        # last run still fails, so its message is kept with the dead letters too.
        final = M.FAILED if answer.status == REFUSED else M.STUCK
        _record(session, order, final, attempt=attempt, answer=answer)
        hooks.order_failed(session, order)
        return Step(order, answer.status != REFUSED)
    to = M.SENT if answer.status == WORKING else order.state
    _record(session, order, to, attempt=attempt, answer=answer)
    return Step(order, True)
