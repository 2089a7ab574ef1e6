"""A German owner filters the subscriptions by plan, turns to page two, and downloads the CSV."""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import recurring
from tests.e2e.test_german_price_form import _german_owner
from tests.e2e.test_offer_design_and_upgrade import _spreewelle
from tests.support.lists import add_people, subscribe_all

ROWS = 55


@pytest.mark.browser
def test_subscriptions_filtered_by_plan_in_german_page_two_and_the_csv_download(
    app: Any, make: Any, new_context: Any, urls: Any, artifacts: Path
) -> None:
    brand = _spreewelle(app)
    name = f"Spree Liste {uuid.uuid4().hex[:6]}"
    plan = make.plan(brand, name=name, product="mobil", components=recurring("12.50"))
    subscribed = subscribe_all(app, brand, add_people(app, brand, ROWS, "Liste"), plan.version_id)
    page = _german_owner(app, make, new_context, urls)
    page.goto(urls("spreewelle.localhost", "/admin/subscriptions"))

    page.get_by_label("Tarif").select_option(label=name)
    with page.expect_navigation():
        page.get_by_test_id("subscription-filter-show").click()
    rows = page.get_by_test_id("subscription-row")
    assert rows.count() == 50
    assert page.get_by_test_id("subscription-total").inner_text() == f"Gefunden: {ROWS}"

    with page.expect_navigation():
        page.get_by_text("Ältere →").click()
    assert rows.count() == ROWS - 50
    assert page.get_by_label("Tarif").input_value() == str(plan.id)  # the filter is kept
    shown = [int(rows.nth(i).get_attribute("data-id")) for i in range(rows.count())]
    assert shown == sorted(subscribed, reverse=True)[50:]
    page.screenshot(path=str(artifacts / "subscriptions-page-two.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_text("Als CSV herunterladen").click()
    saved = Path(download.value.path())
    assert download.value.suggested_filename.startswith("spreewelle-subscriptions-")
    body = saved.read_bytes().decode("utf-8")
    assert body.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert table[0][:3] == ["#", "Name", "E-Mail"]
    assert sorted(int(r[0]) for r in table[1:]) == sorted(subscribed)
    assert {(r[4], r[8]) for r in table[1:]} == {(name, "12,50")}
