"""A German agent finds an order the network refused at the top of the list and sends it again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from saas.network.provisioning import models as M
from tests.e2e.test_branding_and_login import log_in
from tests.e2e.test_offer_design_and_upgrade import HOST, _spreewelle
from tests.support import mno as sim
from tests.support.provisioning import order, place, run_jobs

# Subscribing mails the subscriber: a real SMTP server takes the mail, so no delivery job
# is left retrying on the stub broker for the next test's worker.
pytestmark = pytest.mark.usefixtures("smtp")


@pytest.mark.browser
def test_a_refused_order_is_retried_from_the_german_console(
    app: Any, make: Any, mno: Any, worker: Any, new_context: Any, urls: Any, artifacts: Path
) -> None:
    brand = _spreewelle(app)
    plan = make.plan(brand)
    holder = make.user(brand, "subscriber", full_name="Erika Muster")
    sub = make.subscription(brand, holder, plan.version_id)
    line = sim.line()
    mno.fault(iccid=line["iccid"], status=422, times=1)
    order_id = place(app, brand, sub.id, M.ACTIVATE, **line)
    run_jobs()
    agent = make.user(brand, "staff", ("agent",), locale="de", full_name="Jonas Service")
    page = new_context(locale="de-DE").new_page()
    log_in(page, urls(HOST, "/account/login"), agent.email, agent.password)

    page.get_by_test_id("nav-network").click()
    page.get_by_test_id("nav-provisioning-orders").click()
    first = page.get_by_test_id("order-row").first
    assert first.get_attribute("data-id") == str(order_id)
    assert first.get_by_test_id("order-state").inner_text() == "Vom Netz abgelehnt"
    first.get_by_test_id("order-action").click()
    assert page.get_by_test_id("order-error").inner_text() == (
        "Das Netz hat den Auftrag als unvollständig oder ungültig abgelehnt."
    )
    with page.expect_navigation():
        page.get_by_test_id("order-retry").click()
    assert (
        "erneut an das Netz gesendet"
        in page.locator(".flash, [role=alert], body").first.inner_text()
    )
    run_jobs()
    page.reload()
    assert page.get_by_test_id("order-state").inner_text() == "Erledigt"
    assert page.get_by_test_id("order-retry").count() == 0
    states = page.get_by_test_id("order-event-state").all_inner_texts()
    assert states == ["Wartet auf Versand", "Vom Netz abgelehnt", "Wartet auf Versand", "Erledigt"]
    assert order(app, brand, order_id).attempts == 2
    assert mno.lines()[line["msisdn"]]["state"] == "active"
    page.screenshot(path=str(artifacts / "german-provisioning-retry.png"), full_page=True)
