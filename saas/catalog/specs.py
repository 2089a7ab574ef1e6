"""Plain-data specs of catalogue records: one parser for brand files, the API and the console."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import list_currencies

from saas.catalog import models as M
from saas.catalog.periods import INTERVALS, NotAnInstant, instant
from saas.catalog.pricing import ChargeError, parse_charge
from saas.errors import N_, Refusal, Term, register, within

CODE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
# A plan's text in another language, as a brand file may write it: name_en, description_en.
TEXT_KEY = re.compile(r"^(name|description)_([a-z]{2,3})$")
# What the columns hold: names of 200 characters, NUMERIC(28, 10), 32-bit counts.
NAME_MAX = 200
DECIMAL_PLACES, INTEGER_DIGITS = 10, 18
COUNT_MAX = 2**31 - 1


class CatalogError(Refusal):
    """A catalogue change that cannot be made: its code, the record, the field if one."""

    def __init__(
        self, code: str, record: Term | str, field: str | None = None, **params: Any
    ) -> None:
        if field is not None:
            params.setdefault("field_name", field_name(field))
        super().__init__(code, field=field, record=record, **params)


# Kinds of catalogue record, each named with its code, as refusals show them.
RECORDS = {
    "record.plan": N_('plan "%(code)s"'),
    "record.plan_version": N_('plan "%(code)s" version %(number)s'),
    "record.component": N_('component "%(code)s"'),
    "record.allowance": N_('allowance for "%(metric)s"'),
    "record.an_allowance": N_("an allowance"),
    "record.promotion": N_('promotion "%(code)s"'),
    "record.promo_code": N_("promo code %(code)s"),
    "record.metric": N_('metric "%(code)s"'),
    "record.product": N_('product "%(code)s"'),
    "record.lago_plan": N_('Lago plan "%(code)s"'),
    "record.a_lago_plan": N_("Lago plan"),
}
# The fields of catalogue records, as refusals name them.
FIELDS = {
    "field.amount": N_("amount"),
    "field.quantity": N_("quantity"),
    "field.value": N_("value"),
    "field.code": N_("code"),
    "field.name": N_("name"),
    "field.kind": N_("kind"),
    "field.timing": N_("timing"),
    "field.fee_type": N_("fee type"),
    "field.metric": N_("metric"),
    "field.charge": N_("charge"),
    "field.currency": N_("currency"),
    "field.product": N_("product"),
    "field.payment": N_("payment"),
    "field.tax_category": N_("tax category"),
    "field.billing_interval": N_("billing interval"),
    "field.duration": N_("duration"),
    "field.cycles": N_("cycles"),
    "field.promo_code": N_("promo code"),
    "field.max_redemptions": N_("redemption limit"),
    "field.valid_from": N_("valid from"),
    "field.valid_until": N_("valid until"),
    "field.unit": N_("unit"),
    "field.aggregation": N_("aggregation"),
    "field.plan": N_("plan"),
    "field.properties": N_("properties"),
}
REFUSALS = {
    "catalog.decimal_as_text": N_('%(field_name)s must be a decimal written as text, e.g. "9.99"'),
    "catalog.not_a_number": N_('%(field_name)s "%(value)s" is not a number'),
    "catalog.not_finite": N_("%(field_name)s must be finite"),
    "catalog.too_many_places": N_("%(field_name)s has more than %(places)s decimal places"),
    "catalog.too_many_digits": N_(
        "%(field_name)s must have at most %(digits)s digits before the point"
    ),
    "catalog.below_minimum": N_("%(field_name)s must be at least %(minimum)s"),
    "catalog.bad_code": N_(
        '%(field_name)s "%(value)s" must be 1-64 lowercase letters, digits, . _ -'
    ),
    "catalog.not_an_option": N_('%(field_name)s "%(value)s" is not one of %(options)s'),
    "catalog.charge_missing": N_("a usage component needs a charge object"),
    "catalog.charge_invalid": N_("charge: %(problem)s"),
    "catalog.unlimited_rollover": N_("an unlimited allowance cannot roll over"),
    "catalog.unknown_currency": N_('%(field_name)s "%(value)s" is not an ISO 4217 code'),
    "catalog.too_long": N_("%(field_name)s must have at most %(limit)s characters"),
    "catalog.empty": N_("%(field_name)s is empty"),
    "catalog.percent_range": N_("a percent discount must be above 0 and at most 100"),
    "catalog.fixed_needs_currency": N_("a fixed discount needs a currency"),
    "catalog.repeating_needs_cycles": N_("a repeating discount needs a number of cycles"),
    "catalog.validity_order": N_("the end of validity must be after its start"),
    "catalog.not_whole": N_('%(field_name)s "%(value)s" is not a whole number'),
    "catalog.count_range": N_("%(field_name)s must be from 1 to %(maximum)s"),
    "catalog.not_iso_time": N_('%(field_name)s "%(value)s" is not an ISO 8601 time'),
    "catalog.needs_offset": N_("%(field_name)s needs a time zone offset, e.g. Z or +01:00"),
    "catalog.outside_calendar": N_('%(field_name)s "%(value)s" is outside the calendar in UTC'),
}
register(RECORDS | FIELDS | REFUSALS)
# Why a text names no instant, as the catalogue's refusals say it.
TIME_CODES = {
    "not_a_time": "catalog.not_iso_time",
    "needs_offset": "catalog.needs_offset",
    "out_of_calendar": "catalog.outside_calendar",
}


def field_name(name: str) -> Term | str:
    """A field of a catalogue record in words a screen translates (unknown ones as they are)."""
    return Term(f"field.{name}") if f"field.{name}" in FIELDS else name


def decimal(
    value: Any, record: Term | str, name: str, *, minimum: Decimal | None = Decimal(0)
) -> Decimal:
    """Read an exact decimal from a string or int; floats are refused (write amounts as text)."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise CatalogError("catalog.decimal_as_text", record, name)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise CatalogError("catalog.not_a_number", record, name, value=str(value)) from None
    if not number.is_finite():
        raise CatalogError("catalog.not_finite", record, name)
    # The column would round further places away; trailing zeros are not places.
    if number and int(number.normalize().as_tuple().exponent) < -DECIMAL_PLACES:
        raise CatalogError("catalog.too_many_places", record, name, places=DECIMAL_PLACES)
    if number and number.adjusted() >= INTEGER_DIGITS:
        raise CatalogError("catalog.too_many_digits", record, name, digits=INTEGER_DIGITS)
    if minimum is not None and number < minimum:
        raise CatalogError("catalog.below_minimum", record, name, minimum=minimum)
    return number


