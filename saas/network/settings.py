"""A brand's network settings: quarantine, reservation time, golden numbers, SM-DP+ address."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from saas.db import DbSession
from saas.network.errors import NetworkError
from saas.network.models import NetworkSettings

# A host name as SGP.22 names an SM-DP+ server (an FQDN, no scheme or path).
HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
BOUNDS = {"quarantine_days": (0, 3650), "reservation_minutes": (1, 10_080), "golden_run": (0, 8)}


def of_brand(session: DbSession) -> NetworkSettings:
    """The brand's settings, or the defaults (not stored) when it has none."""
    found = session.scalar(select(NetworkSettings))
    if found is not None:
        return found
    defaults = NetworkSettings()
    for column in NetworkSettings.__table__.columns:
        if column.default is not None and not callable(column.default.arg):
            setattr(defaults, column.key, column.default.arg)
    return defaults


def save(session: DbSession, **values: Any) -> NetworkSettings:
    """Change the brand's settings; refuse a value out of bounds or an address that is none."""
    for name, (low, high) in BOUNDS.items():
        if name in values and not low <= values[name] <= high:
            raise NetworkError("network.too_many_days", field=name, low=low, high=high)
    if "smdp_address" in values:
        values["smdp_address"] = values["smdp_address"].strip().lower()
        if values["smdp_address"] and not HOST.match(values["smdp_address"]):
            raise NetworkError("network.smdp_address", field="smdp_address")
    stored = session.scalar(select(NetworkSettings).with_for_update())
    if stored is None:
        stored = of_brand(session)
        session.add(stored)
    for name, value in values.items():
        setattr(stored, name, value)
    session.flush()
    return stored
