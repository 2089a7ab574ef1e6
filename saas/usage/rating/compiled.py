"""A deck version compiled into arrays the kernel reads: built once, kept per process.

Prefixes are the heart of it. A number's first 15 digits are written as one integer in base 11
(digit d as d + 1, a missing digit as 0), so every prefix covers one interval of integers and a
number shorter than a prefix falls outside it. A prefix inside another covers an interval
inside the other's, so the intervals of a rating plan are cut into disjoint segments, each
owned by the longest prefix covering it; the plan's index is written above the number. Finding
the longest matching prefix of a whole batch is then one binary search (`numpy.searchsorted`).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from threading import Lock
from typing import Any

import numpy as np

from saas.usage.rating.deck import ALWAYS, Deck, DestinationRate, Timing, increment_cost
from saas.usage.rating.models import ANY
from saas.usage.records import SERVICES

DIGITS = 15  # E.164 numbers have at most 15 digits
SPAN = 11**DIGITS
MAX_PLANS = (2**63 - 1) // SPAN - 1
TIME_BITS = 42  # milliseconds since 1970, up to the year 2109
MAX_PROFILE_KEYS = 2 ** (63 - TIME_BITS)
NO_END = np.iinfo(np.int64).max
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DENSE_ENTRIES = 4_000_000
MAX_TIMINGS = 63


class DeckTooLarge(ValueError):
    """The deck does not fit the kernel's integer keys."""


@dataclass
class CompiledDeck:
    """The arrays of one deck version; see the module's description."""

    version_id: int
    timezone: str
    subjects: dict[str, int]  # 0 is *any
    zone_ids: dict[str, int]  # 0 is "any zone"
    networks: dict[str, str]  # visited network -> zone
    profile_keys: np.ndarray  # sorted (category, subject, zone) << TIME_BITS | ms
    profile_plan: np.ndarray
    profile_fallbacks: np.ndarray  # [profiles, F] subject ids, -1 padded
    plans: list[str]
    plan_group: np.ndarray  # plans with the same destinations share segments
    destination_names: list[str]
    segment_starts: np.ndarray  # sorted group * SPAN + first number of the segment
    segment_destination: np.ndarray  # -1: no prefix covers it
    segment_prefix: np.ndarray
    entry_keys: np.ndarray  # sorted plan * destinations + destination
    entry_ids: np.ndarray
    entry_table: np.ndarray | None  # entry by plan * destinations + destination, if small
    plan_any: np.ndarray  # the plan's *any entry, or -1
    entry_bands: np.ndarray  # [entries, B] bands by precedence, -1 padded
    entry_destination: list[str]
    band_dr: np.ndarray
    band_timing: list[Timing]
    band_weight: list[Decimal]
    band_timing_id: np.ndarray
    timings: list[Timing]  # distinct; a batch checks each once
    dr_rate: list[str]
    dr_rate_id: np.ndarray
    dr_connect: np.ndarray  # micros
    dr_rounding: list[tuple[str, int]]
    slot_start: np.ndarray  # [drs, S]
    slot_next: np.ndarray
    slot_increment: np.ndarray  # 0 pads
    slot_cost: np.ndarray  # micros per increment, rounded
    prefixes: list[str]
    deck: Deck


def number_code(digits: str) -> int:
    """A string of digits as the base-11 integer of its first 15 digits."""
    code = 0
    for position in range(DIGITS):
        digit = int(digits[position]) + 1 if position < len(digits) else 0
        code = code * 11 + digit
    return code


def prefix_interval(prefix: str) -> tuple[int, int]:
    """The integers of the numbers that start with the prefix, first and last."""
    low = number_code(prefix)
    return low, low + 11 ** (DIGITS - len(prefix)) - 1


