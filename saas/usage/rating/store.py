"""Deck versions in the database: written whole from a deck, read back whole, compiled once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select

from saas.db import DbSession, read, utcnow
from saas.identity.actor import current_actor
from saas.tenancy.context import require_tenant_id
from saas.usage.rating import models as M
from saas.usage.rating.compiled import CACHE, CompiledDeck, DeckTooLarge, compile_deck
from saas.usage.rating.deck import DAY, Deck, DestinationRate, PlanRate, Profile, Rate, Slot
from saas.usage.rating.deck import Timing as TimingSpec
from saas.usage.rating.errors import RatingError

_TIMES = ("years", "months", "month_days", "week_days")


def _text(values: frozenset[int]) -> str:
    return ";".join(str(v) for v in sorted(values)) if values else M.ANY


def _clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _many(session: DbSession, model: Any, rows: list[dict[str, Any]]) -> list[Any]:
    """Insert rows in one statement per batch; returns their ids in order."""
    if not rows:
        return []
    tenant = require_tenant_id()
    stmt = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(session.scalars(stmt, [{**r, "tenant_id": tenant} for r in rows]))


def deck_named(session: DbSession, code: str, name: str | None = None) -> M.RateDeck:
    """The brand's deck of that code, made if it is new."""
    deck = session.scalar(select(M.RateDeck).filter_by(code=code))
    if deck is None:
        deck = M.RateDeck(code=code, name=name or code)
        session.add(deck)
        session.flush()
    return deck


def save(
    session: DbSession, deck_code: str, spec: Deck, activates_at: datetime, source: str = ""
) -> M.DeckVersion:
    """Write a deck as the next version of the brand's deck `deck_code`."""
    try:
        compile_deck(spec)  # refuse now what could never be rated
    except DeckTooLarge as exc:
        raise RatingError("rating.too_large", detail=str(exc)) from None
    deck = deck_named(session, deck_code)
    last = session.scalar(select(func.max(M.DeckVersion.number)).filter_by(deck_id=deck.id))
    version = M.DeckVersion(
        deck_id=deck.id,
        number=(last or 0) + 1,
        activates_at=activates_at,
        rounding=spec.rounding,
        decimals=spec.decimals,
        timezone=spec.timezone,
        source=source[:255],
        actor_label=current_actor().label,
    )
    session.add(version)
    session.flush()
    _write(session, version.id, spec)
    return version


def _write(session: DbSession, vid: int, spec: Deck) -> None:
    names = sorted(spec.destinations)
    dest_ids = dict(
        zip(
            names,
            _many(session, M.Destination, [{"version_id": vid, "code": c} for c in names]),
            strict=True,
        )
    )
    prefixes = [
        {"version_id": vid, "destination_id": dest_ids[d], "prefix": p}
        for d in names
        for p in spec.destinations[d]
    ]
    _many(session, M.Prefix, prefixes)
    codes = sorted(spec.rates)
    rows = [{"version_id": vid, "code": c, "connect_fee": spec.rates[c].connect_fee} for c in codes]
    rate_ids = dict(zip(codes, _many(session, M.Rate, rows), strict=True))
    slots = [
        {
            "version_id": vid,
            "rate_id": rate_ids[c],
            "group_interval_start": s.start,
            "rate": s.rate,
            "rate_unit": s.unit,
            "rate_increment": s.increment,
        }
        for c in codes
        for s in spec.rates[c].slots
    ]
    _many(session, M.RateSlot, slots)
    drs = [
        {
            "version_id": vid,
            "code": dr.code,
            "destination_id": dest_ids[dr.destination] if dr.destination else None,
            "rate_id": rate_ids[dr.rate],
            "rounding": dr.rounding,
            "decimals": dr.decimals,
        }
        for dr in spec.destination_rates
    ]
    _many(session, M.DestinationRate, drs)
    timing_ids = _write_timings(session, vid, spec)
    _write_plans(session, vid, spec, timing_ids)


def _write_timings(session: DbSession, vid: int, spec: Deck) -> dict[str, int]:
    codes = sorted(spec.timings)
    rows = []
    for code in codes:
        t = spec.timings[code]
        times = {f: _text(getattr(t, f)) for f in _TIMES}
        ends = None if t.ends == DAY else _clock(t.ends)
        rows.append(
            {"version_id": vid, "code": code, "starts": _clock(t.starts), "ends": ends, **times}
        )
    return dict(zip(codes, _many(session, M.Timing, rows), strict=True))


