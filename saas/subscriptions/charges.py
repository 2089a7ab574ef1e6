"""What a subscription change costs: charge lines, discounts, the preview shown first."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from saas.catalog import models as M
from saas.catalog.adjustments import apply_discount
from saas.catalog.periods import Period
from saas.catalog.proration import prorate, start_proration, stop_proration
from saas.money import money_text

# Line kinds, in the order an invoice shows them.
ONE_TIME_FEE = "one_time"
RECURRING = "recurring"
PRORATION_CHARGE = "proration_charge"
PRORATION_CREDIT = "proration_credit"
DISCOUNT = "discount"


@dataclass(frozen=True)
class Line:
    """One priced line; credits and discounts are negative."""

    kind: str
    code: str
    label: str
    amount: Decimal
    period: Period | None = None
    days: int | None = None
    period_days: int | None = None
    plan_name: str = ""  # the plan or add-on the line is for; a discount names its promotion
    # The plan itself, to name it in the reader's language where the line is shown; the stored
    # line keeps the name in the brand's default language.
    plan: M.Plan | None = field(default=None, compare=False, repr=False)

    @property
    def charged(self) -> Period | None:
        """The days the line prices: the whole period, or its prorated last days."""
        if self.period is None or not self.days:
            return None
        return Period(self.period.end - timedelta(days=self.days), self.period.end)

    def to_json(self, currency: str) -> dict[str, Any]:
        """Return the line as JSON-ready data (decimal strings in the currency, ISO dates)."""
        out: dict[str, Any] = {
            "kind": self.kind,
            "code": self.code,
            "label": self.label,
            "amount": money_text(self.amount, currency),
        }
        if self.plan_name:
            out["plan_name"] = self.plan_name
        if self.period is not None:
            out |= {
                "period_start": self.period.start.isoformat(),
                "period_end": self.period.end.isoformat(),
                "days": self.days,
                "period_days": self.period_days,
            }
        return out


@dataclass(frozen=True)
class PromotionTerms:
    """How long a promotion taken now discounts, and the recurring price once it has ended."""

    code: str
    name: str
    duration: str  # once | repeating | forever
    cycles: int | None
    then_recurring: Decimal | None  # None: it never ends
    # The local date it stops discounting (exclusive), for screens; None: it never does.
    ends_on: date | None = field(default=None, compare=False)

    @classmethod
    def of(
        cls,
        promotion: M.Promotion,
        version: M.PlanVersion,
        currency: str,
        ends_on: date | None = None,
    ) -> PromotionTerms:
        """The terms of a promotion on a version, ending on `ends_on` (see cycles)."""
        ends = promotion.duration != "forever"
        after = per_period(version, None, currency) if ends else None
        cycles = promotion.cycles if promotion.duration == "repeating" else None
        return cls(promotion.code, promotion.name, promotion.duration, cycles, after, ends_on)

    @property
    def last_day(self) -> date | None:
        """The last local date it discounts; None: it never ends."""
        return None if self.ends_on is None else self.ends_on - timedelta(days=1)

    def to_json(self, currency: str) -> dict[str, Any]:
        """Return the terms as JSON-ready data."""
        then = None if self.then_recurring is None else money_text(self.then_recurring, currency)
        return {
            "code": self.code,
            "name": self.name,
            "duration": self.duration,
            "cycles": self.cycles,
            "then_recurring": then,
        }


@dataclass
class Preview:
    """The price of a change, shown before it is confirmed and stored with its event."""

    action: str
    effective_at: datetime
    currency: str
    lines: list[Line] = field(default_factory=list)
    # The recurring price per period once the change has taken effect.
    next_recurring: Decimal = Decimal(0)
    plan_version_id: int | None = None
    notes: list[str] = field(default_factory=list)
    promotion: PromotionTerms | None = None

    @property
    def total(self) -> Decimal:
        """The net amount the change charges (negative: a credit)."""
        return sum((line.amount for line in self.lines), Decimal(0))

    def to_json(self) -> dict[str, Any]:
        """Return the preview as JSON-ready data."""
        return {
            "action": self.action,
            "effective_at": self.effective_at.isoformat(),
            "currency": self.currency,
            "lines": [line.to_json(self.currency) for line in self.lines],
            "total": money_text(self.total, self.currency),
            "next_recurring": money_text(self.next_recurring, self.currency),
            "plan_version_id": self.plan_version_id,
            "notes": self.notes,
        } | ({"promotion": self.promotion.to_json(self.currency)} if self.promotion else {})


def recurring(version: M.PlanVersion) -> list[M.PriceComponent]:
    """The version's recurring components."""
    return [c for c in version.components if c.kind == M.RECURRING and c.amount is not None]


