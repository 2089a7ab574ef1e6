"""What is left of a subscription's allowances, and prepaid balances with their top-ups."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, StringConstraints

from saas.usage.charging_models import TOP_UP, USAGE
from saas.web.api import models as api


class AllowanceUse(api.Out):
    """One allowance in the current period, in its metric's units, up to the last batch."""

    allowance_id: int
    metric: str = Field(description="The metric's code, e.g. voice_minutes.")
    unit: str = Field(description="The metric's unit: min, sms, MB, ...")
    period_start: date
    period_end: date = Field(description="The day after the period's last day.")
    total: api.Decimal | None = Field(
        description="What the period gives, units carried over included; null: unlimited."
    )
    used: api.Decimal
    left: api.Decimal | None = Field(description="Null when unlimited.")
    carried: api.Decimal = Field(description="Units carried over from the period before.")
    shared: bool = Field(description="Shared by the account's lines on the plan.")
    addon: bool = Field(description="Given by an add-on rather than the plan.")


AllowanceUseList = api.Listing[AllowanceUse]


class BalanceEntry(api.Out):
    """One movement of a prepaid balance."""

    id: int
    kind: Annotated[str, api.OneOf((TOP_UP, USAGE))]
    amount: api.Decimal = Field(description="Added (a top-up) or taken (usage, negative).")
    balance_after: api.Decimal
    records: int = Field(description="Usage records a usage entry took together.")
    reason: str
    at: api.Instant


class Balance(api.Out):
    """A prepaid account's balance and its latest movements."""

    account_id: int
    currency: str
    balance: api.Decimal
    barred: bool = Field(description="The balance ran dry and the account's lines are barred.")
    entries: list[BalanceEntry]


class TopUp(api.Body):
    """A staff credit to a prepaid balance: the amount in the brand's currency and why."""

    amount: api.DecimalText = Field(examples=["10.00"])
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000)] = Field(
        examples=["Paid at the shop"]
    )
