"""Usage from file to rated records: duplicates, quarantine, re-processing, late records, RLS."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from saas.usage import records as R
from tests.conftest import in_brand
from tests.support import usage as U
from tests.support.usage_stages import FakeRater, fake_stages


@pytest.fixture
def rater() -> Iterator[FakeRater]:
    with fake_stages() as fake:
        yield fake


@pytest.fixture
def brand(app: Any, make: Any) -> Any:
    brand = make.brand(timezone="Europe/Berlin")
    U.stock(app, brand)
    return brand


def test_a_normalised_csv_is_read_matched_rated_charged_and_stored(app, make, brand, rater):  # type: ignore[no-untyped-def]
    line = U.line(app, make, brand)
    U.source(app, brand, "csv")
    done = U.ingest(app, brand, "csv", (U.DATA / "normalised.csv").read_bytes())
    assert (done.state, done.records, done.rated, done.quarantined) == ("done", 7, 5, 2)
    rows = {r.record_key: r for r in U.stored(app, brand)}
    call = rows["csv:n-0001"]
    assert (call.line_id, call.subscription_id) == (line.id, line.subscription_id)
    assert call.started_at == datetime(2026, 11, 15, 9, 0, tzinfo=UTC)
    assert (call.rated_usage, call.retail_micros, call.charged_micros) == (120, 120_000, 120_000)
    assert rows["csv:n-0003"].line_id == line.id  # found by its IMSI
    assert rows["csv:n-0005"].zone == "roaming" and rows["csv:n-0005"].visited_network == "23410"
    reasons = {q.row: (q.reason, q.detail) for q in U.quarantined(app, brand, done.id)}
    assert reasons[6] == (R.UNREADABLE, "started_at is not a time: not a time")
    assert reasons[7][0] == R.NO_LINE


def test_a_file_sent_twice_is_recorded_as_a_duplicate_and_read_once(app, make, brand, rater):  # type: ignore[no-untyped-def]
    U.line(app, make, brand)
    U.source(app, brand, "csv")
    content = U.csv_file(U.call("a"), U.call("b", at="2026-11-15T11:00:00Z"))
    first = U.ingest(app, brand, "csv", content)
    again = U.send(app, brand, "csv", content, "again.csv")
    assert (again.state, again.duplicate_of_id) == ("duplicate", first.id)
    assert len(U.stored(app, brand)) == 2


def test_a_record_in_two_files_is_stored_once_and_counted_as_a_duplicate(app, make, brand, rater):  # type: ignore[no-untyped-def]
    U.line(app, make, brand)
    U.source(app, brand, "csv")
    U.ingest(app, brand, "csv", U.csv_file(U.call("a"), U.call("b")))
    second = U.ingest(app, brand, "csv", U.csv_file(U.call("b"), U.call("c"), U.call("c")))
    assert (second.rated, second.duplicates) == (1, 2)
    assert [r.record_key for r in U.stored(app, brand)] == ["csv:a", "csv:b", "csv:c"]


def test_a_record_is_rated_against_its_line_as_it_was_at_the_record_time(app, make, brand, rater):  # type: ignore[no-untyped-def]
    from saas.network import lines, numbers
    from saas.network.models import Line

    line = U.line(app, make, brand)
    moved = U.OPENED + timedelta(days=20)  # 21 November: the line takes another number
    with in_brand(app, brand.id) as session:
        held = numbers.reserve(session, U.OTHER_MSISDN, now=moved)
        lines.change_number(session, session.get(Line, line.id), held.token, moved)
    U.source(app, brand, "csv")
    late = U.csv_file(
        U.call("old-number-before", at="2026-11-15T10:00:00Z"),
        U.call("old-number-after", at="2026-11-25T10:00:00Z"),
        U.call("new-number-before", msisdn="4915200000102", at="2026-11-15T10:00:00Z"),
        U.call("new-number-after", msisdn="4915200000102", at="2026-11-25T10:00:00Z"),
    )
    done = U.ingest(app, brand, "csv", late)
    assert {r.record_key: r.line_id for r in U.stored(app, brand)} == {
        "csv:old-number-before": line.id,
        "csv:new-number-after": line.id,
    }
    assert [q.reason for q in U.quarantined(app, brand, done.id)] == [R.NO_LINE, R.NO_LINE]


def test_quarantined_records_are_rated_once_the_subscriber_data_is_fixed(app, make, brand, rater):  # type: ignore[no-untyped-def]
    from saas.usage import pipeline
    from saas.usage.models import UsageFile

    U.source(app, brand, "csv")
    content = U.csv_file(U.call("a"), U.call("b", to="99912345"), "c,voice,out")
    done = U.ingest(app, brand, "csv", content)
    assert [q.reason for q in U.quarantined(app, brand, done.id)] == [
        R.NO_LINE,
        R.NO_LINE,
        R.UNREADABLE,
    ]
    line = U.line(app, make, brand)  # the line is entered late: the records can find it now
    with in_brand(app, brand.id) as session:
        outcome = pipeline.reprocess(session, session.get(UsageFile, done.id))
    assert (outcome.rated, outcome.quarantined) == (1, 2)
    left = U.quarantined(app, brand, done.id)
    assert [(q.row, q.reason) for q in left] == [(2, R.UNAUTHORISED_DESTINATION), (3, R.UNREADABLE)]
    assert [r.line_id for r in U.stored(app, brand)] == [line.id]
    after = U.file_row(app, brand, done.id)
    assert (after.rated, after.quarantined) == (1, 2)


def test_re_rating_books_each_difference_as_a_correction_and_never_twice(app, make, brand, rater):  # type: ignore[no-untyped-def]
    from saas.usage import rerate

    U.line(app, make, brand)
    U.source(app, brand, "csv")
    U.ingest(
        app,
        brand,
        "csv",
        U.csv_file(U.call("a", seconds=30), U.call("b", at="2026-11-20T10:00:00Z")),
    )
    rater.per_minute = 50_000  # the tariff is fixed: a minute costs 0.05, not 0.06
    with in_brand(app, brand.id) as session:
        start, end = rerate.period(session, date(2026, 11, 15), date(2026, 11, 15))
        first = rerate.rerate(session, start, end, "minute price fixed")
    assert (first.records, first.corrected, first.difference_micros) == (1, 1, -10_000)
    ids = [r.id for r in U.stored(app, brand)]
    with in_brand(app, brand.id) as session:
        again = rerate.rerate(session, start, end, "again")
        booked = [
            (c.old_charged_micros, c.new_charged_micros, c.reason)
            for c in rerate.corrections(session, ids)
        ]
    assert again.corrected == 0
    assert booked == [(60_000, 50_000, "minute price fixed")]
    prices = {r.record_key: r.charged_micros for r in U.stored(app, brand)}
    assert prices == {"csv:a": 50_000, "csv:b": 120_000}  # outside the period: as it was


@pytest.mark.postgres
def test_another_brands_rated_records_are_invisible_to_the_database_role(
    app, make, brand, rater, runtime_engine
):  # type: ignore[no-untyped-def]
    U.line(app, make, brand)
    U.source(app, brand, "csv")
    U.ingest(app, brand, "csv", U.csv_file(U.call("a")))
    other = make.brand()
    with runtime_engine.begin() as conn:
        conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(other.id)})
        for table in (
            "usage_records",
            "usage_files",
            "usage_quarantine",
            "usage_chunks",
            "usage_sources",
        ):
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0


PRICES: dict[str, int] = {}  # each record's charge, as the first example found it


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    chunk_size=st.integers(min_value=1, max_value=7),
    again=st.lists(st.integers(min_value=0, max_value=20), max_size=12),
)
def test_a_record_is_rated_once_and_alike_however_it_is_chunked_and_delivered(
    app, make, chunk_size, again
):  # type: ignore[no-untyped-def]
    from saas.usage import files as usage_files
    from saas.usage import pipeline

    brand = make.brand()
    U.stock(app, brand)
    U.line(app, make, brand)
    U.source(app, brand, "csv")
    calls = [U.call(f"h{n}", at=f"2026-11-15T1{n % 10}:00:00Z", seconds=n * 13) for n in range(12)]
    with fake_stages():
        with in_brand(app, brand.id) as session:
            source = usage_files.source_named(session, "csv")
            content = io.BytesIO(U.csv_file(*calls))
            got = usage_files.receive(session, source, content, chunk_size=chunk_size)
            file_id = got.id
        with in_brand(app, brand.id) as session:
            chunks = usage_files.pending_chunks(session, file_id)
        for chunk_id in [*chunks, *(chunks[n % len(chunks)] for n in again)]:
            with in_brand(app, brand.id) as session:
                pipeline.work_chunk(session, chunk_id)
    done = U.file_row(app, brand, file_id)
    assert (done.records, done.rated, done.duplicates) == (12, 12, 0)
    prices = {r.record_key: r.charged_micros for r in U.stored(app, brand)}
    PRICES.update(PRICES or prices)
    assert prices == PRICES


def test_the_drop_folder_is_collected_and_each_file_put_aside_once_taken(
    app, make, brand, rater, tmp_path
):  # type: ignore[no-untyped-def]
    from saas.usage import files as usage_files

    U.line(app, make, brand)
    U.source(app, brand, "asterisk", name="pbx", drop_folder=str(tmp_path))
    (tmp_path / "Master.csv").write_bytes((U.DATA / "Master.csv").read_bytes())
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "still-writing.csv.part").write_bytes(b"x")
    with in_brand(app, brand.id) as session:
        [taken] = usage_files.scan(session)
        file_id = taken.id
    U.work(app, brand, file_id)
    assert U.file_row(app, brand, file_id).records == 5
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["still-writing.csv.part"]
    assert len(list((tmp_path / "done").iterdir())) == 1
    assert len(list((tmp_path / "refused").iterdir())) == 1


def test_the_rerate_command_books_corrections_for_a_brand(app, make, brand, rater):  # type: ignore[no-untyped-def]
    U.line(app, make, brand)
    U.source(app, brand, "csv")
    U.ingest(app, brand, "csv", U.csv_file(U.call("a", seconds=30)))
    rater.per_minute = 70_000
    args = ["usage", "rerate", "--tenant", brand.slug, "--from", "2026-11-01", "--to", "2026-11-30"]
    result = app.test_cli_runner().invoke(args=[*args, "--reason", "Tarif korrigiert"])
    assert result.exit_code == 0, result.output
    assert "1 record(s) priced again, 1 corrected" in result.output
    assert "moved by 0.01" in result.output
    backwards = app.test_cli_runner().invoke(args=[*args[:5], "2026-11-30", "--to", "2026-11-01"])
    assert backwards.exit_code != 0 and "the period ends before it starts" in backwards.output
