"""Rating's services: price one record with its breakdown, import a CGRateS tariff plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import polars as pl
from sqlalchemy import select

from saas.db import DbSession, get_scoped
from saas.identity import audit
from saas.usage import records as R
from saas.usage.rating import cgrates, store
from saas.usage.rating import models as M
from saas.usage.rating.compiled import CompiledDeck
from saas.usage.rating.errors import RatingError
from saas.usage.rating.kernel import NO_DESTINATION, NO_PROFILE, NO_TIMING, Piece, price

CATEGORIES = cgrates.CATEGORIES  # call is CGRateS's word for voice
IMPORTED = "rating.imported"


@dataclass(frozen=True)
class Increments:
    """Increments of one rate slot: `count` of `increment` units from `start`, each at a price."""

    start: int
    increment: int
    count: int
    rate: Decimal
    rate_unit: int
    increment_cost: Decimal
    cost: Decimal
    rate_code: str = ""
    timing: str = ""


@dataclass(frozen=True)
class Breakdown:
    """A record's price and how it came about."""

    cost: Decimal
    connect_fee: Decimal
    usage: int
    rated_usage: int
    category: str
    subject: str
    subject_used: str
    zone: str
    rating_plan: str
    destination: str
    prefix: str
    rate: str
    rate_id: int
    timing: str
    weight: Decimal
    rounding: str
    decimals: int
    deck_version_id: int
    increments: tuple[Increments, ...]


def category_of(text: str) -> str:
    """The service a CGRateS category names (call, voice, sms, data)."""
    found = CATEGORIES.get(text.strip().lower())
    if found is None:
        raise RatingError("rating.bad_category", field="category", value=text)
    return found


def usage_of(text: str | int) -> int:
    """Usage as units: a Go duration ("45s", "1m30s") for calls, or a plain count."""
    if isinstance(text, int) and not isinstance(text, bool) and text >= 0:
        return text
    try:
        return cgrates.duration(str(text))
    except (ValueError, ArithmeticError):
        raise RatingError("rating.bad_usage", field="usage") from None


def cost(
    session: DbSession,
    category: str,
    subject: str,
    destination: str,
    answer_time: datetime,
    usage: int,
    visited_network: str = "",
) -> Breakdown:
    """Price one record as the rate stage would, with its breakdown (CGRateS's GetCost)."""
    service = category_of(category)
    version = store.in_force(store.versions(session), answer_time)
    if version is None:
        raise RatingError("rating.no_deck", field="answer_time", at=answer_time)
    deck = store.compiled(session, version)
    digits = destination.strip().removeprefix("+")
    frame = pl.DataFrame(
        {
            "service": [service],
            "subject": [subject],
            "destination": [digits],
            "started_at": [answer_time],
            "usage": [usage],
            "visited_network": [visited_network],
        },
        schema_overrides={"started_at": R.UTC_TIME},
    )
    trace: list[Piece] = []
    row = price(deck, frame, internals=True, trace=trace).row(0, named=True)
    _refuse(row, service, subject, digits)
    return _explain(deck, row, version.id, category, trace)


def _refuse(row: Mapping[str, object], service: str, subject: str, destination: str) -> None:
    refusal = row["refusal"]
    if refusal == NO_PROFILE:
        raise RatingError("rating.no_profile", field="subject", category=service, subject=subject)
    if refusal == NO_DESTINATION:
        raise RatingError(
            "rating.unauthorised_destination", field="destination", destination=destination
        )
    if refusal == NO_TIMING:
        raise RatingError("rating.no_rate", field="answer_time", destination=destination)


def _increments(deck: CompiledDeck, trace: list[Piece]) -> tuple[Increments, ...]:
    """Each slot's increments of each piece of the usage, in order."""
    parts = []
    for piece in trace:
        band = int(piece.band[0])
        dr = int(deck.band_dr[band])
        rate = deck.deck.rates[deck.dr_rate[dr]]
        covered = int(piece.start[0]) // 1_000_000
        for s, slot in enumerate(sorted(rate.slots, key=lambda x: x.start)):
            count = int(piece.counts[0, s])
            if not count:
                continue
            each = R.to_decimal(int(deck.slot_cost[dr, s]))
            timing = deck.band_timing[band].code
            parts.append(
                Increments(
                    covered,
                    slot.increment,
                    count,
                    slot.rate,
                    slot.unit,
                    each,
                    each * count,
                    rate.code,
                    timing,
                )
            )
            covered += count * slot.increment
    return tuple(parts)


