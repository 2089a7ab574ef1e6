"""The rating kernel on the tariff plan in tests/data/cgrates/spreewelle, costs worked by hand.

The plan's rates (CGRateS Rates.csv: connect fee, rate per unit, increment, from):
RT_MOBILE_PEAK 0.05, then 0.19/60s by 60s, from 60s 0.09/60s by 1s; RT_MOBILE_OFFPEAK 0.09/60s
by 1s; RT_FIXED 0.029/60s by 60s; RT_BERLIN 0.019/60s by 60s; RT_PL 0.10, then 0.29/60s by
30s, from 60s 0.19/60s by 10s (rounded up to 4 decimals); RT_BASIC 0.29/60s by 60s;
RT_20CNT 0.40, then 0.20/60s by 60s, from 60s 0.10/60s by 1s (half up, 4 decimals).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from saas.usage.rating import cgrates
from saas.usage.rating.compiled import compile_deck, number_code, prefix_interval
from saas.usage.rating.deck import (
    Deck,
    DestinationRate,
    PlanRate,
    Profile,
    Rate,
    Slot,
    increment_cost,
    timing_of,
)
from saas.usage.rating.errors import ImportRefused
from saas.usage.rating.kernel import NO_DESTINATION, NO_PROFILE, NO_TIMING, PRICED, price
from saas.usage.records import UTC_TIME

PLAN = Path(__file__).parents[1] / "data" / "cgrates" / "spreewelle"
MONDAY_9 = datetime(2019, 3, 11, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def deck() -> object:
    return compile_deck(cgrates.read(cgrates.files_of_directory(PLAN)))


def batch(*records: dict[str, object]) -> pl.DataFrame:
    rows = [
        {"service": "voice", "visited_network": "", "started_at": MONDAY_9, "usage": 60} | r
        for r in records
    ]
    return pl.DataFrame(rows, schema_overrides={"started_at": UTC_TIME}).select(
        "service", "subject", "destination", "started_at", "usage", "visited_network"
    )


def one(deck: object, **record: object) -> tuple[Decimal, int, int]:
    """(cost, rated usage, refusal) of one record."""
    row = price(deck, batch(record)).row(0, named=True)  # type: ignore[arg-type]
    return Decimal(row["retail_micros"]).scaleb(-6), row["rated_usage"], row["refusal"]


def cost(deck: object, **record: object) -> Decimal:
    found, _, refusal = one(deck, **record)
    assert refusal == PRICED
    return found


def test_numbers_are_coded_so_that_a_prefix_is_an_interval() -> None:
    low, high = prefix_interval("4930")
    assert low <= number_code("4930") <= number_code("493012345") <= high
    assert not low <= number_code("493") <= high  # shorter than the prefix: not in it
    assert not low <= number_code("4931") <= high


def test_first_minute_as_a_block_then_per_second_is_one_rate(deck: object) -> None:
    # CGRateS tutorial: connect 0.40 + one 60 s block at 0.20 = 0.60, however short.
    assert one(deck, subject="1001", destination="1002", usage=45) == (Decimal("0.6"), 60, 0)
    # 61 s: 0.40 + 0.20 + one second at 0.10/60 = 0.001666.. -> 0.0017 (half up, 4 decimals).
    assert one(deck, subject="1001", destination="1002", usage=61) == (Decimal("0.6017"), 61, 0)


def test_the_connect_fee_is_charged_once_and_each_increment_is_rounded(deck: object) -> None:
    # Peak: 0.05 + one 60 s block at 0.19, then 30 s at 0.09/60 = 0.0015 each: 0.285.
    assert cost(deck, subject="classic", destination="4915112345678", usage=90) == Decimal("0.285")
    assert cost(deck, subject="classic", destination="4915112345678", usage=1) == Decimal("0.24")


def test_an_increment_that_overruns_its_slot_is_not_counted_again(deck: object) -> None:
    # RT_PL: 0.10 + two 30 s at 0.145 (0-60 s), then 15 s in 10 s steps: two at
    # 0.19/60*10 = 0.031666.. rounded up to 0.0317: 0.10 + 0.29 + 0.0634 = 0.4534, 80 s rated.
    assert one(deck, subject="classic", destination="48501234567", usage=75) == (
        Decimal("0.4534"),
        80,
        0,
    )
    # 31 s: the second 30 s block covers up to 60 s; nothing of the next slot is charged.
    assert one(deck, subject="classic", destination="48501234567", usage=31) == (
        Decimal("0.39"),
        60,
        0,
    )


def test_the_longest_prefix_wins(deck: object) -> None:
    # Berlin 4930 (0.019 a minute) inside Germany 49 (0.029): 61 s is two minutes.
    assert cost(deck, subject="classic", destination="4930123456", usage=61) == Decimal("0.038")
    assert cost(deck, subject="classic", destination="4989123456", usage=61) == Decimal("0.058")


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        # Monday 09:00: PEAK (08:00) starts later than OFFPEAK_MORNING (00:00): 0.05 + 0.19
        # + 40 s at 0.0015 = 0.30.
        (datetime(2019, 3, 11, 9, 0, tzinfo=UTC), "0.3"),
        # Monday 07:59: only OFFPEAK_MORNING holds: 100 s at 0.0015 = 0.15.
        (datetime(2019, 3, 11, 7, 59, tzinfo=UTC), "0.15"),
        # Monday 20:00: OFFPEAK_EVENING (19:00) starts latest of the three that hold.
        (datetime(2019, 3, 11, 20, 0, tzinfo=UTC), "0.15"),
        # Saturday: the weekend.
        (datetime(2019, 3, 16, 10, 0, tzinfo=UTC), "0.15"),
        # Christmas Day, a Wednesday at 10:00: weight 20 outranks PEAK's 10.
        (datetime(2019, 12, 25, 10, 0, tzinfo=UTC), "0.15"),
    ],
)
def test_higher_weight_wins_then_the_latest_starting_timing(
    deck: object, at: datetime, expected: str
) -> None:
    found = cost(deck, subject="classic", destination="4915112345678", started_at=at, usage=100)
    assert found == Decimal(expected)


def test_a_call_that_runs_into_another_time_band_goes_on_at_its_rate(deck: object) -> None:
    # 07:59:30 on a Monday, 90 s: 30 s off-peak at 0.0015 (0.045), then from 08:00 at PEAK's
    # rate; 30 s into the call that is still its first-minute slot, one 60 s block at 0.19
    # covering the rest. The connect fee is the first band's (none): 0.235 for 90 s.
    at = datetime(2019, 3, 11, 7, 59, 30, tzinfo=UTC)
    call = {"subject": "classic", "destination": "4915112345678", "started_at": at}
    assert one(deck, usage=90, **call) == (Decimal("0.235"), 90, 0)
    # Ended before 08:00, it is off-peak alone.
    assert one(deck, usage=30, **call) == (Decimal("0.045"), 30, 0)


def test_a_new_profile_takes_over_at_its_activation_time(deck: object) -> None:
    before = datetime(2026, 6, 30, 23, 59, 59, tzinfo=UTC)  # Tuesday evening: off-peak
    after = datetime(2026, 7, 1, 0, 0, 0, tzinfo=UTC)
    mobile = {"subject": "classic", "destination": "4915112345678", "usage": 100}
    assert cost(deck, started_at=before, **mobile) == Decimal("0.15")
    # RP_CLASSIC_2026: 0.07/60 = 0.0011666.. -> 0.00117 a second (half up, 5 decimals).
    assert cost(deck, started_at=after, **mobile) == Decimal("0.117")


def test_a_plan_without_the_destination_falls_back_to_the_fallback_subject(deck: object) -> None:
    # allnet-30 calls Germany free (RP_FLAT) and Poland as classic does (RatesFallbackSubject).
    assert cost(deck, subject="allnet-30", destination="4915112345678", usage=600) == 0
    assert cost(deck, subject="allnet-30", destination="48501234567", usage=75) == Decimal("0.4534")


def test_an_unknown_subject_is_rated_by_the_any_profile(deck: object) -> None:
    # RP_BASIC: 0.29 a started minute in Germany; nothing abroad.
    assert cost(deck, subject="prepaid-s", destination="4930123456", usage=61) == Decimal("0.58")
    assert cost(deck, subject=None, destination="4930123456", usage=61) == Decimal("0.58")
    assert one(deck, subject="prepaid-s", destination="48501234567")[2] == NO_DESTINATION


def test_a_number_no_destination_matches_is_refused_not_priced_at_zero(deck: object) -> None:
    assert one(deck, subject="classic", destination="12125551234") == (0, 0, NO_DESTINATION)
    assert one(deck, subject="classic", destination="")[2] == NO_DESTINATION
    assert one(deck, subject="classic", destination="+4930123456")[2] == NO_DESTINATION


def test_a_record_before_every_profile_has_no_rate(deck: object) -> None:
    at = datetime(2015, 1, 1, tzinfo=UTC)
    assert one(deck, subject="classic", destination="4930123456", started_at=at)[2] == NO_PROFILE


def test_the_visited_network_picks_the_roaming_zone(deck: object) -> None:
    roaming = {"subject": "classic", "destination": "4930123456", "usage": 61}
    # In France (20801, zone eu) classic calls at RP_ROAM_EU: 0.25 a started minute.
    row = price(deck, batch(roaming | {"visited_network": "20801"})).row(0, named=True)
    assert (row["zone"], row["retail_micros"]) == ("eu", 500_000)
    # A network the deck does not list is "world", where classic has no zone of its own.
    row = price(deck, batch(roaming | {"visited_network": "31001"})).row(0, named=True)
    assert (row["zone"], row["retail_micros"]) == ("world", 38_000)
    assert price(deck, batch(roaming)).row(0, named=True)["zone"] == "home"


def test_sms_are_rated_by_count_and_data_by_bytes(deck: object) -> None:
    assert cost(deck, service="sms", subject="classic", destination="4915112345", usage=3) == (
        Decimal("0.27")
    )
    assert cost(deck, service="sms", subject="x", destination="12125551234", usage=1) == (
        Decimal("0.19")
    )
    # 5 MB and one byte at 0.0049 a started MB: six MB.
    data = {"service": "data", "subject": "classic", "destination": "internet"}
    assert one(deck, usage=5 * 1048576 + 1, **data) == (Decimal("0.0294"), 6 * 1048576, 0)


def test_rounding_half_up_up_and_down_per_increment() -> None:
    slot = Slot(0, Decimal("0.1"), 60, 1)  # 0.001666.. a second
    assert increment_cost(slot, "half_up", 5) == Decimal("0.00167")
    assert increment_cost(slot, "up", 4) == Decimal("0.0017")
    assert increment_cost(slot, "down", 4) == Decimal("0.0016")
    assert increment_cost(Slot(0, Decimal("0.00015"), 1, 1), "half_up", 4) == Decimal("0.0002")


def _gapped() -> Deck:
    rate = Rate(9, "R", Decimal(0), (Slot(0, Decimal("0.6"), 60, 1),))
    return Deck(
        1,
        rounding="down",
        decimals=2,
        destinations={"D": ("49",)},
        rates={"R": rate},
        destination_rates=(DestinationRate("DR", "D", "R"),),
        timings={"DAY": timing_of("DAY", "*any", "*any", "*any", "*any", "08:00:00;18:00:00")},
        plans=("P",),
        plan_rates=(PlanRate("P", "DR", "DAY", Decimal(1)),),
        profiles=(Profile("voice", "*any", datetime(2019, 1, 1, tzinfo=UTC), "P"),),
    )


def test_a_matched_destination_without_a_timing_then_has_no_rate() -> None:
    deck = compile_deck(_gapped())
    assert one(deck, subject="a", destination="491", started_at=MONDAY_9)[2] == PRICED
    night = datetime(2019, 3, 11, 18, 0, tzinfo=UTC)
    assert one(deck, subject="a", destination="491", started_at=night)[2] == NO_TIMING
    # A call from 17:59 that lasts past 18:00 runs out of rates: not priced in part.
    late = datetime(2019, 3, 11, 17, 59, tzinfo=UTC)
    assert one(deck, subject="a", destination="491", started_at=late, usage=30)[2] == PRICED
    assert one(deck, subject="a", destination="491", started_at=late, usage=90)[2] == NO_TIMING


def test_the_decks_own_rounding_applies_where_a_destination_rate_has_none() -> None:
    # 0.6/60 = 0.01 a second exactly; 2 decimals rounded down keep it.
    assert one(compile_deck(_gapped()), subject="a", destination="491", usage=7)[0] == Decimal(
        "0.07"
    )


def test_timings_are_read_on_the_clock_of_the_decks_zone() -> None:
    from dataclasses import replace

    deck = compile_deck(replace(_gapped(), timezone="Europe/Berlin"))
    # 07:30 UTC in March is 08:30 in Berlin: inside 08:00-18:00 there, not in UTC.
    at = datetime(2019, 3, 11, 7, 30, tzinfo=UTC)
    assert one(deck, subject="a", destination="491", started_at=at)[2] == PRICED
    assert one(compile_deck(_gapped()), subject="a", destination="491", started_at=at)[2] == 2


def test_a_tariff_plan_with_bad_rows_names_each_and_yields_nothing() -> None:
    files = cgrates.files_of_directory(PLAN)
    files["Rates.csv"] += b"RT_BAD,0,abc,60s,60s,0s\nRT_HALF,0,0.1,60s,1.5s,0s\n"
    files["RatingPlans.csv"] += b"RP_X,DR_NOWHERE,*any,10\n"
    del files["Destinations.csv"]
    with pytest.raises(ImportRefused) as refused:
        cgrates.read(files)
    said = [r.english() for r in refused.value.each()]
    assert "the tariff plan has no Destinations.csv" in said
    assert "Rates.csv, row 18: Rate is not a number: abc" in said
    assert "Rates.csv, row 19: RateIncrement is not a whole number of seconds: 1.5s" in said
    assert any(
        s.startswith("RatingPlans.csv, row 18: names destination rates DR_NOWHERE") for s in said
    )
