"""The rating kernel: a compiled deck and a batch in, each record's price out; no database.

Every step works on whole columns (Polars and NumPy), never on one record at a time:
subject, zone and time are read as integers, the rating profile is found by one binary
search over (category, subject, zone, activation), the longest prefix by another, the
timing by a pass per band of precedence, the cost by a pass per rate slot.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from saas.usage.rating.compiled import DIGITS, SPAN, TIME_BITS, CompiledDeck
from saas.usage.rating.deck import DAY, Timing
from saas.usage.rating.models import ANY, HOME
from saas.usage.records import SERVICES

# What the kernel found for each record; `refusal` 0 means priced.
PRICED, NO_DESTINATION, NO_TIMING, NO_PROFILE = 0, 1, 2, 3
WORLD = "world"  # the zone of a visited network the deck does not list
_CHUNK = 10_000  # numbers are converted four digits at a time
MAX_PIECES = 6  # a call may run through this many bands; the last goes on to its end
_BASE11 = np.array([int(str(n).zfill(4), 11) if n else 0 for n in range(_CHUNK)], np.int64)
_POW10 = np.array([10**k for k in range(19)], np.int64)
# The base-11 code of "k digits, all 0": each present digit is written as digit + 1.
_ONES = np.array([sum(11 ** (DIGITS - 1 - i) for i in range(k)) for k in range(DIGITS + 1)])
_TAIL = np.array([11 ** (DIGITS - k) for k in range(DIGITS + 1)], np.int64)


def number_codes(destination: pl.Series) -> np.ndarray:
    """Each destination's first 15 digits as a base-11 integer; -1 where not digits."""
    head = destination.fill_null("").str.slice(0, DIGITS)
    parsed = head.cast(pl.UInt64, strict=False)  # null unless digits (or a leading "+")
    digits = parsed.is_not_null() & ~head.str.starts_with("+")
    value = parsed.fill_null(0).to_numpy().astype(np.int64)
    length = head.str.len_bytes().to_numpy().astype(np.int64)
    spread = np.zeros(len(value), np.int64)  # the digits read as base 11
    scale = 1
    for _ in range(4):
        spread += _BASE11[value % _CHUNK] * scale
        value //= _CHUNK
        scale *= 11**4
    codes = spread * _TAIL[length] + _ONES[length]
    return np.where(digits.fill_null(False).to_numpy(), codes, -1)


def _ids(values: pl.Series, mapping: dict[str, int]) -> np.ndarray:
    found = values.cast(pl.String).replace_strict(mapping, default=-1, return_dtype=pl.Int64)
    return found.fill_null(-1).to_numpy().astype(np.int64)


def zones_of(deck: CompiledDeck, visited: pl.Series) -> pl.Series:
    """Each record's zone: home without a visited network, else the deck's zone of it."""
    visited = visited.fill_null("")
    if (visited.str.len_bytes() == 0).all():
        return pl.repeat(HOME, len(visited), dtype=pl.String, eager=True).alias("zone")
    listed = visited.replace_strict(deck.networks, default=WORLD, return_dtype=pl.String)
    return pl.select(
        pl.when(visited == "").then(pl.lit(HOME)).otherwise(listed).alias("zone")
    ).to_series()


