"""The console's network screens: ranges, numbers, SIM files, a line's history; keys never shown."""

from __future__ import annotations

import io
from typing import Any

import pytest

from saas.network import lines, numbers, sims
from saas.subscriptions.models import Subscription
from tests.conftest import get, in_brand, logged_in, page, post, text
from tests.support import network as files
from tests.support.forms import field_errors


@pytest.fixture
def staff(app: Any, make: Any) -> Any:
    return logged_in(app, make, make.brand())


def _upload(c: Any, data: bytes, name: str = "lieferung.csv") -> Any:
    return c.post(
        "/admin/network/sims",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        base_url=f"http://{c.brand.host}",
    )


def _line(app: Any, make: Any, brand: Any, rows: list[dict[str, Any]]) -> int:
    plan = make.plan(brand)
    sub = make.subscription(brand, make.user(brand, "subscriber"), plan.version_id)
    with in_brand(app, brand.id) as session:
        if not numbers.ranges(session):
            numbers.add_range(session, "+49 1520 0000100", "+49 1520 0000199")
        sims.import_rows(session, rows)
        held = numbers.reserve(session, "+49 1520 0000101")
        line = lines.create(session, session.get(Subscription, sub.id), held.token)
        lines.activate(session, line)
        lines.swap_sim(session, line, lines.LOST_CARD)
        return int(line.id)


def test_staff_load_a_range_and_see_its_counts_per_state(staff: Any) -> None:
    form = {"first": "+49 1520 0000000", "last": "+49 1520 0000999"}
    response = post(staff, "/admin/network/numbers/ranges", form)
    assert response.status_code == 302
    shown = text(get(staff, "/admin/network/numbers/ranges"))
    assert "+49 1520 0000000" in shown and "1,000" in shown
    listed = text(get(staff, "/admin/network/numbers", state="available", q="49152000000"))
    assert "+49 1520 0000099" in listed


def test_a_range_of_fixed_line_numbers_is_refused_beside_its_field(staff: Any) -> None:
    form = {"first": "+49 30 1234567", "last": "+49 30 1234999"}
    response = post(staff, "/admin/network/numbers/ranges", form)
    assert response.status_code == 400
    assert field_errors(response) == {
        "first": ["number +49 30 1234567: is not a mobile number"],
    }


def test_a_sim_file_is_imported_and_its_keys_are_never_shown(staff: Any) -> None:
    rows = files.sims(100, 3) + files.sims(103, 1, "esim")
    response = _upload(staff, files.csv_of(rows))
    assert response.status_code == 302
    listed = page(get(staff, "/admin/network/sims"))
    assert rows[0]["iccid"] in listed
    assert all(r["ki"] not in listed and r["opc"] not in listed for r in rows)
    again = _upload(staff, files.csv_of(rows))
    assert again.status_code == 400
    assert "imported already" in " ".join(field_errors(again)["file"])


def test_a_bad_sim_file_names_each_wrong_row_by_its_line(staff: Any) -> None:
    rows = files.sims(200, 3)
    rows[0]["iccid"] = rows[0]["iccid"][:-1] + ("0" if rows[0]["iccid"][-1] != "0" else "1")
    rows[2]["ki"] = "kurz"
    response = _upload(staff, files.csv_of(rows))
    shown = text(response)
    assert response.status_code == 400
    assert "line 2: the ICCID's check digit is wrong" in shown
    assert "line 4: Ki must be 32 hexadecimal characters" in shown
    assert field_errors(response)["file"] == ["rows with errors: 2; nothing was imported"]


def test_a_lines_page_shows_its_numbers_and_sims_over_time_and_never_a_key(
    app: Any, make: Any, staff: Any
) -> None:
    rows = files.sims(300, 3)
    line_id = _line(app, make, staff.brand, rows)
    shown = page(get(staff, f"/admin/network/lines/{line_id}"))
    assert rows[0]["iccid"] in shown and rows[1]["iccid"] in shown
    assert 'data-kind="sim_swapped"' in shown and 'data-kind="activated"' in shown
    assert all(r["ki"] not in shown and r["opc"] not in shown for r in rows)


def test_staff_swap_a_lost_sim_from_the_lines_page(app: Any, make: Any, staff: Any) -> None:
    rows = files.sims(400, 4)
    line_id = _line(app, make, staff.brand, rows)
    form = {"reason": "lost", "kind": "physical", "iccid": rows[3]["iccid"]}
    response = post(staff, f"/admin/network/lines/{line_id}/swap", form)
    assert response.status_code == 302
    taken = post(staff, f"/admin/network/lines/{line_id}/swap", form)
    assert taken.status_code == 400
    assert field_errors(taken)["iccid"] == [f"SIM {rows[3]['iccid']}: is not in stock"]


def test_another_brands_line_is_not_found(app: Any, make: Any, staff: Any) -> None:
    other = make.brand()
    line_id = _line(app, make, other, files.sims(500, 2))
    assert get(staff, f"/admin/network/lines/{line_id}").status_code == 404
    swap = {"reason": "lost", "kind": "physical"}
    assert post(staff, f"/admin/network/lines/{line_id}/swap", swap).status_code == 404
    assert post(staff, f"/admin/network/lines/{line_id}/suspend", {}).status_code == 404
    assert "+49 1520 0000101" not in text(get(staff, "/admin/network/numbers"))


def test_staff_set_up_a_line_with_a_golden_number(app: Any, make: Any, staff: Any) -> None:
    brand = staff.brand
    plan = make.plan(brand)
    sub = make.subscription(brand, make.user(brand, "subscriber"), plan.version_id)
    with in_brand(app, brand.id) as session:
        numbers.add_range(session, "+49 1520 0001230", "+49 1520 0001239")
        sims.import_rows(session, files.sims(600, 1))
    form = {"msisdn": "+49 1520 0001234", "kind": "physical"}
    response = post(staff, f"/admin/subscriptions/{sub.id}/line", form)
    assert response.status_code == 302
    assert "+49 1520 0001234" in text(get(staff, f"/admin/subscriptions/{sub.id}"))


def test_agents_without_network_write_see_no_forms(app: Any, make: Any) -> None:
    reader = logged_in(app, make, make.brand(), ("read_only",))
    shown = page(get(reader, "/admin/network/numbers/ranges"))
    assert 'data-testid="range-form"' not in shown
    refused = post(reader, "/admin/network/numbers/ranges", {"first": "x", "last": "y"})
    assert refused.status_code == 403
