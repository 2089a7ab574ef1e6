"""The promotion-cycle rule: which billing periods a promotion discounts, kept as a date."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from saas.subscriptions import cycles


@pytest.mark.parametrize(
    ("duration", "count", "start", "interval", "ends"),
    [
        ("once", None, date(2026, 1, 10), "monthly", date(2026, 2, 10)),
        ("once", 5, date(2026, 1, 10), "yearly", date(2027, 1, 10)),  # cycles ignored for once
        ("repeating", 3, date(2026, 1, 10), "monthly", date(2026, 4, 10)),
        ("repeating", 1, date(2026, 1, 31), "monthly", date(2026, 2, 28)),  # short month clamps
        ("repeating", 2, date(2026, 1, 31), "monthly", date(2026, 3, 31)),  # and does not drift
        ("repeating", 2, date(2026, 1, 10), "weekly", date(2026, 1, 24)),
        ("repeating", 2, date(2026, 1, 10), "quarterly", date(2026, 7, 10)),
        ("forever", None, date(2026, 1, 10), "monthly", None),
        ("repeating", None, date(2026, 1, 10), "monthly", None),  # stored without a count
    ],
)
def test_a_promotion_ends_after_the_cycles_it_covers(
    duration, count, start, interval, ends
) -> None:  # type: ignore[no-untyped-def]
    assert cycles.ends_on(duration, count, start, interval) == ends


def test_a_period_is_covered_when_it_starts_before_the_end() -> None:
    ends = date(2026, 4, 10)
    assert cycles.covers(ends, date(2026, 1, 10))  # cycle 0
    assert cycles.covers(ends, date(2026, 3, 10))  # cycle 2, the last
    assert not cycles.covers(ends, date(2026, 4, 10))  # cycle 3
    assert not cycles.covers(ends, date(2026, 6, 10))
    assert cycles.covers(None, date(2099, 1, 1))


def test_a_subscription_is_discounted_only_in_covered_periods() -> None:
    promotion = SimpleNamespace(duration="repeating", cycles=3)
    held = SimpleNamespace(promotion=promotion, promotion_ends_on=date(2026, 4, 10))
    assert cycles.discounting(held, date(2026, 3, 10)) is promotion  # type: ignore[arg-type]
    assert cycles.discounting(held, date(2026, 6, 10)) is None  # type: ignore[arg-type]
    bare = SimpleNamespace(promotion=None, promotion_ends_on=None)
    assert cycles.discounting(bare, date(2026, 1, 10)) is None  # type: ignore[arg-type]
    assert cycles.promotion_ends_on(None, date(2026, 1, 10), "monthly") is None
    assert cycles.promotion_ends_on(promotion, date(2026, 1, 10), "monthly") == date(2026, 4, 10)  # type: ignore[arg-type]
