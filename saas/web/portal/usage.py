"""What is left of the subscriber's allowances this period, and their prepaid balance.

The allowances and metrics come from the catalogue in memory: a line whose plan includes no
units costs the page no statement, a postpaid one none for a balance.
"""

from __future__ import annotations

from typing import Any

from flask import g

from saas.catalog.models import PREPAID
from saas.db import db, utcnow
from saas.usage import balances
from saas.usage.allowance_use import Use, held_allowances, uses
from saas.web import usage_labels
from saas.web.catalogue import catalogue
from saas.web.portal import bp


@bp.context_processor
def _usage_helpers() -> dict[str, Any]:
    return usage_labels.helpers() | {"my_allowances": _allowances, "my_balance": _balance}


def _allowances(sub: Any) -> list[Use]:
    now = utcnow()
    held = held_allowances(sub, now)
    if not held:
        return []
    return uses(db.session, sub, g.tenant.timezone, held, catalogue().metrics, now)


def _balance(sub: Any) -> balances.Balance | None:
    """The balance of the line's account, if the line's plan is prepaid."""
    if sub.plan_version.plan.payment != PREPAID:
        return None
    return balances.balance(db.session, sub.account_id, entries=10)
