"""A plan designed in the console is taken in the portal after a priced, prorated preview."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from saas.money import format_money
from tests.conftest import Snapshot, in_brand, in_platform
from tests.e2e.test_branding_and_login import brand_file, log_in, owner_of

HOST = "spreewelle.localhost"
MONTHLY_FEE = "29.99"


def _spreewelle(app: Any) -> Any:
    from saas.tenancy.brands import by_slug

    with in_platform(app) as session:
        tenant = by_slug(session, "spreewelle")
        return Snapshot(id=tenant.id, currency=tenant.currency, host=HOST)


def _published_version_id(app: Any, brand: Any, plan_code: str) -> int:
    from saas.catalog import services as catalog

    with in_brand(app, brand.id) as session:
        plan = catalog.plan_by_code(session, plan_code)
        assert plan is not None and plan.published is not None
        return plan.published.id


@pytest.fixture
def subscriber_on_allnet_10(app: Any, make: Any) -> Any:
    """A fresh Spreewelle subscriber who took Allnet 10 GB twelve days ago."""
    from saas.db import utcnow

    brand = _spreewelle(app)
    person = make.user(brand, "subscriber", full_name="Erika Probe")
    version_id = _published_version_id(app, brand, "allnet-10")
    sub = make.subscription(brand, person, version_id, utcnow() - timedelta(days=12))
    return brand, person, sub


def _design_plan(page: Any, urls: Any, code: str, name: str) -> None:
    """Create a plan, price it (with a live quote of its data charge), and save the draft."""
    page.goto(urls(HOST, "/admin/"))
    page.get_by_test_id("nav-catalog").click()
    page.get_by_test_id("new-plan").click()
    form = page.get_by_test_id("plan-form")
    form.locator("[name=code]").fill(code)
    form.locator("[name=name]").fill(name)
    form.locator("[name=product]").select_option("mobil")
    form.locator("[name=kind]").select_option("plan")
    form.locator("[name=payment]").select_option("postpaid")
    with page.expect_navigation():
        page.get_by_test_id("plan-create").click()

    draft = page.get_by_test_id("draft-form")
    fee = draft.get_by_test_id("component-row").nth(0)
    fee.locator("[name$='-kind']").select_option("recurring")
    fee.locator("[name$='-code']").fill("grundgebuehr")
    fee.locator("[name$='-name']").fill("Grundgebühr")
    fee.locator("[name$='-amount']").fill(MONTHLY_FEE)

    page.get_by_test_id("add-component").click()
    data = draft.get_by_test_id("component-row").nth(1)
    data.locator("[name$='-kind']").select_option("usage")
    data.locator("[name$='-code']").fill("daten")
    data.locator("[name$='-name']").fill("Daten über Paket")
    data.locator("[name$='-metric']").select_option("data_mb")
    data.locator("[name$='-charge_model']").select_option("standard")
    # Typed in the advanced view: editing the Lago JSON makes it the one saved.
    data.get_by_test_id("lago-json").locator("summary").click()
    data.locator("[name$='-properties']").fill('{"amount": "0.002"}')
    assert data.locator("[name$='-unit_amount']").input_value() == "0.002"
    data.get_by_test_id("quote-units").fill("1500")
    # 1500 MB at 0.002 is exactly 3.00, priced live by the engine before anything is saved.
    quote = data.get_by_test_id("quote-amount")
    quote.filter(has_text="3.00").wait_for()

    allowance = draft.get_by_test_id("allowance-row").nth(0)
    allowance.locator("[name$='-metric']").select_option("data_mb")
    allowance.locator("[name$='-quantity']").fill("51200")
    with page.expect_navigation():
        page.get_by_test_id("save-draft").click()


def _publish(page: Any) -> None:
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_test_id("publish").click()


def _expected_upgrade(app: Any, brand: Any, sub_id: int, version_id: int) -> Decimal:
    """What the domain prices the upgrade at right now (the page must show the same)."""
    from saas.catalog.models import PlanVersion
    from saas.db import utcnow
    from saas.subscriptions import services as subs

    with in_brand(app, brand.id) as session:
        sub = subs.get(session, sub_id)
        version = session.get(PlanVersion, version_id)
        return subs.preview_change(session, sub, version, utcnow()).total


@pytest.mark.browser
def test_a_plan_designed_in_the_console_is_taken_in_the_portal_after_a_prorated_preview(
    app: Any, new_context: Any, urls: Any, artifacts: Path, subscriber_on_allnet_10: Any
) -> None:
    brand, person, sub = subscriber_on_allnet_10
    spree = brand_file("spreewelle")
    code, name = f"allnet-50-{uuid.uuid4().hex[:6]}", "Spree Allnet 50 GB"

    staff = new_context().new_page()
    log_in(staff, urls(HOST, "/account/login"), owner_of(spree), spree["demo"]["password"])
    _design_plan(staff, urls, code, name)
    _publish(staff)
    assert "published" in staff.locator("main").inner_text().lower()
    staff.screenshot(path=str(artifacts / "designer-published.png"), full_page=True)
    version_id = _published_version_id(app, brand, code)

    portal = new_context().new_page()
    log_in(portal, urls(HOST, "/account/login"), person.email, person.password)
    portal.get_by_test_id("nav-my-plan").click()
    assert "Allnet 10" in portal.get_by_test_id("current-plan-name").inner_text()

    portal.goto(urls(HOST, "/plans"))
    offer = portal.locator(f"[data-testid=plan-option][data-plan-code='{code}']")
    assert MONTHLY_FEE in offer.inner_text()
    with portal.expect_navigation():
        offer.get_by_test_id("choose-plan").click()

    expected = _expected_upgrade(app, brand, sub.id, version_id)
    assert Decimal(0) < expected < Decimal(MONTHLY_FEE)
    lines = portal.get_by_test_id("preview-line")
    assert lines.count() == 2  # the old fee credited, the new one charged, for the days left
    total = portal.get_by_test_id("preview-total").inner_text()
    assert format_money(expected, "EUR", "en") in total
    portal.screenshot(path=str(artifacts / "portal-upgrade-preview.png"), full_page=True)
    with portal.expect_navigation():
        portal.get_by_test_id("confirm-change").click()

    assert name in portal.get_by_test_id("current-plan-name").inner_text()
    _assert_upgraded(app, brand, sub.id, version_id, expected)


def _assert_upgraded(app: Any, brand: Any, sub_id: int, version_id: int, shown: Decimal) -> None:
    from saas.subscriptions import services as subs

    with in_brand(app, brand.id) as session:
        sub = subs.get(session, sub_id)
        assert sub.plan_version_id == version_id
        change = [e for e in subs.history(session, sub) if e.kind == subs.PLAN_CHANGED][-1]
        assert change.state == "applied"
        assert Decimal(change.data["charges"]["total"]) == shown