def one_time_fees(version: M.PlanVersion, fee_types: set[str]) -> list[Line]:
    """Lines for the version's one-time fees of the given types (activation, SIM, port-in)."""
    return [
        Line(ONE_TIME_FEE, c.code, c.name, c.amount, plan_name=version.plan.name, plan=version.plan)
        for c in version.components
        if c.kind == M.ONE_TIME and c.amount is not None and c.fee_type in fee_types
    ]


def full_period(version: M.PlanVersion, period: Period) -> list[Line]:
    """Lines for a whole period of the recurring charges billed in advance."""
    return [
        Line(
            RECURRING,
            c.code,
            c.name,
            c.amount or Decimal(0),
            period,
            period.days,
            period.days,
            version.plan.name,
            version.plan,
        )
        for c in recurring(version)
        if c.timing == M.ADVANCE
    ]


def _prorated(
    line_kind: str, c: M.PriceComponent, period: Period, day: date, currency: str, plan: M.Plan
) -> Line:
    build = start_proration if line_kind == PRORATION_CHARGE else stop_proration
    assert c.amount is not None
    part = build(c.amount, period, day, currency)
    days, period_days = part.days, part.period_days
    return Line(line_kind, c.code, c.name, part.amount, period, days, period_days, plan.name, plan)


def from_day(
    line_kind: str, version: M.PlanVersion, period: Period, day: date, currency: str
) -> list[Line]:
    """Prorated lines for the days [day, period end): charges for a start, credits for a stop."""
    # Charges billed in arrears are settled at the period's end for the days used; nothing now.
    return [
        _prorated(line_kind, c, period, day, currency, version.plan)
        for c in recurring(version)
        if c.timing == M.ADVANCE and c.prorate and period.contains(day)
    ]


def discount(
    promotion: M.Promotion | None, version: M.PlanVersion, lines: list[Line], currency: str
) -> list[Line]:
    """The promotion's discount on the recurring lines of this version, prorated like them.

    Pass the promotion only for a period it covers (saas.subscriptions.cycles). On prorated
    lines a percentage comes off their amount and a fixed amount is prorated like the price: the
    lines and the discount then net to the prorated share of the discounted price, so a credit
    returns no more than the same days were charged.
    """
    if promotion is None or not applies(promotion, version):
        return []
    codes = {c.code for c in recurring(version)}
    if promotion.component_code:
        codes &= {promotion.component_code}
    base_lines = [line for line in lines if line.code in codes and line.kind != ONE_TIME_FEE]
    base = sum((line.amount for line in base_lines), Decimal(0))
    if base == 0:
        return []
    sign = Decimal(1) if base > 0 else Decimal(-1)
    prorated = next((ln for ln in base_lines if ln.kind != RECURRING and ln.period_days), None)
    if promotion.kind == "fixed" and prorated is not None:
        off = _fixed_share(promotion.value, version, base_lines, prorated, abs(base), currency)
    else:
        off = apply_discount(abs(base), promotion.kind, promotion.value, currency)
    return [Line(DISCOUNT, promotion.code, promotion.name, -sign * off)] if off else []


def _fixed_share(
    value: Decimal,
    version: M.PlanVersion,
    base_lines: list[Line],
    prorated: Line,
    base: Decimal,
    currency: str,
) -> Decimal:
    """What a fixed discount takes off prorated lines: their sum less the discounted share."""
    codes = {line.code for line in base_lines}
    full = sum((c.amount or Decimal(0) for c in recurring(version) if c.code in codes), Decimal(0))
    days, period_days = prorated.days or 0, prorated.period_days or 1
    net = prorate(
        full - apply_discount(full, "fixed", value, currency), days, period_days, currency
    )
    return max(base - net, Decimal(0))


def applies(promotion: M.Promotion, version: M.PlanVersion) -> bool:
    """Whether a promotion held by a subscription discounts this version."""
    return promotion.plan_id is None or promotion.plan_id == version.plan_id


def per_period(version: M.PlanVersion, promotion: M.Promotion | None, currency: str) -> Decimal:
    """The recurring price of one full period with the promotion's discount, if one is given.

    Pass the promotion only for a period it covers (saas.subscriptions.cycles).
    """
    lines = [Line(RECURRING, c.code, c.name, c.amount or Decimal(0)) for c in recurring(version)]
    total = lines + discount(promotion, version, lines, currency)
    return sum((line.amount for line in total), Decimal(0))
