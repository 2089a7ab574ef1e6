"""The rating kernel alone: a generated 50,000-prefix deck with time bands, 1,000,000 CDRs."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime
from decimal import Decimal

import numpy as np
import polars as pl

from saas.usage.rating.compiled import compile_deck
from saas.usage.rating.deck import Deck, DestinationRate, PlanRate, Profile, Rate, Slot, timing_of
from saas.usage.rating.kernel import price
from saas.usage.records import UTC_TIME
from tests.bench.figures import record

PREFIXES, CDRS, PLANS = 50_000, 1_000_000, 4
BANDS = (
    ("PEAK", "1;2;3;4;5", "08:00:00", 10),
    ("OFFPEAK", "1;2;3;4;5", "00:00:00", 10),
    ("EVENING", "1;2;3;4;5", "19:00:00", 10),
    ("WEEKEND", "6;0", "00:00:00", 10),
    ("HOLIDAY", "*any", "00:00:00", 20),
)


def deck(seed: int = 7) -> Deck:
    """A deck of PREFIXES prefixes in 5,000 destinations, 5 time bands, PLANS plans."""
    rnd = random.Random(seed)
    prefixes: set[str] = set()
    while len(prefixes) < PREFIXES:
        prefixes.add(
            str(rnd.randint(1, 9)) + "".join(rnd.choices("0123456789", k=rnd.randint(1, 7)))
        )
    ordered = sorted(prefixes)
    destinations = {f"D{i}": tuple(ordered[i::5000]) for i in range(5000)}
    rates, drs = {}, []
    for i, (band, *_rest) in enumerate(BANDS):
        cents = Decimal(i + 1) / 100
        slots = (Slot(0, cents * 2, 60, 60), Slot(60, cents, 60, 1))
        rates[band] = Rate(i + 1, band, Decimal("0.05"), slots)
    timings = {b: timing_of(b, "*any", "*any", "*any", days, at) for b, days, at, _ in BANDS}
    timings["HOLIDAY"] = timing_of("HOLIDAY", "*any", "12", "25;26", "*any", "00:00:00")
    for d in destinations:
        drs += [DestinationRate(f"DR_{band}", d, band) for band, *_ in BANDS]
    plans = tuple(f"P{i}" for i in range(PLANS))
    rows = tuple(
        PlanRate(p, f"DR_{band}", band, Decimal(weight))
        for p in plans
        for band, _, _, weight in BANDS
    )
    start = datetime(2026, 1, 1, tzinfo=UTC)
    profiles = tuple(Profile("voice", f"plan-{i}", start, p) for i, p in enumerate(plans))
    return Deck(
        1,
        destinations=destinations,
        rates=rates,
        destination_rates=tuple(drs),
        timings=timings,
        plans=plans,
        plan_rates=rows,
        profiles=profiles,
    )


def cdrs(prefixes: list[str], count: int = CDRS, seed: int = 11) -> pl.DataFrame:
    """Calls to numbers under the deck's prefixes (a few to none), over a month."""
    gen = np.random.default_rng(seed)
    chosen = np.array(prefixes)[gen.integers(0, len(prefixes), count)]
    tails = gen.integers(10**6, 10**7, count).astype(str)
    numbers = np.char.add(chosen, tails)
    base = datetime(2026, 12, 1, tzinfo=UTC)
    seconds = gen.integers(0, 31 * 86400, count)
    return pl.DataFrame(
        {
            "service": np.full(count, "voice"),
            "subject": np.char.add("plan-", gen.integers(0, PLANS + 1, count).astype(str)),
            "destination": numbers,
            "usage": gen.integers(1, 1800, count),
            "visited_network": np.full(count, ""),
        }
    ).with_columns(started_at=pl.lit(base).cast(UTC_TIME) + pl.duration(seconds=pl.Series(seconds)))


def run() -> dict[str, float]:
    """Compile the deck, then price the batch three times; the best time counts."""
    spec = deck()
    began = time.perf_counter()
    compiled = compile_deck(spec)
    compile_s = time.perf_counter() - began
    prefixes = sorted({p for ps in spec.destinations.values() for p in ps})
    frame = cdrs(prefixes)
    best = float("inf")
    for _ in range(3):
        began = time.perf_counter()
        priced = price(compiled, frame)
        best = min(best, time.perf_counter() - began)
    assert priced.height == CDRS and (priced["refusal"] == 0).sum() > CDRS // 2
    figures = {
        "rating_kernel_cdrs_per_s": round(CDRS / best),
        "rating_deck_compile_ms": round(compile_s * 1000, 1),
    }
    print(f"\nrating kernel: {PREFIXES:,} prefixes, {len(BANDS)} time bands, {CDRS:,} CDRs")
    record(figures, {"rating_kernel_cdrs_per_s": "CDRs/s", "rating_deck_compile_ms": "ms"})
    return figures
