"""A confirm form pins a change to the price it was shown, written exactly and read back exactly."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from saas.subscriptions.charges import Line, Preview
from saas.web.change_forms import pinned
from saas.web.fields import read_exact, write_exact

PREVIEW = Preview(
    "upgrade",
    datetime(2026, 3, 20, tzinfo=UTC),
    "EUR",
    [Line("proration_charge", "base", "Monthly fee", Decimal("6.45"))],
    Decimal("20.00"),
    12,
)


def test_a_preview_is_pinned_by_its_total_next_price_and_version() -> None:
    assert pinned(PREVIEW) == {
        "expected_total": "6.45",
        "expected_next": "20.00",
        "expected_version": "12",
    }


@pytest.mark.parametrize("amount", ["6.450", "0E-8", "-1.5", "1E+3", "12345678901234.123456"])
def test_an_amount_reads_back_as_exactly_what_was_written(amount: str) -> None:
    assert read_exact(write_exact(Decimal(amount))) == Decimal(amount)


@pytest.mark.parametrize(
    "typed", ["abc", "sNaN", "Infinity", "1e999999", "6,45", "²", " 1", "1" * 40]
)
def test_anything_the_page_did_not_write_is_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        read_exact(typed)
