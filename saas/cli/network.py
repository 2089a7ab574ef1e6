"""`saas network`: a brand's numbers and SIMs from the shell, the MNO simulator, due port-ins."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from saas.db import DbSession
from saas.jobs import queue as jobs
from saas.network import numbers, sims
from saas.network.errors import ImportRefused, NetworkError
from saas.network.numbering import shown
from saas.network.provisioning import porting
from saas.network.provisioning.jobs import COMPLETE_DUE_PORT_INS
from saas.platform_setup import platform_scope
from saas.tenancy.brands import by_slug
from saas.tenancy.crossing import as_tenant, each_brand

REASON = "complete due port-ins"


@click.group("network")
def network_group() -> None:
    """A brand's numbers and SIMs, and the host network: its simulator, the port-ins due."""


@contextmanager
def _in_brand(slug: str, reason: str) -> Iterator[DbSession]:
    with platform_scope() as session:
        tenant = by_slug(session, slug)
        if tenant is None or tenant.is_platform:
            raise click.ClickException(f"there is no brand {slug!r}")
        with as_tenant(session, tenant, reason):
            yield session


def _run(slug: str, reason: str, work: Callable[[DbSession], Any]) -> Any:
    """Do the work in the brand as one unit of work; a refusal rolls it back and says why.

    The work returns plain values: the brand's rows cannot be read once its scope is left.
    """
    try:
        with _in_brand(slug, reason) as session:
            return work(session)
    except ImportRefused as exc:
        for refusal in exc.each():
            click.echo(refusal.english(), err=True)
        raise click.ClickException(f"nothing imported: {exc.english()}") from None
    except NetworkError as exc:
        raise click.ClickException(exc.english()) from None


@network_group.command("import-sims")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--tenant", "slug", required=True, help="The brand's slug.")
@with_appcontext
def import_sims(path: Path, slug: str) -> None:
    """Import a CSV file of SIMs (iccid, imsi, ki, opc[, kind, matching_id]): all or nothing."""
    data = path.read_bytes()
    count = _run(
        slug, f"import SIMs from {path.name}", lambda s: sims.import_file(s, data, path.name).count
    )
    click.echo(f"{count} SIMs imported from {path.name}")


@network_group.command("add-range")
@click.argument("first")
@click.argument("last")
@click.option("--tenant", "slug", required=True, help="The brand's slug.")
@with_appcontext
def add_range(first: str, last: str, slug: str) -> None:
    """Load the mobile numbers FIRST to LAST (international format) into the brand's stock."""
    size, low, high, golden = _run(slug, "load a number range", lambda s: _loaded(s, first, last))
    click.echo(f"{size} numbers loaded, {shown(low)} to {shown(high)}, {golden} golden")


def _loaded(session: DbSession, first: str, last: str) -> tuple[int, str, str, int]:
    block = numbers.add_range(session, first, last)
    return block.size, block.first, block.last, block.golden


@network_group.command("mno-simulator")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5055, show_default=True, type=click.IntRange(1, 65535))
@with_appcontext
def mno_simulator(host: str, port: int) -> None:
    """Serve the MNO simulator until interrupted, with the token of SAAS_MNO_TOKEN."""
    from saas.network.provisioning.simulator import MnoSimulator
    from saas.outside import serve

    token = current_app.config["SAAS"].mno_token
    with serve(MnoSimulator(token), host, port) as url:
        click.echo(f"MNO simulator on {url} (bearer token from SAAS_MNO_TOKEN)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            click.echo("stopped")


@network_group.command("complete-port-ins")
@click.option("--enqueue", is_flag=True, help="Send one job per brand instead of working here.")
@with_appcontext
def complete_port_ins(enqueue: bool) -> None:
    """Complete confirmed port-ins whose porting date has come (run daily, after midnight)."""
    with platform_scope() as session:
        for tenant in each_brand(session, REASON):
            if enqueue:
                jobs.enqueue(COMPLETE_DUE_PORT_INS, tenant.id, session=session)
                click.echo(f"{tenant.slug}: job sent")
            else:
                done = porting.complete_due(session)
                click.echo(f"{tenant.slug}: {len(done)} port-in(s) completed")
