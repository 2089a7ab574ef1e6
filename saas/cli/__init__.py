"""The `saas` console command: one module per area, each a thin call into the services."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import FlaskGroup

from saas.cli.catalog import catalog_group
from saas.cli.credit import credit_group
from saas.cli.db import db_group
from saas.cli.demo import demo
from saas.cli.kyc import kyc_group
from saas.cli.network import network_group
from saas.cli.pricing import pricing_group
from saas.cli.privacy import privacy_group
from saas.cli.rating import rating_group
from saas.cli.subscriptions import subscriptions_group
from saas.cli.tenants import tenants_group
from saas.cli.usage import usage_group


def init_app(app: Flask) -> None:
    """Attach the command groups to the app's CLI."""
    app.cli.add_command(db_group)
    app.cli.add_command(tenants_group)
    app.cli.add_command(subscriptions_group)
    app.cli.add_command(catalog_group)
    app.cli.add_command(kyc_group)
    app.cli.add_command(network_group)
    app.cli.add_command(privacy_group)
    app.cli.add_command(usage_group)
    app.cli.add_command(rating_group)
    app.cli.add_command(demo)


def _create_app() -> Flask:
    from saas import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True)
def main() -> None:
    """Manage the MVNO billing platform."""


# Pricing needs no app or database: a quote can be made anywhere the package is installed; nor
# does the credit bureau simulator.
main.add_command(pricing_group)
# So does checking a machine-readable zone; loading a sanctions list builds the app itself.
main.add_command(kyc_group)
main.add_command(credit_group)


if __name__ == "__main__":
    sys.exit(main())
