"""The `saas` console command: migrations, brand sync, demo data, and the demo server."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from saas.catalog.cli import catalog_group
from saas.catalog.pricing.cli import pricing_group
from saas.config import Settings
from saas.db import db


def _settings() -> Settings:
    return current_app.config["SAAS"]


@click.group("db")
def db_group() -> None:
    """Database schema and roles."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Migrate as the owner, then grant the runtime role what it needs."""
    from saas.db.migrate import upgrade

    for line in upgrade(_settings(), revision):
        click.echo(line)
    from saas.platform_setup import seed_reference_data

    seed_reference_data(_settings())
    click.echo("reference data (roles, platform realm) in place")


@click.group("tenants")
def tenants_group() -> None:
    """Brands defined as files."""


@tenants_group.command("sync")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def tenants_sync(directory: Path | None) -> None:
    """Create or update the brands defined in tenants/*.toml (safe to run again)."""
    from saas.platform_setup import sync_brands
    from saas.tenancy.brands import BrandError

    try:
        outcomes = sync_brands(directory or Path(_settings().tenants_dir), _settings())
    except BrandError as exc:
        raise click.ClickException(str(exc)) from None
    for slug, outcome in outcomes:
        click.echo(f"{slug}: {outcome}")


@click.group("subscriptions")
def subscriptions_group() -> None:
    """Subscriptions across brands."""


@subscriptions_group.command("apply-due")
@click.option("--enqueue", is_flag=True, help="Send one job per brand instead of working here.")
@with_appcontext
def subscriptions_apply_due(enqueue: bool) -> None:
    """Apply scheduled changes that have fallen due (run every few minutes from a timer)."""
    from saas.platform_setup import apply_due_everywhere

    for slug, outcome in apply_due_everywhere(enqueue):
        click.echo(f"{slug}: {outcome}")


@click.command("demo")
@click.option("--serve/--no-serve", default=True, help="Serve on port 5000 after seeding.")
@click.option("--port", default=5000, show_default=True)
@with_appcontext
def demo(serve: bool, port: int) -> None:
    """Migrate, sync the brands, seed demo people, then serve web and an in-process worker."""
    from saas.db.migrate import upgrade
    from saas.platform_setup import seed_demo, seed_reference_data, sync_brands

    settings = _settings()
    upgrade(settings)
    seed_reference_data(settings)
    for slug, outcome in sync_brands(Path(settings.tenants_dir), settings):
        click.echo(f"brand {slug}: {outcome}")
    for line in seed_demo(Path(settings.tenants_dir)):
        click.echo(line)
    db.session.remove()
    if serve:
        _serve(current_app._get_current_object(), port)  # type: ignore[attr-defined]


def _serve(app: Flask, port: int) -> None:
    from werkzeug.serving import run_simple

    from workers.broker import start_inprocess_worker

    worker = start_inprocess_worker(app)
    mail = _start_demo_mail_sink(app.config["SAAS"])
    click.echo(f"serving on http://localhost:{port} (brands at http://<slug>.localhost:{port})")
    try:
        run_simple("0.0.0.0", port, app, threaded=True, use_reloader=False)
    finally:
        worker.stop()
        if mail is not None:
            mail.stop()


def _start_demo_mail_sink(settings: Settings) -> Any:
    """Print the demo's outgoing e-mail to the console instead of losing it."""
    try:
        from aiosmtpd.controller import Controller
        from aiosmtpd.handlers import Debugging
    except ImportError:
        return None
    controller = Controller(
        Debugging(sys.stdout), hostname=settings.mail_server, port=settings.mail_port
    )
    try:
        controller.start()
    except OSError as exc:
        click.echo(f"no demo mail sink on {settings.mail_server}:{settings.mail_port}: {exc}")
        return None
    click.echo(f"demo e-mail is printed here (SMTP {settings.mail_server}:{settings.mail_port})")
    return controller


def init_app(app: Flask) -> None:
    """Attach the command groups to the app's CLI."""
    app.cli.add_command(db_group)
    app.cli.add_command(tenants_group)
    app.cli.add_command(subscriptions_group)
    app.cli.add_command(catalog_group)
    app.cli.add_command(demo)


def _create_app() -> Flask:
    from saas import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True)
def main() -> None:
    """Manage the MVNO billing platform."""


# Pricing needs no app or database: a quote can be made anywhere the package is installed.
main.add_command(pricing_group)


if __name__ == "__main__":
    sys.exit(main())
