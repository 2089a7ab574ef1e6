"""The console's rating area: decks in words, a zip import, the tariff simulator."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import get, logged_in, post, text
from tests.support.forms import field_errors

PLAN = Path(__file__).parents[1] / "data" / "cgrates" / "spreewelle"


def _zip(changes: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for path in PLAN.iterdir():
            archive.writestr(f"tp/{path.name}", (changes or {}).get(path.name, path.read_bytes()))
    return out.getvalue()


def _upload(c: Any, data: bytes, **fields: str) -> Any:
    return c.post(
        "/admin/rating/import",
        data={"file": (io.BytesIO(data), "tarif.zip"), "deck": "retail", **fields},
        content_type="multipart/form-data",
        base_url=f"http://{c.brand.host}",
    )


def _errors(response: Any, name: str) -> str:
    return " ".join(field_errors(text(response)).get(name, []))


@pytest.fixture
def staff(app: Any, make: Any) -> Any:
    return logged_in(app, make, make.brand(timezone="UTC"))


def test_a_zip_is_imported_and_the_deck_reads_in_words(staff: Any) -> None:
    assert "No rate decks yet" in text(get(staff, "/admin/rating"))
    done = _upload(staff, _zip())
    assert done.status_code == 302, text(done)
    shown = text(get(staff, done.headers["Location"]))
    assert "+4930" in shown and "RT_MOBILE_PEAK" in shown
    assert "€0.19 per 1 minute, charged by 1 minute" in shown
    assert "after 1 minute: €0.09 per 1 minute, charged by 1 second" in shown
    assert "Mon, Tue, Wed, Thu, Fri, from 8:00" in shown
    assert "rounded half up to 5 decimals" in shown
    listing = text(get(staff, "/admin/rating"))
    assert "Version 1" in listing and "in force now" in listing
    log = text(get(staff, "/admin/audit"))
    assert "imported version 1 of the rate deck retail, in force from Jan 14, 2014" in log


def test_a_bad_row_is_named_beside_the_file_and_nothing_imported(staff: Any) -> None:
    bad = _zip({"Rates.csv": (PLAN / "Rates.csv").read_bytes() + b"RT_X,0,0.1,60s,0s,0s\n"})
    done = _upload(staff, bad)
    assert done.status_code == 400
    assert "rows with errors: 1; nothing was imported" in _errors(done, "file")
    assert "Rates.csv, row 18: RateIncrement must be more than zero" in text(done)
    assert "No rate decks yet" in text(get(staff, "/admin/rating"))
    nothing = _upload(staff, b"not a zip")
    assert "not a zip file" in _errors(nothing, "file")


def test_the_simulator_prices_a_record_with_its_breakdown(staff: Any) -> None:
    _upload(staff, _zip())
    form = {
        "category": "voice",
        "subject": "classic",
        "destination": "48501234567",
        "answer_time": "2019-03-11T09:00",
        "usage": "75",
    }
    shown = text(post(staff, "/admin/rating/simulator", form))
    assert "Price: €0.4534" in shown
    assert "2 increments of 30 seconds at €0.145 each, from 0 seconds" in shown
    assert "1 increment of" not in shown
    assert "2 increments of 10 seconds at €0.0317 each, from 1 minute" in shown
    assert "Charged usage" in shown and "80 seconds" in shown
    refused = post(staff, "/admin/rating/simulator", form | {"destination": "12125551234"})
    assert refused.status_code == 400
    assert "no destination of the deck matches 12125551234" in _errors(refused, "destination")


def test_read_only_staff_see_the_decks_but_cannot_import(app: Any, make: Any) -> None:
    c = logged_in(app, make, make.brand(), roles=("read_only",))
    assert get(c, "/admin/rating").status_code == 200
    assert get(c, "/admin/rating/simulator").status_code == 200
    assert get(c, "/admin/rating/import").status_code == 403
    assert get(c, "/admin/rating/versions/999999").status_code == 404
