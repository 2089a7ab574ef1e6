"""Charging rated records: allowances first, then the plan's usage charge, else the deck."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from saas.usage.charging_models import AllowanceCounter, UsageChargeCounter
from tests.conftest import counted, in_brand
from tests.support.charging import T0, batch, charge, line_for, plan, record, subscriber

MINUTES = [{"metric": "voice_minutes", "quantity": "10"}]


def _one_line(app: Any, make: Any, allowances: list[dict[str, Any]], **fields: Any) -> Any:
    brand = make.brand()
    made = plan(make, brand, allowances, **fields)
    sub = subscriber(make, brand, made.version_id)
    return brand, line_for(app, brand, sub.id), made


def test_a_call_that_runs_past_the_allowance_is_split_covered_part_free(
    app: Any, make: Any
) -> None:
    brand, line, _made = _one_line(app, make, MINUTES)
    rows = [
        record(line, usage=480, retail_micros=800_000),  # 8 of the 10 minutes
        record(line, usage=300, retail_micros=500_000),  # 2 minutes left: 3 are charged
        record(line, usage=60, retail_micros=100_000),  # nothing left
    ]
    out = charge(app, brand, rows)
    assert out["allowance_used"].to_list() == [480, 120, 0]
    assert out["charged_micros"].to_list() == [0, 300_000, 100_000]
    ids = out["allowance_id"].to_list()
    assert ids[0] == ids[1] is not None and ids[2] is None
    with in_brand(app, brand.id) as session:
        counter = session.scalars(select(AllowanceCounter)).one()
        assert (counter.granted, counter.used, counter.carried) == (600, 600, 0)


def test_the_output_keeps_the_batch_order_and_columns(app: Any, make: Any) -> None:
    brand, line, _ = _one_line(app, make, MINUTES)
    rows = [record(line, started_at=T0 + timedelta(hours=h)) for h in (3, 1, 2)]
    out = charge(app, brand, rows)
    assert out["record_key"].to_list() == [r["record_key"] for r in rows]
    # Drawn in time order: the earliest call is covered first whatever its place in the batch.
    assert out["allowance_used"].to_list() == [60, 60, 60]
    from saas.usage.records import CHARGED

    assert out.columns[-len(CHARGED) :] == list(CHARGED)
    assert dict(out.schema)["charged_micros"].is_integer()


def test_an_unlimited_allowance_covers_everything_and_keeps_count(app: Any, make: Any) -> None:
    brand, line, _ = _one_line(app, make, [{"metric": "voice_minutes", "quantity": "unlimited"}])
    out = charge(app, brand, [record(line, usage=36_000, retail_micros=9_000_000)])
    assert out["charged_micros"].to_list() == [0]
    assert out["allowance_used"].to_list() == [36_000]
    with in_brand(app, brand.id) as session:
        counter = session.scalars(select(AllowanceCounter)).one()
        assert counter.granted is None and counter.used == 36_000


def test_incoming_calls_and_other_services_do_not_draw(app: Any, make: Any) -> None:
    brand, line, _ = _one_line(app, make, MINUTES)
    rows = [
        record(line, direction="in", usage=60, retail_micros=0),
        record(line, service="sms", usage=1, retail_micros=90_000),
    ]
    out = charge(app, brand, rows)
    assert out["allowance_used"].to_list() == [0, 0]
    assert out["charged_micros"].to_list() == [0, 90_000]


def test_a_roaming_record_does_not_draw_on_a_home_allowance(app: Any, make: Any) -> None:
    brand, line, _ = _one_line(app, make, [{"metric": "data_mb", "quantity": "100"}])
    mb = 1024 * 1024
    rows = [
        record(line, service="data", usage=10 * mb, zone="eu", retail_micros=50_000),
        record(line, service="data", usage=10 * mb, zone="home", retail_micros=50_000),
    ]
    out = charge(app, brand, rows)
    assert out["allowance_used"].to_list() == [0, 10 * mb]
    assert out["charged_micros"].to_list() == [50_000, 0]


def test_an_allowance_that_lists_a_zone_is_drawn_on_there_too(app: Any, make: Any) -> None:
    allowance = [{"metric": "data_mb", "quantity": "100", "zones": ["eu"]}]
    brand, line, _ = _one_line(app, make, allowance)
    mb = 1024 * 1024
    rows = [
        record(line, service="data", usage=10 * mb, zone="eu", retail_micros=50_000),
        record(line, service="data", usage=10 * mb, zone="world", retail_micros=70_000),
    ]
    out = charge(app, brand, rows)
    assert out["allowance_used"].to_list() == [10 * mb, 0]
    assert out["charged_micros"].to_list() == [0, 70_000]


def test_the_plans_usage_charge_prices_what_the_allowance_left(app: Any, make: Any) -> None:
    components = [
        {"code": "base", "name": "Fee", "kind": "recurring", "amount": "10"},
        {
            "code": "minutes",
            "name": "Minutes over",
            "kind": "usage",
            "metric": "voice_minutes",
            "charge": {"charge_model": "standard", "properties": {"amount": "0.09"}},
        },
    ]
    brand, line, _ = _one_line(app, make, MINUTES, components=components)
    rows = [
        record(line, usage=540, retail_micros=1),  # 9 minutes, covered
        record(line, usage=150, retail_micros=1),  # 1 covered, 1.5 at 0.09: 0.135
        record(line, usage=30, retail_micros=1),  # 0.5 at 0.09: 0.045
    ]
    out = charge(app, brand, rows)
    assert out["charged_micros"].to_list() == [0, 135_000, 45_000]
    with in_brand(app, brand.id) as session:
        assert session.scalars(select(UsageChargeCounter)).one().units == 120


def test_a_graduated_usage_charge_meets_its_tiers_over_the_period(app: Any, make: Any) -> None:
    ranges = [
        {"from_value": 0, "to_value": 1, "per_unit_amount": "0.10", "flat_amount": "0"},
        {"from_value": 1, "to_value": None, "per_unit_amount": "0.02", "flat_amount": "0"},
    ]
    components = [
        {
            "code": "minutes",
            "name": "Minutes",
            "kind": "usage",
            "metric": "voice_minutes",
            "charge": {"charge_model": "graduated", "properties": {"graduated_ranges": ranges}},
        }
    ]
    brand, line, _ = _one_line(app, make, [], components=components)
    first = charge(app, brand, [record(line, usage=30)])  # half a minute at 0.10
    second = charge(app, brand, [record(line, usage=90)])  # half at 0.10, one at 0.02
    assert first["charged_micros"].to_list() == [50_000]
    assert second["charged_micros"].to_list() == [70_000]


def test_a_batch_takes_a_fixed_number_of_statements(app: Any, make: Any) -> None:
    brand, line, _ = _one_line(app, make, MINUTES)
    small = [record(line) for _ in range(3)]
    large = [record(line) for _ in range(300)]
    from saas.usage.charging import charge as charge_batch

    sizes = []
    for rows in (small, large):
        with in_brand(app, brand.id) as session, counted() as statements:
            charge_batch(session, batch(rows))
            session.flush()
        sizes.append(len(statements))
    assert sizes[0] == sizes[1] and sizes[0] < 30


@pytest.mark.parametrize("empty", [True])
def test_an_empty_batch_gains_the_columns(app: Any, make: Any, empty: bool) -> None:
    brand = make.brand()
    out = charge(app, brand, [])
    assert out.height == 0 and "charged_micros" in out.columns


def test_a_record_of_no_rated_units_keeps_its_price(app: Any, make: Any) -> None:
    brand, line, _ = _one_line(app, make, MINUTES)
    out = charge(app, brand, [record(line, usage=0, rated_usage=0, retail_micros=150_000)])
    assert out["charged_micros"].to_list() == [150_000]
    assert out["allowance_used"].to_list() == [0]
