"""An operator creates a brand with its owner; the owner sets a password from the mailed link."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from saas.platform_setup import DEMO_OPERATOR
from tests.e2e.test_branding_and_login import log_in, on_login_page
from tests.integration.test_mails import _invite_link, delivered

PASSWORD = "mein-erstes-passwort"


def _create_brand(page: Any, urls: Any, slug: str, owner: str) -> None:
    page.goto(urls("localhost", "/platform/brands/new"))
    form = page.get_by_test_id("brand-form")
    form.locator("[name=slug]").fill(slug)
    form.locator("[name=name]").fill("Havel Mobil")
    form.locator("[name=default_locale]").select_option("de")
    form.locator("[name=locales][value=de]").check()
    form.locator("[name=currency]").fill("EUR")
    form.locator("[name=timezone]").fill("Europe/Berlin")
    form.locator("[name=theme]").select_option("spreewelle")
    form.locator("[name=owner_email]").fill(owner)
    form.locator("[name=owner_name]").fill("Hanna Havel")
    with page.expect_navigation():
        page.get_by_test_id("save-brand").click()


@pytest.mark.browser
def test_an_invited_owner_sets_a_password_in_the_browser_and_opens_the_console(
    page: Any, new_context: Any, urls: Any, smtp: Any, worker: Any, artifacts: Path
) -> None:
    slug, owner = f"h{uuid.uuid4().hex[:8]}", f"hanna-{uuid.uuid4().hex[:6]}@havel.example"
    log_in(page, urls("localhost", "/account/login"), *DEMO_OPERATOR)
    _create_brand(page, urls, slug, owner)
    assert page.get_by_test_id("brand-title").inner_text() == "Havel Mobil"
    assert owner in page.get_by_test_id("owner-invites").inner_text()

    [mail] = delivered(smtp, worker)
    assert mail["To"] == owner and mail["From"].startswith("Havel Mobil <")
    link = _invite_link(mail)
    assert link.startswith(urls(f"{slug}.localhost", "/account/reset/"))

    invited = new_context(locale="de-DE").new_page()
    invited.goto(link)
    form = invited.locator("form:has(input[name=password_confirm])")
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("input[name=password_confirm]").fill(PASSWORD)
    with invited.expect_navigation():
        form.locator("[type=submit]").click()
    log_in(invited, urls(f"{slug}.localhost", "/account/login"), owner, PASSWORD)
    assert not on_login_page(invited), "the new password was refused"
    invited.goto(urls(f"{slug}.localhost", "/admin/"))
    assert "/admin/" in invited.url and invited.locator("html").get_attribute("lang") == "de"
    invited.screenshot(path=str(artifacts / "owner-invited-console.png"), full_page=True)