def code(value: Any, record: Term | str, name: str = "code") -> str:
    """Check a record code: lowercase letters, digits, dot, dash, underscore."""
    text = str(value or "").strip()
    if not CODE.match(text):
        raise CatalogError("catalog.bad_code", record, name, value=text)
    return text


def choice(value: Any, options: tuple[str, ...], record: Term | str, name: str) -> str:
    """Check a value against its allowed options."""
    if value not in options:
        raise CatalogError(
            "catalog.not_an_option", record, name, value=str(value), options=", ".join(options)
        )
    return str(value)


@dataclass
class ComponentSpec:
    """A price component as data."""

    code: str
    name: str
    kind: str
    amount: Decimal | None = None
    fee_type: str | None = None
    timing: str = M.ADVANCE
    prorate: bool = True
    metric_code: str | None = None
    charge: dict[str, Any] | None = None

    @classmethod
    def parse(cls, data: Mapping[str, Any], where: Term | str = "") -> ComponentSpec:
        """Validate a mapping (file, JSON or form) into a spec."""
        record = _inside(where, Term("record.component", code=str(data.get("code", "?"))))
        kind = choice(data.get("kind"), M.COMPONENT_KINDS, record, "kind")
        spec = cls(
            code=code(data.get("code"), record),
            name=bounded_text(str(data.get("name") or data.get("code")), record, "name", NAME_MAX),
            kind=kind,
            timing=choice(data.get("timing", M.ADVANCE), (M.ADVANCE, M.ARREARS), record, "timing"),
            prorate=bool(data.get("prorate", True)),
        )
        if kind == M.USAGE:
            spec.metric_code = code(data.get("metric") or data.get("metric_code"), record, "metric")
            spec.charge = _charge(data.get("charge"), record)
        else:
            spec.amount = decimal(data.get("amount"), record, "amount")
        if kind == M.ONE_TIME:
            spec.fee_type = choice(data.get("fee_type", "other"), M.FEE_TYPES, record, "fee_type")
        return spec

    def to_json(self) -> dict[str, Any]:
        """Return the spec as JSON-ready data (decimals as strings)."""
        out: dict[str, Any] = {"code": self.code, "name": self.name, "kind": self.kind}
        if self.kind == M.USAGE:
            out |= {"metric": self.metric_code, "charge": self.charge}
        else:
            out |= {"amount": str(self.amount), "timing": self.timing, "prorate": self.prorate}
        if self.kind == M.ONE_TIME:
            out["fee_type"] = self.fee_type
        return out


