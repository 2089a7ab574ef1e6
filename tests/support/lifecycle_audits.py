"""What the lifecycle machine checks on each event that took effect: periods, discounts, credits."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from saas.subscriptions import services as subs
from saas.subscriptions.models import CANCELLED, REVOKED
from tests.support.lifecycle_model import (
    CREDIT,
    PLAN_NAMES,
    TICK,
    day_of,
    local,
    midnight,
)


class Audits:
    """Checks of an event's stored charges against the model; mixed into the machine."""

    session: Any
    sub: Any
    ledger: Any
    billed: set[tuple[tuple[str, str], date, date]]
    prices: dict[int, tuple[str, str, dict[str, Decimal]]]
    promo: Any

    made: dict[int, datetime]

    def _covers(self, starts: date) -> bool:
        raise NotImplementedError

    def _price(self, version_id: int) -> Decimal:
        raise NotImplementedError

    def _period(self, at: Any, name: str) -> tuple[date, date]:
        raise NotImplementedError

    def _audit(self, event: Any) -> None:
        lines = (event.data.get("charges") or {}).get("lines", [])
        for line in lines:
            if line.get("period_start"):
                self._check_period(event, line)
        self._check_discounts(event, lines)
        for line in lines:
            if not line.get("period_end"):
                continue
            key = (line.get("plan_name", ""), line["code"])
            span = (day_of(line["period_start"]), day_of(line["period_end"]))
            if line["kind"] == CREDIT:
                self._bill(key, *span)
        for key, entry in self.ledger.book(lines, PLAN_NAMES):
            charged, credited = self.ledger.balance(key, entry.start, entry.end)
            slack = Decimal("0.01") * self.ledger.lines_over(key, entry.start, entry.end)
            assert credited <= charged + slack, (
                f"{event.kind} at {event.effective_at} credits {credited} of {key} for"
                f" {entry.start}..{entry.end}, which was charged {charged}"
            )

    def _bill(self, key: tuple[str, str], start: date, end: date) -> None:
        """What the billing run at a period's start charged for each holding of a component."""
        if (key, start, end) in self.billed:
            return
        self.billed.add((key, start, end))
        state = self._held(midnight(start))
        if state is None or state.status == CANCELLED:
            return
        for version_id in [state.plan_version_id, *state.addon_version_ids.values()]:
            name, _, amounts = self.prices[version_id]
            if name != key[0] or key[1] not in amounts:
                continue
            amount = amounts[key[1]]
            if version_id == state.plan_version_id and self.promo and self._covers(start):
                price = self._price(version_id)
                amount -= self.promo.off(price) * amount / price
            self.ledger.charge(key, start, end, amount)

    def _held(self, at: datetime) -> Any:
        """What the subscription held as a period began: what was scheduled for then, counted in;
        changes made at that very instant come after the billing run."""
        held = subs.state_at(self.session, self.sub, at - TICK)
        for event in subs.history(self.session, self.sub):
            planned = event.effective_at == at and self.made.get(event.id, at) < at
            if held is not None and planned and event.state != REVOKED:
                held.plan_version_id = event.data.get("plan_version_id", held.plan_version_id)
                held.status = event.data.get("status", held.status)
        return held

    def _check_period(self, event: Any, line: dict[str, Any]) -> None:
        """A prorated or whole-period line runs over its own component's period."""
        start, end = self._period(event.effective_at, line["plan_name"])
        got = (day_of(line["period_start"]), day_of(line["period_end"]))
        what = f"{event.kind} at {event.effective_at}: {line['plan_name']} {line['kind']}"
        assert got == (start, end), f"{what} over {got}, its own period is {start}..{end}"
        days = (end - start).days if line["kind"] == "recurring" else None
        days = days or (end - local(event.effective_at)).days
        assert (line["days"], line["period_days"]) == (days, (end - start).days), (
            f"{what} counts {line['days']}/{line['period_days']} days, not {days}/{end - start}"
        )

    def _check_discounts(self, event: Any, lines: list[dict[str, Any]]) -> None:
        """A promotion discounts the periods it covers and no others."""
        discounts = [Decimal(ln["amount"]) for ln in lines if ln["kind"] == "discount"]
        spans = [ln for ln in lines if ln.get("plan_name") in PLAN_NAMES and ln.get("days")]
        if self.promo is None or not spans:
            assert not discounts, f"{event.kind} at {event.effective_at} discounts without cause"
            return
        starts = day_of(spans[0]["period_start"])
        covered, what = self._covers(starts), f"{event.kind} at {event.effective_at}"
        assert covered or not discounts, f"{what} discounts the period from {starts}: not covered"
        if covered and self.promo.kind == "percent" and any(Decimal(ln["amount"]) for ln in spans):
            assert discounts, f"{what} leaves out a discount in the period from {starts}"
        if event.kind == subs.SUBSCRIBED:
            base = sum((Decimal(ln["amount"]) for ln in spans), Decimal(0))
            assert sum(discounts, Decimal(0)) == -self.promo.off(base), (
                "the first period's discount"
            )
