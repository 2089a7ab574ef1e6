"""`saas rating`: import a CGRateS tariff plan into a brand's deck, price one record."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from saas.db import DbSession
from saas.platform_setup import platform_scope
from saas.tenancy.brands import by_slug
from saas.tenancy.crossing import as_tenant
from saas.usage.rating import cgrates, services
from saas.usage.rating.errors import ImportRefused, RatingError


@click.group("rating")
def rating_group() -> None:
    """A brand's rate decks: import CGRateS tariff plans, price a record."""


def _run(slug: str, reason: str, work: Callable[[DbSession, Any], Any]) -> Any:
    """Do the work in the brand as one unit of work; a refusal rolls it back and says why."""
    try:
        with platform_scope() as session:
            tenant = by_slug(session, slug)
            if tenant is None or tenant.is_platform:
                raise click.ClickException(f"there is no brand {slug!r}")
            with as_tenant(session, tenant, reason):
                return work(session, tenant)
    except ImportRefused as exc:
        for refusal in exc.each():
            click.echo(refusal.english(), err=True)
        raise click.ClickException(f"nothing imported: {exc.english()}") from None
    except RatingError as exc:
        raise click.ClickException(exc.english()) from None


def _instant(text: str) -> datetime:
    try:
        at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a time such as 2019-03-11T09:00:00Z") from None
    return at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)


@rating_group.command("import-cgrates")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--tenant", "slug", required=True, help="The brand's slug.")
@click.option("--deck", "deck_code", default="retail", show_default=True, help="The deck's code.")
@click.option("--timezone", help="Zone of the timings' clock (default: the brand's).")
@click.option("--activates-at", help="When the version takes over (default: its first profile).")
@with_appcontext
def import_cgrates(
    directory: Path, slug: str, deck_code: str, timezone: str | None, activates_at: str | None
) -> None:
    """Import a CGRateS tariff-plan directory as the next version of a deck: all or nothing."""
    files = cgrates.files_of_directory(directory)
    at = _instant(activates_at) if activates_at else None

    def work(session: DbSession, tenant: Any) -> tuple[int, int, str]:
        zone = timezone or tenant.timezone
        version = services.import_cgrates(
            session, files, deck_code, zone, at, f"CGRateS {directory.name}"
        )
        return version.number, version.id, version.activates_at.isoformat()

    number, ident, since = _run(slug, f"import CGRateS tariff plan {directory.name}", work)
    click.echo(f"deck {deck_code} version {number} (id {ident}) imported, in force from {since}")


@rating_group.command("cost")
@click.option("--tenant", "slug", required=True, help="The brand's slug.")
@click.option("--category", required=True, help="call (or voice), sms or data.")
@click.option("--subject", required=True, help="The rating subject: a plan code, or *any.")
@click.option("--destination", required=True, help="The number called (or APN).")
@click.option("--answer-time", required=True, help="e.g. 2019-03-11T09:00:00Z")
@click.option("--usage", required=True, help="45s, 1m30s for calls; a count of SMS or bytes.")
@click.option("--visited-network", default="", help="MCC+MNC when roaming.")
@with_appcontext
def cost(
    slug: str,
    category: str,
    subject: str,
    destination: str,
    answer_time: str,
    usage: str,
    visited_network: str,
) -> None:
    """Print what a record costs, as JSON with its breakdown (like CGRateS's GetCost)."""
    at = _instant(answer_time)

    def work(session: DbSession, _tenant: Any) -> dict[str, object]:
        units = services.usage_of(usage)
        found = services.cost(session, category, subject, destination, at, units, visited_network)
        return services.as_dict(found)

    click.echo(json.dumps(_run(slug, "price a record", work), indent=2))
