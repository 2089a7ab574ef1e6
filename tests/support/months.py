"""Instants in past local months of a brand's zone, for histories a test writes by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from saas.catalog.periods import add_months

ZONE = "Europe/Berlin"


def this_month(zone: str = ZONE) -> date:
    """The first day of the current local month."""
    return datetime.now(UTC).astimezone(ZoneInfo(zone)).date().replace(day=1)


def month(back: int, zone: str = ZONE) -> date:
    """The first day of the local month `back` months before this one."""
    return add_months(this_month(zone), -back)


def local(back: int, day: int, hour: int = 12, minute: int = 0, zone: str = ZONE) -> datetime:
    """An instant on a day of a past local month, as aware UTC."""
    moment = datetime.combine(
        month(back, zone).replace(day=day), time(hour, minute), ZoneInfo(zone)
    )
    return moment.astimezone(UTC)
