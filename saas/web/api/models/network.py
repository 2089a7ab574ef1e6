"""Numbers, SIMs and lines: ranges with their counts, stock lists, SIM imports, a line over time."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StringConstraints, WithJsonSchema, model_validator

from saas.network import models as N
from saas.web.api import models as api
from saas.web.api.models.subscriptions import _instant
from saas.web.api.pagination import PageQuery

Typed = Annotated[str, StringConstraints(max_length=32)]
E164 = Annotated[str, Field(pattern=r"^\+\d{6,15}$", examples=["+4915200001234"])]


def e164(digits: str | None) -> str | None:
    """Stored digits as an E.164 number with its plus."""
    return f"+{digits}" if digits else None


class NumberRange(api.Out):
    """A block of numbers the brand holds, with how many stand in each state now."""

    id: int
    first: E164
    last: E164
    country: str = Field(description="ISO 3166 country of the numbers.")
    size: int
    golden: int = Field(description="How many are golden: given out only when chosen by staff.")
    counts: dict[str, int] = Field(
        description="Numbers per state: available, reserved, assigned, quarantined."
    )
    created_at: api.Instant


NumberRangeList = api.Listing[NumberRange]


class NewNumberRange(api.Body):
    """A range by its first and last mobile number in international format."""

    first: Typed = Field(examples=["+49 1520 0000000"])
    last: Typed = Field(examples=["+49 1520 0009999"])


class Number(api.Out):
    """One number of the brand's stock and where it stands now."""

    id: int
    msisdn: E164
    state: Annotated[str, api.OneOf(N.NUMBER_STATES)]
    golden: bool
    origin: Annotated[str, api.OneOf((N.FROM_RANGE, N.PORTED))]
    free_from: api.Instant | None = Field(
        description="When a reservation or quarantine ends; null while assigned."
    )


NumberPage = api.Page[Number]


class NumberQuery(PageQuery):
    """A page of numbers, optionally in one state."""

    state: Annotated[str, api.OneOf(N.NUMBER_STATES)] | None = Field(
        None, description="Keep numbers in this state now."
    )


class Sim(api.Out):
    """A SIM of the brand's stock; its secret keys are never answered."""

    id: int
    iccid: str
    imsi: str
    kind: Annotated[str, api.OneOf(N.SIM_KINDS)]
    state: Annotated[str, api.OneOf(N.SIM_STATES)]
    changed_at: api.Instant


SimPage = api.Page[Sim]


class SimQuery(PageQuery):
    """A page of SIMs, optionally in one state or of one kind."""

    state: Annotated[str, api.OneOf(N.SIM_STATES)] | None = None
    kind: Annotated[str, api.OneOf(N.SIM_KINDS)] | None = None


class NewSim(api.Body):
    """One SIM as the card vendor delivers it; the keys are sealed at rest."""

    iccid: Typed
    imsi: Typed
    ki: Typed = Field(description="32 hexadecimal characters.")
    opc: Typed = Field(description="32 hexadecimal characters.")
    kind: Annotated[str, api.OneOf(N.SIM_KINDS)] = N.PHYSICAL
    matching_id: Annotated[str, StringConstraints(max_length=64)] = Field(
        "", description="The eSIM profile's matching ID at the SM-DP+ (eSIMs only)."
    )


class SimImportBody(api.Body):
    """SIMs to import: all of them, or none if one is wrong (each named by pointer)."""

    name: Annotated[str, StringConstraints(max_length=255)] = ""
    sims: list[NewSim] = Field(min_length=1, max_length=10_000)


class SimImport(api.Out):
    """An import of SIMs."""

    id: int
    count: int
    filename: str
    created_at: api.Instant


class HeldNumber(api.Out):
    """A number a line held from `valid_from` until `valid_to` (null: still held)."""

    msisdn: E164
    valid_from: api.Instant
    valid_to: api.Instant | None

    @classmethod
    def computed(cls, row: Any) -> dict[str, Any]:
        return {"msisdn": e164(row.msisdn)}


class HeldSim(api.Out):
    """A SIM a line held from `valid_from` until `valid_to` (null: still held)."""

    iccid: str
    imsi: str
    valid_from: api.Instant
    valid_to: api.Instant | None


class LineEvent(api.Out):
    """One change of a line."""

    kind: str = Field(examples=["created", "activated", "sim_swapped", "terminated"])
    at: api.Instant
    actor: str = Field(validation_alias="actor_label")
    data: dict[str, Any]


class Line(api.Out):
    """A subscription's line: its state, and its numbers, SIMs and changes over time."""

    id: int
    subscription_id: int
    state: Annotated[str, api.OneOf(N.LINE_STATES)]
    numbers: list[HeldNumber]
    sims: list[HeldSim]
    events: list[LineEvent]


Instant = Annotated[
    datetime,
    BeforeValidator(_instant),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


class LineAtQuery(api.Body):
    """A number or an IMSI, and an instant."""

    msisdn: Typed | None = Field(None, description="E.164, with or without the plus.")
    imsi: Typed | None = None
    at: Instant = Field(description="An ISO 8601 time with a zone offset.")

    model_config = api.Body.model_config | {"strict": False}

    @model_validator(mode="after")
    def _one(self) -> LineAtQuery:
        if (self.msisdn is None) == (self.imsi is None):
            raise api.refuse("msisdn_or_imsi", "msisdn")
        return self


class LineAt(api.Out):
    """The line that held the number or IMSI at the instant, as it stood then."""

    line_id: int
    subscription_id: int
    at: api.Instant
    state: Annotated[str, api.OneOf(N.LINE_STATES)]
    msisdn: E164 | None
    imsi: str | None
    iccid: str | None