def _segments(intervals: list[tuple[int, int, int]]) -> tuple[list[int], list[int]]:
    """Cut nested intervals (low, high, owner) into segments, each of the innermost owner."""
    starts: list[int] = []
    owners: list[int] = []

    def emit(at: int, owner: int) -> None:
        if starts and starts[-1] == at:
            owners[-1] = owner  # the later (inner) owner wins the same start
        else:
            starts.append(at)
            owners.append(owner)

    stack: list[tuple[int, int]] = []
    for low, high, owner in sorted(intervals, key=lambda i: (i[0], -i[1])):
        while stack and stack[-1][0] < low:
            ended, _ = stack.pop()
            emit(ended + 1, stack[-1][1] if stack else -1)
        stack.append((high, owner))
        emit(low, owner)
    while stack:
        ended, _ = stack.pop()
        emit(ended + 1, stack[-1][1] if stack else -1)
    return starts, owners


def _micros(amount: Decimal) -> int:
    scaled = amount.scaleb(6)
    if scaled != scaled.to_integral_value():
        raise DeckTooLarge(f"{amount} has more than six decimals")
    return int(scaled)


def _dense(pairs: list[tuple[int, int]], size: int) -> np.ndarray | None:
    """A table of entries by key, when it is small enough to hold."""
    if size > DENSE_ENTRIES:
        return None
    table = np.full(max(size, 1), -1, np.int64)
    for key, entry in pairs:
        table[key] = entry
    return table