def _inside(where: Term | str, record: Term) -> Term:
    return within(where, record) if where else record


def _charge(value: Any, record: Term) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise CatalogError("catalog.charge_missing", record, "charge")
    try:
        return parse_charge(value).to_json()
    except ChargeError as exc:
        raise CatalogError("catalog.charge_invalid", record, "charge", problem=exc) from None


@dataclass
class AllowanceSpec:
    """An allowance as data; quantity None is unlimited."""

    metric_code: str
    quantity: Decimal | None
    rollover: bool = False
    shared: bool = False
    # Roaming zones it is drawn on in too, beyond its metric's own (saas.usage.units).
    zones: tuple[str, ...] = ()

    @classmethod
    def parse(cls, data: Mapping[str, Any], where: Term | str = "") -> AllowanceSpec:
        """Validate a mapping into a spec; quantity 'unlimited' or absent means no cap."""
        unnamed = _inside(where, Term("record.an_allowance"))
        metric = code(data.get("metric") or data.get("metric_code"), unnamed, "metric")
        record = _inside(where, Term("record.allowance", metric=metric))
        raw = data.get("quantity")
        unlimited = raw is None or str(raw).strip().lower() in ("", "unlimited")
        spec = cls(
            metric_code=metric,
            quantity=None if unlimited else decimal(raw, record, "quantity"),
            rollover=bool(data.get("rollover", False)),
            shared=bool(data.get("shared", False)),
            zones=tuple(str(z).strip() for z in data.get("zones") or () if str(z).strip()),
        )
        if spec.rollover and spec.quantity is None:
            raise CatalogError("catalog.unlimited_rollover", record, "quantity")
        return spec

    def to_json(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        quantity = "unlimited" if self.quantity is None else str(self.quantity)
        data: dict[str, Any] = {
            "metric": self.metric_code,
            "quantity": quantity,
            "rollover": self.rollover,
            "shared": self.shared,
        }
        if self.zones:
            data["zones"] = list(self.zones)
        return data


@dataclass
class PlanSpec:
    """A plan or add-on with the contents of its first version."""

    code: str
    name: str
    product_code: str
    currency: str
    kind: str = M.PLAN
    payment: str = M.POSTPAID
    tax_category: str = "standard"
    description: str = ""
    billing_interval: str = "monthly"
    # Per language, as given: saas.catalog.texts checks them against the brand's languages.
    translations: Any = field(default_factory=dict)
    components: list[ComponentSpec] = field(default_factory=list)
    allowances: list[AllowanceSpec] = field(default_factory=list)

    @classmethod
    def parse(cls, data: Mapping[str, Any], default_currency: str) -> PlanSpec:
        """Validate a mapping into a plan spec, naming the plan in every error."""
        record = Term("record.plan", code=str(data.get("code", "?")))
        currency = str(data.get("currency") or default_currency).upper()
        if currency not in list_currencies():
            raise CatalogError("catalog.unknown_currency", record, "currency", value=currency)
        kinds = (M.PLAN, M.ADDON)
        return cls(
            code=code(data.get("code"), record),
            name=required_text(data.get("name"), record, "name"),
            product_code=code(data.get("product"), record, "product"),
            currency=currency,
            kind=choice(data.get("kind", M.PLAN), kinds, record, "kind"),
            payment=choice(
                data.get("payment", M.POSTPAID), (M.PREPAID, M.POSTPAID), record, "payment"
            ),
            tax_category=choice(
                data.get("tax_category", "standard"), M.TAX_CATEGORIES, record, "tax_category"
            ),
            description=str(data.get("description", "")).strip(),
            billing_interval=choice(
                data.get("billing_interval", "monthly"), INTERVALS, record, "billing_interval"
            ),
            translations=given_translations(data),
            components=[ComponentSpec.parse(c, record) for c in data.get("components", [])],
            allowances=[AllowanceSpec.parse(a, record) for a in data.get("allowances", [])],
        )


def given_translations(data: Mapping[str, Any]) -> Any:
    """A plan's texts per language: a `translations` table, or keys such as `name_en`."""
    table = data.get("translations") or {}
    if not isinstance(table, Mapping):
        return table  # refused where the texts are checked
    given = {str(k): dict(v) if isinstance(v, Mapping) else v for k, v in table.items()}
    for key in data:
        found = TEXT_KEY.match(str(key))
        if found and isinstance(given.setdefault(found[2], {}), dict):
            given[found[2]][found[1]] = data[key]
    return given


def bounded_text(value: Any, record: Term | str, name: str, limit: int) -> str:
    """Trim a text and refuse it when it is longer than its column."""
    text = str(value or "").strip()
    if len(text) > limit:
        raise CatalogError("catalog.too_long", record, name, limit=limit)
    return text


def required_text(value: Any, record: Term | str, name: str, limit: int = NAME_MAX) -> str:
    """Check a name: not empty, and no longer than its column."""
    text = bounded_text(value, record, name, limit)
    if not text:
        raise CatalogError("catalog.empty", record, name)
    return text


@dataclass
class PromotionSpec:
    """A promotion as data."""

    code: str
    name: str
    kind: str
    value: Decimal
    currency: str | None = None
    plan_code: str | None = None
    component_code: str | None = None
    duration: str = "once"
    cycles: int | None = None
    promo_code: str | None = None
    max_redemptions: int | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> PromotionSpec:
        """Validate a mapping into a promotion spec."""
        record = Term("record.promotion", code=str(data.get("code", "?")))
        spec = cls(
            code=code(data.get("code"), record),
            name=required_text(data.get("name"), record, "name"),
            kind=choice(data.get("kind"), ("percent", "fixed"), record, "kind"),
            value=decimal(data.get("value"), record, "value"),
            currency=(str(data["currency"]).upper() if data.get("currency") else None),
            plan_code=data.get("plan") or None,
            component_code=data.get("component") or None,
            duration=choice(
                data.get("duration", "once"), ("once", "repeating", "forever"), record, "duration"
            ),
            cycles=_optional_int(data.get("cycles"), record, "cycles"),
            promo_code=(
                bounded_text(data["promo_code"], record, "promo_code", 64).upper()
                if data.get("promo_code")
                else None
            ),
            max_redemptions=_optional_int(data.get("max_redemptions"), record, "max_redemptions"),
            valid_from=_optional_time(data.get("valid_from"), record, "valid_from"),
            valid_until=_optional_time(data.get("valid_until"), record, "valid_until"),
        )
        spec.check(record)
        return spec

    def check(self, record: Term | str) -> None:
        """Refuse combinations that make no sense."""
        if self.kind == "percent" and not Decimal(0) < self.value <= Decimal(100):
            raise CatalogError("catalog.percent_range", record, "value")
        if self.kind == "fixed" and not self.currency:
            raise CatalogError("catalog.fixed_needs_currency", record, "currency")
        if self.duration == "repeating" and not self.cycles:
            raise CatalogError("catalog.repeating_needs_cycles", record, "cycles")
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise CatalogError("catalog.validity_order", record, "valid_until")


def _optional_int(value: Any, record: Term | str, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise CatalogError("catalog.not_whole", record, name, value=str(value)) from None
    if not 1 <= number <= COUNT_MAX:
        raise CatalogError("catalog.count_range", record, name, maximum=COUNT_MAX)
    return number


def _optional_time(value: Any, record: Term | str, name: str) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return instant(value.isoformat() if isinstance(value, datetime) else str(value))
    except NotAnInstant as exc:
        raise CatalogError(TIME_CODES[str(exc)], record, name, value=str(value)) from None
