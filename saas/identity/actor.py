"""Who is acting: a staff member, a subscriber, an API key, a worker or the system."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """The author of a change, as the audit log names it."""

    label: str
    user_id: int | None = None
    ip: str | None = None


SYSTEM = Actor("system")
_current: ContextVar[Actor] = ContextVar("saas_actor", default=SYSTEM)


def current_actor() -> Actor:
    """Return who is acting now."""
    return _current.get()


@contextmanager
def acting_as(actor: Actor) -> Iterator[None]:
    """Attribute the changes made in the block to an actor."""
    token = _current.set(actor)
    try:
        yield
    finally:
        _current.reset(token)


def enter(actor: Actor) -> object:
    """Set the actor for the rest of a request; pair with `leave`."""
    return _current.set(actor)


def leave(token: object) -> None:
    """Undo `enter`."""
    _current.reset(token)  # type: ignore[arg-type]
