"""`saas catalog import-lago`: bring a brand's plans over from Lago as drafts to check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from saas.catalog import services
from saas.catalog.lago import import_plan
from saas.catalog.specs import CatalogError
from saas.jsonread import read_json


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
    from saas.platform_setup import platform_scope
    from saas.tenancy.brands import by_slug
    from saas.tenancy.crossing import as_tenant

    plans = _plans(path)
    with platform_scope() as session:
        tenant = by_slug(session, slug)
        if tenant is None or tenant.is_platform:
            raise click.ClickException(f"there is no brand {slug!r}")
        with as_tenant(session, tenant, f"import Lago plans from {path.name}"):
            for line in _import_all(session, plans, product_code, tenant.currency, publish):
                click.echo(line)


def _import_all(
    session: Any, plans: list[Any], product_code: str, currency: str, publish: bool
) -> list[str]:
    lines = []
    try:
        for obj in plans:
            plan, read = import_plan(session, obj, product_code, currency)
            if publish:
                services.publish(session, plan.versions[0])
            state = "published" if publish else "draft"
            lines.append(f"plan {plan.code}: created ({state} v1)")
            lines += [f"plan {plan.code}: not carried: {note}" for note in read.not_carried]
    except CatalogError as exc:
        session.rollback()
        raise click.ClickException(f"nothing imported: {exc}") from None
    return lines
