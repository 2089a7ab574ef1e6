"""A model-based test of the subscription lifecycle: random histories, a clock that only moves on.

Hypothesis drives one subscription per example through the services (subscribe with or without
a promotion, plan changes, interval changes, suspend and resume, cancellations, add-ons, calling
off, new versions and migrations) at a test clock, with the apply-due job run between steps (or,
now and then, not yet run). After every step it checks what the issue's acceptance names: past
states never change, what took effect cannot be called off, credits never exceed what was
charged for the same days, a promotion discounts exactly the cycles it covers, nothing takes
effect after a cancellation, each component is prorated over its own interval, and previews
equal what is stored. `SAAS_LIFECYCLE_EXAMPLES` sets how many histories (`make fuzz`: more).
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from saas.catalog import services as catalog
from saas.catalog.specs import PlanSpec, PromotionSpec
from saas.db import db
from saas.identity.services import create_user
from saas.subscriptions import migrations
from saas.subscriptions import services as subs
from saas.subscriptions.models import APPLIED, CANCELLED, REVOKED, SCHEDULED
from saas.subscriptions.services import SubscriptionError
from saas.tenancy.context import tenant_scope
from tests.support.lifecycle_audits import Audits
from tests.support.lifecycle_model import (
    ADDONS,
    CATALOGUE,
    PLANS,
    TICK,
    ZONE,
    Ledger,
    Promo,
    local,
    midnight,
    months_on,
    period_of,
)

pytestmark = pytest.mark.postgres

EXAMPLES = int(os.environ.get("SAAS_LIFECYCLE_EXAMPLES", "25"))
# Shrinking a failure to its shortest history takes minutes: `make fuzz` does, `make test` not.
SHRINK = os.environ.get("SAAS_LIFECYCLE_SHRINK", "") == "1"
# Starts on ordinary days, on local midnights at 23:00 UTC, a month's end, DST days, 29 Feb.
STARTS = [
    datetime(2026, 1, 10, 9, 0, tzinfo=UTC),
    datetime(2026, 1, 30, 23, 0, tzinfo=UTC),
    datetime(2026, 3, 28, 23, 0, tzinfo=UTC),
    datetime(2027, 10, 30, 22, 0, tzinfo=UTC),
    datetime(2028, 2, 28, 23, 0, tzinfo=UTC),
]
PROMOS = st.none() | st.builds(
    Promo,
    st.sampled_from(["percent", "fixed"]),
    st.just(Decimal(0)),
    st.sampled_from(["once", "repeating", "forever"]),
    st.integers(1, 3),
)
STEPS = st.one_of(
    st.tuples(st.just("minutes"), st.integers(1, 240)),
    st.tuples(st.just("hours"), st.integers(1, 72)),
    st.tuples(st.just("days"), st.integers(1, 45)),
    st.tuples(st.just("months"), st.integers(1, 14)),
    st.tuples(st.sampled_from(["due", "due_late", "period_end", "utc23", "midnight"]), st.just(0)),
)


class Lifecycle(Audits, RuleBasedStateMachine):
    """One subscription on a catalogue of its own, inside one transaction rolled back after."""

    app: Any = None
    brand_id = 0

    def __init__(self) -> None:
        super().__init__()
        self.context = self.app.app_context()
        self.context.push()
        self.scope = tenant_scope(self.brand_id)
        self.scope.__enter__()
        self.session = db.session
        self.prices: dict[int, tuple[str, str, dict[str, Decimal]]] = {}
        self.plans = {key: self._plan(key) for key in CATALOGUE}
        self.person = create_user(
            self.session, kind="subscriber", email="machine@example.com", password=None
        )
        self.sub: Any = None
        self.now = STARTS[0]
        self.anchor = local(self.now)
        self.promo: Promo | None = None
        self.promo_ends: date | None = None
        self.snapshots: dict[datetime, tuple[Any, ...]] = {}
        self.made: dict[int, datetime] = {}
        self.audited: set[int] = set()
        self.ledger = Ledger.empty()
        self.billed: set[tuple[tuple[str, str], date, date]] = set()
        self.migrations: list[Any] = []

    def teardown(self) -> None:
        self.session.rollback()
        self.session.remove()
        self.scope.__exit__(None, None, None)
        self.context.pop()

    # --- catalogue ------------------------------------------------------------------------

    def _plan(self, key: str, version: Any = None) -> Any:
        name, kind, interval, amounts = CATALOGUE[key]
        components = [
            {"code": code, "name": code, "kind": "recurring", "amount": amount}
            for code, amount in amounts.items()
        ]
        if key == "small":
            fee = {"code": "act", "kind": "one_time", "amount": "5.00", "fee_type": "activation"}
            components.append(fee)
        catalog.ensure_standard_metrics(self.session)
        catalog.product(self.session, "mobile", "Mobile")
        data = {"code": key, "name": name, "product": "mobile", "kind": kind}
        spec = PlanSpec.parse(
            data | {"billing_interval": interval, "components": components}, "EUR"
        )
        plan = catalog.create_plan(self.session, spec)
        self._sold(catalog.publish(self.session, plan.versions[0]))
        return plan

    def _sold(self, version: Any) -> None:
        name, _, interval, _ = CATALOGUE[version.plan.code]
        amounts = {c.code: c.amount for c in version.components if c.kind == "recurring"}
        self.prices[version.id] = (name, interval, amounts)

    def _price(self, version_id: int) -> Decimal:
        return sum(self.prices[version_id][2].values(), Decimal(0))

    def _per_period(self, version_id: int, starts: date) -> Decimal:
        """A whole period's recurring price on a version, the promotion off if it covers it."""
        price = self._price(version_id)
        return price - self.promo.off(price) if self._covers(starts) and self.promo else price

    def _covers(self, starts: date) -> bool:
        return self.promo is not None and (self.promo_ends is None or starts < self.promo_ends)

    # --- the model's periods --------------------------------------------------------------

    def _anchor(self, at: datetime) -> date:
        """The anchor at an instant: the start, moved to each change of interval by then."""
        anchor, interval = self.anchor, None
        for event in subs.history(self.session, self.sub):
            if event.state == REVOKED or event.effective_at > at:
                continue
            version = event.data.get("plan_version_id")
            if version in self.prices:
                if interval is not None and self.prices[version][1] != interval:
                    anchor = local(event.effective_at)
                interval = self.prices[version][1]
        return anchor

    def _period(self, at: datetime, name: str) -> tuple[date, date]:
        interval = next(i for n, _, i, _ in CATALOGUE.values() if n == name)
        return period_of(self._anchor(at), interval, local(at))

    def _state(self, at: datetime) -> tuple[Any, ...]:
        state = subs.state_at(self.session, self.sub, at)
        if state is None:
            return ()
        addons = tuple(sorted(state.addon_version_ids.items()))
        anchor = getattr(state, "anchor_date", None)
        return (state.plan_version_id, state.status, addons, state.promotion_id, anchor)

    def _cancellation(self) -> Any:
        found = [e for e in subs.history(self.session, self.sub) if e.kind == subs.CANCEL]
        return next((e for e in found if e.state != REVOKED), None)

    def _record_new_events(self) -> None:
        for event in subs.history(self.session, self.sub):
            self.made.setdefault(event.id, self.now)

    # --- subscribe and the clock ----------------------------------------------------------

    @initialize(start=st.sampled_from(STARTS), plan=st.sampled_from(PLANS), promo=PROMOS)
    def subscribe(self, start: datetime, plan: str, promo: Promo | None) -> None:
        self.now, self.anchor = start, local(start)
        version = self.plans[plan].published
        code = None
        if promo is not None:
            value = Decimal("50") if promo.kind == "percent" else Decimal("2.00")
            self.promo = Promo(promo.kind, value, promo.duration, promo.cycles)
            fields = {"code": "machine", "name": "Machine", "kind": promo.kind, "value": value}
            fields |= {"duration": promo.duration, "cycles": promo.cycles, "promo_code": "M1"}
            fields |= {"currency": "EUR"} if promo.kind == "fixed" else {}
            catalog.create_promotion(self.session, PromotionSpec.parse(fields))
            code = "M1"
            self.promo_ends = self.promo.ends_on(local(start), version.billing_interval)
        preview = subs.preview_subscribe(self.session, version, start, promo_code=code)
        self.sub = subs.subscribe(self.session, self.person, version, start, promo_code=code)
        stored = subs.history(self.session, self.sub)[0]
        assert stored.data["charges"] == preview.to_json(), "the preview is what is stored"
        following = months_on(local(start), {"monthly": 1, "yearly": 12}[version.billing_interval])
        assert preview.next_recurring == self._per_period(version.id, following), (
            "next_recurring at subscribe prices the second period"
        )
        self._record_new_events()

    @rule(step=STEPS, job_runs=st.sampled_from([True, True, True, False]))
    def advance(self, step: tuple[str, int], job_runs: bool) -> None:
        before, self.now = self.now, self._later(*step)
        if job_runs:
            subs.apply_due(self.session, self.now)
        instants = {before, self.now - TICK}
        for event in subs.history(self.session, self.sub):
            if before < event.effective_at < self.now:
                instants |= {event.effective_at, event.effective_at - TICK}
        for at in instants:
            self.snapshots.setdefault(at, self._state(at))

    def _later(self, kind: str, n: int) -> datetime:
        now = self.now
        if kind in ("minutes", "hours", "days"):
            return now + timedelta(**{kind: n})
        if kind == "months":
            return datetime.combine(months_on(now.date(), n), now.timetz())
        waiting = [e.effective_at for e in subs.scheduled(self.session, self.sub)]
        ends = midnight(period_of(self._anchor(now), "monthly", local(now))[1])
        due = min([at for at in waiting if at > now], default=ends)
        targets = {
            "due": due,
            "due_late": due + timedelta(minutes=3),
            "period_end": ends,
            "utc23": datetime.combine(now.date(), time(23), UTC),
            "midnight": midnight(local(now) + timedelta(days=1)),
        }
        target = targets[kind]
        return target if target > now else target + timedelta(days=1)

    # --- changes --------------------------------------------------------------------------

    def _attempt(self, allowed: set[str], action: Any, *args: Any) -> Any:
        """Run a change; a refusal must be one the model allows at this point of the history."""
        cancel = self._cancellation()
        if cancel is not None and cancel.effective_at <= self.now:
            allowed = {"subscription.cancelled"}
        try:
            done = action(*args)
        except SubscriptionError as exc:
            assert exc.code in allowed, f"refused with {exc.code}, expected one of {allowed}"
            return None
        assert allowed != {"subscription.cancelled"}, "a change was taken after the cancellation"
        self._record_new_events()
        return done

    def _stored(self, preview: Any, event: Any) -> None:
        assert event.data["charges"] == preview.to_json(), "the preview is what is stored"

    @rule(plan=st.sampled_from(PLANS))
    def change_plan(self, plan: str) -> None:
        version = self.plans[plan].published
        cancel = self._cancellation()
        coming = cancel is not None and cancel.effective_at > self.now
        preview: Any
        try:
            preview = subs.preview_change(self.session, self.sub, version, self.now)
            held = subs.standing(self.session, self.sub, self.now).plan_version
        except SubscriptionError:
            preview = held = None
        refusals = {"subscription.same_version", "subscription.cancelled"}
        if coming:
            refusals = {"subscription.cancellation_scheduled", "subscription.same_version"}
        event = self._attempt(refusals, subs.change_plan, self.session, self.sub, version, self.now)
        if event is None:
            return
        assert not coming, "a plan change was accepted with a cancellation coming"
        assert preview is not None and held is not None
        self._stored(preview, event)
        following = self._period(self.now, self.prices[held.id][0])[1]
        assert preview.next_recurring == self._per_period(version.id, following), (
            "next_recurring prices the period that follows with the promotion's own cycles"
        )

    @rule()
    def suspend(self) -> None:
        allowed = {"subscription.suspended_already"}
        self._attempt(allowed, subs.suspend, self.session, self.sub, self.now)

    @rule()
    def resume(self) -> None:
        self._attempt({"subscription.not_suspended"}, subs.resume, self.session, self.sub, self.now)

    @rule(when=st.sampled_from(["now", "period_end"]))
    def cancel(self, when: str) -> None:
        try:
            preview = subs.preview_cancel(self.session, self.sub, self.now, when)
        except SubscriptionError:
            preview = None
        event = self._attempt(set(), subs.cancel, self.session, self.sub, self.now, when)
        if event is not None:
            assert preview is not None
            self._stored(preview, event)

    @rule(which=st.sampled_from(ADDONS))
    def add_addon(self, which: str) -> None:
        version = self.plans[which].published
        try:
            preview = subs.preview_addon(self.session, self.sub, version, self.now)
        except SubscriptionError:
            preview = None
        held = self._attempt(set(), subs.add_addon, self.session, self.sub, version, self.now)
        if held is not None:
            assert preview is not None
            added = subs.history(self.session, self.sub)
            self._stored(preview, next(e for e in added if _names(e, held.id)))
            assert preview.next_recurring == self._price(version.id)

    @rule(index=st.integers(0, 4))
    def remove_addon(self, index: int) -> None:
        active = subs.active_addons(self.sub)
        if not active:
            return
        addon = active[index % len(active)]
        try:
            preview = subs.preview_remove_addon(self.session, addon, self.now)
        except SubscriptionError:
            preview = None
        event = self._attempt(set(), subs.remove_addon, self.session, addon, self.now)
        if event is not None:
            assert preview is not None
            self._stored(preview, event)

    @rule(index=st.integers(0, 40))
    def call_off(self, index: int) -> None:
        events = subs.history(self.session, self.sub)
        event = events[index % len(events)]
        was, due, cancel = event.state, event.effective_at <= self.now, self._cancellation()
        dropped = cancel is not None and event.kind != subs.CANCEL
        dropped = dropped and event.effective_at >= cancel.effective_at
        try:
            subs.revoke(self.session, event, at=self.now)
        except SubscriptionError as exc:
            expected = (
                "subscription.change_revoked" if was == REVOKED else "subscription.change_applied"
            )
            assert dropped or exc.code == expected, f"calling off refused with {exc.code}"
            return
        assert was == SCHEDULED and (not due or dropped), (
            f"a {event.kind} that took effect at {event.effective_at} was called off at {self.now}"
        )

    # --- versions and migrations ----------------------------------------------------------

    @rule(which=st.sampled_from(PLANS), cents=st.sampled_from([-100, 0, 200]))
    def new_version(self, which: str, cents: int) -> None:
        plan = self.plans[which]
        if len(plan.versions) >= 4:
            return
        draft = catalog.new_draft(self.session, plan)
        components = catalog.component_specs(draft)
        for spec in components:
            if spec.code == "base":
                spec.amount = (spec.amount or Decimal(0)) + Decimal(cents) / 100
        catalog.set_contents(self.session, draft, components, catalog.allowance_specs(draft))
        self._sold(catalog.publish(self.session, draft))

    @rule()
    def migrate(self) -> None:
        held = self.sub.plan_version
        target = held.plan.published
        try:
            rows = migrations.preview(self.session, held, target, self.now)
            migration = migrations.schedule(self.session, held, target, self.now)
        except SubscriptionError:
            return
        self.migrations.append(migration)
        self._record_new_events()
        moves = [e for e in subs.scheduled(self.session, self.sub) if e.kind == subs.MIGRATED]
        for row in rows:
            move = next(e for e in moves if e.data["migration_id"] == migration.id)
            assert move.effective_at == row.effective_at
            starts = local(row.effective_at)
            assert row.current == self._per_period(held.id, starts), "current price per period"
            assert row.new == self._per_period(target.id, starts), "new price per period"

    @rule(index=st.integers(0, 3))
    def cancel_migration(self, index: int) -> None:
        if not self.migrations:
            return
        migration = self.migrations[index % len(self.migrations)]
        mine = [
            e
            for e in subs.history(self.session, self.sub)
            if e.kind == subs.MIGRATED and e.data.get("migration_id") == migration.id
        ]
        fallen = [e for e in mine if e.effective_at <= self.now and e.state != REVOKED]
        try:
            migrations.cancel(self.session, migration, at=self.now)
        except SubscriptionError as exc:
            assert exc.code == "subscription.migration_cancelled"
            return
        for event in fallen:
            assert event.state == APPLIED, "cancelling a migration undid a move that happened"

    # --- invariants -----------------------------------------------------------------------

    @invariant()
    def past_states_never_change(self) -> None:
        if self.sub is None:
            return
        for at, seen in sorted(self.snapshots.items()):
            assert self._state(at) == seen, f"the state at {at} changed from {seen}"

    @invariant()
    def nothing_takes_effect_after_a_cancellation(self) -> None:
        cancel = self.sub and self._cancellation()
        if not cancel:
            return
        c = cancel.effective_at
        for event in subs.history(self.session, self.sub):
            if event.state == REVOKED or event.id == cancel.id or event.effective_at < c:
                continue
            if event.effective_at == c and event.kind == subs.ADDON_REMOVED:
                continue
            # A cancellation made at that instant comes after what had taken effect by then.
            before = self.made.get(cancel.id) == c and event.id < cancel.id
            assert before, f"{event.kind} at {event.effective_at} after the cancellation at {c}"
        state = subs.state_at(self.session, self.sub, c)
        assert state is not None and state.status == CANCELLED
        assert state.addon_version_ids == {}, "add-ons outlive the cancellation"
        if cancel.state != APPLIED:
            return  # add-ons are removed when the cancellation takes effect
        held = subs.state_at(self.session, self.sub, c - TICK)
        removed = {
            e.data["subscription_addon_id"]
            for e in subs.history(self.session, self.sub)
            if e.kind == subs.ADDON_REMOVED and e.state != REVOKED and e.effective_at <= c
        }
        for addon_id in held.addon_version_ids if held else {}:
            assert addon_id in removed, "an add-on ended by the cancellation has no addon_removed"

    @invariant()
    def the_subscription_row_agrees_with_its_history(self) -> None:
        if self.sub is None:
            return
        due = [e for e in subs.scheduled(self.session, self.sub) if e.effective_at <= self.now]
        if due:
            return  # the job has not caught up: the row may lag, the history may not
        state = subs.state_at(self.session, self.sub, self.now)
        assert state is not None
        row = (self.sub.plan_version_id, self.sub.status)
        assert row == (state.plan_version_id, state.status), "the row is not the history's state"
        active = sorted(a.id for a in subs.active_addons(self.sub))
        assert active == sorted(state.addon_version_ids), "the row's add-ons are not the history's"

    @invariant()
    def charges_are_prorated_right_and_credits_stay_within_charges(self) -> None:
        if self.sub is None:
            return
        for event in subs.history(self.session, self.sub):
            if event.state == APPLIED and event.id not in self.audited:
                self.audited.add(event.id)
                self._audit(event)


def _names(event: Any, addon_id: int) -> bool:
    return bool(event.kind == subs.ADDON_ADDED and event.data["subscription_addon_id"] == addon_id)


def test_random_histories_keep_the_lifecycles_invariants(app: Any, make: Any) -> None:
    Lifecycle.app, Lifecycle.brand_id = app, make.brand(currency="EUR", timezone=ZONE).id
    run_state_machine_as_test(
        Lifecycle,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=25,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate, *([Phase.shrink] if SHRINK else [])],
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
