"""`saas catalog import-lago`: bring a brand's plans over from Lago as drafts to check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from saas.catalog import models as M
from saas.catalog.lago import LagoImport, import_plans
from saas.catalog.specs import CatalogError
from saas.jsonread import read_json
from saas.platform_setup import platform_scope
from saas.tenancy.brands import by_slug
from saas.tenancy.crossing import as_tenant


@click.group("catalog")
def catalog_group() -> None:
    """A brand's offer catalogue."""


def _plans(path: Path) -> list[Any]:
    """Read one Lago plan, {"plans": [...]} as Lago lists them, or a JSON list of plans."""
    try:
        data = read_json(path.read_bytes())
    except ValueError as exc:
        raise click.ClickException(f"{path}: not valid JSON: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("plans"), list):
        return list(data["plans"])
    return data if isinstance(data, list) else [data]


@catalog_group.command("import-lago")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--brand", "slug", required=True, help="The brand's slug.")
@click.option("--product", "product_code", required=True, help="Product code the plans join.")
@click.option("--publish", is_flag=True, help="Publish each plan at once instead of a draft.")
@with_appcontext
def import_lago(path: Path, slug: str, product_code: str, publish: bool) -> None:
    """Create plans from a Lago export; nothing is created if any plan is refused."""
    plans = _plans(path)
    with platform_scope() as session:
        tenant = by_slug(session, slug)
        if tenant is None or tenant.is_platform:
            raise click.ClickException(f"there is no brand {slug!r}")
        with as_tenant(session, tenant, f"import Lago plans from {path.name}"):
            try:
                made = import_plans(session, plans, product_code, tenant.currency, publish)
            except CatalogError as exc:  # the unit of work rolls every plan back
                raise click.ClickException(f"nothing imported: {exc}") from None
            for line in _report(made, publish):
                click.echo(line)


def _report(made: list[tuple[M.Plan, LagoImport]], publish: bool) -> list[str]:
    state = "published" if publish else "draft"
    lines = []
    for plan, read in made:
        lines.append(f"plan {plan.code}: created ({state} v1)")
        lines += [f"plan {plan.code}: not carried: {note}" for note in read.not_carried]
    return lines
