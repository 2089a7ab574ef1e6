"""The retention period: from the brand file once, then the console's; bad values refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from saas.customers.privacy import settings
from saas.tenancy.brands import by_slug
from tests.conftest import get, in_brand, in_platform, logged_in, post, text
from tests.support.forms import field_errors

BRAND = """slug = "{slug}"
name = "Prywatna"
default_locale = "pl"
currency = "PLN"
timezone = "Europe/Warsaw"

[privacy]
{privacy}
"""


def _sync(app: Any, folder: Path, slug: str, privacy: str) -> Any:
    (folder / f"{slug}.toml").write_text(BRAND.format(slug=slug, privacy=privacy), "utf-8")
    return app.test_cli_runner().invoke(args=["tenants", "sync", "--dir", str(folder)])


def _days(app: Any, slug: str) -> int:
    with in_platform(app) as session:
        tenant_id = by_slug(session, slug).id
    with in_brand(app, tenant_id) as session:
        return settings.of_brand(session).retention_days


def test_the_brand_files_period_is_kept_once_and_the_console_owns_it_after(
    app: Any, tmp_path: Path
) -> None:
    first = _sync(app, tmp_path, "prywatna", "retention_days = 90")
    assert first.exit_code == 0, first.output
    assert "prywatna: created privacy settings" in first.output
    assert _days(app, "prywatna") == 90
    again = _sync(app, tmp_path, "prywatna", "retention_days = 30")
    assert again.exit_code == 0 and "privacy settings" not in again.output
    assert _days(app, "prywatna") == 90


def test_a_bad_privacy_table_is_refused_naming_the_brand_and_the_reason(
    app: Any, tmp_path: Path
) -> None:
    for slug, table, said in (
        ("zlaprywatna", "retention_days = 0", "between 1 and 3650 days"),
        ("innaprywatna", 'keep = "forever"', "unknown setting(s): keep"),
    ):
        result = _sync(app, tmp_path, slug, table)
        assert result.exit_code != 0 and said in result.output, result.output
        with in_platform(app) as session:
            assert by_slug(session, slug) is None
        (tmp_path / f"{slug}.toml").unlink()


def test_a_brand_without_settings_keeps_180_days(app: Any, make: Any) -> None:
    with in_brand(app, make.brand().id) as session:
        assert settings.of_brand(session).retention_days == 180


def test_an_owner_changes_the_period_in_polish_and_a_bad_one_is_refused_beside_the_field(
    app: Any, make: Any
) -> None:
    brand = make.brand(default_locale="pl", locales=["pl"])
    owner = logged_in(app, make, brand, ("owner",))
    page = text(get(owner, "/admin/settings/privacy"))
    assert "Okres przechowywania w dniach" in page and 'value="180"' in page
    refused = post(owner, "/admin/settings/privacy", {"retention_days": "0"})
    assert refused.status_code == 400
    assert field_errors(refused) == {"retention_days": ["Wpisz liczbę dni od 1 do 3650."]}
    saved = post(owner, "/admin/settings/privacy", {"retention_days": "1.095"})
    assert saved.status_code == 400  # a thousands separator is not a whole number of days
    assert post(owner, "/admin/settings/privacy", {"retention_days": "365"}).status_code == 302
    with in_brand(app, brand.id) as session:
        assert settings.of_brand(session).retention_days == 365
    log = text(get(owner, "/admin/audit"))
    assert "ustawił(a) okres przechowywania danych osobowych na 365 dni" in log


def test_an_agent_reads_the_period_and_may_not_change_it(app: Any, make: Any) -> None:
    brand = make.brand(default_locale="de", locales=["de"])
    agent = logged_in(app, make, brand, ("agent",))
    page = text(get(agent, "/admin/settings/privacy"))
    assert "privacy-settings-form" not in page and "Aufbewahrungsfrist in Tagen" in page
    assert post(agent, "/admin/settings/privacy", {"retention_days": "30"}).status_code == 403
