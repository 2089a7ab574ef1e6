"""A German agent tops up a prepaid balance; the subscriber sees it, and what is left, in German."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from saas.db import utcnow
from tests.e2e.test_branding_and_login import log_in
from tests.support.charging import charge, line_for, plan, record, subscriber


@pytest.mark.browser
def test_an_agent_tops_up_and_the_subscriber_sees_the_balance_and_minutes_left(
    app: Any, make: Any, new_context: Any, urls: Any, artifacts: Path
) -> None:
    brand = make.brand(default_locale="de", locales=["de"], timezone="Europe/Berlin")
    host = f"{brand.slug}.localhost"
    made = plan(make, brand, [{"metric": "voice_minutes", "quantity": "300"}], payment="prepaid")
    sub = subscriber(make, brand, made.version_id)
    line = line_for(app, brand, sub.id)
    charge(app, brand, [record(line, usage=42 * 60, started_at=utcnow() - timedelta(hours=1))])
    agent = make.user(brand, "staff", ("agent",), locale="de", full_name="Jonas Service")

    page = new_context(locale="de-DE").new_page()
    log_in(page, urls(host, "/account/login"), agent.email, agent.password)
    page.goto(urls(host, f"/admin/subscriptions/{sub.id}"))
    with page.expect_navigation():
        page.get_by_test_id("allowances-link").click()
    assert page.get_by_test_id("usage-left").inner_text() == "258 von 300 Minuten übrig"
    assert page.get_by_test_id("usage-balance").inner_text() == "0,00\xa0€"
    with page.expect_navigation():
        page.get_by_test_id("top-up").click()
    assert page.get_by_test_id("error-amount").is_visible()
    assert page.get_by_test_id("error-reason").is_visible()
    page.get_by_test_id("top-up-amount").fill("12,50")
    page.get_by_test_id("top-up-reason").fill("Im Laden bar bezahlt")
    with page.expect_navigation():
        page.get_by_test_id("top-up").click()
    assert "Guthaben aufgeladen: jetzt 12,50" in page.locator("main").inner_text()
    entry = page.get_by_test_id("usage-entry").first.inner_text()
    assert "Aufladung: Im Laden bar bezahlt" in entry and agent.email in entry

    mine = new_context(locale="de-DE").new_page()
    log_in(mine, urls(host, "/account/login"), sub.person.email, sub.person.password)
    mine.goto(urls(host, "/plan"))
    with mine.expect_navigation():
        mine.get_by_test_id("allowances-link").click()
    assert mine.get_by_test_id("balance-amount").inner_text() == "12,50\xa0€"
    assert "Aufladung" in mine.get_by_test_id("balance-entry").first.inner_text()
    assert mine.get_by_test_id("allowance-left").inner_text() == "258 von 300 Minuten übrig"
    mine.screenshot(path=str(artifacts / "german-prepaid-balance.png"), full_page=True)
