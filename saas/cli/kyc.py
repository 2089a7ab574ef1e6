"""`saas kyc`: check machine-readable zones by hand, load the platform's sanctions lists."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from saas.customers.kyc import mrz, sanctions
from saas.identity import audit
from saas.platform_setup import platform_scope

# Exit statuses of check-mrz: every check digit matches; one does not; the lines are no zone.
VALID, FAILED, NOT_A_ZONE = 0, 1, 2


@click.group("kyc")
def kyc_group() -> None:
    """Identity checks (KYC)."""


@kyc_group.command("check-mrz")
@click.argument("lines", nargs=-1, required=True)
def check_mrz(lines: tuple[str, ...]) -> None:
    """Parse a TD1, TD2 or TD3 zone and print each check digit's verdict as JSON.

    Give each line as an argument (quote lines holding '<'). Exits 1 when a check digit or a
    date fails, 2 when the lines are no machine-readable zone.
    """
    given = [line for arg in lines for line in arg.splitlines()]
    try:
        zone = mrz.parse(given)
    except mrz.MrzError as exc:
        problem = {"code": exc.code, "message": exc.english()}
        click.echo(json.dumps({"valid": False, "error": problem}, indent=2))
        sys.exit(NOT_A_ZONE)
    click.echo(json.dumps(zone.to_json(), indent=2))
    if not zone.valid:
        failing = ", ".join(zone.failing + [p.code for p in zone.problems])
        click.echo(f"not valid: {failing}", err=True)
        sys.exit(FAILED)


@kyc_group.command("load-sanctions")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format", "source", type=click.Choice(sanctions.SOURCES), required=True, help="List format."
)
@with_appcontext
def load_sanctions(path: Path, source: str) -> None:
    """Load a sanctions or PEP list file as the newest version of its source (once per file)."""
    with platform_scope() as session:
        try:
            version, new = sanctions.load(session, path.read_bytes(), source, path.name)
        except sanctions.ListError as exc:
            raise click.ClickException(f"{path.name}: nothing loaded: {exc}") from None
        if new:
            audit.record(
                session, "kyc.sanctions.load", "sanctions_lists", version.id, **version.version()
            )
    said = "loaded" if new else "already loaded, unchanged"
    click.echo(
        f"{path.name}: {said}: list {version.id} ({version.source}), {version.entry_count} "
        f"entries, sha256 {version.file_hash}, loaded at {version.loaded_at.isoformat()}"
    )