class _Batch:
    """The batch as integer columns, and what has been found for each record so far."""

    def __init__(self, deck: CompiledDeck, frame: pl.DataFrame) -> None:
        self.deck = deck
        n = frame.height
        self.n = n
        service = frame["service"]
        self.category = np.full(n, -1, np.int64)
        for i, name in enumerate(SERVICES):  # three comparisons beat a lookup of each string
            self.category[(service == name).fill_null(False).to_numpy()] = i
        self.subject = _ids(frame["subject"], deck.subjects)
        self.zone = zones_of(deck, frame["visited_network"])
        self.zone_id = _ids(self.zone, deck.zone_ids)
        micros = frame["started_at"].cast(pl.Int64).fill_null(0).to_numpy()
        self.ms = np.clip(micros // 1000, 0, 2**TIME_BITS - 1)
        self.code = number_codes(frame["destination"])
        self.entry = np.full(n, -1, np.int64)
        self.plan = np.full(n, -1, np.int64)
        self.used = np.full(n, -1, np.int64)  # the subject whose profile priced it
        self.prefix = np.full(n, -1, np.int64)
        self.had_profile = np.zeros(n, bool)


def _profiles(b: _Batch, rows: np.ndarray, subject: np.ndarray, zone: np.ndarray) -> np.ndarray:
    """The profile in force for each row's category, subject and zone at its time, or -1."""
    d = b.deck
    found = np.full(len(rows), -1, np.int64)
    ok = np.flatnonzero((subject >= 0) & (zone >= 0) & (b.category[rows] >= 0))
    if not len(ok) or not len(d.profile_keys):
        return found
    zones = len(d.zone_ids) + 1
    key = b.category[rows[ok]] * zones * len(d.subjects) + subject[ok] * zones + zone[ok]
    at = np.searchsorted(d.profile_keys, key << TIME_BITS | b.ms[rows[ok]], side="right") - 1
    hit = (at >= 0) & ((d.profile_keys[np.maximum(at, 0)] >> TIME_BITS) == key)
    found[ok[hit]] = at[hit]
    return found


def _destinations(b: _Batch, rows: np.ndarray, plan: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The entry (plan, destination) of each row's number, longest prefix first, then *any."""
    d = b.deck
    code = b.code[rows]
    entry = np.full(len(rows), -1, np.int64)
    prefix = np.full(len(rows), -1, np.int64)
    if len(d.segment_starts):
        key = d.plan_group[plan] * SPAN + np.maximum(code, 0)
        found = np.searchsorted(d.segment_starts, key, side="right") - 1
        at = np.maximum(found, 0)
        destination = np.where((code >= 0) & (found >= 0), d.segment_destination[at], -1)
        pair = plan * len(d.destination_names) + np.maximum(destination, 0)
        if d.entry_table is not None:
            entry = np.where(destination >= 0, d.entry_table[pair], -1)
        else:
            j = np.minimum(np.searchsorted(d.entry_keys, pair), len(d.entry_keys) - 1)
            entry = np.where((destination >= 0) & (d.entry_keys[j] == pair), d.entry_ids[j], -1)
        hit = entry >= 0
        prefix = np.where(hit, d.segment_prefix[at], -1)
    entry = np.where(entry >= 0, entry, d.plan_any[plan])
    return entry, prefix


def _attempt(b: _Batch, rows: np.ndarray, subject: np.ndarray, zone: np.ndarray) -> np.ndarray:
    """Try one candidate (subject, zone) for the rows; returns the profile found or -1."""
    profile = _profiles(b, rows, subject, zone)
    has = profile >= 0
    b.had_profile[rows[has]] = True
    plan = b.deck.profile_plan[profile[has]].astype(np.int64)
    entry, prefix = _destinations(b, rows[has], plan)
    won = rows[has][entry >= 0]
    b.entry[won], b.prefix[won] = entry[entry >= 0], prefix[entry >= 0]
    b.plan[won], b.used[won] = plan[entry >= 0], subject[has][entry >= 0]
    return profile


def _resolve(b: _Batch) -> None:
    """Subject, then its profile's fallback subjects, then *any; zone-specific first."""
    d = b.deck
    todo = np.arange(b.n)
    fallbacks = np.full((b.n, d.profile_fallbacks.shape[1]), -1, np.int64)
    levels = [b.subject, *([None] * d.profile_fallbacks.shape[1]), np.zeros(b.n, np.int64)]
    for level, subjects in enumerate(levels):
        if not len(todo):
            return
        subject = subjects[todo] if subjects is not None else fallbacks[todo, level - 1]
        first = np.full(len(todo), -1, np.int64)
        for zone in (b.zone_id[todo], np.zeros(len(todo), np.int64)):
            left = b.entry[todo] < 0
            found = _attempt(b, todo[left], subject[left], zone[left])
            mark = np.flatnonzero(left)[found >= 0]
            first[mark] = np.where(first[mark] < 0, found[found >= 0], first[mark])
        if level == 0:
            has = first >= 0
            fallbacks[todo[has]] = d.profile_fallbacks[first[has]]
        todo = todo[b.entry[todo] < 0]


QUARTER = 900_000_000  # microseconds; zones change offset on quarter hours
DAY_US = 86_400_000_000


def local_micros(zone: str, started: pl.Series) -> np.ndarray:
    """Each time as microseconds of the zone's wall clock, one offset per quarter hour."""
    utc = started.cast(pl.Int64).fill_null(0).to_numpy()
    if zone == "UTC" or not len(utc):
        return utc
    quarter = utc // QUARTER
    low, high = int(quarter.min()), int(quarter.max())
    if high - low > 1_000_000:  # a batch over decades: convert each time instead
        wall = started.dt.convert_time_zone(zone).dt.replace_time_zone(None)
        return wall.cast(pl.Int64).fill_null(0).to_numpy()
    grid = np.arange(low, high + 1, dtype=np.int64) * QUARTER
    aware = pl.Series(grid).cast(pl.Datetime("us", "UTC")).dt.convert_time_zone(zone)
    offset = aware.dt.replace_time_zone(None).cast(pl.Int64).to_numpy() - grid
    return utc + offset[quarter - low]


def calendar(micros: np.ndarray) -> dict[str, np.ndarray]:
    """Year, month, day, weekday (0 Sunday) and second of the day of wall-clock times."""
    days = micros // DAY_US
    # Days to a civil date, after Howard Hinnant's algorithm, on whole columns.
    z = days + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    month = np.where(mp < 10, mp + 3, mp - 9)
    return {
        "year": yoe + era * 400 + (month <= 2),
        "month": month,
        "day": doy - (153 * mp + 2) // 5 + 1,
        "weekday": (days + 4) % 7,
        "second": (micros // 1_000_000) % 86_400,
    }


def _holds(timing: Timing, t: dict[str, np.ndarray]) -> np.ndarray:
    """Whether the timing holds at each time; only the fields it limits are looked at."""
    holds = (t["second"] >= timing.starts) & (t["second"] < timing.ends)
    limits = (
        ("month", timing.months),
        ("day", timing.month_days),
        ("weekday", timing.week_days),
    )
    for name, values in limits:
        if values:  # one bit per month, day or weekday
            mask = sum(1 << v for v in values)
            holds &= ((mask >> t[name]) & 1).astype(bool)
    if timing.years:
        holds &= np.isin(t["year"], np.fromiter(timing.years, np.int64))
    return holds


def _bands_at(b: _Batch, rows: np.ndarray, wall: np.ndarray) -> np.ndarray:
    """The band of each row at its wall-clock time: its entry's first band whose timing holds.

    Each distinct timing is checked once for the rows, into one bit per timing.
    """
    d = b.deck
    t = calendar(wall)
    bits = np.zeros(len(rows), np.int64)
    for i, timing in enumerate(d.timings):
        bits |= _holds(timing, t).astype(np.int64) << i
    chosen = np.full(len(rows), -1, np.int64)
    entry = b.entry[rows]
    for rank in range(d.entry_bands.shape[1]):
        open_ = np.flatnonzero(chosen < 0)
        if not len(open_):
            break
        candidate = d.entry_bands[entry[open_], rank]
        which = d.band_timing_id[np.maximum(candidate, 0)]
        holds = (candidate >= 0) & ((bits[open_] >> which) & 1).astype(bool)
        chosen[open_[holds]] = candidate[holds]
    return chosen


def slot_costs(
    deck: CompiledDeck, dr: np.ndarray, covered: np.ndarray, end: np.ndarray, counting: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """From `covered` to `end` of the usage: micros, the usage covered after, counts per slot.

    A slot covers usage from its start to the next slot's; the usage in it is rounded up to
    whole increments, and what that rounding covers of the next slot is not counted again.
    """
    cost = np.zeros(len(dr), np.int64)
    counts = np.zeros((len(dr), deck.slot_start.shape[1]), np.int64) if counting else None
    for s in range(deck.slot_start.shape[1]):
        # Each slot's column is contiguous (the arrays are kept transposed): one gather each.
        increment, nxt = deck.slot_increment.T[s][dr], deck.slot_next.T[s][dr]
        upto = np.minimum(end, nxt)
        counted = (increment > 0) & (end > covered) & (covered < nxt)
        n = np.where(counted, -(-(upto - covered) // np.maximum(increment, 1)), 0)
        if counts is not None:
            counts[:, s] = n
        covered = covered + n * increment
        cost = cost + n * deck.slot_cost.T[s][dr]
    return cost, covered, counts


@dataclass
class Piece:
    """Part of some records' usage priced in one band: where it began and its slots' counts."""

    rows: np.ndarray
    band: np.ndarray
    start: np.ndarray
    counts: np.ndarray


def _pieces(
    b: _Batch, band: np.ndarray, usage: np.ndarray, wall: np.ndarray, trace: list[Piece] | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Micros, rated usage and band of each record; a call that runs into another band goes on
    at that band's rate (as CGRateS splits a call at its rate intervals), the connect fee once.

    A call may change band only where a timing starts or ends, or at midnight.
    """
    d = b.deck
    cost = np.where(band >= 0, d.dr_connect[d.band_dr[np.maximum(band, 0)]], 0)
    covered = np.zeros(b.n, np.int64)
    rows = np.flatnonzero(band >= 0)
    calls = b.category == 0
    changes = (
        np.array(
            sorted({t.starts for t in d.timings} | {t.ends for t in d.timings} | {DAY}), np.int64
        )
        * 1_000_000
    )
    for piece in range(MAX_PIECES):
        if not len(rows):
            break
        now = wall[rows] + covered[rows] * 1_000_000
        if piece:
            band[rows] = _bands_at(b, rows, now)
            gap = band[rows] < 0  # no rate holds for the rest of the call
            rows, now = rows[~gap], now[~gap]
        day = now % DAY_US
        upto = -(-(changes[np.searchsorted(changes, day, side="right")] - day) // 1_000_000)
        last = (piece == MAX_PIECES - 1) | ~calls[rows]
        end = np.where(last, usage[rows], np.minimum(usage[rows], covered[rows] + upto))
        dr = d.band_dr[band[rows]]
        paid, covered[rows], counts = slot_costs(d, dr, covered[rows], end, trace is not None)
        cost[rows] += paid
        if trace is not None and counts is not None:
            trace.append(Piece(rows, band[rows].copy(), now - wall[rows], counts))
        rows = rows[covered[rows] < usage[rows]]
    return cost, covered, band


def price(
    deck: CompiledDeck,
    frame: pl.DataFrame,
    internals: bool = False,
    trace: list[Piece] | None = None,
) -> pl.DataFrame:
    """Price a batch (service, subject, destination, started_at, usage, visited_network).

    Adds rate_id, prefix, zone, rated_usage, retail_micros and `refusal` (0: priced); the rate
    is the one the record began in. With `internals`, the plan, first band, destination rate
    and subject each record was priced by; `trace` collects each piece of the usage priced.
    """
    b = _Batch(deck, frame)
    _resolve(b)
    wall = local_micros(deck.timezone, frame["started_at"])
    band = np.full(b.n, -1, np.int64)
    found = np.flatnonzero(b.entry >= 0)
    band[found] = _bands_at(b, found, wall[found])
    first = band.copy()
    usage = np.maximum(frame["usage"].fill_null(0).to_numpy().astype(np.int64), 0)
    micros, rated, band = _pieces(b, band, usage, wall, trace)
    refusal = np.where(
        b.entry >= 0,
        np.where(band >= 0, PRICED, NO_TIMING),
        np.where(b.had_profile, NO_DESTINATION, NO_PROFILE),
    )
    dr = np.where(first >= 0, deck.band_dr[np.maximum(first, 0)], 0).astype(np.int64)
    priced = refusal == PRICED
    prefixes = pl.Series("prefix", [*deck.prefixes, ANY], pl.String)
    prefix_at = np.where(b.prefix >= 0, b.prefix, len(deck.prefixes))
    columns = {
        "rate_id": pl.Series(np.where(priced, deck.dr_rate_id[dr], 0)),
        "prefix": prefixes.gather(prefix_at),
        "zone": b.zone,
        "rated_usage": pl.Series(np.where(priced, rated, 0)),
        "retail_micros": pl.Series(np.where(priced, micros, 0)),
        "refusal": pl.Series(refusal.astype(np.int8)),
    }
    if internals:
        columns |= {
            "_plan": pl.Series(b.plan),
            "_band": pl.Series(np.where(priced, first, -1)),
            "_dr": pl.Series(np.where(priced, dr, -1)),
            "_subject": pl.Series(b.used),
        }
    return frame.with_columns(**{k: v.alias(k) for k, v in columns.items()})
