"""Rate decks as CGRateS keeps a tariff plan: destinations, rates, timings, plans, profiles.

A deck has versions; each version is a whole tariff plan that takes over at its activation
time, and never changes once made (a fix is a new version). Rows of a version belong to it
alone, so an import maps CGRateS's files one to one and a version can be compiled on its own.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, ForeignKeyConstraint, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from saas.db import Base, TenantScoped, utcnow

HALF_UP, UP, DOWN = "half_up", "up", "down"
ROUNDINGS = (HALF_UP, UP, DOWN)
# CGRateS's shipped defaults: five decimals, half up.
DEFAULT_ROUNDING, DEFAULT_DECIMALS = HALF_UP, 5
ANY = "*any"
HOME = "home"


def _fk(cols: list[str], table: str, ondelete: str = "CASCADE") -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["tenant_id", *cols], [f"{table}.tenant_id", f"{table}.id"], ondelete=ondelete
    )


class RateDeck(TenantScoped, Base):
    """A named rate deck of the brand, e.g. its retail tariff."""

    __tablename__ = "rating_decks"
    __table_args__ = (UniqueConstraint("tenant_id", "id"), UniqueConstraint("tenant_id", "code"))

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[DeckVersion]] = relationship(
        back_populates="deck", order_by="DeckVersion.number"
    )


class DeckVersion(TenantScoped, Base):
    """One whole tariff plan of a deck, in force from `activates_at` until a later one is."""

    __tablename__ = "rating_deck_versions"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "deck_id", "number"),
        _fk(["deck_id"], "rating_decks"),
        Index("ix_rating_deck_versions_tenant_activates", "tenant_id", "activates_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deck_id: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    activates_at: Mapped[datetime]
    # The deck's rounding, for destination rates that name none of their own.
    rounding: Mapped[str] = mapped_column(String(8), default=DEFAULT_ROUNDING)
    decimals: Mapped[int] = mapped_column(Integer, default=DEFAULT_DECIMALS)
    # Timings (peak hours, weekends) are read on the clock of this zone.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    source: Mapped[str] = mapped_column(String(255), default="")
    actor_label: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Compiled decks are kept per process under (id, changed_at): a change is seen at once.
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    deck: Mapped[RateDeck] = relationship(back_populates="versions", foreign_keys=[deck_id])


class _OfVersion:
    """A row of one deck version."""

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(Integer, index=True)


class Destination(_OfVersion, TenantScoped, Base):
    """A named set of number prefixes (CGRateS Destinations.csv)."""

    __tablename__ = "rating_destinations"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "version_id", "code"),
        _fk(["version_id"], "rating_deck_versions"),
    )

    code: Mapped[str] = mapped_column(String(64))


class Prefix(_OfVersion, TenantScoped, Base):
    """One number prefix of a destination."""

    __tablename__ = "rating_prefixes"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "destination_id", "prefix"),
        _fk(["version_id"], "rating_deck_versions"),
        _fk(["destination_id"], "rating_destinations"),
    )

    destination_id: Mapped[int] = mapped_column(Integer, index=True)
    prefix: Mapped[str] = mapped_column(String(24))


class Rate(_OfVersion, TenantScoped, Base):
    """A rate: its connect fee and its slots (CGRateS Rates.csv, one row per slot)."""

    __tablename__ = "rating_rates"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "version_id", "code"),
        _fk(["version_id"], "rating_deck_versions"),
    )

    code: Mapped[str] = mapped_column(String(64))
    connect_fee: Mapped[Decimal]


class RateSlot(_OfVersion, TenantScoped, Base):
    """From `group_interval_start` on: `rate` per `rate_unit`, charged by `rate_increment`.

    Units are seconds for calls, messages for SMS and bytes for data.
    """

    __tablename__ = "rating_rate_slots"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "rate_id", "group_interval_start"),
        _fk(["version_id"], "rating_deck_versions"),
        _fk(["rate_id"], "rating_rates"),
    )

    rate_id: Mapped[int] = mapped_column(Integer, index=True)
    group_interval_start: Mapped[int] = mapped_column(BigInteger)
    rate: Mapped[Decimal]
    rate_unit: Mapped[int] = mapped_column(BigInteger)
    rate_increment: Mapped[int] = mapped_column(BigInteger)


class DestinationRate(_OfVersion, TenantScoped, Base):
    """A destination (none: `*any`) priced by a rate, rounded its own way or the deck's."""

    __tablename__ = "rating_destination_rates"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        _fk(["version_id"], "rating_deck_versions"),
        _fk(["destination_id"], "rating_destinations"),
        _fk(["rate_id"], "rating_rates"),
        Index("ix_rating_destination_rates_code", "tenant_id", "version_id", "code"),
    )

    code: Mapped[str] = mapped_column(String(64))
    destination_id: Mapped[int | None] = mapped_column(Integer)
    rate_id: Mapped[int] = mapped_column(Integer)
    rounding: Mapped[str | None] = mapped_column(String(8))
    decimals: Mapped[int | None] = mapped_column(Integer)


