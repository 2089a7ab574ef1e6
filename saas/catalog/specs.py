"""Plain-data specs of catalogue records: one parser for brand files, the API and the console."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import list_currencies

from saas.catalog import models as M
from saas.catalog.periods import INTERVALS
from saas.catalog.pricing import ChargeError, parse_charge

CODE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
# What the columns hold: names of 200 characters, NUMERIC(28, 10), 32-bit counts.
NAME_MAX = 200
DECIMAL_PLACES, INTEGER_DIGITS = 10, 18
COUNT_MAX = 2**31 - 1


class CatalogError(ValueError):
    """A catalogue change that cannot be made; names the record and the reason."""

    def __init__(self, record: str, reason: str):
        self.record, self.reason = record, reason
        super().__init__(f"{record}: {reason}")


def decimal(value: Any, record: str, name: str, *, minimum: Decimal | None = Decimal(0)) -> Decimal:
    """Read an exact decimal from a string or int; floats are refused (write amounts as text)."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise CatalogError(record, f'{name} must be a decimal written as text, e.g. "9.99"')
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise CatalogError(record, f"{name} {value!r} is not a number") from None
    if not number.is_finite():
        raise CatalogError(record, f"{name} must be finite")
    # The column would round further places away; trailing zeros are not places.
    if number and int(number.normalize().as_tuple().exponent) < -DECIMAL_PLACES:
        raise CatalogError(record, f"{name} has more than {DECIMAL_PLACES} decimal places")
    if number and number.adjusted() >= INTEGER_DIGITS:
        raise CatalogError(
            record, f"{name} must have at most {INTEGER_DIGITS} digits before the point"
        )
    if minimum is not None and number < minimum:
        raise CatalogError(record, f"{name} must be at least {minimum}")
    return number


def code(value: Any, record: str) -> str:
    """Check a record code: lowercase letters, digits, dot, dash, underscore."""
    text = str(value or "").strip()
    if not CODE.match(text):
        raise CatalogError(record, f"code {text!r} must be 1-64 lowercase letters, digits, . _ -")
    return text


def choice(value: Any, options: tuple[str, ...], record: str, name: str) -> str:
    """Check a value against its allowed options."""
    if value not in options:
        raise CatalogError(record, f"{name} {value!r} is not one of {', '.join(options)}")
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
    def parse(cls, data: Mapping[str, Any], where: str = "") -> ComponentSpec:
        """Validate a mapping (file, JSON or form) into a spec."""
        record = f"{where} component {data.get('code', '?')!r}".strip()
        kind = choice(data.get("kind"), M.COMPONENT_KINDS, record, "kind")
        spec = cls(
            code=code(data.get("code"), record),
            name=bounded_text(str(data.get("name") or data.get("code")), record, "name", NAME_MAX),
            kind=kind,
            timing=choice(data.get("timing", M.ADVANCE), (M.ADVANCE, M.ARREARS), record, "timing"),
            prorate=bool(data.get("prorate", True)),
        )
        if kind == M.USAGE:
            spec.metric_code = code(data.get("metric") or data.get("metric_code"), record)
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


def _charge(value: Any, record: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise CatalogError(record, "a usage component needs a charge object")
    try:
        return parse_charge(value).to_json()
    except ChargeError as exc:
        raise CatalogError(record, f"charge: {exc}") from None


@dataclass
class AllowanceSpec:
    """An allowance as data; quantity None is unlimited."""

    metric_code: str
    quantity: Decimal | None
    rollover: bool = False
    shared: bool = False

    @classmethod
    def parse(cls, data: Mapping[str, Any], where: str = "") -> AllowanceSpec:
        """Validate a mapping into a spec; quantity 'unlimited' or absent means no cap."""
        metric = code(data.get("metric") or data.get("metric_code"), f"{where} allowance".strip())
        record = f"{where} allowance {metric!r}".strip()
        raw = data.get("quantity")
        unlimited = raw is None or str(raw).strip().lower() in ("", "unlimited")
        spec = cls(
            metric_code=metric,
            quantity=None if unlimited else decimal(raw, record, "quantity"),
            rollover=bool(data.get("rollover", False)),
            shared=bool(data.get("shared", False)),
        )
        if spec.rollover and spec.quantity is None:
            raise CatalogError(record, "an unlimited allowance cannot roll over")
        return spec

    def to_json(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        quantity = "unlimited" if self.quantity is None else str(self.quantity)
        return {
            "metric": self.metric_code,
            "quantity": quantity,
            "rollover": self.rollover,
            "shared": self.shared,
        }


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
    components: list[ComponentSpec] = field(default_factory=list)
    allowances: list[AllowanceSpec] = field(default_factory=list)

    @classmethod
    def parse(cls, data: Mapping[str, Any], default_currency: str) -> PlanSpec:
        """Validate a mapping into a plan spec, naming the plan in every error."""
        record = f"plan {data.get('code', '?')!r}"
        currency = str(data.get("currency") or default_currency).upper()
        if currency not in list_currencies():
            raise CatalogError(record, f"currency {currency!r} is not an ISO 4217 code")
        kinds = (M.PLAN, M.ADDON)
        return cls(
            code=code(data.get("code"), record),
            name=required_text(data.get("name"), record, "name"),
            product_code=code(data.get("product"), record),
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
            components=[ComponentSpec.parse(c, record) for c in data.get("components", [])],
            allowances=[AllowanceSpec.parse(a, record) for a in data.get("allowances", [])],
        )


def bounded_text(value: Any, record: str, name: str, limit: int) -> str:
    """Trim a text and refuse it when it is longer than its column."""
    text = str(value or "").strip()
    if len(text) > limit:
        raise CatalogError(record, f"{name} must have at most {limit} characters")
    return text


def required_text(value: Any, record: str, name: str, limit: int = NAME_MAX) -> str:
    """Check a name: not empty, and no longer than its column."""
    text = bounded_text(value, record, name, limit)
    if not text:
        raise CatalogError(record, f"{name} is empty")
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
        record = f"promotion {data.get('code', '?')!r}"
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

    def check(self, record: str) -> None:
        """Refuse combinations that make no sense."""
        if self.kind == "percent" and not Decimal(0) < self.value <= Decimal(100):
            raise CatalogError(record, "a percent discount must be above 0 and at most 100")
        if self.kind == "fixed" and not self.currency:
            raise CatalogError(record, "a fixed discount needs a currency")
        if self.duration == "repeating" and not self.cycles:
            raise CatalogError(record, "a repeating discount needs a number of cycles")
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise CatalogError(record, "valid_until must be after valid_from")


def _optional_int(value: Any, record: str, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise CatalogError(record, f"{name} {value!r} is not a whole number") from None
    if not 1 <= number <= COUNT_MAX:
        raise CatalogError(record, f"{name} must be from 1 to {COUNT_MAX}")
    return number


def _optional_time(value: Any, record: str, name: str) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            raise CatalogError(record, f"{name} {value!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise CatalogError(record, f"{name} needs a time zone offset, e.g. Z or +01:00")
    try:
        # Stored in UTC: a time at the calendar's edge may have no UTC equivalent.
        return moment.astimezone(UTC)
    except OverflowError:
        raise CatalogError(record, f"{name} {value!r} is outside the calendar in UTC") from None
