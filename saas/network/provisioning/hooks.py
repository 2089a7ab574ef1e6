"""Callbacks told what became of orders and port-ins, for the line code to follow.

Each callback runs inside the unit of work that records the outcome: what it writes commits
with the outcome or not at all, and a callback that raises undoes the outcome too (the job is
then tried again). Register at import time:

    @hooks.on_order_completed
    def _line_is_live(session: DbSession, order: ProvisioningOrder) -> None: ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from saas.db import DbSession
from saas.network.provisioning.models import PortIn, ProvisioningOrder

OrderHook = Callable[[DbSession, ProvisioningOrder], None]
PortInHook = Callable[[DbSession, PortIn], None]
H = TypeVar("H", OrderHook, PortInHook)

_ORDER_COMPLETED: list[OrderHook] = []
_ORDER_FAILED: list[OrderHook] = []
_PORT_IN_COMPLETED: list[PortInHook] = []
_PORT_IN_REJECTED: list[PortInHook] = []


def _adder(hooks: list[H]) -> Callable[[H], H]:
    def add(hook: H) -> H:
        if hook not in hooks:
            hooks.append(hook)
        return hook

    return add


# The network carried an order out (a port-in order: the donor's decision came back).
on_order_completed = _adder(_ORDER_COMPLETED)
# The network refused an order for good (failed), or the jobs gave up on it (stuck).
on_order_failed = _adder(_ORDER_FAILED)
# A confirmed port-in reached its porting date: the number is ours now.
on_port_in_completed = _adder(_PORT_IN_COMPLETED)
# The donor rejected a port-in request.
on_port_in_rejected = _adder(_PORT_IN_REJECTED)


def forget(hook: OrderHook | PortInHook) -> None:
    """Stop calling a callback (for tests)."""
    for hooks in (_ORDER_COMPLETED, _ORDER_FAILED, _PORT_IN_COMPLETED, _PORT_IN_REJECTED):
        if hook in hooks:
            hooks.remove(hook)  # type: ignore[arg-type]


def order_completed(session: DbSession, order: ProvisioningOrder) -> None:
    """Tell every callback that an order was carried out."""
    for hook in list(_ORDER_COMPLETED):
        hook(session, order)


def order_failed(session: DbSession, order: ProvisioningOrder) -> None:
    """Tell every callback that an order failed or got stuck."""
    for hook in list(_ORDER_FAILED):
        hook(session, order)


def port_in_completed(session: DbSession, port_in: PortIn) -> None:
    """Tell every callback that a ported number went live."""
    for hook in list(_PORT_IN_COMPLETED):
        hook(session, port_in)


def port_in_rejected(session: DbSession, port_in: PortIn) -> None:
    """Tell every callback that a donor rejected a port-in."""
    for hook in list(_PORT_IN_REJECTED):
        hook(session, port_in)
