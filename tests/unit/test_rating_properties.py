"""Properties of the rating kernel: batching and order change no price; longer never costs less."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from saas.usage.rating import cgrates
from saas.usage.rating.compiled import compile_deck
from saas.usage.rating.kernel import price
from saas.usage.records import UTC_TIME

PLAN = Path(__file__).parents[1] / "data" / "cgrates" / "spreewelle"
DECK = compile_deck(cgrates.read(cgrates.files_of_directory(PLAN), "Europe/Berlin"))
DAYS = [(2018, 12, 28), (2019, 3, 10), (2019, 12, 22), (2023, 6, 1), (2026, 6, 28)]
COLUMNS = ("service", "subject", "destination", "started_at", "usage", "visited_network")

records = st.fixed_dictionaries(
    {
        "service": st.sampled_from(["voice", "voice", "sms", "data"]),
        "subject": st.sampled_from(["classic", "allnet-30", "1001", "prepaid", None]),
        "destination": st.tuples(
            st.sampled_from(["4915", "4930", "4989", "4850", "48", "1002", "1", ""]),
            st.text("0123456789", max_size=9),
        ).map("".join),
        # A week from a moment that matters: before the plan, weekdays, Christmas, a new
        # profile's activation; at any second (and microsecond) of it.
        "started_at": st.builds(
            lambda day, s, us: day + timedelta(seconds=s, microseconds=us),
            st.sampled_from([datetime(y, m, d, tzinfo=UTC) for y, m, d in DAYS]),
            st.integers(0, 7 * 86400),
            st.integers(0, 999_999),
        ),
        "usage": st.integers(0, 20_000),
        "visited_network": st.sampled_from(["", "", "20801", "31001"]),
    }
)


def frame(rows: list[dict[str, object]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema_overrides={"started_at": UTC_TIME}).select(COLUMNS)


def prices(rows: list[dict[str, object]]) -> list[tuple[int, int, int]]:
    out = price(DECK, frame(rows))
    return list(zip(out["retail_micros"], out["rated_usage"], out["refusal"], strict=True))


@settings(max_examples=60, deadline=None)
@given(st.lists(records, min_size=1, max_size=40), st.randoms(use_true_random=False))
def test_a_records_price_does_not_depend_on_its_batch_or_order(rows: list, rnd: object) -> None:
    whole = prices(rows)
    order = list(range(len(rows)))
    rnd.shuffle(order)  # type: ignore[attr-defined]
    shuffled = prices([rows[i] for i in order])
    assert [shuffled[order.index(i)] for i in range(len(rows))] == whole
    cut = rnd.randint(1, len(rows))  # type: ignore[attr-defined]
    assert prices(rows[:cut]) + (prices(rows[cut:]) if rows[cut:] else []) == whole
    assert [prices([r])[0] for r in rows] == whole


@settings(max_examples=80, deadline=None)
@given(records, st.integers(0, 5000))
def test_a_longer_record_never_costs_less(record: dict[str, object], more: int) -> None:
    shorter, longer = prices([record, record | {"usage": int(record["usage"]) + more}])  # type: ignore[call-overload]
    assert shorter[2] == longer[2]
    assert longer[0] >= shorter[0] and longer[1] >= shorter[1]
