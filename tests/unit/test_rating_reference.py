"""The vectorised kernel against a plain, record-at-a-time reading of the same rules.

The reference below walks the tariff plan as a person would (profiles, longest prefix, the
timing by weight then latest start, each band's increments) with no index, key or bit mask:
whatever the kernel's arrays do, the prices must be the same.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import example, given, settings
from hypothesis import strategies as st

from saas.usage.rating import cgrates
from saas.usage.rating.compiled import compile_deck
from saas.usage.rating.deck import DAY, Deck, Timing, increment_cost
from saas.usage.rating.kernel import MAX_PIECES, NO_DESTINATION, NO_PROFILE, NO_TIMING, PRICED
from tests.unit.test_rating_properties import frame, records

PLAN = Path(__file__).parents[1] / "data" / "cgrates" / "spreewelle"
ZONE = "Europe/Berlin"
SPEC = cgrates.read(cgrates.files_of_directory(PLAN), ZONE)
DECK = compile_deck(SPEC)


def _profile(deck: Deck, service: str, subject: str, zone: str | None, at: datetime) -> Any:
    found = [
        (p.activates_at, i, p)
        for i, p in enumerate(deck.profiles)
        if (p.category, p.subject, p.zone) == (service, subject, zone) and p.activates_at <= at
    ]
    return max(found, key=lambda f: (f[0], f[1]))[2] if found else None


def _rows(deck: Deck, plan: str) -> list[tuple[int, Any, Any]]:
    """The plan's (order, plan row, destination rate) pairs."""
    return [
        (i, row, dr)
        for i, row in enumerate(deck.plan_rates)
        if row.plan == plan
        for dr in deck.destination_rates
        if dr.code == row.destination_rates
    ]


def _destination(deck: Deck, plan: str, number: str) -> str | None:
    held = {dr.destination for _, _, dr in _rows(deck, plan)}
    if number.isdigit():
        for length in range(min(len(number), 15), 0, -1):
            owners = sorted(d for d in held if d and number[:length] in deck.destinations[d])
            if owners:
                return owners[0]
    return "*any" if None in held else None


def _holds(t: Timing, wall: datetime) -> bool:
    second = wall.hour * 3600 + wall.minute * 60 + wall.second
    return (
        (not t.years or wall.year in t.years)
        and (not t.months or wall.month in t.months)
        and (not t.month_days or wall.day in t.month_days)
        and (not t.week_days or wall.isoweekday() % 7 in t.week_days)
        and t.starts <= second < t.ends
    )


def _band(deck: Deck, plan: str, destination: str, wall: datetime) -> Any:
    bands = []
    for i, row, dr in _rows(deck, plan):
        if (dr.destination or "*any") == destination:
            timing = deck.timings[row.timing] if row.timing else Timing("*any")
            bands.append((-row.weight, -timing.starts, i, timing, dr))
    held = [b for b in sorted(bands, key=lambda b: b[:3]) if _holds(b[3], wall)]
    return held[0][4] if held else None


def _cost(deck: Deck, dr: Any, covered: int, end: int) -> tuple[Decimal, int]:
    rate = deck.rates[dr.rate]
    method, decimals = dr.rounding or deck.rounding, dr.decimals or deck.decimals
    if dr.decimals == 0:
        decimals = 0
    slots = sorted(rate.slots, key=lambda s: s.start)
    total = Decimal(0)
    for k, slot in enumerate(slots):
        nxt = slots[k + 1].start if k + 1 < len(slots) else math.inf
        if end > covered and covered < nxt:
            n = math.ceil((min(end, nxt) - covered) / slot.increment)
            total += n * increment_cost(slot, method, decimals)
            covered += n * slot.increment
    return total, covered


