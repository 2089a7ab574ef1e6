"""Credit checks: what is asked about a person, and the decisions with their explanation."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    PrivateAttr,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from saas.customers.credit import models as C
from saas.customers.credit import reports
from saas.customers.credit.errors import CreditError
from saas.customers.credit.scorecard import RULES
from saas.db import utcnow
from saas.money import money_text
from saas.web.api import models as api

Names = Annotated[str, StringConstraints(max_length=reports.NAME_MAX)]
Address = Annotated[str, StringConstraints(max_length=reports.ADDRESS_MAX)]


def _day(value: Any) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise api.refuse("not_a_date") from None


Day = Annotated[
    date,
    BeforeValidator(_day),
    WithJsonSchema({"type": "string", "format": "date"}),
]


class CreditCheck(api.Body):
    """The person to check, as the bureau is asked about them, and how they would pay."""

    given_names: Names
    surname: Names
    birth_date: Day = Field(description="YYYY-MM-DD.")
    street: Address = ""
    postcode: Annotated[str, StringConstraints(max_length=16)] = ""
    city: Address = ""
    country: str = Field("", description="ISO 3166-1 alpha-2 code, e.g. DE.")
    direct_debit: bool = Field(False, description="Whether they pay by direct debit.")
    _applicant: reports.Applicant = PrivateAttr()

    @model_validator(mode="after")
    def _checked(self) -> CreditCheck:
        try:
            self._applicant = reports.applicant(self.model_dump(), utcnow().date())
        except CreditError as exc:
            first = exc.each()[0]
            raise api.refused(first, first.field or "") from None
        return self

    @property
    def applicant(self) -> reports.Applicant:
        """The person as the domain checks them."""
        return self._applicant


class ScoreLine(api.Out):
    """One rule's part in the total, and the band or entries that gave it."""

    rule: Annotated[str, api.OneOf(RULES)]
    points: int
    start: int | None = Field(None, description="The band's first value.")
    end: int | None = Field(None, description="The band's last value; null: no end.")
    kind: str | None = Field(
        None, description="A negative entry's kind, or yes/no for direct debit."
    )
    count: int | None = Field(None, description="How many entries of that kind.")


class CreditDecision(api.Out):
    """A credit decision: its class, what the class allows, and why."""

    id: int
    subscriber_id: int
    kind: Literal["check", "override"]
    outcome: Annotated[str, api.OneOf(C.OUTCOMES)] = Field(
        description="scored, no_record (scored without a record), bureau_unavailable "
        "(the fallback class), override."
    )
    class_code: str
    class_names: dict[str, str] = Field(description="The class's name by language.")
    currency: str = Field(pattern="^[A-Z]{3}$")
    deposit: api.Decimal
    credit_limit: api.Decimal = Field(description="Per month.")
    max_lines: int
    postpaid: bool = Field(description="Whether postpaid plans may be sold; else prepaid only.")
    total: int | None = Field(description="The scorecard's total; null when not scored.")
    lines: list[ScoreLine]
    bureau_reference: str = Field(description="The bureau's id of its inquiry; empty if none.")
    based_on_id: int | None = Field(description="The decision an override overrides.")
    reason: str = Field(description="Why an override was made.")
    decided_by_id: int | None = Field(description="The staff member who overrode; else null.")
    requested_by: str = Field(validation_alias="actor_label", description="Who asked.")
    decided_at: api.Instant

    @classmethod
    def computed(cls, row: Any) -> dict[str, Any]:
        return {
            "deposit": money_text(row.deposit, row.currency),
            "credit_limit": money_text(row.credit_limit, row.currency),
        }


CreditDecisionList = api.Listing[CreditDecision]
