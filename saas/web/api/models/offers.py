"""Promotions, plan migrations (the end of grandfathering) and plans imported from Lago."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import MISSING, AfterValidator, ConfigDict, Field, StringConstraints, model_validator

from saas.catalog import models as M
from saas.catalog.specs import COUNT_MAX, PromotionSpec
from saas.money import money_text
from saas.subscriptions.migrations import MigrationRow as Row
from saas.web.api import models as api
from saas.web.api.models.catalog import Payment, Plan, PlanKind, currency_code

Count = Annotated[int, Field(ge=1, le=COUNT_MAX)]
Duration = Annotated[str, api.OneOf(("once", "repeating", "forever"))]
PromotionKind = Annotated[str, api.OneOf(("percent", "fixed"))]
# The promotion keeps the code in capitals, as it is written in its column.
AnyCaseCurrency = Annotated[str, AfterValidator(lambda code: currency_code(code.upper()) and code)]


class _Terms(api.Body):
    """What a promotion offers, besides its value: the members a new one and a change share."""

    currency: AnyCaseCurrency | MISSING | None = Field(MISSING, description="For a fixed one.")
    component: api.Code | MISSING | None = Field(MISSING, description="The component it discounts.")
    duration: Duration | MISSING = MISSING
    cycles: Count | MISSING | None = MISSING
    promo_code: Annotated[str, StringConstraints(max_length=64)] | MISSING | None = MISSING
    max_redemptions: Count | MISSING | None = MISSING
    valid_from: api.TimeText | MISSING | None = MISSING
    valid_until: api.TimeText | MISSING | None = MISSING


class NewPromotion(api.Parsed, _Terms):
    """A promotion to add, optionally for one plan and behind a promo code."""

    code: api.Code
    name: api.Name
    kind: PromotionKind
    value: api.DecimalText
    plan: str | MISSING | None = Field(MISSING, description="The code of the one plan it is for.")
    reader = PromotionSpec.parse


class PromotionChanges(_Terms):
    """Switch a promotion on or off, or change what it offers while nobody has redeemed it."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1})

    active: bool | MISSING = MISSING
    name: api.Name | MISSING = MISSING
    value: api.DecimalText | MISSING = MISSING

    def edits(self) -> dict[str, Any]:
        """The members that change what the promotion offers (all but `active`)."""
        return self.model_dump(exclude={"active"})

    @model_validator(mode="after")
    def _something(self) -> Self:
        if self.active is MISSING and not self.edits():
            raise api.refuse("empty")
        return self


class Promotion(api.Coded):
    """A promotion and how often it was redeemed."""

    kind: PromotionKind
    value: api.Decimal
    currency: str | None
    plan: str | None = api.at("plan", "code")
    component: str | None = api.at("component_code")
    duration: Duration
    cycles: int | None
    promo_code: str | None
    max_redemptions: int | None
    redemptions: int
    valid_from: api.Instant | None
    valid_until: api.Instant | None
    active: bool
    created_at: api.Instant

    @classmethod
    def computed(cls, row: M.Promotion) -> dict[str, Any]:
        """A fixed value with its currency's decimals."""
        return {"value": money_text(row.value, row.currency) if row.currency else str(row.value)}


class MigrationRequest(api.Body):
    """The version whose holders move, and the newer one they move to."""

    from_version_id: api.Id
    to_version_id: api.Id


class MigrationRow(api.Out):
    """One subscription a migration would move."""

    subscription_id: int
    subscriber_id: int
    subscriber: api.EmailText
    effective_at: api.TimeText = Field(description="The start of the subscriber's next period.")
    current_per_period: api.Decimal
    new_per_period: api.Decimal

    @classmethod
    def computed(cls, row: Row) -> dict[str, Any]:
        """The subscription as the migration preview prices it."""
        return row.to_json() | {"subscriber_id": row.subscription.subscriber_id}


class MigrationPreview(api.Out):
    """Who a migration would move, when and at what price."""

    from_version_id: int
    to_version_id: int
    subscriptions: list[MigrationRow]


class PlanMigration(api.Out):
    """A scheduled (or cancelled) move of a version's subscribers."""

    id: int
    plan_id: int = api.at("from_version", "plan_id")
    from_version_id: int
    from_version: int = api.at("from_version", "number")
    to_version_id: int
    to_version: int = api.at("to_version", "number")
    timing: Literal["next_period"]
    status: Literal["scheduled", "cancelled"]
    affected: int = Field(description="How many subscriptions it moves.")
    created_at: api.Instant
    created_by: str


class LagoCharge(api.Body):
    """A Lago usage charge; its other members are the importer's to judge."""

    model_config = ConfigDict(extra="allow")

    properties: dict[str, Any] | MISSING | None = MISSING


class LagoPlan(api.Body):
    """A plan as Lago's API sends it, or Lago's `{"plan": {...}}` around it.

    Trial days and minimum commitments are refused (409); labels and taxes are listed in
    `not_carried`; ids are ignored. Only what the importer walks into is typed here.
    """

    model_config = ConfigDict(extra="allow")

    plan: LagoPlan | MISSING = MISSING
    charges: list[LagoCharge] | MISSING | None = MISSING
    minimum_commitment: dict[str, Any] | MISSING | None = MISSING


class LagoPlanImport(api.Body):
    """A Lago plan object to import into one of the brand's products."""

    product: api.Code = Field(description="The code of one of the brand's products.")
    plan: LagoPlan
    kind: PlanKind | MISSING = MISSING
    payment: Payment | MISSING = MISSING


class ImportedPlan(Plan):
    """The imported plan, and what of the Lago plan it does not carry."""

    not_carried: list[str]
