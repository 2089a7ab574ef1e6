"""`saas subscriptions apply-due`: apply the scheduled changes that have fallen due."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from saas.platform_setup import apply_due_everywhere


@click.group("subscriptions")
def subscriptions_group() -> None:
    """Subscriptions across brands."""


@subscriptions_group.command("apply-due")
@click.option("--enqueue", is_flag=True, help="Send one job per brand instead of working here.")
@with_appcontext
def subscriptions_apply_due(enqueue: bool) -> None:
    """Apply scheduled changes that have fallen due (run every few minutes from a timer)."""
    for slug, outcome in apply_due_everywhere(enqueue):
        click.echo(f"{slug}: {outcome}")
