"""The tenant a unit of work runs for, carried in a context variable."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_current: ContextVar[int | None] = ContextVar("saas_tenant_id", default=None)
_listeners: list[Callable[[int | None], None]] = []


class NoTenant(RuntimeError):
    """Tenant-owned data was touched with no tenant in scope."""


class TenantMismatch(RuntimeError):
    """A row of one tenant was written while another tenant was in scope."""


def current_tenant_id() -> int | None:
    """Return the tenant in scope, or None."""
    return _current.get()


def require_tenant_id() -> int:
    """Return the tenant in scope or refuse to go on."""
    tenant_id = _current.get()
    if tenant_id is None:
        raise NoTenant("no tenant in scope")
    return tenant_id


def on_change(listener: Callable[[int | None], None]) -> None:
    """Register a callback run whenever the tenant in scope changes."""
    _listeners.append(listener)


def _notify(tenant_id: int | None) -> None:
    for listener in _listeners:
        listener(tenant_id)


@contextmanager
def tenant_scope(tenant_id: int | None) -> Iterator[None]:
    """Run the block for one tenant (None: for no tenant, which sees nothing)."""
    token = _current.set(tenant_id)
    _notify(tenant_id)
    try:
        yield
    finally:
        _current.reset(token)
        _notify(_current.get())


def enter(tenant_id: int | None) -> object:
    """Set the tenant for the rest of a request; pair with `leave`."""
    token = _current.set(tenant_id)
    _notify(tenant_id)
    return token


def leave(token: object) -> None:
    """Undo `enter`."""
    _current.reset(token)  # type: ignore[arg-type]
    _notify(_current.get())
