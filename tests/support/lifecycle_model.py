"""A model of periods, promotion cycles and money kept apart from the code it checks.

The lifecycle machine (tests/integration/test_lifecycle_machine.py) compares what the
subscription services store with this: periods counted from an anchor by calendar months,
which billing periods a promotion covers, and a ledger of what each component was charged and
credited per local day.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

ZONE = "Europe/Berlin"
TICK = timedelta(microseconds=1)
# Name, kind, interval, recurring prices; every plan and add-on has its own name on the lines.
CATALOGUE = {
    "small": ("Small", "plan", "monthly", {"base": "10.00"}),
    "big": ("Big", "plan", "monthly", {"base": "19.99", "data": "5.00"}),
    "year": ("Year", "plan", "yearly", {"base": "99.00"}),
    "roam": ("Roam", "addon", "monthly", {"roam": "9.30"}),
    "cloud": ("Cloud", "addon", "yearly", {"cloud": "120.00"}),
}
PLANS = ("small", "big", "year")
ADDONS = ("roam", "cloud")
PLAN_NAMES = {CATALOGUE[key][0] for key in PLANS}
MONTHS = {"monthly": 1, "quarterly": 3, "semiannual": 6, "yearly": 12}
CENT = Decimal("0.01")
# Line kinds as the services store them.
CHARGES = ("recurring", "proration_charge")
CREDIT = "proration_credit"
DISCOUNT = "discount"


def months_on(anchor: date, months: int) -> date:
    """The anchor moved by whole months, on the anchor's day or the month's last day."""
    year, month = divmod(anchor.year * 12 + anchor.month - 1 + months, 12)
    return date(year, month + 1, min(anchor.day, calendar.monthrange(year, month + 1)[1]))


def period_of(anchor: date, interval: str, day: date) -> tuple[date, date]:
    """The period [start, end) of `interval` counted from `anchor` that holds `day`."""
    step = MONTHS[interval]
    n = max(0, ((day.year - anchor.year) * 12 + day.month - anchor.month) // step - 1)
    while months_on(anchor, step * (n + 1)) <= day:
        n += 1
    return months_on(anchor, step * n), months_on(anchor, step * (n + 1))


def local(at: datetime) -> date:
    return at.astimezone(ZoneInfo(ZONE)).date()


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(ZONE)).astimezone(UTC)


def day_of(text: str) -> date:
    """A stored line's ISO date."""
    return date.fromisoformat(text)


def cents(value: Fraction | Decimal) -> Decimal:
    """Round half up to the cent."""
    exact = Fraction(value)
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Promo:
    """A promotion as the machine took it: how much off, for how many billing periods."""

    kind: str  # percent | fixed
    value: Decimal
    duration: str  # once | repeating | forever
    cycles: int

    def ends_on(self, anchor: date, interval: str) -> date | None:
        """The first local date no period starting on is covered (None: never ends)."""
        if self.duration == "forever":
            return None
        n = 1 if self.duration == "once" else self.cycles
        return months_on(anchor, MONTHS[interval] * n)

    def off(self, base: Decimal) -> Decimal:
        """What the promotion takes off a whole period's recurring price."""
        if self.kind == "percent":
            return cents(Fraction(base) * Fraction(self.value) / 100)
        return min(self.value, base)


@dataclass
class Entry:
    """Money put on a component for the local days [start, end)."""

    start: date
    end: date
    amount: Fraction

    def over(self, start: date, end: date) -> Fraction:
        """The entry's share for the days it has in [start, end)."""
        days = (min(end, self.end) - max(start, self.start)).days
        return self.amount * days / (self.end - self.start).days if days > 0 else Fraction(0)


Key = tuple[str, str]  # the plan or add-on's name and the component's code


@dataclass
class Ledger:
    """What each component was charged and credited, day by day."""

    charged: dict[Key, list[Entry]]
    credited: dict[Key, list[Entry]]

    @classmethod
    def empty(cls) -> Ledger:
        """A ledger with nothing on it."""
        return cls(defaultdict(list), defaultdict(list))

    def book(self, lines: list[dict[str, Any]], discounted: set[str]) -> list[tuple[Key, Entry]]:
        """Put an event's lines on the ledger, discounts spread over the lines they reduce.

        Returns the credit entries booked, for the caller to check against the charges.
        """
        spans = [dict(ln) for ln in lines if ln.get("period_end") and ln.get("days")]
        for sign, kinds in ((-1, CHARGES), (1, (CREDIT,))):
            off = sum(
                (
                    Decimal(ln["amount"])
                    for ln in lines
                    if ln["kind"] == DISCOUNT and (Decimal(ln["amount"]) > 0) == (sign > 0)
                ),
                Decimal(0),
            )
            targets = [ln for ln in spans if ln["kind"] in kinds and ln["plan_name"] in discounted]
            base = sum((Decimal(ln["amount"]) for ln in targets), Decimal(0))
            for ln in targets if base else []:
                share = Fraction(off) * Fraction(Decimal(ln["amount"])) / Fraction(base)
                ln["net"] = Fraction(Decimal(ln["amount"])) + share
        credits = []
        for ln in spans:
            end = date.fromisoformat(ln["period_end"])
            net = ln.get("net", Fraction(Decimal(ln["amount"])))
            entry = Entry(end - timedelta(days=ln["days"]), end, net)
            key = (ln["plan_name"], ln["code"])
            if ln["kind"] == CREDIT:
                entry.amount = -entry.amount
                self.credited[key].append(entry)
                credits.append((key, entry))
            elif ln["kind"] in CHARGES:
                self.charged[key].append(entry)
        return credits

    def charge(self, key: Key, start: date, end: date, amount: Decimal) -> None:
        """Put a whole period's charge (a billing run's, not an event's) on the ledger."""
        self.charged[key].append(Entry(start, end, Fraction(amount)))

    def balance(self, key: Key, start: date, end: date) -> tuple[Decimal, Decimal]:
        """What the component was charged and credited for the days [start, end)."""
        charged = sum((e.over(start, end) for e in self.charged[key]), Fraction(0))
        credited = sum((e.over(start, end) for e in self.credited[key]), Fraction(0))
        return cents(charged), cents(credited)

    def lines_over(self, key: Key, start: date, end: date) -> int:
        """How many entries touch the days [start, end): each may round by a cent."""
        entries = self.charged[key] + self.credited[key]
        return sum(1 for e in entries if e.over(start, end))
