"""Allowances across lines, periods and workers: shared pools, rollover, add-ons, locks, RLS."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from saas.subscriptions import services as subs
from saas.usage.charging_models import AllowanceCounter
from tests.conftest import in_brand
from tests.support.charging import T0, batch, charge, line_for, plan, record, subscriber

pytestmark = pytest.mark.postgres


def test_a_shared_allowance_is_one_pool_for_the_accounts_lines(app: Any, make: Any) -> None:
    brand = make.brand()
    made = plan(make, brand, [{"metric": "voice_minutes", "quantity": "2", "shared": True}])
    erika = make.user(brand, "subscriber", full_name="Erika Firma")
    otto = make.user(brand, "subscriber", full_name="Otto Firma")
    with in_brand(app, brand.id) as session:
        from saas.catalog.models import PlanVersion
        from saas.identity.models import User

        version = session.get(PlanVersion, made.version_id)
        account = subs.company_account(session, "Acme GmbH", session.get(User, erika.id))
        at = T0 - timedelta(days=2)
        first = subs.subscribe(session, session.get(User, erika.id), version, at, account=account)
        second = subs.subscribe(session, session.get(User, otto.id), version, at, account=account)
        ids = first.id, second.id
    one, two = (line_for(app, brand, i) for i in ids)
    # Two lines: 4 minutes between them, drawn in time order whichever line calls.
    out = charge(app, brand, [record(one, usage=180), record(two, usage=120), record(one)])
    assert out["allowance_used"].to_list() == [180, 60, 0]
    with in_brand(app, brand.id) as session:
        counter = session.scalars(select(AllowanceCounter)).one()
        assert (counter.holder, counter.granted, counter.lines) == ("account", 240, 2)


def test_unused_units_roll_over_into_the_next_period_only(app: Any, make: Any) -> None:
    brand = make.brand()
    made = plan(make, brand, [{"metric": "voice_minutes", "quantity": "10", "rollover": True}])
    sub = subscriber(make, brand, made.version_id)
    line = line_for(app, brand, sub.id)
    charge(app, brand, [record(line, usage=240)])  # November: 4 of 10 minutes
    december = T0 + timedelta(days=30)
    out = charge(app, brand, [record(line, usage=16 * 60 + 60, started_at=december)])
    assert out["allowance_used"].to_list() == [16 * 60]  # 10 + the 6 carried
    # December used everything: January starts with its own 10 minutes only.
    january = T0 + timedelta(days=61)
    out = charge(app, brand, [record(line, usage=11 * 60, started_at=january)])
    assert out["allowance_used"].to_list() == [600]
    with in_brand(app, brand.id) as session:
        carried = [c.carried for c in session.scalars(select(AllowanceCounter).order_by("id"))]
        assert carried == [0, 360, 0]


def test_a_period_without_usage_carries_its_whole_quantity_but_no_further(
    app: Any, make: Any
) -> None:
    brand = make.brand()
    made = plan(make, brand, [{"metric": "voice_minutes", "quantity": "10", "rollover": True}])
    sub = subscriber(make, brand, made.version_id)
    line = line_for(app, brand, sub.id)
    out = charge(app, brand, [record(line, usage=30 * 60, started_at=T0 + timedelta(days=61))])
    assert out["allowance_used"].to_list() == [20 * 60]


def test_an_add_on_allowance_is_drawn_on_after_the_plans(app: Any, make: Any) -> None:
    brand = make.brand()
    made = plan(make, brand, [{"metric": "voice_minutes", "quantity": "1"}])
    extra = plan(make, brand, [{"metric": "voice_minutes", "quantity": "2"}], kind="addon")
    sub = subscriber(make, brand, made.version_id)
    with in_brand(app, brand.id) as session:
        from saas.subscriptions.models import Subscription, SubscriptionAddOn

        session.add(
            SubscriptionAddOn(
                subscription=session.get(Subscription, sub.id),
                addon_version_id=extra.version_id,
                started_at=T0,
            )
        )
    line = line_for(app, brand, sub.id)
    out = charge(
        app,
        brand,
        [
            record(line, usage=60, started_at=T0 - timedelta(hours=1)),  # before the add-on
            record(line, usage=60, started_at=T0 - timedelta(minutes=30)),  # nothing left
            record(line, usage=180),  # 2 minutes of the add-on, 1 charged
        ],
    )
    assert out["allowance_used"].to_list() == [60, 0, 120]
    assert out["charged_micros"].to_list() == [0, 100_000, 33_333]


def test_two_workers_charging_one_subscription_at_once_never_over_draw(app: Any, make: Any) -> None:
    from saas.usage.charging import charge as charge_batch

    brand = make.brand()
    made = plan(make, brand, [{"metric": "voice_minutes", "quantity": "10"}])
    sub = subscriber(make, brand, made.version_id)
    line = line_for(app, brand, sub.id)
    batches = [batch([record(line, usage=60) for _ in range(8)]) for _ in range(2)]
    start, results, errors = threading.Barrier(2), [], []

    def work(rows: pl.DataFrame) -> None:
        try:
            start.wait()
            with in_brand(app, brand.id) as session:
                results.append(charge_batch(session, rows))
        except Exception as exc:  # seen by the test below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(b,)) for b in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    covered = sum(int(r["allowance_used"].sum()) for r in results)
    charged = sum(int(r["charged_micros"].sum()) for r in results)
    assert covered == 600 and charged == 6 * 100_000
    with in_brand(app, brand.id) as session:
        assert session.scalars(select(AllowanceCounter)).one().used == 600


def test_a_brand_sees_only_its_own_counters_and_balances(
    app: Any, make: Any, runtime_engine: Any
) -> None:
    brand = make.brand()
    other = make.brand()
    made = plan(make, brand, [{"metric": "voice_minutes", "quantity": "10"}])
    sub = subscriber(make, brand, made.version_id)
    charge(app, brand, [record(line_for(app, brand, sub.id))])
    for table in ("allowance_counters", "wholesale_volumes"):
        for tenant, seen in ((brand.id, 1), (other.id, 0)):
            with runtime_engine.begin() as conn:
                conn.execute(
                    text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant)}
                )
                count = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()
                assert count == seen, (table, tenant)


# Batching


SERVICES = st.sampled_from([("voice", "home"), ("voice", "eu"), ("sms", "home"), ("data", "home")])
RECORDS = st.lists(
    st.tuples(SERVICES, st.integers(0, 900), st.integers(0, 500_000)), min_size=1, max_size=25
)


@pytest.fixture(scope="module")
def pricing_brand(app: Any) -> Any:
    from tests.conftest import Factory

    make = Factory(app)
    brand = make.brand()
    components = [
        {
            "code": "minutes",
            "name": "Minutes over",
            "kind": "usage",
            "metric": "voice_minutes",
            "charge": {
                "charge_model": "graduated",
                "properties": {
                    "graduated_ranges": [
                        {
                            "from_value": 0,
                            "to_value": 5,
                            "per_unit_amount": "0.09",
                            "flat_amount": "0",
                        },
                        {
                            "from_value": 5,
                            "to_value": None,
                            "per_unit_amount": "0.01",
                            "flat_amount": "0.5",
                        },
                    ]
                },
            },
        }
    ]
    allowances = [
        {"metric": "voice_minutes", "quantity": "7"},
        {"metric": "sms", "quantity": "3"},
        {"metric": "data_mb", "quantity": "0.5"},
    ]
    made = plan(make, brand, allowances, components=components)
    return brand, made, make


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(records=RECORDS, cuts=st.lists(st.integers(1, 24), max_size=4))
def test_what_a_subscription_is_charged_never_depends_on_how_its_records_are_batched(
    app: Any, pricing_brand: Any, records: list[Any], cuts: list[int]
) -> None:
    brand, made, make = pricing_brand
    whole, split = (
        line_for(app, brand, subscriber(make, brand, made.version_id).id) for _ in range(2)
    )

    def rows(line: Any) -> list[dict[str, Any]]:
        return [
            record(
                line,
                record_key=f"k{i:03d}",
                service=service,
                zone=zone,
                usage=usage if service != "sms" else 1,
                rated_usage=usage * (1 if service != "data" else 997) if service != "sms" else 1,
                retail_micros=price,
                started_at=T0 + timedelta(minutes=i),
            )
            for i, ((service, zone), usage, price) in enumerate(records)
        ]

    one = charge(app, brand, rows(whole))
    bounds = sorted({c for c in cuts if c < len(records)})
    parts = [rows(split)[a:b] for a, b in zip([0, *bounds], [*bounds, len(records)], strict=True)]
    pieces = pl.concat([charge(app, brand, part) for part in parts])
    assert pieces["charged_micros"].to_list() == one["charged_micros"].to_list()
    assert pieces["allowance_used"].to_list() == one["allowance_used"].to_list()
    assert sum(one["charged_micros"].to_list()) == sum(pieces["charged_micros"].to_list())
    assert Decimal(0) <= Decimal(int(one["allowance_used"].sum()))
