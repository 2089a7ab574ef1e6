"""The host MNO's price of each record under the brand's wholesale agreement in force."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from saas.usage import wholesale
from saas.usage.wholesale import GroupSpec, RateSpec, WholesaleError
from tests.conftest import in_brand
from tests.support.charging import T0, charge, line_for, plan, record, subscriber

MB = 1024 * 1024


def _brand_with_line(app: Any, make: Any) -> tuple[Any, Any]:
    brand = make.brand()
    made = plan(make, brand, [])
    sub = subscriber(make, brand, made.version_id)
    return brand, line_for(app, brand, sub.id)


def _agreement(app: Any, brand: Any, starts: Any, rates: list[RateSpec], **kw: Any) -> int:
    groups = kw.pop(
        "groups",
        [
            GroupSpec("de_mobile", "German mobiles", ("4915", "4916", "4917")),
            GroupSpec("de_vodafone", "Vodafone", ("49152",)),
        ],
    )
    with in_brand(app, brand.id) as session:
        made = wholesale.create_version(
            session,
            name="Host MNO",
            currency="EUR",
            valid_from=starts,
            line_fee=Decimal("0.50"),
            groups=groups,
            rates=rates,
        )
        return made.id


RATES = [
    RateSpec("voice", Decimal("0.010")),
    RateSpec("voice", Decimal("0.020"), group="de_mobile"),
    RateSpec("voice", Decimal("0.030"), group="de_vodafone"),
    RateSpec("voice", Decimal("0.150"), zone="world"),
    RateSpec("sms", Decimal("0.005")),
    RateSpec("data", Decimal("0.001")),
    RateSpec("data", Decimal("0.0025"), zone="eu"),
]


def test_a_record_is_priced_by_its_destination_group_zone_and_service(app: Any, make: Any) -> None:
    brand, line = _brand_with_line(app, make)
    agreement = _agreement(app, brand, T0 - timedelta(days=30), RATES)
    rows = [
        record(line, destination="4930123456", usage=90),  # 1.5 min x 0.01
        record(line, destination="491701234567", usage=60),  # mobile group: 0.02
        record(line, destination="491521234567", usage=60),  # longest prefix: 0.03
        record(line, destination="12125550100", usage=60, zone="world"),  # zone: 0.15
        record(line, service="sms", destination="491701234567", usage=1),  # 0.005
        record(line, service="data", destination="internet", usage=3 * MB, zone="eu"),
    ]
    out = charge(app, brand, rows)
    assert out["wholesale_agreement_id"].to_list() == [agreement] * 6
    assert out["wholesale_micros"].to_list() == [15_000, 20_000, 30_000, 150_000, 5_000, 7_500]


def test_versions_price_by_their_validity_and_none_in_force_is_counted_never_zero(
    app: Any, make: Any
) -> None:
    brand, line = _brand_with_line(app, make)
    first = _agreement(app, brand, T0, [RateSpec("voice", Decimal("0.01"))])
    second = _agreement(app, brand, T0 + timedelta(days=1), [RateSpec("voice", Decimal("0.02"))])
    rows = [
        record(line, started_at=T0 - timedelta(hours=1)),  # before any agreement
        record(line, started_at=T0 + timedelta(hours=1)),
        record(line, started_at=T0 + timedelta(days=1, hours=1)),
        record(line, started_at=T0 + timedelta(hours=2), service="sms", usage=1),  # no rate
    ]
    out = charge(app, brand, rows)
    assert out["wholesale_agreement_id"].to_list() == [None, first, second, first]
    assert out["wholesale_micros"].to_list() == [None, 10_000, 20_000, None]
    with in_brand(app, brand.id) as session:
        assert wholesale.gaps(session, date(2026, 1, 1)) == 2
        old, new = sorted(wholesale.versions(session), key=lambda v: v.number)
        assert old.valid_until == new.valid_from


def test_the_unit_rate_follows_the_brands_volume_in_the_month_so_far(app: Any, make: Any) -> None:
    brand, line = _brand_with_line(app, make)
    tiers = [
        RateSpec("voice", Decimal("0.010")),
        RateSpec("voice", Decimal("0.008"), from_volume=Decimal("3")),  # from 3 minutes on
    ]
    _agreement(app, brand, T0 - timedelta(days=30), tiers)
    first = charge(app, brand, [record(line, usage=120), record(line, usage=60)])
    second = charge(app, brand, [record(line, usage=60)])
    next_month = charge(app, brand, [record(line, usage=60, started_at=T0 + timedelta(days=30))])
    assert first["wholesale_micros"].to_list() == [20_000, 10_000]  # 0 and 2 minutes before
    assert second["wholesale_micros"].to_list() == [8_000]  # 3 minutes before: the tier
    assert next_month["wholesale_micros"].to_list() == [10_000]  # a new month starts at 0


def test_a_version_must_start_after_the_one_before_and_name_its_groups(app: Any, make: Any) -> None:
    brand, _ = _brand_with_line(app, make)
    _agreement(app, brand, T0, [RateSpec("voice", Decimal("0.01"))])
    with pytest.raises(WholesaleError) as early:
        _agreement(app, brand, T0, [RateSpec("voice", Decimal("0.01"))])
    assert early.value.code == "wholesale.starts_before_current"
    with pytest.raises(WholesaleError) as unknown:
        _agreement(
            app,
            brand,
            T0 + timedelta(days=2),
            [RateSpec("voice", Decimal("0.01"), group="nope")],
        )
    assert unknown.value.code == "wholesale.unknown_group"
