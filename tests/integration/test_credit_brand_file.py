"""A brand file's [credit] table: checked on every sync, kept once, the console's afterwards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner

from saas.tenancy.brands import by_slug
from tests.conftest import in_brand, in_platform

BRAND = """slug = "{slug}"
name = "Kredyt"
default_locale = "pl"
currency = "PLN"
timezone = "Europe/Warsaw"

[credit]
fallback = "{fallback}"
no_record = 5
direct_debit = 0
score_bands = [{{ start = 0, points = 0 }}, {{ start = 500, points = 50 }}]
age_bands = [{{ start = 0, points = 0 }}]
line_bands = [{{ start = 0, points = 0 }}]
negatives = {{ default = -50 }}

[[credit.classes]]
code = "A"
names = {{ pl = "Dobra" }}
min_points = 50
deposit = "{deposit}"
credit_limit = "100"
max_lines = 3
postpaid = true

[[credit.classes]]
code = "Z"
names = {{ pl = "Na kartę" }}
min_points = 0
deposit = "0"
credit_limit = "0"
max_lines = 1
postpaid = false
"""


def _sync(app: Any, folder: Path, slug: str, fallback: str = "Z", deposit: str = "99.00") -> Any:
    text = BRAND.format(slug=slug, fallback=fallback, deposit=deposit)
    (folder / f"{slug}.toml").write_text(text, encoding="utf-8")
    return app.test_cli_runner().invoke(args=["tenants", "sync", "--dir", str(folder)])


def _card(app: Any, slug: str) -> Any:
    from saas.customers.credit import policy

    with in_platform(app) as session:
        tenant_id = by_slug(session, slug).id
    with in_brand(app, tenant_id) as session:
        return policy.scorecard(session)


def test_the_brand_files_scorecard_is_kept_once_and_the_console_owns_it_after(
    app: Any, tmp_path: Path
) -> None:
    first = _sync(app, tmp_path, "kredyt")
    assert first.exit_code == 0, first.output
    assert "kredyt: created credit scorecard" in first.output
    card = _card(app, "kredyt")
    assert [(c.code, str(c.deposit), c.postpaid) for c in card.classes] == [
        ("A", "99.00", True),
        ("Z", "0.00", False),
    ]
    again = _sync(app, tmp_path, "kredyt", deposit="10.00")
    assert again.exit_code == 0 and "credit scorecard" not in again.output
    assert str(_card(app, "kredyt").classes[0].deposit) == "99.00"


def test_a_bad_credit_table_is_refused_with_the_brand_and_every_reason(
    app: Any, tmp_path: Path
) -> None:
    result = _sync(app, tmp_path, "zlykredyt", fallback="A", deposit="9.999")
    assert result.exit_code != 0
    assert 'brand "zlykredyt"' in result.output
    assert "[credit] classes[0].deposit: PLN has 2 decimal places." in result.output
    assert "[credit] fallback: The class used while the bureau cannot be reached" in result.output
    with in_platform(app) as session:
        assert by_slug(session, "zlykredyt") is None


def test_the_simulator_command_serves_the_bureau_with_the_token_given(monkeypatch: Any) -> None:
    from saas.cli import credit as command
    from saas.cli import main
    from saas.customers.credit.simulator import Simulator

    served: dict[str, Any] = {}
    monkeypatch.setattr(
        command,
        "run_simple",
        lambda host, port, app, **kw: served.update(host=host, port=port, app=app),
    )
    result = CliRunner().invoke(main, ["credit", "simulator", "--port", "5099", "--token", "t0k"])
    assert result.exit_code == 0, result.output
    assert (served["host"], served["port"]) == ("127.0.0.1", 5099)
    assert isinstance(served["app"], Simulator) and served["app"].token == "t0k"
    assert CliRunner().invoke(main, ["credit", "simulator", "--port", "0"]).exit_code != 0
