"""`saas credit simulator`: serve the credit bureau simulator on its own."""

from __future__ import annotations

import click
from werkzeug.serving import run_simple

from saas.customers.credit.simulator import Simulator


@click.group("credit")
def credit_group() -> None:
    """Credit checks."""


@credit_group.command("simulator")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5056, show_default=True, type=click.IntRange(1, 65535))
@click.option("--token", default="", help="Answer 401 to requests without this bearer token.")
@click.option("--slow-seconds", default=5.0, show_default=True, type=click.FloatRange(0, 120))
def credit_simulator(host: str, port: int, token: str, slow_seconds: float) -> None:
    """Answer the credit bureau's API by the documented test inputs, until stopped."""
    click.echo(f"credit bureau simulator on http://{host}:{port} (SAAS_CREDIT_BUREAU_URL)")
    run_simple(host, port, Simulator(token, slow_seconds), threaded=True)
