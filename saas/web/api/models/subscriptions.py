"""Subscriptions: state and history, priced previews, the changes they price, and accounts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import MISSING, BaseModel, BeforeValidator, Field, StringConstraints, model_validator

from saas.catalog.periods import NotAnInstant, instant
from saas.db import db, utcnow
from saas.subscriptions import models as S
from saas.subscriptions import services as subs
from saas.subscriptions.services import State
from saas.web.api import models as api
from saas.web.api.models.catalog import VersionOf
from saas.web.api.models.offers import Duration
from saas.web.api.pagination import PageQuery

SubscriptionStatus = Annotated[str, api.OneOf((S.ACTIVE, S.SUSPENDED, S.CANCELLED))]
Reason = Annotated[str, StringConstraints(max_length=500)]
CompanyName = Annotated[str, StringConstraints(min_length=1, max_length=200)]


def _instant(value: Any) -> datetime:
    try:
        return instant(value)
    except NotAnInstant as exc:
        raise api.refuse(str(exc)) from None


class SubscriptionQuery(PageQuery):
    """A page of subscriptions, optionally in one status or of one subscriber."""

    status: SubscriptionStatus | None = Field(None, description="Keep subscriptions in it.")
    subscriber_id: api.Id | None = Field(None, description="Keep this subscriber's subscriptions.")


class StateQuery(BaseModel):
    """An instant, past or future."""

    at: Annotated[datetime, BeforeValidator(_instant)] = Field(
        description="An ISO 8601 time with a zone offset, past or future."
    )


class NewSubscription(api.Body):
    """Who subscribes to which published version, and the account the line is on."""

    subscriber_id: api.Id
    plan_version_id: api.Id = Field(description="A published version of a plan (not an add-on).")
    promo_code: str | None = None
    line_label: Annotated[str, StringConstraints(max_length=120)] = ""
    account_id: api.Id | MISSING = Field(
        MISSING, description="Put the line on this company account; by default, their own."
    )
    company_account_name: CompanyName | MISSING = Field(
        MISSING,
        description="Open a company account of this name, held by the subscriber, for the line "
        "(not with `account_id`).",
    )

    @model_validator(mode="after")
    def _one_account(self) -> NewSubscription:
        if self.account_id is not MISSING and self.company_account_name is not MISSING:
            raise api.refuse("one_account", "company_account_name")
        return self


class VersionChoice(api.Body):
    """The plan version to change to, or the add-on to book."""

    plan_version_id: api.Id


class Cancellation(api.Body):
    """When to cancel, and why."""

    when: Annotated[str, api.OneOf(("now", "period_end"))]
    reason: Reason = ""


class Suspension(api.Body):
    """Why the line is barred."""

    reason: Reason = ""


class PreviewLine(api.Out):
    """One priced line; credits and discounts are negative."""

    kind: Literal["one_time", "recurring", "proration_charge", "proration_credit", "discount"]
    code: str
    label: str
    plan_name: str | MISSING = Field(MISSING, description="The plan or add-on it is for.")
    amount: api.Decimal
    period_start: api.DateText | MISSING = MISSING
    period_end: api.DateText | MISSING = Field(MISSING, description="Exclusive.")
    days: int | MISSING = MISSING
    period_days: int | MISSING = MISSING


class PromotionTerms(api.Out):
    """How long the promotion taken discounts, and the recurring price once it ends."""

    code: str
    name: str
    duration: Duration
    cycles: int | None = Field(description="Periods discounted, for a repeating one.")
    then_recurring: api.Decimal | None = Field(description="Per period after it; null: never.")


class Preview(api.Out):
    """The price of a change, shown before it is made and stored with its event."""

    action: str = Field(examples=["subscribed", "upgrade", "downgrade", "cancel"])
    effective_at: api.TimeText
    currency: str = Field(pattern="^[A-Z]{3}$")
    lines: list[PreviewLine]
    total: api.Decimal = Field(description="What the change charges now; negative is a credit.")
    next_recurring: api.Decimal = Field(description="The recurring price per period afterwards.")
    plan_version_id: int | None
    notes: list[str]
    promotion: PromotionTerms | MISSING = MISSING


class PlanVersionRef(VersionOf):
    """The version a subscription is on."""

    currency: str = api.at("plan", "currency")


class SubscriptionAddOn(api.Out):
    """An add-on a subscription holds."""

    id: int
    plan_version_id: int = api.at("addon_version", "id")
    plan_code: str = api.at("addon_version", "plan", "code")
    plan_name: str = api.at("addon_version", "plan", "name")
    started_at: api.Instant


class SubscriptionEvent(api.Out):
    """One change of a subscription, with the charges stored with it."""

    id: int
    subscription_id: int
    kind: str = Field(examples=["subscribed", "plan_changed", "suspended", "cancelled"])
    state: Literal["applied", "scheduled", "revoked"]
    effective_at: api.Instant
    recorded_at: api.Instant
    actor: str = Field(validation_alias="actor_label")
    data: dict[str, Any] = Field(
        description="What the change sets, and under `charges` its priced preview.",
        json_schema_extra={"properties": {"charges": {"$ref": "#/components/schemas/Preview"}}},
    )


class AccountRef(api.Out):
    """The account a line is on."""

    id: int
    kind: Literal["individual", "company"]
    name: str


class PromotionRef(api.Coded):
    """The promotion a subscription was taken with."""


class CurrentPeriod(api.Out):
    """A billing period in the brand's calendar."""

    start: date
    end: date = Field(description="Exclusive.")


