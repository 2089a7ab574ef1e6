"""Translatable names for what usage screens show: reasons, states, services, amounts in words."""

from __future__ import annotations

from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from saas.usage import models as M
from saas.usage import records as R
from saas.usage.readers import READERS

REASONS = {
    R.UNREADABLE: _l("The record could not be read"),
    R.NO_LINE: _l("No line held this number or SIM at the time"),
    R.UNAUTHORISED_DESTINATION: _l("The destination is not in the rate deck"),
    R.NO_DECK: _l("No rate deck applies at the time"),
    R.NO_RATE: _l("No rate applies to the destination at the time"),
}
FILE_STATES = {
    M.RECEIVED: _l("Being rated"),
    M.DONE: _l("Rated"),
    M.DUPLICATE: _l("Already received"),
}
ARRIVALS = {M.UPLOAD: _l("Upload"), M.API: _l("API"), M.DROP: _l("Drop folder")}
SERVICES = {R.VOICE: _l("Call"), R.SMS: _l("SMS"), R.DATA: _l("Data")}
DIRECTIONS = {R.OUT: _l("Outgoing"), R.IN: _l("Incoming")}
ZONES = {"home": _l("Home network"), "roaming": _l("Roaming")}
FIELDS = {
    "record_key": _l("Record id"),
    "service": _l("Service"),
    "direction": _l("Direction"),
    "msisdn": _l("Subscriber number"),
    "imsi": _l("IMSI"),
    "destination": _l("Destination"),
    "started_at": _l("Start time"),
    "usage": _l("Usage (seconds, messages or bytes)"),
    "visited_network": _l("Visited network (MCC+MNC)"),
}


def _name(table: dict[str, Any], key: str) -> str:
    return str(table.get(key, key))


def duration(seconds: int) -> str:
    """Seconds in words: "1 min 5 s", "2 h 3 min"."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return _("%(h)s h %(m)s min", h=hours, m=minutes)
    if minutes:
        return _("%(m)s min %(s)s s", m=minutes, s=secs)
    return _("%(s)s s", s=secs)


def volume(octets: int) -> str:
    """Bytes as people read them: kB, MB or GB in the locale's digits."""
    for size, unit in ((10**9, "GB"), (10**6, "MB"), (10**3, "kB")):
        if octets >= size:
            return f"{format_decimal(round(octets / size, 1))} {unit}"
    return _("%(n)s bytes", n=octets)


def amount(service: str, usage: int) -> str:
    """A record's usage in words for its service."""
    if service == R.VOICE:
        return duration(usage)
    if service == R.DATA:
        return volume(usage)
    return _("%(n)s messages", n=usage) if usage != 1 else _("1 message")


def masked(destination: str) -> str:
    """A called number with its last three digits hidden; an APN as it is."""
    if not destination.isdigit():
        return destination
    return f"+{destination[:-3]}•••" if len(destination) > 3 else "•••"


def helpers() -> dict[str, Any]:
    """What the usage screens call in their templates."""
    return {
        "usage_reason": lambda key: _name(REASONS, key),
        "usage_file_state": lambda key: _name(FILE_STATES, key),
        "usage_arrival": lambda key: _name(ARRIVALS, key),
        "usage_service": lambda key: _name(SERVICES, key),
        "usage_direction": lambda key: _name(DIRECTIONS, key),
        "usage_zone": lambda key: _name(ZONES, key),
        "usage_field": lambda key: _name(FIELDS, key),
        "usage_format": lambda key: READERS[key].label if key in READERS else key,
        "usage_amount": amount,
        "usage_masked": masked,
        "micros": R.to_decimal,
    }
