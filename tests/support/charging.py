"""Charging in tests: subscriptions with lines, and rated batches built by hand at fixed prices."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import polars as pl

from saas.network import lines, numbers, sims
from saas.subscriptions.models import Subscription
from saas.usage.records import LINE, RATED, READ, frame
from tests.conftest import Factory, Snapshot, in_brand
from tests.support import network as files

_serial = itertools.count(1)
T0 = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)  # within the first period of a sub started T0


def plan(make: Factory, brand: Any, allowances: list[dict[str, Any]], **fields: Any) -> Any:
    """A published plan with these allowances and a monthly fee."""
    components = fields.pop(
        "components", [{"code": "base", "name": "Fee", "kind": "recurring", "amount": "10"}]
    )
    return make.plan(brand, components=components, allowances=allowances, **fields)


def line_for(app: Any, brand: Any, sub_id: int, at: datetime | None = None) -> Snapshot:
    """Give a subscription a line with a fresh number and SIM; its ids and number."""
    n = next(_serial)
    with in_brand(app, brand.id) as session:
        first = f"+49 1521 7{n:04d}81"
        numbers.add_range(session, first, f"+49 1521 7{n:04d}89")
        calm = [s for s in files.sims(5000 + n * 20, 12) if s["iccid"][-1] not in "789"]
        sims.import_rows(session, calm[:1])
        held = numbers.reserve(session, f"+49 1521 7{n:04d}83")
        line = lines.create(session, session.get(Subscription, sub_id), held.token, at=at)
        msisdn = lines.current_msisdn(session, line)
        return Snapshot(id=line.id, subscription_id=sub_id, msisdn=msisdn)


def subscriber(make: Factory, brand: Any, version_id: int, at: datetime | None = None) -> Any:
    """A new subscriber of the brand holding the version from `at`."""
    person = make.user(brand, "subscriber", full_name="Anna Schmidt")
    sub = make.subscription(brand, person, version_id, at or T0 - timedelta(days=2))
    return Snapshot(person=person, id=sub.id)


SCHEMA = {**READ, **LINE, **RATED}


def record(line: Any, **fields: Any) -> dict[str, Any]:
    """One rated record of the line; usage and price fixed by the caller."""
    n = next(_serial)
    row = {
        "record_key": f"r{n:08d}",
        "row": n,
        "service": "voice",
        "direction": "out",
        "msisdn": (line.msisdn or "").lstrip("+"),
        "imsi": None,
        "destination": "4930123456",
        "started_at": T0 + timedelta(minutes=n),
        "usage": 60,
        "visited_network": "",
        "line_id": line.id,
        "subscription_id": line.subscription_id,
        "deck_version_id": 1,
        "rate_id": 1,
        "prefix": "49",
        "zone": "home",
        "rated_usage": 60,
        "retail_micros": 100_000,
    } | fields
    if "rated_usage" not in fields:
        row["rated_usage"] = row["usage"]
    return row


def batch(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """A rated batch of these records."""
    return frame(SCHEMA, rows)


def charge(app: Any, brand: Any, rows: list[dict[str, Any]] | pl.DataFrame) -> pl.DataFrame:
    """Charge a batch in the brand and commit, as the pipeline does."""
    from saas.usage.charging import charge as charge_batch

    data = rows if isinstance(rows, pl.DataFrame) else batch(rows)
    with in_brand(app, brand.id) as session:
        return charge_batch(session, data)


def live_line(app: Any, brand: Any, sub_id: int) -> Snapshot:
    """A line put on the network through the provisioning adapter (run the jobs to go live)."""
    from saas.network.provisioning import orders

    made = line_for(app, brand, sub_id)
    with in_brand(app, brand.id) as session:
        line = lines.get(session, made.id)
        assert line is not None
        sim = lines.current_sim(session, line)
        assert sim is not None
        orders.activate(
            session,
            sub_id,
            msisdn=f"+{made.msisdn}",
            iccid=sim.iccid,
            imsi=sim.imsi,
            profile="standard",
        )
    return made


def line_state(app: Any, brand: Any, line_id: int) -> str:
    """The line's state now."""
    with in_brand(app, brand.id) as session:
        line = lines.get(session, line_id)
        assert line is not None
        return line.state