def _explain(
    deck: CompiledDeck, row: Mapping[str, Any], vid: int, category: str, trace: list[Piece]
) -> Breakdown:
    dr, band = int(row["_dr"]), int(row["_band"])
    rate = deck.deck.rates[deck.dr_rate[dr]]
    subjects = {i: name for name, i in deck.subjects.items()}
    method, decimals = deck.dr_rounding[dr]
    return Breakdown(
        cost=R.to_decimal(int(row["retail_micros"])),
        connect_fee=rate.connect_fee,
        usage=int(row["usage"]),
        rated_usage=int(row["rated_usage"]),
        category=category,
        subject=str(row["subject"]),
        subject_used=subjects.get(int(row["_subject"]), M.ANY),
        zone=str(row["zone"]),
        rating_plan=deck.plans[int(row["_plan"])],
        destination=deck.entry_destination[_entry_of(deck, band)],
        prefix=str(row["prefix"]),
        rate=rate.code,
        rate_id=rate.id,
        timing=deck.band_timing[band].code,
        weight=deck.band_weight[band],
        rounding=method,
        decimals=decimals,
        deck_version_id=vid,
        increments=_increments(deck, trace),
    )


def _entry_of(deck: CompiledDeck, band: int) -> int:
    rows, _ = (deck.entry_bands == band).nonzero()
    return int(rows[0])


def import_cgrates(
    session: DbSession,
    files: Mapping[str, bytes],
    deck_code: str,
    timezone: str,
    activates_at: datetime | None = None,
    source: str = "",
) -> M.DeckVersion:
    """Import a CGRateS tariff plan as the next version of a deck; all of it or nothing.

    Without `activates_at` the version takes over from its earliest rating profile.
    """
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise RatingError("rating.bad_zone", field="timezone", value=timezone) from None
    spec = cgrates.read(files, timezone)
    at = activates_at or min(p.activates_at for p in spec.profiles)
    made = store.save(session, deck_code, spec, at, source or "CGRateS")
    audit.record(
        session,
        IMPORTED,
        "rating_deck_versions",
        made.id,
        deck=deck_code,
        number=made.number,
        activates_at=made.activates_at.isoformat(),
        source=made.source,
    )
    return made


def decks(session: DbSession) -> list[M.RateDeck]:
    """The brand's decks, by name."""
    return list(session.scalars(select(M.RateDeck).order_by(M.RateDeck.name, M.RateDeck.id)))


def version(session: DbSession, ident: int) -> M.DeckVersion | None:
    """One of the brand's deck versions."""
    return get_scoped(session, M.DeckVersion, ident)


def plain(amount: Decimal) -> str:
    """An amount as a decimal string without trailing zeros ("0.6", "12")."""
    return format(amount.normalize(), "f") if amount else "0"


def as_dict(b: Breakdown) -> dict[str, object]:
    """A breakdown as JSON values, amounts as decimal strings."""
    return {
        "cost": plain(b.cost),
        "connect_fee": plain(b.connect_fee),
        "usage": b.usage,
        "rated_usage": b.rated_usage,
        "category": b.category,
        "subject": b.subject,
        "rating_subject": b.subject_used,
        "rating_plan": b.rating_plan,
        "destination": b.destination,
        "prefix": b.prefix,
        "zone": b.zone,
        "rate": b.rate,
        "timing": b.timing,
        "weight": plain(b.weight),
        "rounding": {"method": b.rounding, "decimals": b.decimals},
        "deck_version_id": b.deck_version_id,
        "increments": [
            {
                "start": i.start,
                "increment": i.increment,
                "count": i.count,
                "rate": plain(i.rate),
                "rate_unit": i.rate_unit,
                "increment_cost": plain(i.increment_cost),
                "cost": plain(i.cost),
                "rate_code": i.rate_code,
                "timing": i.timing,
            }
            for i in b.increments
        ],
    }
