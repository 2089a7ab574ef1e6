"""`saas tenants sync`: create or update the brands defined as files."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from saas.platform_setup import sync_brands
from saas.tenancy.brands import BrandError


@click.group("tenants")
def tenants_group() -> None:
    """Brands defined as files."""


@tenants_group.command("sync")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def tenants_sync(directory: Path | None) -> None:
    """Create or update the brands defined in tenants/*.toml (safe to run again)."""
    settings = current_app.config["SAAS"]
    try:
        outcomes = sync_brands(directory or Path(settings.tenants_dir), settings)
    except BrandError as exc:
        raise click.ClickException(str(exc)) from None
    for slug, outcome in outcomes:
        click.echo(f"{slug}: {outcome}")
