"""`saas network`: load a brand's number ranges and SIM files from the shell."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from saas.db import DbSession
from saas.network import numbers, sims
from saas.network.errors import ImportRefused, NetworkError
from saas.network.numbering import shown
from saas.platform_setup import platform_scope
from saas.tenancy.brands import by_slug
from saas.tenancy.crossing import as_tenant


@click.group("network")
def network_group() -> None:
    """A brand's numbers and SIMs."""


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