class _Builder:
    """Compile step by step; each step fills some of the arrays."""

    def __init__(self, deck: Deck) -> None:
        self.deck = deck
        self.plans = list(dict.fromkeys(deck.plans))
        self.plan_ids = {code: i for i, code in enumerate(self.plans)}
        if len(self.plans) > MAX_PLANS:
            raise DeckTooLarge(f"more than {MAX_PLANS} rating plans in one deck version")
        self.out: dict[str, Any] = {}

    def drs(self) -> dict[int, int]:
        """Destination rates as rows of slot arrays; returns id(dr) -> row."""
        deck = self.deck
        rows: list[DestinationRate] = list(deck.destination_rates)
        width = max((len(deck.rates[dr.rate].slots) for dr in rows), default=1)
        shape = (max(len(rows), 1), width)
        start = np.zeros(shape, np.int64)
        nxt = np.full(shape, NO_END, np.int64)
        inc = np.zeros(shape, np.int64)
        cost = np.zeros(shape, np.int64)
        rounding = []
        for i, dr in enumerate(rows):
            method = dr.rounding or deck.rounding
            decimals = deck.decimals if dr.decimals is None else dr.decimals
            rounding.append((method, decimals))
            slots = sorted(deck.rates[dr.rate].slots, key=lambda s: s.start)
            for j, slot in enumerate(slots):
                start[i, j], inc[i, j] = slot.start, slot.increment
                cost[i, j] = _micros(increment_cost(slot, method, decimals))
                if j + 1 < len(slots):
                    nxt[i, j] = slots[j + 1].start
        self.out |= {
            "dr_rate": [dr.rate for dr in rows],
            "dr_rate_id": np.array([deck.rates[dr.rate].id for dr in rows] or [0], np.int64),
            "dr_connect": np.array(
                [_micros(deck.rates[dr.rate].connect_fee) for dr in rows] or [0], np.int64
            ),
            "dr_rounding": rounding,
            # Kept column by column (Fortran order): the kernel reads one slot at a time.
            "slot_start": np.asfortranarray(start),
            "slot_next": np.asfortranarray(nxt),
            "slot_increment": np.asfortranarray(inc),
            "slot_cost": np.asfortranarray(cost),
        }
        return {id(dr): i for i, dr in enumerate(rows)}

    def entries(self, dr_rows: dict[int, int]) -> dict[tuple[int, str], int]:
        """(plan, destination) pairs with their bands by precedence; returns pair -> entry."""
        deck = self.deck
        by_code: dict[str, list[DestinationRate]] = {}
        for dr in deck.destination_rates:
            by_code.setdefault(dr.code, []).append(dr)
        bands: dict[tuple[int, str], list[tuple[Decimal, int, int]]] = {}
        band_rows: list[tuple[int, Timing, Decimal]] = []
        for row in deck.plan_rates:
            timing = ALWAYS if row.timing in (None, ANY) else deck.timings[str(row.timing)]
            for dr in by_code.get(row.destination_rates, []):
                key = (self.plan_ids[row.plan], dr.destination or ANY)
                band = len(band_rows)
                band_rows.append((dr_rows[id(dr)], timing, row.weight))
                bands.setdefault(key, []).append((row.weight, timing.starts, band))
        keys = sorted(bands)
        depth = max((len(b) for b in bands.values()), default=1)
        table = np.full((max(len(keys), 1), depth), -1, np.int64)
        for i, key in enumerate(keys):
            # Higher weight wins, then the timing that starts latest (CGRateS's order).
            ordered = sorted(bands[key], key=lambda b: (-b[0], -b[1], b[2]))
            table[i, : len(ordered)] = [b[2] for b in ordered]
        self._bands(band_rows)
        self.out |= {"entry_bands": table, "entry_destination": [k[1] for k in keys]}
        return {key: i for i, key in enumerate(keys)}

    def _bands(self, rows: list[tuple[int, Timing, Decimal]]) -> None:
        timings = list(dict.fromkeys(t for _, t, _ in rows))
        if len(timings) > MAX_TIMINGS:
            raise DeckTooLarge(f"more than {MAX_TIMINGS} timings in one deck version")
        ids = {t: i for i, t in enumerate(timings)}
        self.out |= {
            "band_dr": np.array([r[0] for r in rows] or [0], np.int64),
            "band_timing": [t for _, t, _ in rows] or [ALWAYS],
            "band_weight": [r[2] for r in rows] or [Decimal(0)],
            "band_timing_id": np.array([ids[t] for _, t, _ in rows] or [0], np.int64),
            "timings": timings,
        }

    def prefixes(self, entries: dict[tuple[int, str], int]) -> None:
        """The segments of each set of destinations plans share, and each plan's *any entry.

        Plans with the same destinations share one set of segments: a segment names the
        destination of its longest prefix, and (plan, destination) names the entry.
        """
        deck = self.deck
        held: dict[int, set[str]] = {p: set() for p in range(len(self.plans))}
        for plan, destination in entries:
            if destination != ANY:
                held[plan].add(destination)
        groups: dict[frozenset[str], int] = {}
        plan_group = [groups.setdefault(frozenset(held[p]), len(groups)) for p in held]
        if len(groups) > MAX_PLANS:
            raise DeckTooLarge(f"more than {MAX_PLANS} sets of destinations in one deck version")
        names = sorted({d for ds in groups for d in ds})
        dest_ids = {d: i for i, d in enumerate(names)}
        owners: dict[tuple[int, str], str] = {}
        for destinations, group in groups.items():
            for destination in sorted(destinations):
                for prefix in deck.destinations.get(destination, ()):
                    owners.setdefault((group, prefix), destination)
        prefixes = sorted({prefix for _, prefix in owners})
        prefix_ids = {p: i for i, p in enumerate(prefixes)}
        ordered = sorted(owners.items())
        intervals = []
        for i, ((group, prefix), _owner) in enumerate(ordered):
            low, high = prefix_interval(prefix)
            intervals.append((group * SPAN + low, group * SPAN + high, i))
        starts, found = _segments(intervals)
        pairs = sorted(
            (p * len(names) + dest_ids[d], e) for (p, d), e in entries.items() if d != ANY
        )
        self.out |= {
            "plan_group": np.array(plan_group or [0], np.int64),
            "destination_names": names,
            "segment_starts": np.array(starts, np.int64),
            "segment_destination": np.array(
                [dest_ids[ordered[o][1]] if o >= 0 else -1 for o in found], np.int64
            ),
            "segment_prefix": np.array(
                [prefix_ids[ordered[o][0][1]] if o >= 0 else -1 for o in found], np.int64
            ),
            "entry_keys": np.array([k for k, _ in pairs], np.int64),
            "entry_ids": np.array([e for _, e in pairs], np.int64),
            "entry_table": _dense(pairs, len(self.plans) * len(names)),
            "plan_any": np.array(
                [entries.get((p, ANY), -1) for p in range(len(self.plans))] or [-1], np.int64
            ),
            "prefixes": prefixes,
        }

    def profiles(self) -> None:
        """Profiles as sorted keys of (category, subject, zone) and activation."""
        deck = self.deck
        names = [ANY, *sorted({p.subject for p in deck.profiles} - {ANY})]
        subjects = {name: i for i, name in enumerate(names)}
        zone_names = sorted({p.zone for p in deck.profiles if p.zone})
        zone_ids = {name: i + 1 for i, name in enumerate(zone_names)}
        width = len(subjects) * (len(zone_ids) + 1) * len(SERVICES)
        if width >= MAX_PROFILE_KEYS:
            raise DeckTooLarge("too many subjects and zones in one deck version")
        fallbacks = max((len(p.fallbacks) for p in deck.profiles), default=0)
        rows = []
        for p in deck.profiles:
            key = self.profile_key(subjects, zone_ids, p.category, p.subject, p.zone)
            ms = _epoch_ms(p.activates_at)
            chain = [subjects.get(s, -1) for s in p.fallbacks]
            rows.append((key << TIME_BITS | ms, self.plan_ids[p.plan], chain))
        rows.sort(key=lambda r: r[0])
        chains = np.full((max(len(rows), 1), max(fallbacks, 1)), -1, np.int32)
        for i, (_, _, chain) in enumerate(rows):
            chains[i, : len(chain)] = chain
        self.out |= {
            "subjects": subjects,
            "zone_ids": zone_ids,
            "profile_keys": np.array([r[0] for r in rows], np.int64),
            "profile_plan": np.array([r[1] for r in rows] or [0], np.int32),
            "profile_fallbacks": chains,
        }

    @staticmethod
    def profile_key(
        subjects: dict[str, int], zones: dict[str, int], category: str, subject: str, zone: Any
    ) -> int:
        width = (len(zones) + 1) * len(subjects)
        zone_id = zones[zone] if zone else 0
        return SERVICES.index(category) * width + subjects[subject] * (len(zones) + 1) + zone_id


