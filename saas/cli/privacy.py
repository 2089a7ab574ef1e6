"""`saas privacy`: erase the personal data whose retention period has run, in every brand."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from saas.customers.privacy import retention
from saas.customers.privacy.jobs import ERASE_DUE
from saas.jobs import queue as jobs
from saas.platform_setup import platform_scope
from saas.tenancy.brands import brands
from saas.tenancy.crossing import as_tenant


@click.group("privacy")
def privacy_group() -> None:
    """Personal data: erase what each brand has kept for its whole retention period."""


@privacy_group.command("erase-due")
@click.option("--enqueue", is_flag=True, help="Send one job per brand instead of working here.")
@click.option(
    "--tenant", "slugs", multiple=True, metavar="SLUG", help="Only this brand (repeatable)."
)
@with_appcontext
def erase_due(enqueue: bool, slugs: tuple[str, ...]) -> None:
    """Erase identity numbers, documents and bureau answers kept long enough (run daily).

    Running it again erases nothing more: what went is empty, and a run finding nothing left
    records nothing.
    """
    with platform_scope() as session:
        chosen = [t for t in brands(session) if not slugs or t.slug in slugs]
        unknown = sorted(set(slugs) - {t.slug for t in chosen})
        if unknown:
            raise click.BadParameter(f"no brand {', '.join(unknown)}", param_hint="--tenant")
        for tenant in chosen:
            with as_tenant(session, tenant, retention.CROSSING):
                if enqueue:
                    jobs.enqueue(ERASE_DUE, tenant.id, session=session)
                    click.echo(f"{tenant.slug}: job sent")
                else:
                    done = retention.erase_due(session)
                    click.echo(f"{tenant.slug}: {len(done)} erasure(s)")
