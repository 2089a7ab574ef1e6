"""`saas privacy`: erase the personal data whose retention period has run, in every brand."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from saas.customers.privacy import retention
from saas.customers.privacy.jobs import ERASE_DUE
from saas.jobs import queue as jobs
from saas.platform_setup import platform_scope
from saas.tenancy.crossing import each_brand


@click.group("privacy")
def privacy_group() -> None:
    """Personal data: erase what each brand has kept for its whole retention period."""


@privacy_group.command("erase-due")
@click.option("--enqueue", is_flag=True, help="Send one job per brand instead of working here.")
@with_appcontext
def erase_due(enqueue: bool) -> None:
    """Erase identity numbers, documents and bureau answers kept long enough (run daily).

    Running it again erases nothing more: what went is empty, and a run finding nothing left
    records nothing.
    """
    with platform_scope() as session:
        for tenant in each_brand(session, retention.CROSSING):
            if enqueue:
                jobs.enqueue(ERASE_DUE, tenant.id, session=session)
                click.echo(f"{tenant.slug}: job sent")
            else:
                done = retention.erase_due(session)
                click.echo(f"{tenant.slug}: {len(done)} erasure(s)")
