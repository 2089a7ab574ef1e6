"""Catalogue input that its columns cannot hold is refused by name, never rounded or cut."""

from __future__ import annotations

import pytest

from saas.catalog.specs import CatalogError, ComponentSpec, PlanSpec, PromotionSpec

PROMO = {"code": "spring", "name": "Spring", "kind": "fixed", "currency": "EUR", "value": "2"}


def fee(amount: str) -> dict[str, str]:
    return {"code": "base", "kind": "recurring", "amount": amount}


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        ("0.00000000001", "more than 10 decimal places"),
        ("1" + "0" * 18, "at most 18 digits before the point"),
        ("1E+40", "at most 18 digits before the point"),
    ],
)
def test_an_amount_the_column_cannot_hold_exactly_is_refused(amount: str, reason: str) -> None:
    with pytest.raises(CatalogError, match=reason):
        ComponentSpec.parse(fee(amount))


def test_amounts_within_the_column_keep_every_digit() -> None:
    assert str(ComponentSpec.parse(fee("999999999999999999.0000000001")).amount) == (
        "999999999999999999.0000000001"
    )
    assert (
        ComponentSpec.parse(fee("1.50000000000000")).amount
        == ComponentSpec.parse(fee("1.5")).amount
    )


def test_names_longer_than_their_column_are_refused() -> None:
    with pytest.raises(CatalogError, match="name must have at most 200 characters"):
        PlanSpec.parse({"code": "p", "name": "x" * 201, "product": "m"}, "EUR")
    with pytest.raises(CatalogError, match="name must have at most 200 characters"):
        ComponentSpec.parse(fee("1") | {"name": "x" * 201})
    with pytest.raises(CatalogError, match="promo code must have at most 64") as refused:
        PromotionSpec.parse(PROMO | {"promo_code": "X" * 65})
    assert (refused.value.code, refused.value.field) == ("catalog.too_long", "promo_code")


@pytest.mark.parametrize("field", ["cycles", "max_redemptions"])
def test_counts_past_the_integer_column_are_refused(field: str) -> None:
    with pytest.raises(CatalogError, match="must be from 1 to 2147483647") as refused:
        PromotionSpec.parse(PROMO | {"duration": "repeating", "cycles": 3, field: 2**31})
    assert (refused.value.code, refused.value.field) == ("catalog.count_range", field)
