"""The catalogue: the pricing quote, metrics, products, plans and their versions."""

from __future__ import annotations

from decimal import Decimal as Exact
from typing import Annotated, Any, Literal

from babel.numbers import is_currency
from pydantic import (
    MISSING,
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    create_model,
)

from saas.catalog import models as M
from saas.catalog import pricing
from saas.catalog import services as catalog
from saas.catalog.periods import INTERVALS
from saas.catalog.pricing import CHARGE_MODELS, parse_charge
from saas.catalog.pricing.values import to_decimal
from saas.catalog.specs import AllowanceSpec, ComponentSpec, PlanSpec
from saas.catalog.texts import DESCRIPTION_MAX
from saas.i18n_locales import SUPPORTED_LOCALES
from saas.money import money_text
from saas.web.api import models as api
from saas.web.api.pagination import PageQuery

CHARGE = {
    "type": "object",
    "description": "A Lago charge object: `charge_model` and its `properties`, decimals as "
    "strings. Other Lago keys (ids, invoicing options) are ignored.",
    "required": ["charge_model", "properties"],
    "properties": {
        "charge_model": {"enum": list(CHARGE_MODELS)},
        "properties": {"type": "object"},
    },
}


def _charge(value: dict[str, Any]) -> dict[str, Any]:
    api.parsed(lambda: parse_charge(value), members=None)
    return value


def _amount(value: Any) -> Exact:
    return api.parsed(lambda: to_decimal(api.decimal_as_text(value), ""))


def currency_code(value: str) -> str:
    """Refuse a code that is not an ISO 4217 currency."""
    if not is_currency(value):
        raise api.refuse("not_a_currency")
    return value


ChargeObject = Annotated[dict[str, Any], AfterValidator(_charge), WithJsonSchema(CHARGE)]
Units = Annotated[Exact, BeforeValidator(_amount), WithJsonSchema(api.DECIMAL_IN)]
Currency = Annotated[str, AfterValidator(currency_code)]  # the rule is ISO 4217's list
PlanKind = Annotated[str, api.OneOf((M.PLAN, M.ADDON))]
Payment = Annotated[str, api.OneOf((M.PREPAID, M.POSTPAID))]
TaxCategory = Annotated[str, api.OneOf(M.TAX_CATEGORIES)]
Interval = Annotated[str, api.OneOf(INTERVALS)]
Status = Literal["draft", "published", "archived"]


class QuoteRequest(api.Parsed):
    """Usage to price under one charge, and the currency to round to, if any."""

    charge: ChargeObject
    units: Units
    events: int | None = Field(None, ge=0, description="Number of events (percentage).")
    transactions: list[Units] | None = Field(None, description="Amount of each event (percentage).")
    currency: Currency | None = Field(None, description="Also round the amount to it.")

    def parse(self, data: dict[str, Any], info: ValidationInfo) -> pricing.Quote:
        """The price of the usage under the charge."""
        charge = parse_charge(self.charge)
        return pricing.quote(charge, self.units, events=self.events, transactions=self.transactions)


class QuoteLine(api.Out):
    """One part of a quote."""

    kind: Literal[
        "per_unit", "tier", "free_units", "package", "rate", "fixed_fee", "min_max_adjustment"
    ]
    from_value: str | None
    to_value: str | None
    units: api.Decimal
    per_unit_amount: str | None
    flat_amount: str | None
    rate: str | None
    amount: api.Decimal


class Quote(api.Out):
    """The exact price of some usage under one charge."""

    charge_model: Annotated[str, api.OneOf(CHARGE_MODELS)]
    units: api.Decimal
    amount: api.Decimal = Field(description="The exact, unrounded amount.")
    lines: list[QuoteLine]
    currency: str | MISSING = MISSING
    amount_rounded: api.Decimal | MISSING = Field(
        MISSING, description="Rounded half up to the currency's minor unit."
    )


class Metric(api.Coded):
    """A usage metric."""

    unit: str
    aggregation: Literal["sum", "count"]
    created_at: api.Instant


class NewMetric(api.Body):
    """A usage metric to add."""

    code: api.Code
    name: api.Name = ""
    unit: Annotated[str, StringConstraints(min_length=1, max_length=32)]


class Product(api.Coded):
    """A product line."""

    description: str
    active: bool
    created_at: api.Instant


class NewComponent(api.Parsed):
    """A price component: a one-time or recurring fee, or a usage charge."""

    code: api.Code
    name: api.Name | MISSING = MISSING
    kind: Annotated[str, api.OneOf(M.COMPONENT_KINDS)]
    amount: api.DecimalText | MISSING = Field(MISSING, description="One-time and recurring.")
    fee_type: Annotated[str, api.OneOf(M.FEE_TYPES)] | MISSING = MISSING
    timing: Annotated[str, api.OneOf((M.ADVANCE, M.ARREARS))] | MISSING = MISSING
    prorate: bool | MISSING = MISSING
    metric: api.Code | MISSING = Field(MISSING, description="Usage: the metric priced.")
    charge: ChargeObject | MISSING = MISSING
    reader = ComponentSpec.parse


class NewAllowance(api.Parsed):
    """Units included per cycle."""

    metric: api.Code
    quantity: api.DecimalText | MISSING | None = Field(
        MISSING, description='Units per cycle, or "unlimited" (null also means unlimited).'
    )
    rollover: bool | MISSING = MISSING
    shared: bool | MISSING = Field(MISSING, description="Pooled by every line of the account.")
    reader = AllowanceSpec.parse