class Timing(_OfVersion, TenantScoped, Base):
    """When a rate applies: years, months, month days, weekdays ("*any" or "1;2;3"), a time."""

    __tablename__ = "rating_timings"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "version_id", "code"),
        _fk(["version_id"], "rating_deck_versions"),
    )

    code: Mapped[str] = mapped_column(String(64))
    years: Mapped[str] = mapped_column(String(255), default=ANY)
    months: Mapped[str] = mapped_column(String(64), default=ANY)
    month_days: Mapped[str] = mapped_column(String(128), default=ANY)
    week_days: Mapped[str] = mapped_column(String(32), default=ANY)
    # Local time of day the timing starts ("08:00:00"), and where it ends if before midnight.
    starts: Mapped[str] = mapped_column(String(8), default="00:00:00")
    ends: Mapped[str | None] = mapped_column(String(8))


class RatingPlan(_OfVersion, TenantScoped, Base):
    """A rating plan: destination rates, each at a timing and with a weight."""

    __tablename__ = "rating_plans"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "version_id", "code"),
        _fk(["version_id"], "rating_deck_versions"),
    )

    code: Mapped[str] = mapped_column(String(64))


class PlanRate(_OfVersion, TenantScoped, Base):
    """One row of a rating plan (CGRateS RatingPlans.csv): destination rates, timing, weight."""

    __tablename__ = "rating_plan_rates"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        _fk(["version_id"], "rating_deck_versions"),
        _fk(["plan_id"], "rating_plans"),
        _fk(["timing_id"], "rating_timings"),
    )

    plan_id: Mapped[int] = mapped_column(Integer, index=True)
    destination_rates: Mapped[str] = mapped_column(String(64))  # a DestinationRate code
    timing_id: Mapped[int | None] = mapped_column(Integer)  # none: *any
    weight: Mapped[Decimal]


class RatingProfile(_OfVersion, TenantScoped, Base):
    """Who is rated by which plan from when: category (service), subject, optionally a zone."""

    __tablename__ = "rating_profiles"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        _fk(["version_id"], "rating_deck_versions"),
        _fk(["plan_id"], "rating_plans"),
    )

    category: Mapped[str] = mapped_column(String(8))  # voice, sms or data
    subject: Mapped[str] = mapped_column(String(64))  # a plan code, or *any
    zone: Mapped[str | None] = mapped_column(String(32))  # none: wherever the record was made
    activates_at: Mapped[datetime]
    plan_id: Mapped[int] = mapped_column(Integer)
    fallback_subjects: Mapped[str] = mapped_column(String(255), default="")  # "a;b"


class RoamingZone(_OfVersion, TenantScoped, Base):
    """A visited network (MCC+MNC) and the roaming zone it is rated in."""

    __tablename__ = "rating_zones"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "version_id", "visited_network"),
        _fk(["version_id"], "rating_deck_versions"),
    )

    visited_network: Mapped[str] = mapped_column(String(6))
    zone: Mapped[str] = mapped_column(String(32))


VERSION_TABLES = (
    Destination,
    Prefix,
    Rate,
    RateSlot,
    DestinationRate,
    Timing,
    RatingPlan,
    PlanRate,
    RatingProfile,
    RoamingZone,
)
