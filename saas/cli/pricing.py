"""`saas pricing quote`: price usage under a Lago charge from the shell, without a database."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
from babel.numbers import is_currency

from saas.catalog.pricing.charges import parse_charge
from saas.catalog.pricing.engine import quote
from saas.catalog.pricing.values import ChargeError, to_decimal


@click.group("pricing")
def pricing_group() -> None:
    """Usage pricing with Lago's charge models."""


@pricing_group.command("quote")
@click.option("--charge", "charge_text", required=True, help="Lago charge JSON, or @file.json.")
@click.option("--units", required=True, help='Units of usage, e.g. "1500" or "12.75".')
@click.option("--events", type=click.IntRange(min=0), help="Number of events (percentage).")
@click.option("--transactions", help='Amount of each event, e.g. "1.00,2.50" (percentage).')
@click.option("--currency", help="Also print the amount rounded to this currency, e.g. EUR.")
def quote_command(
    charge_text: str,
    units: str,
    events: int | None,
    transactions: str | None,
    currency: str | None,
) -> None:
    """Print the exact price of some usage as JSON."""
    if currency is not None and not is_currency(currency):
        raise click.BadParameter(f"unknown currency {currency!r}", param_hint="--currency")
    try:
        charge = parse_charge(_load(charge_text))
        amounts = None if transactions is None else _amounts(transactions)
        result = quote(charge, to_decimal(units, "units"), events=events, transactions=amounts)
    except ChargeError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(result.to_json(currency), indent=2))


def _load(text: str) -> Any:
    """Read the charge JSON from the option, or from a file when it starts with @."""
    source = "--charge"
    if text.startswith("@"):
        source = text[1:]
        try:
            text = Path(source).read_text(encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"cannot read {source}: {exc.strerror}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"{source}: not valid JSON: {exc}") from None


def _amounts(text: str) -> list[Decimal]:
    parts = [part.strip() for part in text.split(",")] if text.strip() else []
    return [to_decimal(part, f"transactions[{index}]") for index, part in enumerate(parts)]
