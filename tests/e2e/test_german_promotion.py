"""A German brand owner creates a promotion, edits it the German way, finds it listed, ends it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import in_brand
from tests.e2e.test_german_price_form import _german_owner
from tests.e2e.test_offer_design_and_upgrade import HOST, _spreewelle


def _stored(app: Any, code: str) -> Any:
    from sqlalchemy import select

    from saas.catalog.models import Promotion

    with in_brand(app, _spreewelle(app).id) as session:
        row = session.scalars(select(Promotion).filter_by(code=code)).one()
        return row.name, row.value, row.valid_until


@pytest.fixture
def code(app: Any) -> Iterator[str]:
    """A fresh promotion code; Spreewelle, which other tests count, loses the promotion after."""
    from sqlalchemy import delete

    from saas.catalog.models import Promotion

    code = f"herbst-{uuid.uuid4().hex[:6]}"
    yield code
    with in_brand(app, _spreewelle(app).id) as session:
        session.execute(delete(Promotion).filter_by(code=code))


@pytest.mark.browser
def test_a_german_owner_creates_edits_lists_and_ends_a_promotion(
    app: Any, make: Any, new_context: Any, urls: Any, artifacts: Path, code: str
) -> None:
    page = _german_owner(app, make, new_context, urls)
    page.goto(urls(HOST, "/admin/catalog/promotions"))
    form = page.get_by_test_id("promotion-form")
    form.locator("[name=code]").fill(code)
    form.locator("[name=name]").fill("Herbstrabatt")
    form.locator("[name=kind]").select_option("fixed")
    form.locator("[name=value]").fill("1,50")
    form.locator("[name=currency]").fill("EUR")
    with page.expect_navigation():
        page.get_by_test_id("promotion-create").click()
    assert "Aktion Herbstrabatt angelegt." in page.locator(".flashes").inner_text()

    row = page.get_by_test_id("promotion-row").filter(has_text=code)
    with page.expect_navigation():
        row.get_by_test_id("promotion-edit-link").click()
    edit = page.get_by_test_id("promotion-edit-form")
    assert edit.locator("[name=value]").input_value() == "1,50"
    edit.locator("[name=name]").fill("Herbstbonus")
    edit.locator("[name=value]").fill("2,99")
    edit.locator("[name=duration]").select_option("repeating")
    edit.locator("[name=cycles]").fill("3")
    with page.expect_navigation():
        page.get_by_test_id("promotion-save").click()
    discount = page.get_by_test_id("promotion-discount").inner_text()
    assert discount == "2,99\xa0€ Rabatt für 3 Abrechnungszeiträume"
    page.screenshot(path=str(artifacts / "german-promotion-edited.png"), full_page=True)

    page.goto(urls(HOST, "/admin/catalog/promotions"))
    row = page.get_by_test_id("promotion-row").filter(has_text=code)
    assert "Herbstbonus" in row.inner_text() and "2,99" in row.inner_text()
    with page.expect_navigation():
        row.get_by_test_id("promotion-link").click()
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_test_id("promotion-end").click()
    assert page.get_by_test_id("promotion-state").inner_text() == "Beendet"
    assert page.get_by_test_id("promotion-end").count() == 0
    name, value, until = _stored(app, code)
    assert (name, value) == ("Herbstbonus", Decimal("2.99")) and until is not None
