"""Which usage records a catalogue metric counts, and how many base units make one of its units.

A record is for a service (voice, SMS, data) and is rated in a zone ("home" or a roaming zone
of the brand's deck). A metric counts the records of one service in one zone:

- its service is `Metric.service`, or, when that is not set, read from its unit: minutes and
  seconds are voice, "sms" (or "msg") is SMS, bytes, KB, MB and GB are data;
- its zone is `Metric.zone`; none means at home. So "data_mb" counts data at home and a metric
  "roaming_data_mb" with zone "eu" counts data rated in the zone "eu".

An allowance draws on the records its metric counts, and also on those of the same service in
the zones it lists itself (`Allowance.zones`, e.g. ["eu"] to roam like at home): a roaming
record never draws on a home allowance unless the allowance says so.

Counting is in base units, the records' own (seconds, messages, bytes): 1 min = 60 s,
1 KB = 1,024 bytes, 1 MB = 1,024 KB, 1 GB = 1,024 MB (as the brands' packages of "1024 MB per
GB" count). A metric whose unit is none of these counts no records.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from saas.usage.records import DATA, SMS, VOICE

HOME = "home"

UNITS: dict[str, tuple[str, int]] = {
    "s": (VOICE, 1),
    "sec": (VOICE, 1),
    "second": (VOICE, 1),
    "seconds": (VOICE, 1),
    "min": (VOICE, 60),
    "minute": (VOICE, 60),
    "minutes": (VOICE, 60),
    "sms": (SMS, 1),
    "msg": (SMS, 1),
    "message": (SMS, 1),
    "messages": (SMS, 1),
    "b": (DATA, 1),
    "byte": (DATA, 1),
    "bytes": (DATA, 1),
    "kb": (DATA, 1024),
    "mb": (DATA, 1024**2),
    "gb": (DATA, 1024**3),
}
# The unit a service's figures are shown and priced in when no metric names one.
SERVICE_UNITS = {VOICE: ("min", 60), SMS: ("sms", 1), DATA: ("MB", 1024**2)}


@dataclass(frozen=True)
class Counted:
    """What a metric counts: a service in a zone, `size` base units per unit of the metric."""

    service: str
    zone: str
    size: int


def counted(metric: Any) -> Counted | None:
    """What records a metric (a catalogue `Metric`, or anything with its fields) counts."""
    known = UNITS.get(str(metric.unit or "").strip().lower())
    if known is None:
        return None
    service = metric.service or known[0]
    if service != known[0]:
        return None  # a unit of another service: nothing to count
    return Counted(service, metric.zone or HOME, known[1])


def base_units(quantity: Decimal, size: int) -> int:
    """A quantity of a metric's units in whole base units (a part of one is not given)."""
    return int((quantity * size).to_integral_value(ROUND_FLOOR))


def in_units(base: int, size: int) -> Decimal:
    """Base units as an exact quantity of the metric's units."""
    return Decimal(base) / Decimal(size)
