"""`saas db upgrade`: migrate the schema as the owner and grant the runtime role its rights."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from saas.db.migrate import upgrade
from saas.platform_setup import seed_reference_data


@click.group("db")
def db_group() -> None:
    """Database schema and roles."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Migrate as the owner, then grant the runtime role what it needs."""
    settings = current_app.config["SAAS"]
    for line in upgrade(settings, revision):
        click.echo(line)
    seed_reference_data(settings)
    click.echo("reference data (roles, platform realm) in place")
