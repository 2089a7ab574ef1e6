"""Prepaid balances: charged usage draws on them; dry, the line is barred; a top-up restores it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from saas.notifications.models import OutboundEmail
from saas.subscriptions.models import Subscription
from saas.usage import balances
from saas.usage.balances import BalanceError
from tests.conftest import JOIN_MS, in_brand
from tests.support.charging import charge, line_for, line_state, live_line, plan, record, subscriber
from tests.support.provisioning import run_jobs
from workers.broker import broker
from workers.notifications import deliver_email


def _prepaid(app: Any, make: Any, live: bool = False) -> tuple[Any, Any, int]:
    brand = make.brand()
    made = plan(make, brand, [{"metric": "voice_minutes", "quantity": "1"}], payment="prepaid")
    sub = subscriber(make, brand, made.version_id)
    line = (live_line if live else line_for)(app, brand, sub.id)
    with in_brand(app, brand.id) as session:
        account_id = session.get(Subscription, sub.id).account_id
    return brand, line, account_id


def _balance(app: Any, brand: Any, account_id: int) -> Any:
    with in_brand(app, brand.id) as session:
        found = balances.balance(session, account_id)
        return found.balance, found.barred, [(e.kind, e.amount) for e in found.entries]


def test_charged_prepaid_usage_draws_on_the_balance_covered_usage_does_not(
    app: Any, make: Any
) -> None:
    brand, line, account_id = _prepaid(app, make)
    with in_brand(app, brand.id) as session:
        balances.top_up(session, account_id, Decimal("5.00"), "Welcome credit")
    charge(app, brand, [record(line, usage=60, retail_micros=100_000)])  # covered
    charge(app, brand, [record(line, usage=120, retail_micros=250_000)] * 1)
    balance, barred, entries = _balance(app, brand, account_id)
    assert balance == Decimal("4.75") and not barred
    assert entries == [("usage", Decimal("-0.25")), ("top_up", Decimal("5.00"))]


def test_a_top_up_must_be_positive_in_the_currency_with_a_reason(app: Any, make: Any) -> None:
    brand, _line, account_id = _prepaid(app, make)
    with in_brand(app, brand.id) as session:
        for amount, reason, code in [
            (Decimal("0"), "x", "prepaid.amount_not_positive"),
            (Decimal("1.001"), "x", "prepaid.amount_too_precise"),
            (Decimal("5"), "  ", "prepaid.reason_required"),
        ]:
            with pytest.raises(BalanceError) as refused:
                balances.top_up(session, account_id, amount, reason)
            assert refused.value.code == code


def test_a_postpaid_account_has_no_balance_to_top_up(app: Any, make: Any) -> None:
    brand = make.brand()
    made = plan(make, brand, [])
    sub = subscriber(make, brand, made.version_id)
    with in_brand(app, brand.id) as session:
        account_id = session.get(Subscription, sub.id).account_id
        with pytest.raises(BalanceError) as refused:
            balances.top_up(session, account_id, Decimal("5"), "Goodwill")
        assert refused.value.code == "prepaid.not_prepaid"


def test_a_line_that_runs_dry_is_barred_at_the_network_and_a_top_up_restores_it(
    app: Any, make: Any, mno: Any, worker: Any, smtp: Any
) -> None:
    brand, line, account_id = _prepaid(app, make, live=True)
    run_jobs()
    assert line_state(app, brand, line.id) == "active"
    with in_brand(app, brand.id) as session:
        balances.top_up(session, account_id, Decimal("1.00"), "Welcome credit")
    out = charge(app, brand, [record(line, usage=600, retail_micros=2_000_000)])
    assert out["charged_micros"].to_list() == [1_800_000]  # 9 of the 10 minutes charged
    run_jobs()
    assert line_state(app, brand, line.id) == "suspended"
    assert mno.lines()[f"+{line.msisdn}"]["state"] == "suspended"
    balance, barred, _ = _balance(app, brand, account_id)
    assert balance == Decimal("-0.80") and barred
    broker.join(deliver_email.queue_name, fail_fast=True, timeout=JOIN_MS)
    worker.join()
    (mail,) = [m for m in smtp.mails() if m["Subject"] == "Your balance is used up"]
    body = mail.get_body(("plain",)).get_content()
    assert "Your prepaid balance is used up (-€0.80), so your line is barred for now." in body
    # Still dry after more usage: no second bar, no second mail.
    charge(app, brand, [record(line, usage=60, retail_micros=100_000)])
    with in_brand(app, brand.id) as session:
        balances.top_up(session, account_id, Decimal("0.50"), "Not enough yet")
    run_jobs()
    assert line_state(app, brand, line.id) == "suspended"
    with in_brand(app, brand.id) as session:
        balances.top_up(session, account_id, Decimal("10.00"), "Paid at the shop")
    run_jobs()
    assert line_state(app, brand, line.id) == "active"
    assert mno.lines()[f"+{line.msisdn}"]["state"] == "active"
    balance, barred, _ = _balance(app, brand, account_id)
    assert balance == Decimal("9.60") and not barred
    with in_brand(app, brand.id) as session:
        mails = session.scalars(select(OutboundEmail).filter_by(template="prepaid_empty")).all()
        assert len(mails) == 1
