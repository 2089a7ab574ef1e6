"""What is left of the subscriber's allowances this period, and their prepaid balance.

A page of its own, linked from the plan page: the plan page's cost stays what it was. The
allowances and metrics come from the catalogue in memory; the counters are one statement.
"""

from __future__ import annotations

from typing import Any

from flask import abort, g, render_template

from saas.catalog.models import PREPAID
from saas.db import db, utcnow
from saas.usage import balances
from saas.usage.allowance_use import Use, held_allowances, uses
from saas.web import allowance_labels
from saas.web.auth import brand_only, subscriber_required
from saas.web.catalogue import catalogue
from saas.web.portal import bp
from saas.web.portal.subscriptions import _held


@bp.context_processor
def _usage_helpers() -> dict[str, Any]:
    return allowance_labels.helpers()


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
    return balances.balance(db.session, sub.account_id, entries=20)


@bp.get("/plan/<int:sub_id>/allowances")
@brand_only
@subscriber_required
def allowances_of(sub_id: int) -> Any:
    """What is left of one of the subscriber's lines' allowances, and its balance if prepaid."""
    sub = next((s for s in _held() if s.id == sub_id), None)
    if sub is None:
        abort(404)
    return render_template(
        "portal/allowances.html", sub=sub, uses=_allowances(sub), wallet=_balance(sub)
    )
