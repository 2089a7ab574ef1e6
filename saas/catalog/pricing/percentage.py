"""Percentage charges: a rate of the amount, a fixed fee per event, free allowances, clamps.

`units` is the total amount of the transactions and `rate` is in percent. Free allowances follow
Lago's documented rule: transactions are free, in order, until the first of the two allowances
runs out, `free_units_per_events` transactions or `free_units_per_total_aggregation` of amount
(zero means no allowance). The transaction that uses up the free amount pays the rate on what
exceeds it and its fixed fee. Lago's aggregate code instead frees all of the first N events'
amount even past the free amount; its per-transaction code and its documentation do not.
With a per-transaction minimum or maximum, each paid transaction's fee (rate plus fixed fee) is
clamped, which needs the transactions, except at units 0: every transaction is then 0, so the
`events` count says them all. Without clamps, no usage (units 0) costs nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from saas.catalog.pricing.charges import PercentageProperties
from saas.catalog.pricing.quotes import QuoteLine, Usage
from saas.catalog.pricing.values import ChargeError


def price_percentage(props: PercentageProperties, usage: Usage) -> list[QuoteLine]:
    """Price the amount of the transactions in `usage`."""
    if _clamped(props):
        return _per_transaction(props, usage)
    if usage.units == 0:
        # Nothing to take a rate of and, as Lago counts it, no fixed fee without an amount.
        return _lines(props, Decimal(0), Decimal(0), 0)
    free_value, free_events = _free_allowance(props, usage)
    paid_events = 0 if usage.units == 0 else usage.events - free_events
    return _lines(props, free_value, usage.units - free_value, paid_events)


def _clamped(props: PercentageProperties) -> bool:
    return (
        props.per_transaction_min_amount is not None or props.per_transaction_max_amount is not None
    )


def _caps(props: PercentageProperties) -> tuple[int | None, Decimal | None]:
    return props.free_units_per_events, props.free_units_per_total_aggregation or None


def _free_allowance(props: PercentageProperties, usage: Usage) -> tuple[Decimal, int]:
    """Return the free amount and the number of wholly free transactions."""
    events_cap, amount_cap = _caps(props)
    if events_cap is None and amount_cap is None:
        return Decimal(0), 0
    if usage.transactions is not None:
        paid = paid_values(usage.transactions, events_cap, amount_cap)
        return usage.units - sum(paid, Decimal(0)), len(usage.transactions) - len(paid)
    within_events = events_cap is None or usage.events <= events_cap
    if within_events and (amount_cap is None or usage.units < amount_cap):
        return usage.units, usage.events
    if events_cap is None and amount_cap is not None and not props.fixed_amount:
        # Only the amount is free and no fee counts events: the split does not matter.
        return min(usage.units, amount_cap), 0
    raise ChargeError("charge.transactions_needed", "transactions")


def paid_values(
    values: Sequence[Decimal], events_cap: int | None, amount_cap: Decimal | None
) -> list[Decimal]:
    """Return what each transaction past the free allowance is charged on, in order."""
    if events_cap is None and amount_cap is None:
        return list(values)
    remaining = amount_cap
    for index, value in enumerate(values):
        if events_cap is not None and index >= events_cap:
            return list(values[index:])
        if remaining is not None and value >= remaining:
            return [value - remaining, *values[index + 1 :]]
        if remaining is not None:
            remaining -= value
    return []


def _per_transaction(props: PercentageProperties, usage: Usage) -> list[QuoteLine]:
    if usage.transactions is None and usage.units == 0:
        count = _paid_zeros(usage.events, *_caps(props))
        lines = _lines(props, Decimal(0), Decimal(0), count)
        return _adjusted(lines, count * _fee(Decimal(0), props), count)
    if usage.transactions is None:
        raise ChargeError("charge.transactions_for_limits", "transactions")
    paid = paid_values(usage.transactions, *_caps(props))
    free_value = usage.units - sum(paid, Decimal(0))
    lines = _lines(props, free_value, usage.units - free_value, len(paid))
    return _adjusted(lines, sum((_fee(value, props) for value in paid), Decimal(0)), len(paid))


def _paid_zeros(events: int, events_cap: int | None, amount_cap: Decimal | None) -> int:
    """Count the transactions of amount 0 that `paid_values` would charge, without listing them."""
    if events_cap is None and amount_cap is not None:
        return 0  # amounts of 0 never use up a free amount
    return max(events - (events_cap or 0), 0)


def _adjusted(lines: list[QuoteLine], clamped: Decimal, paid: int) -> list[QuoteLine]:
    adjustment = clamped - sum((line.amount for line in lines), Decimal(0))
    units = Decimal(paid)
    return [*lines, QuoteLine(kind="min_max_adjustment", units=units, amount=adjustment)]


def _fee(value: Decimal, props: PercentageProperties) -> Decimal:
    """Return one paid transaction's fee, clamped to the per-transaction minimum and maximum."""
    fee = value * props.rate / 100 + (props.fixed_amount or 0)
    low, high = props.per_transaction_min_amount, props.per_transaction_max_amount
    if low is not None and fee < low:
        return low
    if high is not None and fee > high:
        return high
    return fee


def _lines(
    props: PercentageProperties, free_value: Decimal, paid_units: Decimal, paid_events: int
) -> list[QuoteLine]:
    lines = []
    if _caps(props) != (None, None):
        lines.append(QuoteLine(kind="free_units", units=free_value, amount=Decimal(0)))
    rate_amount = paid_units * props.rate / 100
    lines.append(QuoteLine(kind="rate", units=paid_units, rate=props.rate, amount=rate_amount))
    if props.fixed_amount is not None:
        fixed = props.fixed_amount
        count = Decimal(paid_events)
        lines.append(
            QuoteLine(kind="fixed_fee", units=count, per_unit_amount=fixed, amount=count * fixed)
        )
    return lines
