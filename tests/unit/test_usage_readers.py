"""Every usage reader on real-looking files: what it reads, what it quarantines and why."""

from __future__ import annotations

import io
import itertools
import resource
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from saas.usage import records as R
from saas.usage.readers import batches, reader
from tests.support.usage import DATA, call, csv_file, pgw_record


def _read(fmt: str, name: str, size: int = 5_000, **overrides: object) -> tuple[list[dict], list]:
    mapping = reader(fmt).defaults.adjusted(overrides)
    got, bad = [], []
    with (DATA / name).open("rb") as stream:
        for batch in batches(fmt, stream, mapping, size):
            assert batch.read.schema == R.READ
            got += batch.read.to_dicts()
            bad += [(row, detail, batch.raw_of(row)) for row, detail in batch.unreadable]
    return got, bad


def test_the_normalised_csv_reads_every_field_and_names_the_one_it_cannot_read() -> None:
    got, bad = _read("csv", "normalised.csv")
    first = got[0]
    assert first == {
        "record_key": "csv:n-0001",
        "row": 1,
        "service": "voice",
        "direction": "out",
        "msisdn": "4915200000101",
        "imsi": None,
        "destination": "4930123456",
        "started_at": datetime(2026, 11, 15, 9, 0, tzinfo=UTC),
        "usage": 61,
        "visited_network": "",
    }
    assert [r["row"] for r in got] == [1, 2, 3, 4, 5, 7]
    assert [(row, detail) for row, detail, _ in bad] == [
        (6, "started_at is not a time: not a time")
    ]
    assert bad[0][2].startswith("n-0006,voice")


def test_json_lines_read_numbers_as_numbers_and_quarantine_what_is_not_json() -> None:
    got, bad = _read("jsonl", "normalised.jsonl")
    assert [(r["record_key"], r["usage"]) for r in got] == [
        ("jsonl:j-0001", 61),
        ("jsonl:j-0002", 1),
        ("jsonl:j-0003", 2_500_000),
    ]
    assert got[2]["visited_network"] == "23410" and got[2]["imsi"] == "262010000000001"
    assert [row for row, _, _ in bad] == [4, 5]
    assert "usage" in bad[0][1] and "not JSON" in bad[1][1]


def test_asterisk_master_csv_reads_local_times_and_national_numbers_by_its_mapping() -> None:
    got, bad = _read("asterisk", "Master.csv", time_zone="Europe/Berlin", country_code="49")
    answered = got[0]
    assert answered["record_key"] == "asterisk:1763200800.1"
    assert (answered["msisdn"], answered["destination"]) == ("4915200000101", "4930123456")
    assert answered["started_at"] == datetime(2026, 11, 15, 10, 0, 4, tzinfo=UTC)
    assert answered["usage"] == 66
    unanswered = got[1]
    assert unanswered["started_at"] == datetime(2026, 11, 15, 11, 30, tzinfo=UTC)
    assert unanswered["usage"] == 0
    assert got[2]["destination"] == "41441234567"  # 0041... is international already
    assert [(row, detail) for row, detail, _ in bad] == [(4, "record has fewer than 16 fields")]


def test_a_source_maps_another_column_onto_a_field() -> None:
    got, _ = _read(
        "asterisk", "Master.csv", country_code="49", columns={"msisdn": "accountcode|src"}
    )
    assert got[0]["msisdn"] == "4915200000101"  # accountcode is empty: src is taken


def test_freeswitch_default_template_is_read_with_its_uuid_as_key() -> None:
    got, bad = _read("freeswitch", "freeswitch.csv", time_zone="Europe/Berlin")
    assert [r["record_key"][-4:] for r in got] == ["5f01", "5f02", "5f03"]
    assert got[0]["started_at"] == datetime(2026, 11, 15, 10, 0, 5, tzinfo=UTC)
    assert (got[0]["usage"], got[1]["destination"]) == (120, "48221234567")
    assert [row for row, _, _ in bad] == [4]


def test_3gpp_pgw_records_are_decoded_with_their_volume_apn_and_serving_network() -> None:
    got, bad = _read("3gpp", "pgw.ber", home_network="26201")
    assert got[0]["record_key"] == "3gpp:pGWRecord:0a000001:1001:1"
    first, roaming = got[0], got[1]
    assert (first["service"], first["destination"], first["usage"]) == (
        "data",
        "internet",
        2_000_000,
    )
    assert (first["msisdn"], first["imsi"]) == ("4915200000101", "262010000000001")
    assert first["started_at"] == datetime(2026, 11, 15, 9, 0, tzinfo=UTC)
    assert (first["visited_network"], roaming["visited_network"]) == ("", "23410")
    assert [row for row, _, _ in bad] == [4]  # the file's cut-off tail waits in quarantine


def test_a_ber_record_broken_in_the_middle_stops_only_itself() -> None:
    good = pgw_record(1)
    broken = good[:4] + b"\x00" * (len(good) - 4)  # its length is right, its content is not
    mapping = reader("3gpp").defaults
    [batch] = list(batches("3gpp", io.BytesIO(good + broken + pgw_record(3)), mapping))
    assert batch.read["row"].to_list() == [1, 3]
    assert [row for row, _ in batch.unreadable] == [2]
    assert batch.raw_of(2) == broken.hex()


def test_a_large_file_is_read_in_batches_without_holding_it() -> None:
    line = "k{},voice,out,4915200000101,,4930123456,2026-11-15T10:00:00Z,61,"
    rows = 200_000

    class Lines(io.RawIOBase):
        """A file made as it is read, so only the batches' own records exist at once."""

        def __init__(self) -> None:
            made = (f"{line.format(n)}\n".encode() for n in range(rows))
            self.lines = itertools.chain([csv_file()], made)

        def readable(self) -> bool:
            return True

        def __iter__(self):  # type: ignore[no-untyped-def]
            return self.lines

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sizes = [len(b.read) for b in batches("csv", Lines(), None, 10_000)]
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert sum(sizes) == rows and max(sizes) == 10_000
    assert grown_mb < 100


@settings(max_examples=40, deadline=None)
@given(
    size=st.integers(min_value=1, max_value=12),
    order=st.permutations(list(range(10))),
)
def test_what_a_file_reads_as_does_not_depend_on_batching_or_order(
    size: int, order: list[int]
) -> None:
    calls = [call(f"p{n}", at=f"2026-11-15T10:{n:02d}:00Z", seconds=n * 7) for n in range(10)] + [
        "bad,voice,out,4915200000101,,4930123456,never,1,"
    ]
    shuffled = [calls[n] for n in order] + calls[10:]
    got: dict[str, dict] = {}
    for batch in batches("csv", io.BytesIO(csv_file(*shuffled)), None, size):
        for record in batch.read.drop("row").to_dicts():
            got[record["record_key"]] = record
    whole = next(batches("csv", io.BytesIO(csv_file(*calls)), None, 100))
    assert got == {r["record_key"]: r for r in whole.read.drop("row").to_dicts()}
