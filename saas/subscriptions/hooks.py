"""Callbacks told when a subscription's service changes: barred, restored or ended.

They run inside the unit of work that records the change, so what they write commits with it
or not at all. The network registers here to take the line along (suspend, restore, terminate
at the host network); the subscriptions area never imports the network.
"""

from __future__ import annotations

from collections.abc import Callable

from saas.db import DbSession
from saas.subscriptions.models import Subscription, SubscriptionEvent

Hook = Callable[[DbSession, Subscription, SubscriptionEvent], None]
_HOOKS: list[Hook] = []


def on_service_changed(hook: Hook) -> Hook:
    """Register a callback for suspensions, resumptions and cancellations taking effect."""
    if hook not in _HOOKS:
        _HOOKS.append(hook)
    return hook


def forget(hook: Hook) -> None:
    """Unregister a callback (tests)."""
    if hook in _HOOKS:
        _HOOKS.remove(hook)


def service_changed(session: DbSession, sub: Subscription, event: SubscriptionEvent) -> None:
    """Tell every callback that the event took effect."""
    for hook in list(_HOOKS):
        hook(session, sub, event)
