"""`saas usage`: take files, watch the drop folders, and re-rate a period, per brand."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import click
from flask.cli import with_appcontext

from saas.db import DbSession
from saas.platform_setup import platform_scope
from saas.tenancy.brands import brands
from saas.tenancy.crossing import as_tenant
from saas.tenancy.models import Tenant
from saas.usage import files, rerate
from saas.usage.errors import UsageError
from saas.usage.records import to_decimal

WATCHING = "take the usage files waiting in the drop folders"
RERATING = "re-rate stored usage after a tariff fix"
RECEIVING = "take a usage file given on the command line"


@click.group("usage")
def usage_group() -> None:
    """Usage files: take them, watch the drop folders, re-rate a period."""


def _chosen(session: DbSession, slugs: tuple[str, ...]) -> list[Tenant]:
    chosen = [t for t in brands(session) if not slugs or t.slug in slugs]
    unknown = sorted(set(slugs) - {t.slug for t in chosen})
    if unknown:
        raise click.BadParameter(f"no brand {', '.join(unknown)}", param_hint="--tenant")
    return chosen


@usage_group.command("watch")
@click.option("--tenant", "slugs", multiple=True, metavar="SLUG", help="Only this brand.")
@click.option("--once", is_flag=True, help="Look once and stop.")
@click.option("--interval", default=30, show_default=True, help="Seconds between looks.")
@with_appcontext
def watch(slugs: tuple[str, ...], once: bool, interval: int) -> None:
    """Take the files waiting in each source's drop folder; each is moved to done/ once taken."""
    while True:
        with platform_scope() as session:
            for tenant in _chosen(session, slugs):
                with as_tenant(session, tenant, WATCHING):
                    for got in files.scan(session):
                        session.commit()
                        click.echo(f"{tenant.slug}: {got.filename} ({got.state})")
        if once:
            return
        time.sleep(interval)


@usage_group.command("ingest")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--tenant", "slug", required=True, metavar="SLUG")
@click.option("--source", "source_name", required=True, help="The usage source it comes from.")
@with_appcontext
def ingest(path: Path, slug: str, source_name: str) -> None:
    """Take one file for a brand's source; the workers rate it."""
    with platform_scope() as session:
        [tenant] = _chosen(session, (slug,))
        with as_tenant(session, tenant, RECEIVING):
            try:
                source = files.source_named(session, source_name)
                with path.open("rb") as stream:
                    got = files.receive(session, source, stream, path.name, "drop")
            except UsageError as exc:
                raise click.UsageError(exc.english()) from None
            click.echo(f"{tenant.slug}: file {got.id} {got.state}, {got.chunks} chunk(s) sent")


@usage_group.command("rerate")
@click.option("--tenant", "slug", required=True, metavar="SLUG")
@click.option("--from", "first", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--to", "last", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--reason", default="re-rated after a tariff fix", show_default=True)
@with_appcontext
def rerate_command(slug: str, first: datetime, last: datetime, reason: str) -> None:
    """Price a period's stored records again (days in the brand's zone, both included)."""
    with platform_scope() as session:
        [tenant] = _chosen(session, (slug,))
        with as_tenant(session, tenant, RERATING):
            try:
                start, end = rerate.period(session, first.date(), last.date())
            except UsageError as exc:
                raise click.UsageError(exc.english()) from None
            done = rerate.rerate(session, start, end, reason)
            click.echo(
                f"{tenant.slug}: {done.records} record(s) priced again, {done.corrected} "
                f"corrected, {done.refused} refused now; charges moved by "
                f"{to_decimal(done.difference_micros).normalize():f} {tenant.currency}"
            )
