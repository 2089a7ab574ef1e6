"""Rating with the database: CGRateS import, `saas rating cost`, the API, the rate stage, RLS."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import text

from saas.usage import records as R
from saas.usage.rating import rate
from saas.usage.rating.compiled import CACHE
from tests.conftest import api_post, call, in_brand, issue_key

PLAN = Path(__file__).parents[1] / "data" / "cgrates" / "spreewelle"
SCOPES = ("rating.read", "rating.write")


def _cli(app: Any, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=["rating", *args])


@pytest.fixture
def brand(app: Any, make: Any) -> Any:
    brand = make.brand()
    done = _cli(app, "import-cgrates", str(PLAN), "--tenant", brand.slug, "--timezone", "UTC")
    assert done.exit_code == 0, done.output
    assert "deck retail version 1" in done.output and "2014-01-14T00:00:00+00:00" in done.output
    return brand


def test_the_cli_prices_a_record_as_cgrates_get_cost_does(app: Any, brand: Any) -> None:
    done = _cli(
        app, "cost", "--tenant", brand.slug, "--category", "call", "--subject", "1001",
        "--destination", "1002", "--answer-time", "2019-03-11T09:00:00Z", "--usage", "45s",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    answer = json.loads(done.output)
    # Connect fee 0.40 once, then one 60 s block at 0.20: 0.60 (as the CGRateS tutorial).
    assert answer["cost"] == "0.6" and answer["connect_fee"] == "0.4"
    assert answer["rate"] == "RT_20CNT" and answer["rated_usage"] == 60
    assert answer["increments"] == [
        {
            "start": 0,
            "increment": 60,
            "count": 1,
            "rate": "0.2",
            "rate_unit": 60,
            "increment_cost": "0.2",
            "cost": "0.2",
            "rate_code": "RT_20CNT",
            "timing": "*any",
        }
    ]


def test_the_cli_says_why_a_record_has_no_price(app: Any, brand: Any) -> None:
    done = _cli(
        app, "cost", "--tenant", brand.slug, "--category", "voice", "--subject", "classic",
        "--destination", "12125551234", "--answer-time", "2019-03-11T09:00:00Z", "--usage", "1m",
    )  # fmt: skip
    assert done.exit_code != 0
    assert "no destination of the deck matches 12125551234" in done.output


def test_a_tariff_plan_with_a_bad_row_is_named_and_nothing_imported(
    app: Any, make: Any, tmp_path: Path
) -> None:
    other = make.brand()
    for name in PLAN.iterdir():
        (tmp_path / name.name).write_bytes(name.read_bytes())
    with (tmp_path / "Timings.csv").open("a") as timings:
        timings.write("NIGHT,*any,*any,*any,1;9,22:00:00\n")
    done = _cli(app, "import-cgrates", str(tmp_path), "--tenant", other.slug)
    assert done.exit_code != 0
    assert "Timings.csv, row 7: WeekDays is not valid: 1;9" in done.output
    assert "nothing imported" in done.output
    answer = _cli(
        app, "cost", "--tenant", other.slug, "--category", "call", "--subject", "1001",
        "--destination", "1002", "--answer-time", "2019-03-11T09:00:00Z", "--usage", "45s",
    )  # fmt: skip
    assert answer.exit_code != 0 and "no rate deck is in force" in answer.output


def test_the_api_prices_a_record_and_reads_the_decks(app: Any, brand: Any, client: Any) -> None:
    token, _, _ = issue_key(app, brand, SCOPES)
    body = {
        "category": "call",
        "subject": "classic",
        "destination": "+48501234567",
        "answer_time": "2019-03-11T09:00:00Z",
        "usage": "75s",
    }
    answer = api_post(client, brand, "/rating/cost", token, body)
    assert answer.status_code == 200, answer.get_json()
    got = answer.get_json()
    # 0.10 + two 30 s at 0.145 + two 10 s at 0.0317 (0.19/6 rounded up to 4 decimals).
    assert (got["cost"], got["currency"], got["rated_usage"]) == ("0.4534", brand.currency, 80)
    assert [i["count"] for i in got["increments"]] == [2, 2]
    decks = call(client, brand, "/rating/decks", token).get_json()["data"]
    (version,) = decks[0]["versions"]
    assert version["counts"]["prefixes"] == 11 and version["rounding"]["decimals"] == 5
    bad = api_post(client, brand, "/rating/cost", token, body | {"usage": "1.5s"})
    assert bad.status_code == 422


def test_the_api_imports_a_tariff_plan_and_names_a_bad_row(
    app: Any, make: Any, client: Any
) -> None:
    other = make.brand()
    token, _, _ = issue_key(app, other, SCOPES)
    files = {p.name: p.read_text() for p in PLAN.iterdir()}
    bad = api_post(
        client, other, "/rating/imports/cgrates", token,
        {"files": files | {"Destinations.csv": "#Id,Prefix\nDST_DE,49x\n"}},
    )  # fmt: skip
    assert bad.status_code == 422
    problems = bad.get_json()["errors"]
    assert {"pointer": "/files/Destinations.csv", "code": "rating.bad_prefix"}.items() <= (
        problems[0].items()
    )
    made = api_post(client, other, "/rating/imports/cgrates", token, {"files": files})
    assert made.status_code == 201, made.get_json()
    assert made.headers["Location"].endswith(f"/rating/deck-versions/{made.get_json()['id']}")


def test_another_brands_deck_is_never_used_nor_found(
    app: Any, brand: Any, make: Any, client: Any
) -> None:
    other = make.brand()
    mine = call(client, brand, "/rating/decks", issue_key(app, brand, SCOPES)[0]).get_json()
    version_id = mine["data"][0]["versions"][0]["id"]
    token, _, _ = issue_key(app, other, SCOPES)
    assert call(client, other, f"/rating/deck-versions/{version_id}", token).status_code == 404
    assert call(client, other, "/rating/decks", token).get_json() == {"data": []}
    with in_brand(app, other.id) as session:
        # Row-level security itself, under the ORM's filter: the brand sees no deck rows.
        assert session.execute(text("SELECT count(*) FROM rating_prefixes")).scalar() in (0, None)
        rated, refused = rate(session, _found([_record("classic-sub", None)]))
    assert rated.is_empty() and refused["reason"].to_list() == [R.NO_DECK]
    limited, _, _ = issue_key(app, brand, ("brand.read",))
    assert call(client, brand, "/rating/decks", limited).status_code == 403


def _record(key: str, subscription_id: int | None, **fields: Any) -> dict[str, Any]:
    return {
        "record_key": key,
        "row": 1,
        "service": "voice",
        "direction": "out",
        "msisdn": "4915200000001",
        "imsi": None,
        "destination": "48501234567",
        "started_at": datetime(2019, 3, 11, 9, 0, tzinfo=UTC),
        "usage": 75,
        "visited_network": "",
        "line_id": 1 if subscription_id else None,
        "subscription_id": subscription_id,
    } | fields


def _found(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return R.frame(R.READ | R.LINE, rows)


def test_the_rate_stage_prices_by_the_plan_of_each_subscription(
    app: Any, brand: Any, make: Any
) -> None:
    classic = make.plan(brand, code="classic")
    flat = make.plan(brand, code="allnet-30")
    person = make.user(brand, kind="subscriber")
    since = datetime(2019, 1, 1, tzinfo=UTC)
    on_classic = make.subscription(brand, person, classic.version_id, since)
    on_flat = make.subscription(brand, person, flat.version_id, since)
    rows = [
        _record("a", on_classic.id),
        _record("b", on_flat.id, destination="4915112345678", usage=600),
        _record("c", None, destination="4930123456", usage=61),  # no line: *any (RP_BASIC)
        _record("d", on_classic.id, destination="12125551234"),
        _record("e", on_classic.id, started_at=datetime(2010, 1, 1, tzinfo=UTC)),
    ]
    CACHE.clear()
    with in_brand(app, brand.id) as session:
        rated, refused = rate(session, _found(rows))
    assert rated.schema == pl.Schema(R.READ | R.LINE | R.RATED)
    assert refused.schema == pl.Schema(R.READ | R.LINE | R.REFUSED)
    assert dict(zip(rated["record_key"], rated["retail_micros"], strict=True)) == {
        "a": 453_400,  # classic to Poland, as above
        "b": 0,  # allnet-30 calls German mobiles free
        "c": 580_000,  # two started minutes at 0.29
    }
    assert dict(zip(refused["record_key"], refused["reason"], strict=True)) == {
        "d": R.UNAUTHORISED_DESTINATION,
        "e": R.NO_DECK,
    }
    assert "12125551234" in refused["detail"][0]
    assert rated["prefix"].to_list() == ["4850", "49", "49"]  # RP_FLAT rates all of DST_DE


def test_a_compiled_deck_is_kept_until_its_version_changes(app: Any, brand: Any) -> None:
    from saas.usage.rating import store

    CACHE.clear()
    with in_brand(app, brand.id) as session:
        (version,) = store.versions(session)
        first = store.compiled(session, version)
        assert store.compiled(session, version) is first
        store.touch(version)
        session.flush()
        assert store.compiled(session, version) is not first


def test_an_empty_batch_rates_to_two_empty_frames_of_the_contracts_shape(
    app: Any, brand: Any
) -> None:
    with in_brand(app, brand.id) as session:
        rated, refused = rate(session, _found([]))
    assert rated.is_empty() and rated.schema == pl.Schema(R.READ | R.LINE | R.RATED)
    assert refused.is_empty() and refused.schema == pl.Schema(R.READ | R.LINE | R.REFUSED)


def test_the_breakdown_shows_each_band_a_call_ran_through(app: Any, brand: Any) -> None:
    done = _cli(
        app, "cost", "--tenant", brand.slug, "--category", "call", "--subject", "classic",
        "--destination", "4915112345678", "--answer-time", "2019-03-11T07:59:30Z",
        "--usage", "90s",
    )  # fmt: skip
    answer = json.loads(done.output)
    # 30 s off-peak at 0.0015, then one 60 s block at PEAK's 0.19 (see the kernel's tests).
    assert answer["cost"] == "0.235" and answer["timing"] == "OFFPEAK_MORNING"
    parts = [(i["timing"], i["start"], i["count"], i["cost"]) for i in answer["increments"]]
    assert parts == [("OFFPEAK_MORNING", 0, 30, "0.045"), ("PEAK", 30, 1, "0.19")]
