"""What the console's subscription list shows of each row, written once per page.

Each row's link, price, period, status and start are written here, by writers that look up the
page's language, zone and words once, so the template only places text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from saas.web import subscription_labels as labels
from saas.web.i18n import moment_writer, money_writer
from saas.web.routing import row_link

NONE = "\N{EN DASH}"  # an empty cell


@dataclass(frozen=True, slots=True)
class Shown:
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
    return [
        Shown(
            id=row.id,
            status=row.status,
            link=link(row.id),
            name=row.full_name or row.email,
            email=row.email,
            line=row.line_label or NONE,
            plan=row.plan_name,
            version=row.version,
            price=price(row.price, row.currency),
            interval=intervals[row.billing_interval],
            promotion=row.promotion or NONE,
            status_name=statuses[row.status],
            started=moment(row.started_at),
        )
        for row in rows
    ]
