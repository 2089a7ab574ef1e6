"""A German owner changes a price and reads the change as a German sentence in the audit log."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_branding_and_login import log_in
from tests.e2e.test_german_price_form import _fee, _new_plan
from tests.e2e.test_offer_design_and_upgrade import HOST, _spreewelle


def _save_fee(page: Any, amount: str) -> None:
    row = page.get_by_test_id("draft-form").get_by_test_id("component-row").nth(0)
    _fee(row, "grundgebuehr", "Grundgebühr", amount)
    with page.expect_navigation():
        page.get_by_test_id("save-draft").click()


@pytest.mark.browser
def test_a_price_raised_in_the_german_console_reads_as_a_sentence_in_the_audit_log(
    app: Any, make: Any, new_context: Any, urls: Any, artifacts: Path
) -> None:
    owner = make.user(_spreewelle(app), "staff", ("owner",), locale="de", full_name="Greta Inhaber")
    page = new_context(locale="de-DE").new_page()
    log_in(page, urls(HOST, "/account/login"), owner.email, owner.password)
    _new_plan(page, urls, f"probe-{uuid.uuid4().hex[:6]}")
    _save_fee(page, "19,99")
    _save_fee(page, "24,99")

    page.goto(urls(HOST, "/admin/audit"))
    newest = page.get_by_test_id("audit-sentence").first
    assert newest.inner_text() == (
        "Greta Inhaber hat den Preis von Spree Probe von 19,99\u00a0€ auf 24,99\u00a0€ erhöht"
    )
    page.screenshot(path=str(artifacts / "german-audit-log.png"), full_page=True)