class VersionContents(api.Parsed):
    """The contents of a draft version."""

    components: list[NewComponent]
    allowances: list[NewAllowance]
    billing_interval: Interval | MISSING = MISSING

    def parse(self, data: dict[str, Any], info: ValidationInfo) -> Any:
        """The components' and allowances' specs, and the billing interval asked for if any."""
        specs = [c.spec for c in self.components], [a.spec for a in self.allowances]
        return *specs, data.get("billing_interval")


class NewPlan(VersionContents):
    """A plan or add-on whose first version is a draft holding the given prices."""

    code: api.Code
    name: api.Name
    description: str | MISSING = MISSING
    product: api.Code = Field(description="The code of one of the brand's products.")
    kind: PlanKind | MISSING = MISSING
    payment: Payment | MISSING = MISSING
    currency: str | MISSING = MISSING
    tax_category: TaxCategory | MISSING = MISSING
    components: list[NewComponent] = []
    allowances: list[NewAllowance] = []

    def parse(self, data: dict[str, Any], info: ValidationInfo) -> PlanSpec:
        """The plan in the brand's currency unless it names one, with its contents."""
        return PlanSpec.parse(data, api.context(info, "currency"))


TextDescription = Annotated[str, StringConstraints(max_length=DESCRIPTION_MAX)]


class PlanText(api.Body):
    """A plan's name and description in one language; a text empty or left out is the default's."""

    name: api.Name | MISSING = MISSING
    description: TextDescription | MISSING = MISSING


def by_language(text: Any, base: type[BaseModel]) -> Any:
    """A base model of a member per language the platform speaks, each a `text`, or left out."""
    members: Any = dict.fromkeys(SUPPORTED_LOCALES, (text | MISSING, MISSING))
    return create_model(f"{base.__name__}ByLanguage", __base__=base, **members)


class PlanTextsChange(by_language(PlanText | None, api.Body)):  # type: ignore[misc]
    """Texts per language (one member per language the platform speaks).

    A language given replaces its texts, one given null loses them, one left out keeps them.
    The brand's default language is the plan's own name and description, refused here.
    """


class PlanChanges(api.Body):
    """Changes to a plan's name, description, texts or tax category; prices change in versions."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=200)] | MISSING = MISSING
    description: str | MISSING = MISSING
    translations: PlanTextsChange | MISSING = MISSING
    tax_category: TaxCategory | MISSING = MISSING


class PlanQuery(PageQuery):
    """A page of plans, optionally of one kind."""

    kind: PlanKind | None = Field(None, description="Keep plans or add-ons only.")


class Component(api.Out):
    """A price component; fees are written with the currency's decimals."""

    code: str
    name: str
    kind: Annotated[str, api.OneOf(M.COMPONENT_KINDS)]
    amount: api.Decimal | MISSING = MISSING
    fee_type: str | MISSING = MISSING
    timing: str | MISSING = MISSING
    prorate: bool | MISSING = MISSING
    metric: str | MISSING = MISSING
    charge: dict[str, Any] | MISSING = MISSING


class Allowance(api.Out):
    """Units included per cycle."""

    metric: str
    quantity: str = Field(description='A decimal as text, or "unlimited".')
    rollover: bool
    shared: bool


def _component(spec: ComponentSpec, currency: str) -> dict[str, Any]:
    out = spec.to_json()
    return out | ({"amount": money_text(spec.amount, currency)} if spec.amount is not None else {})


class VersionOf(api.Out):
    """A version of a plan, named by its plan and number."""

    id: int
    plan_id: int
    plan_code: str = api.at("plan", "code")
    plan_name: str = api.at("plan", "name")
    number: int = Field(ge=1)
    status: Status
    billing_interval: Interval


class PlanVersion(VersionOf):
    """A version of a plan with its components and allowances."""

    recurring_total: api.Decimal
    components: list[Component]
    allowances: list[Allowance]
    created_at: api.Instant
    published_at: api.Instant | None
    archived_at: api.Instant | None

    @classmethod
    def computed(cls, version: M.PlanVersion) -> dict[str, Any]:
        """Its prices with the currency's decimals, its contents as the catalogue reads them."""
        currency = version.plan.currency
        return {
            "recurring_total": money_text(version.recurring_total(), currency),
            "components": [_component(c, currency) for c in catalog.component_specs(version)],
            "allowances": [a.to_json() for a in catalog.allowance_specs(version)],
        }


class PlanTexts(by_language(PlanText, api.Out)):  # type: ignore[misc]
    """A plan's texts in the brand's other languages, by language."""


class Plan(api.Coded):
    """A plan or add-on with every version."""

    description: str
    product: str = api.at("product", "code", description="The code of one of the brand's products.")
    kind: PlanKind
    payment: Payment
    currency: str
    tax_category: TaxCategory
    translations: Annotated[
        PlanTexts | MISSING, BeforeValidator(lambda texts: texts or MISSING)
    ] = Field(MISSING, description="Its texts in other languages; left out when it has none.")
    published_version_id: int | None = api.at("published", "id")
    draft_version_id: int | None = api.at("draft", "id")
    versions: list[PlanVersion]
    created_at: api.Instant
