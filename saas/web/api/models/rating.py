"""Rating: a record priced with its breakdown, the brand's decks and their versions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StringConstraints

from saas.usage.rating import cgrates
from saas.usage.rating.errors import RatingError
from saas.usage.rating.services import usage_of
from saas.web.api import models as api
from saas.web.api.models.subscriptions import _instant

Category = Annotated[str, api.OneOf(tuple(cgrates.CATEGORIES))]


def _usage(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise api.refuse("rating.bad_usage")
    try:
        return usage_of(value)
    except RatingError as exc:
        raise api.refused(exc) from None


class CostRequest(api.Body):
    """A record to price, as CGRateS's GetCost takes it."""

    category: Category = Field(description="call (CGRateS's word for voice), voice, sms or data.")
    subject: Annotated[str, StringConstraints(min_length=1, max_length=64)] = Field(
        description="The rating subject: a plan code, or *any.", examples=["1001"]
    )
    destination: Annotated[str, StringConstraints(min_length=1, max_length=32)] = Field(
        description="The number called as E.164 digits (a + is dropped), or an APN for data.",
        examples=["1002"],
    )
    answer_time: Annotated[datetime, BeforeValidator(_instant)] = Field(
        description="When the call was answered (or the SMS sent, the session began)."
    )
    usage: Annotated[
        int, BeforeValidator(_usage), Field(json_schema_extra={"type": ["string", "integer"]})
    ] = Field(
        description='A duration such as "45s" or "1m30s" for calls; a count of SMS or bytes.',
        examples=["45s"],
    )
    visited_network: Annotated[str, StringConstraints(pattern=r"^(\d{5,6})?$")] = Field(
        "", description="MCC and MNC of the network visited when roaming; empty at home."
    )


class Increment(api.Out):
    """Increments of one rate slot: `count` of `increment` units from `start`."""

    start: int = Field(description="Where in the usage the slot's increments begin.")
    increment: int
    count: int
    rate: api.Decimal = Field(description="The slot's price per rate unit.")
    rate_unit: int
    increment_cost: api.Decimal = Field(description="One increment's price, rounded.")
    cost: api.Decimal
    rate_code: str = Field(
        description="The rate: a call that runs into another band goes on at its rate."
    )
    timing: str = Field(description="The timing (time band) these increments were priced in.")


class Rounding(api.Out):
    """How each increment's price was rounded."""

    method: Annotated[str, api.OneOf(("half_up", "up", "down"))]
    decimals: int


class Cost(api.Out):
    """What a record costs and why: the deck version, plan, destination, rate and increments."""

    cost: api.Decimal = Field(examples=["0.6"])
    currency: str
    connect_fee: api.Decimal
    usage: int
    rated_usage: int = Field(description="The usage rounded up to whole increments.")
    category: str
    subject: str
    rating_subject: str = Field(description="The subject whose profile priced it (a fallback).")
    rating_plan: str
    destination: str = Field(description="The deck's destination that matched, or *any.")
    prefix: str
    zone: str = Field(description="home, a roaming zone of the deck, or world.")
    rate: str
    timing: str
    weight: api.Decimal
    rounding: Rounding
    deck_version_id: int
    increments: list[Increment]


class DeckVersion(api.Out):
    """A version of a deck: a whole tariff plan in force from its activation time."""

    id: int
    deck_id: int
    number: int
    activates_at: api.Instant
    timezone: str = Field(description="The zone on whose clock timings are read.")
    rounding: Rounding
    source: str
    created_at: api.Instant
    counts: dict[str, int] = Field(
        description="Rows per part: destinations, prefixes, rates, timings, plans, profiles."
    )

    @classmethod
    def computed(cls, row: Any) -> dict[str, Any]:
        return {"rounding": {"method": row.rounding, "decimals": row.decimals}}


class Deck(api.Out):
    """A deck of the brand and its versions, oldest first."""

    id: int
    code: str
    name: str
    versions: list[DeckVersion]


DeckList = api.Listing[Deck]


class CgratesImport(api.Body):
    """A CGRateS tariff plan: each file's CSV text by its name."""

    deck: api.Code = Field("retail", description="The deck the version is added to.")
    timezone: Annotated[str, StringConstraints(max_length=64)] | None = Field(
        None, description="Zone of the timings' clock; the brand's if left out."
    )
    activates_at: Annotated[datetime, BeforeValidator(_instant)] | None = Field(
        None, description="When the version takes over; its earliest rating profile if left out."
    )
    files: dict[
        Annotated[str, api.OneOf(cgrates.FILES)],
        Annotated[str, StringConstraints(max_length=20_000_000)],
    ] = Field(
        description="Destinations.csv, Rates.csv, DestinationRates.csv, Timings.csv, "
        "RatingPlans.csv, RatingProfiles.csv (and RoamingZones.csv) as text."
    )
