"""A line follows what the host network did: live when activated, barred when suspended, ...

Registered with the provisioning hooks, so it runs inside the unit of work that records the
network's answer; a ported number is put on the network once its porting date has come.
"""

from __future__ import annotations

from saas.db import DbSession
from saas.network import lines
from saas.network.models import ACTIVE, PENDING, SUSPENDED
from saas.network.provisioning import hooks, orders
from saas.network.provisioning import models as P
from saas.subscriptions import hooks as subscription_hooks
from saas.subscriptions.events import RESUME, SUSPEND, ends
from saas.subscriptions.models import Subscription, SubscriptionEvent

# What each order does to the line, and the state the line must be in for it.
MOVES = {
    P.ACTIVATE: ((PENDING,), lines.activate),
    P.SUSPEND: ((ACTIVE,), lines.suspend),
    P.RESTORE: ((SUSPENDED,), lines.restore),
    P.TERMINATE: ((PENDING, ACTIVE, SUSPENDED), lines.terminate),
}


@hooks.on_order_completed
def line_follows(session: DbSession, order: P.ProvisioningOrder) -> None:
    """Move the subscription's line as the network moved it (if it is not there already)."""
    move = MOVES.get(order.action)
    line = lines.of_subscription(session, order.subscription_id)
    if move is None or line is None or line.state not in move[0]:
        return
    move[1](session, line)


@hooks.on_port_in_completed
def ported_number_goes_live(session: DbSession, port_in: P.PortIn) -> None:
    """The number is ours from today: put the line's SIM on the network with it."""
    line = lines.of_subscription(session, port_in.subscription_id)
    sim = lines.current_sim(session, line) if line is not None else None
    if line is None or sim is None or line.state != PENDING:
        return
    orders.activate(
        session,
        port_in.subscription_id,
        msisdn=f"+{port_in.msisdn.lstrip('+')}",
        iccid=sim.iccid,
        imsi=sim.imsi,
        profile="standard",
        key=f"port-in-{port_in.id}",
    )


# What a subscription's change asks of the network, and the line states it applies to.
ASKS = {
    SUSPEND: ((ACTIVE,), orders.suspend),
    RESUME: ((SUSPENDED,), orders.restore),
}


@subscription_hooks.on_service_changed
def network_follows(session: DbSession, sub: Subscription, event: SubscriptionEvent) -> None:
    """Bar, restore or end the line at the host network as its subscription was changed.

    A line never put on the network (still pending) ends here at once: its number goes into
    quarantine and its SIM is retired without asking the network.
    """
    line = lines.of_subscription(session, sub.id)
    if line is None:
        return
    states, ask = ((ACTIVE, SUSPENDED), orders.terminate) if ends(event) else ASKS[event.kind]
    if ends(event) and line.state == PENDING:
        lines.terminate(session, line, event.effective_at, reason="subscription cancelled")
        return
    msisdn = lines.current_msisdn(session, line)
    if line.state in states and msisdn:
        ask(session, sub.id, msisdn=f"+{msisdn.lstrip('+')}", key=f"subscription-event-{event.id}")
