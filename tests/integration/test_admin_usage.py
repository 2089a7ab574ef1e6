"""Console and portal: the usage pipeline, uploads, quarantine, sources, a line's rated records."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import get, logged_in, login, post, text
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


def _upload(c: Any, source: str, content: bytes, name: str = "day.csv") -> Any:
    data = {"source": source, "file": (io.BytesIO(content), name)}
    return c.post(
        "/admin/usage/files",
        data=data,
        base_url=f"http://{c.brand.host}",
        content_type="multipart/form-data",
    )


def test_a_file_uploaded_in_the_console_is_rated_and_its_quarantine_shown_in_words(
    app, make, brand, rater
):  # type: ignore[no-untyped-def]
    U.line(app, make, brand)
    U.source(app, brand, "csv")
    c = logged_in(app, make, brand)
    sent = _upload(c, "csv", (U.DATA / "normalised.csv").read_bytes())
    assert sent.status_code == 302
    file_id = int(sent.headers["Location"].rsplit("/", 1)[1])
    U.work(app, brand, file_id)
    pipeline = text(get(c, "/admin/usage"))
    assert "normalised.csv" not in pipeline and "day.csv" in pipeline and "Rated" in pipeline
    page = text(get(c, f"/admin/usage/files/{file_id}"))
    assert "No line held this number or SIM at the time" in page
    assert "The record could not be read" in page and "started_at is not a time" in page
    again = _upload(c, "csv", (U.DATA / "normalised.csv").read_bytes(), "again.csv")
    assert "This file was received before" in text(get(c, again.headers["Location"]))


def test_re_processing_in_the_console_lets_the_fixed_records_out_of_quarantine(
    app, make, brand, rater
):  # type: ignore[no-untyped-def]
    U.source(app, brand, "csv")
    done = U.ingest(app, brand, "csv", U.csv_file(U.call("a"), U.call("b")))
    U.line(app, make, brand)
    c = logged_in(app, make, brand)
    answer = post(c, f"/admin/usage/files/{done.id}/reprocess")
    assert answer.status_code == 302
    page = text(get(c, f"/admin/usage/files/{done.id}"))
    assert "2 records rated, 0 still in quarantine." in page
    assert "Nothing waits in quarantine." in page


def test_an_upload_without_a_file_is_refused_beside_the_field(app, make, brand):  # type: ignore[no-untyped-def]
    U.source(app, brand, "csv")
    c = logged_in(app, make, brand)
    answer = c.post("/admin/usage/files", data={"source": "csv"}, base_url=f"http://{brand.host}")
    assert answer.status_code == 400
    assert 'data-testid="error-file"' in text(answer)


def test_a_source_is_saved_with_its_mapping_and_a_bad_time_zone_is_named(app, make, brand):  # type: ignore[no-untyped-def]
    c = logged_in(app, make, brand)
    form = {
        "name": "pbx",
        "format": "asterisk",
        "time_zone": "Mars/Olympus",
        "msisdn": "accountcode|src",
    }
    refused = post(c, "/admin/usage/sources/new", form)
    assert refused.status_code == 400 and "is not a time zone" in text(refused)
    saved = post(c, "/admin/usage/sources/new", form | {"time_zone": "Europe/Berlin"})
    assert saved.status_code == 302
    listed = text(get(c, "/admin/usage/sources"))
    assert (
        "Asterisk Master.csv" in listed
        and "accountcode|src" in listed
        and "Europe/Berlin" in listed
    )


def test_a_line_page_shows_its_rated_records_with_their_breakdown(app, make, brand, rater):  # type: ignore[no-untyped-def]
    line = U.line(app, make, brand)
    U.source(app, brand, "csv")
    U.ingest(app, brand, "csv", U.csv_file(U.call("a", seconds=65)))
    c = logged_in(app, make, brand)
    page = text(get(c, f"/admin/network/lines/{line.id}"))
    assert "Rated usage" in page and "1 min 5 s" in page and "2 min 0 s" in page
    assert "€0.12" in page and "Rate 1" in page


def test_another_brands_usage_file_and_source_are_not_found(app, make, brand, rater):  # type: ignore[no-untyped-def]
    other = make.brand()
    src = U.source(app, other, "csv")
    theirs = U.send(app, other, "csv", U.csv_file(U.call("a")))
    c = logged_in(app, make, brand)
    assert get(c, f"/admin/usage/files/{theirs.id}").status_code == 404
    assert post(c, f"/admin/usage/files/{theirs.id}/reprocess").status_code == 404
    assert get(c, f"/admin/usage/sources/{src.id}").status_code == 404


def test_the_portal_shows_the_subscribers_usage_with_numbers_masked(
    app, client, make, brand, rater
):  # type: ignore[no-untyped-def]
    line = U.line(app, make, brand)
    U.source(app, brand, "csv")
    U.ingest(
        app,
        brand,
        "csv",
        U.csv_file(
            U.call("a", seconds=65),
            "d,data,out,4915200000101,,internet,2026-11-15T11:00:00Z,2500000,",
        ),
    )
    person = line.subscriber
    login(client, brand.host, person.email, person.password)
    page = text(client.get("/usage", base_url=f"http://{brand.host}"))
    assert "+4930123•••" in page and "4930123456" not in page
    assert "1 min 5 s" in page and "2.5 MB" in page and "internet" in page