class Subscription(api.Out):
    """A subscription as it stands, with its current period and scheduled changes."""

    id: int
    subscriber_id: int
    account: AccountRef
    line_label: str
    plan_version: PlanVersionRef
    status: SubscriptionStatus
    anchor_date: date = Field(description="Periods count from this local date.")
    current_period: CurrentPeriod | None
    started_at: api.Instant
    ended_at: api.Instant | None
    addons: list[SubscriptionAddOn]
    promotion: PromotionRef | None
    scheduled: list[SubscriptionEvent]

    @classmethod
    def computed(cls, sub: S.Subscription) -> dict[str, Any]:
        """Its period, add-ons and scheduled changes as they stand now."""
        live = sub.status != S.CANCELLED
        return {
            "current_period": subs.current_period(db.session, sub, utcnow()) if live else None,
            "addons": subs.active_addons(sub),
            "scheduled": subs.scheduled(db.session, sub),
        }


class AddOnState(api.Out):
    """An add-on held at the instant."""

    id: int
    plan_version_id: int


class SubscriptionState(api.Out):
    """A subscription as it stood (or will stand) at an instant."""

    subscription_id: int
    at: api.Instant
    plan_version_id: int
    status: SubscriptionStatus
    addons: list[AddOnState]
    promotion_id: int | None
    anchor_date: date = Field(description="Periods counted from this local date then.")

    @classmethod
    def computed(cls, state: State) -> dict[str, Any]:
        """Its add-ons by id, each with the version it was on."""
        addons = sorted(state.addon_version_ids.items())
        return {"addons": [{"id": a, "plan_version_id": v} for a, v in addons]}


class SubscriptionChange(api.Out):
    """A change made, and the subscription after it."""

    event: SubscriptionEvent
    subscription: Subscription

    @classmethod
    def computed(cls, event: S.SubscriptionEvent) -> dict[str, Any]:
        """The event itself; its subscription is the event's."""
        return {"event": event}


class Account(AccountRef):
    """An account, who holds it, and the subscriptions that are its lines."""

    holder_id: int = Field(description="The subscriber who manages the account.")
    line_count: Annotated[int, BeforeValidator(len)] = Field(
        ge=0,
        validation_alias="subscription_ids",  # counted from its lines
    )
    subscription_ids: list[int] = Field(description="Its lines, oldest first.")
    created_at: api.Instant
