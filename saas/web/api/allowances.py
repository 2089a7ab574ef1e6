"""API endpoints of allowance use and prepaid balances: parse, call one service, answer."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from werkzeug.exceptions import NotFound

from saas.customers.models import Account
from saas.db import db
from saas.subscriptions.models import Subscription
from saas.usage import balances
from saas.usage.allowance_use import use_of
from saas.usage.balances import BalanceError
from saas.web.api.contract import route
from saas.web.api.models import allowances as models
from saas.web.api.problems import invalid

READ, WRITE = "usage.read", "prepaid.write"


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


@route("GET /subscriptions/<int:subscription_id>/allowances", READ, models.AllowanceUseList)
def list_allowance_use(subscription: Subscription) -> Any:
    """What is left of each allowance of the subscription this period."""
    return {
        "data": [
            {
                "allowance_id": u.allowance_id,
                "metric": u.metric_code,
                "unit": u.unit,
                "period_start": u.period.start,
                "period_end": u.period.end,
                "total": _text(u.total),
                "used": _text(u.used),
                "left": _text(u.left),
                "carried": _text(u.carried),
                "shared": u.shared,
                "addon": u.addon,
            }
            for u in use_of(db.session, subscription)
        ]
    }


def _balance(account: Account) -> dict[str, Any]:
    if not balances.is_prepaid(db.session, account.id):
        raise NotFound(f"Account {account.id} has no prepaid plan, so no balance.")
    found = balances.balance(db.session, account.id, entries=50)
    return {
        "account_id": account.id,
        "currency": found.currency,
        "balance": _text(found.balance),
        "barred": found.barred,
        "entries": [
            {
                "id": e.id,
                "kind": e.kind,
                "amount": _text(e.amount),
                "balance_after": _text(e.balance_after),
                "records": e.records,
                "reason": e.reason,
                "at": e.at,
            }
            for e in found.entries
        ],
    }


@route("GET /accounts/<int:account_id>/balance", READ, models.Balance)
def get_balance(account: Account) -> Any:
    """A prepaid account's balance and its latest top-ups and usage; 404 for a postpaid one."""
    return _balance(account)


@route("POST /accounts/<int:account_id>/top-ups", WRITE, models.Balance)
def top_up(account: Account, body: models.TopUp) -> Any:
    """Credit a prepaid balance (a staff credit); lines its empty balance barred are restored.

    Answers the balance after the top-up. An account with no prepaid plan is a conflict.
    """
    try:
        amount = Decimal(str(body.amount))
    except InvalidOperation:
        raise invalid(BalanceError("prepaid.amount_not_positive", field="amount")) from None
    try:
        balances.top_up(db.session, account.id, amount, body.reason)
    except BalanceError as exc:
        if exc.field in ("amount", "reason"):
            raise invalid(exc) from None
        raise
    return _balance(account)
