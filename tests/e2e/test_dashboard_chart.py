"""A German brand owner opens the console and reads the year's subscriptions off the chart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from babel.dates import format_skeleton

from tests.conftest import in_brand
from tests.e2e.test_branding_and_login import log_in
from tests.support.months import ZONE, local, month


def _german_brand_with_a_history(app: Any, make: Any) -> Any:
    """Three sign-ups two months ago, one of them cancelled last month; 19,99 € a month each."""
    from saas.catalog.models import PlanVersion
    from saas.identity.models import User
    from saas.subscriptions import services as subs

    brand = make.brand(timezone=ZONE, default_locale="de", locales=["de"], currency="EUR")
    components = [{"code": "grund", "name": "Grundgebühr", "kind": "recurring", "amount": "19.99"}]
    plan = make.plan(brand, name="Spree Start", components=components)
    people = [make.user(brand, "subscriber") for _ in range(3)]
    with in_brand(app, brand.id) as session:
        version = session.get(PlanVersion, plan.version_id)
        taken = [
            subs.subscribe(session, session.get(User, p.id), version, local(2, 3 + i))
            for i, p in enumerate(people)
        ]
        subs.cancel(session, taken[0], local(1, 7))
    return brand


@pytest.mark.browser
def test_the_dashboard_chart_shows_the_months_numbers_in_german(
    app: Any, make: Any, new_context: Any, urls: Any, artifacts: Path
) -> None:
    brand = _german_brand_with_a_history(app, make)
    owner = make.user(brand, "staff", ("owner",), locale="de")
    page = new_context(locale="de-DE").new_page()
    log_in(page, urls(brand.host, "/account/login"), owner.email, owner.password)
    page.goto(urls(brand.host, "/admin/"))

    chart = page.get_by_test_id("moves-chart")
    assert chart.is_visible()
    title = chart.locator("title#moves-title").text_content() or ""
    assert title.startswith("Neue, hochgestufte, herabgestufte und gekündigte Verträge")
    assert chart.locator("rect.chart-bar").count() == 48
    two_ago, last = (
        format_skeleton("yMMMM", month(2), locale="de"),
        format_skeleton("yMMMM", month(1), locale="de"),
    )
    new_bar = page.get_by_test_id("bar-new-9")
    assert new_bar.get_attribute("data-value") == "3"
    assert new_bar.get_attribute("aria-label") == f"Neu im {two_ago}: 3"
    cancelled_bar = page.get_by_test_id("bar-cancelled-10")
    assert cancelled_bar.get_attribute("aria-label") == f"Gekündigt im {last}: 1"
    assert float(new_bar.get_attribute("height") or 0) > float(
        cancelled_bar.get_attribute("height") or 0
    )

    row = page.get_by_test_id(f"moves-{month(2):%Y-%m}")
    assert row.locator("th").inner_text() == two_ago
    assert [row.get_by_test_id(m).inner_text() for m in ("new", "cancelled")] == ["3", "0"]
    assert (
        page.get_by_test_id(f"moves-{month(1):%Y-%m}").get_by_test_id("cancelled").inner_text()
        == "1"
    )
    # Two lines left at 19,99 € each.
    assert page.get_by_test_id("mrr-EUR").inner_text() == "39,98\xa0€"
    page.screenshot(path=str(artifacts / "dashboard-chart-de.png"), full_page=True)
