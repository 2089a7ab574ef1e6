"""What the console's subscription list shows of each row, written once per page.

Each row's link, price, period, status and start are written here, by writers that look up the
page's language, zone and words once, so the template only places text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from saas.web import subscription_labels as labels
from saas.web.i18n import moment_writer, money_writer
from saas.web.routing import row_link

NONE = "\N{EN DASH}"  # an empty cell


class Shown(NamedTuple):
    """One row of the list, as its cells read."""

    id: int
    status: str
    link: str
    name: str
    email: str
    line: str
    plan: str
    version: int
    price: str
    interval: str
    promotion: str
    status_name: str
    started: str


def shown(rows: Iterable[Any]) -> list[Shown]:
    """The rows of a page of `saas.subscriptions.listing.rows`, as the list shows them."""
    price, moment = money_writer(), moment_writer()
    link = row_link("admin.subscription_detail", "sub_id")
    statuses, intervals = labels.names(labels.STATUSES), labels.names(labels.INTERVALS)
    prices: dict[tuple[Any, str], str] = {}  # a page shows the same few prices on every row
    found = []
    for row in rows:
        charged = (row.price, row.currency)
        if charged not in prices:
            prices[charged] = price(*charged)
        found.append(
            Shown(
                row.id,
                row.status,
                link(row.id),
                row.full_name or row.email,
                row.email,
                row.line_label or NONE,
                row.plan_name,
                row.version,
                prices[charged],
                intervals[row.billing_interval],
                row.promotion or NONE,
                statuses[row.status],
                moment(row.started_at),
            )
        )
    return found