def _write_plans(session: DbSession, vid: int, spec: Deck, timings: dict[str, int]) -> None:
    plans = list(spec.plans)
    plan_ids = dict(
        zip(
            plans,
            _many(session, M.RatingPlan, [{"version_id": vid, "code": p} for p in plans]),
            strict=True,
        )
    )
    rows = [
        {
            "version_id": vid,
            "plan_id": plan_ids[r.plan],
            "destination_rates": r.destination_rates,
            "timing_id": timings[r.timing] if r.timing else None,
            "weight": r.weight,
        }
        for r in spec.plan_rates
    ]
    _many(session, M.PlanRate, rows)
    profiles = [
        {
            "version_id": vid,
            "category": p.category,
            "subject": p.subject,
            "zone": p.zone,
            "activates_at": p.activates_at,
            "plan_id": plan_ids[p.plan],
            "fallback_subjects": ";".join(p.fallbacks),
        }
        for p in spec.profiles
    ]
    _many(session, M.RatingProfile, profiles)
    zones = [{"version_id": vid, "visited_network": n, "zone": z} for n, z in spec.zones.items()]
    _many(session, M.RoamingZone, zones)


def _rows(session: DbSession, model: Any, vid: int) -> Sequence[Any]:
    return read(
        session, select(model.__table__).where(model.version_id == vid).order_by(model.id)
    ).all()


def load(session: DbSession, version: M.DeckVersion) -> Deck:
    """The deck of a version, as it is stored."""
    vid = version.id
    dests = {r.id: r.code for r in _rows(session, M.Destination, vid)}
    prefixes: dict[str, list[str]] = {code: [] for code in dests.values()}
    for r in _rows(session, M.Prefix, vid):
        prefixes[dests[r.destination_id]].append(r.prefix)
    slots: dict[int, list[Slot]] = {}
    for r in _rows(session, M.RateSlot, vid):
        slots.setdefault(r.rate_id, []).append(
            Slot(r.group_interval_start, r.rate, r.rate_unit, r.rate_increment)
        )
    rates = {
        r.code: Rate(r.id, r.code, r.connect_fee, tuple(slots.get(r.id, ())))
        for r in _rows(session, M.Rate, vid)
    }
    rate_codes = {r.id: r.code for r in rates.values()}
    drs = tuple(
        DestinationRate(
            r.code, dests.get(r.destination_id), rate_codes[r.rate_id], r.rounding, r.decimals
        )
        for r in _rows(session, M.DestinationRate, vid)
    )
    timings = {r.id: _timing(r) for r in _rows(session, M.Timing, vid)}
    plans = {r.id: r.code for r in _rows(session, M.RatingPlan, vid)}
    plan_rates = tuple(
        PlanRate(
            plans[r.plan_id],
            r.destination_rates,
            timings[r.timing_id].code if r.timing_id else None,
            r.weight,
        )
        for r in _rows(session, M.PlanRate, vid)
    )
    profiles = tuple(
        Profile(
            r.category,
            r.subject,
            r.activates_at,
            plans[r.plan_id],
            tuple(s for s in r.fallback_subjects.split(";") if s),
            r.zone,
        )
        for r in _rows(session, M.RatingProfile, vid)
    )
    return Deck(
        version_id=vid,
        rounding=version.rounding,
        decimals=version.decimals,
        timezone=version.timezone,
        destinations={k: tuple(v) for k, v in prefixes.items()},
        rates=rates,
        destination_rates=drs,
        timings={t.code: t for t in timings.values()},
        plans=tuple(plans.values()),
        plan_rates=plan_rates,
        profiles=profiles,
        zones={r.visited_network: r.zone for r in _rows(session, M.RoamingZone, vid)},
    )


def _timing(r: Any) -> TimingSpec:
    from saas.usage.rating.deck import timing_of

    time = r.starts + (f";{r.ends}" if r.ends else "")
    return timing_of(r.code, r.years, r.months, r.month_days, r.week_days, time)


def compiled(session: DbSession, version: M.DeckVersion) -> CompiledDeck:
    """The compiled deck of a version: from this process's cache while it is unchanged."""
    key = (version.tenant_id, version.id, version.changed_at)
    found = CACHE.get(key)
    if found is None:
        found = compile_deck(load(session, version))
        CACHE.put(key, found)
    return found


def versions(session: DbSession) -> list[M.DeckVersion]:
    """The brand's deck versions, in the order they take over (activation, then id)."""
    stmt = select(M.DeckVersion).order_by(M.DeckVersion.activates_at, M.DeckVersion.id)
    return list(session.scalars(stmt))


def in_force(chosen: Sequence[M.DeckVersion], at: datetime) -> M.DeckVersion | None:
    """The version in force at an instant: the last to take over by then."""
    found = None
    for version in chosen:
        if version.activates_at <= at:
            found = version
    return found


def touch(version: M.DeckVersion) -> None:
    """Say the version changed: compiled copies of it are not used again."""
    version.changed_at = utcnow()
