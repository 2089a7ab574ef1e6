"""What a port-in order sends (read from its request) and what the donor's decision changes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from saas.db import DbSession, get_scoped
from saas.network.provisioning import hooks
from saas.network.provisioning import models as M

REJECTION_MAX = 64


def _port_in(session: DbSession, order: M.ProvisioningOrder) -> M.PortIn:
    port_in = get_scoped(session, M.PortIn, int(order.payload["port_in_id"]))
    if port_in is None:
        raise LookupError(f"the port-in of provisioning order {order.id} is not found")
    return port_in


def wire(session: DbSession, order: M.ProvisioningOrder) -> dict[str, str]:
    """The request a port-in order carries: its holder data are read from the sealed row."""
    port_in = _port_in(session, order)
    return {
        "msisdn": port_in.msisdn,
        "donor": port_in.donor,
        "holder_name": port_in.holder_name,
        "donor_account": port_in.donor_account,
        "wished_date": port_in.wished_date.isoformat(),
    }


def order_done(session: DbSession, order: M.ProvisioningOrder, now: datetime) -> None:
    """Record the donor's decision that a completed port-in order brought back."""
    if order.action != M.PORT_IN:
        return
    port_in = _port_in(session, order)
    if port_in.state != M.REQUESTED:
        return
    decided(session, port_in, order.answer, now)


def decided(session: DbSession, port_in: M.PortIn, said: dict[str, Any], now: datetime) -> None:
    """Confirm the port-in for its porting date, or reject it with the donor's reason."""
    port_in.decided_at = now
    day = said.get("porting_date")
    if said.get("status") == "confirmed" and isinstance(day, str):
        port_in.state, port_in.porting_date = M.CONFIRMED, date.fromisoformat(day)
        return
    port_in.state = M.REJECTED
    port_in.rejection = str(said.get("reason") or "other")[:REJECTION_MAX]
    session.flush()
    hooks.port_in_rejected(session, port_in)


def due(session: DbSession, today: date) -> list[M.PortIn]:
    """Confirmed port-ins whose porting date has come, locked for completing."""
    stmt = (
        select(M.PortIn)
        .where(M.PortIn.state == M.CONFIRMED, M.PortIn.porting_date <= today)
        .order_by(M.PortIn.id)
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(stmt))
