"""Promotion validity times: aware, the same instant in UTC, refused at the calendar's edge."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from saas.catalog.specs import CatalogError, PromotionSpec

BASE = {"code": "spring", "name": "Spring", "kind": "percent", "value": "10"}


def test_validity_times_are_the_same_instant_in_utc() -> None:
    spec = PromotionSpec.parse(BASE | {"valid_until": "2027-01-01T00:00:00+01:00"})
    assert spec.valid_until == datetime(2026, 12, 31, 23, 0, tzinfo=UTC)
    assert spec.valid_until.tzinfo is UTC


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"])
def test_a_time_without_a_utc_equivalent_is_refused_by_name(moment: str) -> None:
    with pytest.raises(CatalogError, match=r"valid until .* outside the calendar") as refused:
        PromotionSpec.parse(BASE | {"valid_until": moment})
    assert (refused.value.code, refused.value.field) == ("catalog.outside_calendar", "valid_until")
    assert str(refused.value).startswith('promotion "spring": ')


def test_a_time_without_an_offset_is_refused() -> None:
    with pytest.raises(CatalogError, match="time zone offset"):
        PromotionSpec.parse(BASE | {"valid_from": "2027-01-01T00:00:00"})
