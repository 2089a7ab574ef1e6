"""Which billing periods a promotion discounts: the one rule every price of a subscription asks.

Cycle n is the n-th billing period from the subscription's start (n = 0 the first). A "once"
promotion covers cycle 0, a repeating one of N cycles covers cycles 0..N-1, a forever one every
cycle. The rule is kept as a date: at subscribe the subscription stores the local date its
promotion stops discounting (exclusive; the start + N intervals of the version subscribed), and
a period is covered when it starts before that date. A date, unlike a count of periods, still
answers after a plan change or a new anchor.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Protocol

from saas.catalog.periods import boundary

if TYPE_CHECKING:  # the migration that fills the column imports this module: kept light
    from saas.catalog import models as M


class Holder(Protocol):
    """What the rule reads of a subscription."""

    promotion: M.Promotion | None
    promotion_ends_on: date | None


def covered_cycles(duration: str, cycles: int | None) -> int | None:
    """How many periods a promotion discounts from the first; None: every one."""
    if duration == "once":
        return 1
    if duration == "repeating" and cycles:
        return cycles
    # Forever, and a repeating one stored without a count (refused since), never end.
    return None


def ends_on(duration: str, cycles: int | None, start: date, interval: str) -> date | None:
    """The local date a promotion taken on `start` stops discounting (exclusive); None: never."""
    count = covered_cycles(duration, cycles)
    return None if count is None else boundary(start, interval, count)


def promotion_ends_on(promotion: M.Promotion | None, start: date, interval: str) -> date | None:
    """The date a subscription taking `promotion` on `start`, on `interval`, stores."""
    if promotion is None:
        return None
    return ends_on(promotion.duration, promotion.cycles, start, interval)


def covers(ends: date | None, period_start: date) -> bool:
    """Whether a promotion ending on `ends` (None: never) discounts the period starting then."""
    return ends is None or period_start < ends


def offered(
    promotion: M.Promotion | None, ends: date | None, period_start: date
) -> M.Promotion | None:
    """The promotion if it discounts the period starting on `period_start`, else None."""
    return promotion if promotion is not None and covers(ends, period_start) else None


def discounting(sub: Holder, period_start: date) -> M.Promotion | None:
    """The subscription's promotion if it discounts the period starting on `period_start`."""
    return offered(sub.promotion, sub.promotion_ends_on, period_start)
