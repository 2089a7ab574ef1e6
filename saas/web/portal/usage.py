"""What is left of the subscriber's allowances this period, and their prepaid balance."""

from __future__ import annotations

from typing import Any

from saas.db import db, get_scoped
from saas.subscriptions.models import Subscription
from saas.usage import balances
from saas.usage.allowance_use import Use, use_of
from saas.web import usage_labels
from saas.web.portal import bp


@bp.context_processor
def _usage_helpers() -> dict[str, Any]:
    return usage_labels.helpers() | {"my_allowances": _allowances, "my_balance": _balance}


def _subscription(sub: Any) -> Subscription | None:
    return get_scoped(db.session, Subscription, sub.id)


def _allowances(sub: Any) -> list[Use]:
    found = _subscription(sub)
    return use_of(db.session, found) if found is not None else []


def _balance(sub: Any) -> balances.Balance | None:
    """The balance of the subscription's account, if the account is prepaid."""
    found = _subscription(sub)
    if found is None or not balances.is_prepaid(db.session, found.account_id):
        return None
    return balances.balance(db.session, found.account_id, entries=10)
