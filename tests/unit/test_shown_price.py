"""A confirm form pins a change to the price it was shown; an unreadable pin matches no price."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from saas.subscriptions.changes import Shown
from saas.subscriptions.charges import Line, Preview
from saas.web.changes import read_shown, shown_fields

PREVIEW = Preview(
    "upgrade",
    datetime(2026, 3, 20, tzinfo=UTC),
    "EUR",
    [Line("proration_charge", "base", "Monthly fee", Decimal("6.45"))],
    Decimal("20.00"),
    12,
)


def test_the_fields_a_preview_is_shown_with_read_back_as_its_price() -> None:
    assert read_shown(shown_fields(PREVIEW)) == Shown.of(PREVIEW)
    assert read_shown({"expected_total": "6.450", "expected_next": "20", "expected_version": "12"})
    assert read_shown(shown_fields(PREVIEW)) == Shown(Decimal("6.450"), Decimal(20), 12)


@pytest.mark.parametrize(
    "changed",
    [
        {"expected_total": "abc"},
        {"expected_total": "sNaN"},
        {"expected_next": "Infinity"},
        {"expected_next": ""},
        {"expected_version": "12x"},
        {"expected_version": "²"},
    ],
)
def test_an_unreadable_pin_is_no_price_at_all(changed: dict[str, str]) -> None:
    assert read_shown(shown_fields(PREVIEW) | changed) is None
