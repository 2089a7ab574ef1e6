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
