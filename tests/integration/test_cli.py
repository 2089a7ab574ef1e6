"""The `saas` console command: brand sync is idempotent and names bad files."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from saas.identity.audit import AuditEvent
from saas.tenancy.brands import by_slug
from tests.conftest import in_platform

BRAND = """slug = "{slug}"
name = "{name}"
domains = ["{slug}.example"]
default_locale = "pl"
currency = "PLN"
timezone = "Europe/Warsaw"
country = "PL"
"""


def _write(folder: Path, slug: str, name: str) -> None:
    (folder / f"{slug}.toml").write_text(BRAND.format(slug=slug, name=name), encoding="utf-8")


def test_tenants_sync_creates_then_reports_unchanged_then_updates(app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    runner = app.test_cli_runner()
    _write(tmp_path, "clibrand", "CLI Brand")
    first = runner.invoke(args=["tenants", "sync", "--dir", str(tmp_path)])
    second = runner.invoke(args=["tenants", "sync", "--dir", str(tmp_path)])
    _write(tmp_path, "clibrand", "CLI Brand Renamed")
    third = runner.invoke(args=["tenants", "sync", "--dir", str(tmp_path)])
    assert (first.output, second.output, third.output) == (
        "clibrand: changed\n",
        "clibrand: unchanged\n",
        "clibrand: changed\n",
    )
    with in_platform(app) as session:
        tenant = by_slug(session, "clibrand")
        assert tenant.name == "CLI Brand Renamed" and tenant.hosts == ["clibrand.example"]
        changes = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_type == "tenants", AuditEvent.object_id == str(tenant.id))
            .order_by(AuditEvent.id)
        ).all()
        assert [e.action for e in changes] == ["create", "update"]


def test_a_bad_brand_file_is_refused_with_its_name_and_reasons(app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "badbrand.toml").write_text(
        'slug = "badbrand"\nname = "Bad"\ncurrency = "EURO"\ntimezone = "Nowhere/City"\n',
        encoding="utf-8",
    )
    result = app.test_cli_runner().invoke(args=["tenants", "sync", "--dir", str(tmp_path)])
    assert result.exit_code != 0
    assert "badbrand" in result.output and "EURO" in result.output
    assert "Nowhere/City" in result.output
    with in_platform(app) as session:
        assert by_slug(session, "badbrand") is None


def test_a_domain_cannot_be_taken_from_another_brand(app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "thief.toml").write_text(
        'slug = "thief"\nname = "Thief"\ndomains = ["spreewelle.example"]\n', encoding="utf-8"
    )
    result = app.test_cli_runner().invoke(args=["tenants", "sync", "--dir", str(tmp_path)])
    assert result.exit_code != 0 and "belongs to another brand" in result.output


COMMANDS = {
    ("db", "upgrade"): {"--revision"},
    ("tenants", "sync"): {"--dir"},
    ("subscriptions", "apply-due"): {"--enqueue"},
    ("catalog", "import-lago"): {"--brand", "--product", "--publish"},
    ("pricing", "quote"): {"--charge", "--units", "--events", "--transactions", "--currency"},
    ("demo",): {"--serve", "--no-serve", "--port"},
}


def test_the_saas_command_offers_its_commands_with_their_options(app) -> None:  # type: ignore[no-untyped-def]
    import click

    from saas.cli import main

    groups = dict(app.cli.commands) | {"pricing": main.commands["pricing"]}
    for path, options in COMMANDS.items():
        command = groups[path[0]]
        for name in path[1:]:
            assert isinstance(command, click.Group)
            command = command.commands[name]
        offered = {o for p in command.params for o in (*p.opts, *p.secondary_opts)}
        assert options <= offered, path


def test_the_installed_console_script_runs_a_command() -> None:
    import json
    import subprocess
    import sys

    script = Path(sys.executable).parent / "saas"
    charge = json.dumps({"charge_model": "standard", "properties": {"amount": "0.5"}})
    done = subprocess.run(
        [str(script), "pricing", "quote", "--charge", charge, "--units", "3"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["amount"] == "1.5"