def _epoch_ms(at: datetime) -> int:
    """Milliseconds since 1970, rounded up: a profile is in force from its next millisecond."""
    micros = (at - EPOCH) // timedelta(microseconds=1)
    return -(-micros // 1000)


def compile_deck(deck: Deck) -> CompiledDeck:
    """Compile a deck version for the kernel."""
    builder = _Builder(deck)
    entries = builder.entries(builder.drs())
    builder.prefixes(entries)
    builder.profiles()
    return CompiledDeck(
        version_id=deck.version_id,
        timezone=deck.timezone,
        networks=dict(deck.zones),
        plans=builder.plans,
        deck=deck,
        **builder.out,
    )


class DeckCache:
    """Compiled decks kept per process, by (tenant, version id, last change); a few at most."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._decks: OrderedDict[tuple[Any, ...], CompiledDeck] = OrderedDict()
        self._lock = Lock()

    def get(self, key: tuple[Any, ...]) -> CompiledDeck | None:
        with self._lock:
            found = self._decks.get(key)
            if found is not None:
                self._decks.move_to_end(key)
            return found

    def put(self, key: tuple[Any, ...], deck: CompiledDeck) -> None:
        with self._lock:
            # A version changed since: its older compilation is dropped at once.
            for old in [k for k in self._decks if k[:2] == key[:2]]:
                del self._decks[old]
            self._decks[key] = deck
            while len(self._decks) > self.size:
                self._decks.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._decks.clear()


CACHE = DeckCache()
