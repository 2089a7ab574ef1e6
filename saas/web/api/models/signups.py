"""Sign-ups: one begun, each step's answers, and where a sent one stands."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StringConstraints, WithJsonSchema

from saas.customers.onboarding import steps as S
from saas.customers.onboarding.models import STATUSES
from saas.customers.onboarding.models import Application as Row
from saas.customers.onboarding.stages import MOST_LINES, subscriptions_of
from saas.errors import Refusal
from saas.web.api import models as api
from saas.web.api.models.people import Email
from saas.web.api.pagination import PageQuery
from saas.web.refusals import say


def _day(value: Any) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise api.refuse("not_a_date") from None


Day = Annotated[date, BeforeValidator(_day), WithJsonSchema({"type": "string", "format": "date"})]
Text = Annotated[str, StringConstraints(max_length=200)]
Short = Annotated[str, StringConstraints(max_length=40)]


class NewApplication(api.Body):
    """Who signs up, and the language of their mails and pages."""

    email: Email
    locale: Annotated[str, StringConstraints(min_length=2, max_length=16)]


class PersonStep(api.Body):
    """About the person, or the company and its contact."""

    kind: Literal["individual", "company"]
    first_name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    last_name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    birth_date: Day
    company_name: Text = ""
    vat_id: Short = ""


class AddressStep(api.Body):
    """Where the person lives, or the company sits."""

    street: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    postcode: Annotated[str, StringConstraints(min_length=1, max_length=16)]
    city: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    country: Annotated[str, Field(pattern="^[A-Z]{2}$", description="ISO 3166 country code.")]


class DocumentStep(api.Body):
    """The identity document as its machine-readable zone reads, and a national number."""

    document_kind: Literal["id_card", "passport"]
    mrz: list[Annotated[str, StringConstraints(max_length=44)]] = Field(max_length=3)
    national_id: Short = ""


class PlanStep(api.Body):
    """The plan to start with."""

    plan_version_id: api.Id = Field(description="A published version of a plan (not an add-on).")
    lines: int = Field(
        1, ge=1, le=MOST_LINES, description="Lines to sign up for (more than one: companies only)."
    )


class SimStep(api.Body):
    """An eSIM or a SIM card."""

    sim_kind: Literal["esim", "physical"]


class NumberStep(api.Body):
    """A new number, or one kept from another operator."""

    number_choice: Literal["new", "keep"]
    msisdn: Short = Field("", description="The number to keep, with its country code.")
    donor: Short = Field("", description="The operator it comes from, e.g. `vodafone`.")
    donor_account: Short = ""


class ConsentsStep(api.Body):
    """How the person pays, and what they agree to."""

    payment: Literal["card", "direct_debit"]
    iban: Short = ""
    terms: bool
    privacy: bool
    marketing: bool = False


# Each step's body, by the step's name.
STEPS: dict[str, type[api.Body]] = {
    "person": PersonStep,
    "address": AddressStep,
    "document": DocumentStep,
    "plan": PlanStep,
    "sim": SimStep,
    "number": NumberStep,
    "consents": ConsentsStep,
}
assert tuple(STEPS) == S.NAMES


class Reason(api.Out):
    """Why a sign-up waits or was refused, in the caller's language."""

    code: str
    message: str


class Application(api.Out):
    """A sign-up: the steps filled in, where it stands and what it made."""

    id: int
    email: str
    locale: str
    kind: Literal["individual", "company"]
    status: Annotated[str, api.OneOf(STATUSES)]
    steps_done: list[str]
    next_step: str | None = Field(description="The first step not filled in; null when all are.")
    reserved_msisdn: str | None = Field(description="The new number held for the applicant.")
    reasons: list[Reason]
    subscriber_id: int | None = api.at("user_id")
    subscription_id: int | None = Field(description="The first line's subscription.")
    line_id: int | None = Field(description="The first line.")
    subscription_ids: list[int] = Field(description="Every subscription made, one a line.")
    line_ids: list[int] = Field(description="Every line made, in the same order.")
    created_at: api.Instant
    submitted_at: api.Instant | None

    @classmethod
    def computed(cls, row: Row) -> dict[str, Any]:
        """Its next step, held number, reasons in words and the records it made."""
        reasons = [
            {"code": r["code"], "message": say(Refusal(r["code"], **_params(r)))}
            for r in row.reasons
        ]
        return {
            "next_step": S.next_step(row.steps_done),
            "reserved_msisdn": row.details.get("reserved_msisdn") or None,
            "reasons": reasons,
            "subscription_id": row.outcome.get("subscription"),
            "line_id": row.outcome.get("line"),
            "subscription_ids": subscriptions_of(row),
            "line_ids": list(row.outcome.get("lines") or _one(row.outcome.get("line"))),
        }


def _one(ident: int | None) -> list[int]:
    return [] if ident is None else [ident]


def _params(reason: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in reason.items() if k not in ("stage", "code")}


class ApplicationQuery(PageQuery):
    """A page of sign-ups, optionally in one state."""

    status: Annotated[str, api.OneOf(STATUSES)] | None = Field(None, description="Keep these.")
