"""Lists as CSV files for the reader's spreadsheet program, written as they stream out."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.numbers import get_decimal_symbol
from flask import Response, g, stream_with_context

from saas.db import utcnow
from saas.money import quantum
from saas.tenancy.context import current_tenant_id, tenant_scope
from saas.web.fields import locale, zone

BOM = "\ufeff"  # lets Excel read the file as UTF-8
# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LOCAL_MINUTE = "%Y-%m-%d %H:%M"


class Sheet:
    """How the reader's spreadsheet reads cells: the decimal sign, the separator, the zone.

    Where the decimal sign is a comma (German, Polish) Excel expects ';' between cells.
    Everything is looked up once per file, not once per row.
    """

    def __init__(self, where: Locale, in_zone: ZoneInfo) -> None:
        self.decimal = get_decimal_symbol(where)
        self.separator = ";" if self.decimal == "," else ","
        self.zone = in_zone
        self._quanta: dict[str, Decimal] = {}

    def number(self, value: Decimal | None) -> str:
        """An exact decimal with the locale's sign and no grouping (`19,99`)."""
        return "" if value is None else format(value, "f").replace(".", self.decimal)

    def amount(self, value: Decimal | None, currency: str) -> str:
        """An amount with at least its currency's places (`24,50`), never rounded."""
        if value is None:
            return ""
        least = self._quanta.get(currency) or self._quanta.setdefault(currency, quantum(currency))
        shown = value.quantize(least)
        return self.number(shown if shown == value else value)

    def moment(self, value: datetime | None) -> str:
        """An instant as the local date and minute in the brand's zone."""
        return "" if value is None else value.astimezone(self.zone).strftime(LOCAL_MINUTE)

    @staticmethod
    def text(value: Any) -> str:
        """Text as a cell shows it, never as a formula run."""
        said = "" if value is None else str(value)
        return "'" + said if said.startswith(FORMULA_STARTS) else said


def reader_sheet() -> Sheet:
    """The request reader's sheet: their locale, the brand's time zone."""
    return Sheet(locale(), zone())


def file_name(what: str) -> str:
    """`<brand>-<what>-<local date>.csv`."""
    return f"{g.tenant.slug}-{what}-{utcnow().astimezone(zone()).date().isoformat()}.csv"


def _chunks(
    sheet: Sheet, header: Sequence[str], batches: Iterable[Sequence[Any]], cells: Callable[..., Any]
) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sheet.separator, lineterminator="\r\n")
    writer.writerow(header)
    yield BOM + buffer.getvalue()
    for batch in batches:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(cells(row) for row in batch)
        yield buffer.getvalue()


def _in_brand(tenant_id: int | None, chunks: Iterator[str]) -> Iterator[str]:
    # The request's brand scope ends with the view; the rows are read after, as they are sent.
    with tenant_scope(tenant_id):
        yield from chunks


def streamed_csv(
    what: str,
    sheet: Sheet,
    header: Sequence[str],
    batches: Iterable[Sequence[Any]],
    cells: Callable[..., Any],
) -> Response:
    """A CSV download written a batch of rows at a time."""
    chunks = _chunks(sheet, header, batches, cells)
    body = stream_with_context(_in_brand(current_tenant_id(), chunks))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{file_name(what)}"'
    response.headers["Cache-Control"] = "no-store"
    return response