def reference(deck: Deck, r: dict[str, Any]) -> tuple[int, int, int]:
    """(micros, rated usage, refusal) of one record, read from the plan directly."""
    at, usage, service = r["started_at"], r["usage"], r["service"]
    zone = "home" if not r["visited_network"] else deck.zones.get(r["visited_network"], "world")
    subject, had, plan, destination = r["subject"], False, None, None
    first = _profile(deck, service, subject, zone, at) or _profile(deck, service, subject, None, at)
    chain = [subject, *(first.fallbacks if first else ()), "*any"]
    for candidate in chain:
        for z in (zone, None):
            p = _profile(deck, service, candidate, z, at) if candidate else None
            if p is not None and destination is None:
                had = True
                destination = _destination(deck, p.plan, r["destination"])
                plan = p.plan if destination else None
        if destination:
            break
    if destination is None or plan is None:
        return 0, 0, NO_DESTINATION if had else NO_PROFILE
    wall = at.astimezone(ZoneInfo(deck.timezone))
    dr = _band(deck, plan, destination, wall)
    if dr is None:
        return 0, 0, NO_TIMING
    total, covered = deck.rates[dr.rate].connect_fee, 0
    for piece in range(MAX_PIECES):
        now = (at + timedelta(seconds=covered)).astimezone(ZoneInfo(deck.timezone))
        dr = _band(deck, plan, destination, now) if piece else dr
        if dr is None:
            return 0, 0, NO_TIMING
        end = usage
        if service == "voice" and piece < MAX_PIECES - 1:
            day = now.hour * 3600 + now.minute * 60 + now.second + now.microsecond / 1e6
            changes = sorted({t.starts for t in deck.timings.values()} | {
                t.ends for t in deck.timings.values()} | {DAY})  # fmt: skip
            upto = math.ceil(next(c for c in changes if c > day) - day)
            end = min(usage, covered + upto)
        paid, covered = _cost(deck, dr, covered, end)
        total += paid
        if covered >= usage:
            break
    return int(total.scaleb(6)), covered, PRICED


def _call(at: datetime, usage: int = 90, **fields: Any) -> dict[str, Any]:
    base = {"service": "voice", "subject": "classic", "destination": "4915112345678"}
    return base | {"started_at": at, "usage": usage, "visited_network": ""} | fields


WORKED = [
    _call(datetime(2019, 3, 11, 9, tzinfo=UTC)),  # PEAK starts later than OFFPEAK_MORNING
    _call(datetime(2019, 3, 11, 6, 59, 30, tzinfo=UTC)),  # 07:59:30 in Berlin: into PEAK
    _call(datetime(2019, 3, 11, 17, 59, 50, 500_000, tzinfo=UTC), 600),  # into the evening
    _call(datetime(2019, 12, 25, 9, tzinfo=UTC)),  # Christmas outweighs PEAK
    _call(datetime(2026, 6, 30, 21, 59, 30, tzinfo=UTC), 120),  # into the 2026 profile?
    _call(datetime(2019, 3, 11, 9, tzinfo=UTC), visited_network="20801"),  # roaming, eu
    _call(datetime(2019, 3, 11, 9, tzinfo=UTC), subject="allnet-30", destination="48501234"),
    _call(datetime(2019, 3, 11, 9, tzinfo=UTC), service="sms", usage=3),
    _call(datetime(2019, 3, 11, 9, tzinfo=UTC), service="data", usage=5 * 2**20 + 1),
    _call(datetime(2019, 3, 11, 9, tzinfo=UTC), subject=None, destination="4930123"),
]


@settings(max_examples=150, deadline=None)
@example(WORKED)
@given(st.lists(records, min_size=1, max_size=25))
def test_the_kernel_prices_as_the_plain_reading_of_the_rules(rows: list[dict[str, Any]]) -> None:
    from saas.usage.rating.kernel import price

    out = price(DECK, frame(rows))
    got = list(zip(out["retail_micros"], out["rated_usage"], out["refusal"], strict=True))
    expected = [reference(SPEC, r) for r in rows]
    for row, mine, theirs in zip(rows, got, expected, strict=True):
        want = theirs if theirs[2] == PRICED else (0, 0, theirs[2])
        assert mine == want, row


def test_the_reference_agrees_on_a_hand_worked_call() -> None:
    call = {
        "service": "voice",
        "subject": "classic",
        "destination": "48501234567",
        "started_at": datetime(2019, 3, 11, 9, tzinfo=UTC),
        "usage": 75,
        "visited_network": "",
    }
    assert reference(SPEC, call) == (453_400, 80, PRICED)
