"""Subscription lifecycle through the services: proration, scheduling, history and state in time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from saas.catalog.models import PlanVersion
from saas.identity.models import User
from saas.subscriptions import services as subs
from saas.subscriptions.models import ACTIVE, CANCELLED, SCHEDULED, SUSPENDED, Subscription
from saas.subscriptions.services import SubscriptionError
from tests.conftest import in_brand, recurring


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def shop(make: Any) -> Any:
    """A Berlin brand with a cheap and a dear plan and one subscriber."""
    brand = make.brand(currency="EUR", timezone="Europe/Berlin")
    cheap = make.plan(brand, name="Cheap", components=recurring("10.00"))
    dear = make.plan(brand, name="Dear", components=recurring("20.00"))
    person = make.user(brand, "subscriber")
    return brand, cheap, dear, person


def _sub(session: Any, ident: int) -> Subscription:
    sub = session.get(Subscription, ident)
    assert sub is not None
    return sub


def amounts(preview: Any) -> list[tuple[str, Decimal]]:
    return [(line.kind, line.amount) for line in preview.lines]


def test_an_upgrade_mid_period_credits_the_old_price_and_charges_the_new_by_day(app, make, shop):  # type: ignore[no-untyped-def]
    brand, cheap, dear, person = shop
    sub_id = make.subscription(brand, person, cheap.version_id, t("2026-03-10T09:00:00")).id
    with in_brand(app, brand.id) as session:
        sub = _sub(session, sub_id)
        preview = subs.preview_change(
            session, sub, session.get(PlanVersion, dear.version_id), t("2026-03-20T09:00:00")
        )
        # Period 10 Mar - 10 Apr has 31 days; 21 of them remain from 20 March on.
        assert preview.action == "upgrade"
        assert amounts(preview) == [
            ("proration_credit", Decimal("-6.77")),  # 10.00 x 21/31 = 6.774...
            ("proration_charge", Decimal("13.55")),  # 20.00 x 21/31 = 13.548...
        ]
        assert preview.total == Decimal("6.78")
        assert [(ln.days, ln.period_days) for ln in preview.lines] == [(21, 31), (21, 31)]
        event = subs.change_plan(
            session, sub, session.get(PlanVersion, dear.version_id), t("2026-03-20T09:00:00")
        )
        assert event.data["charges"]["total"] == "6.78"
        assert sub.plan_version_id == dear.version_id


@pytest.mark.parametrize(
    ("start", "change", "days", "period_days", "credit"),
    [
        ("2026-02-01T12:00:00", "2026-02-15T12:00:00", 14, 28, "-5.00"),  # February 2026: 28 days
        ("2028-02-01T12:00:00", "2028-02-15T12:00:00", 15, 29, "-5.17"),  # leap year: 29 days
        ("2026-04-01T12:00:00", "2026-04-16T12:00:00", 15, 30, "-5.00"),  # 30-day month
        ("2026-05-01T12:00:00", "2026-05-16T12:00:00", 16, 31, "-5.16"),  # 31-day month
        # Anchored on 29 February: the period of February 2025 runs 29 Jan - 28 Feb (30 days).
        ("2024-02-29T12:00:00", "2025-02-27T12:00:00", 1, 30, "-0.33"),
    ],
)
def test_proration_counts_the_days_of_each_month(
    app, make, shop, start, change, days, period_days, credit
):  # type: ignore[no-untyped-def]
    brand, cheap, dear, person = shop
    sub_id = make.subscription(brand, person, cheap.version_id, t(start)).id
    with in_brand(app, brand.id) as session:
        preview = subs.preview_change(
            session, _sub(session, sub_id), session.get(PlanVersion, dear.version_id), t(change)
        )
        credit_line = preview.lines[0]
        assert (credit_line.days, credit_line.period_days) == (days, period_days)
        assert credit_line.amount == Decimal(credit)


def test_the_day_of_a_change_is_the_brands_local_day(app, make):  # type: ignore[no-untyped-def]
    results = {}
    for zone in ("Europe/Berlin", "UTC"):
        brand = make.brand(currency="EUR", timezone=zone)
        cheap = make.plan(brand, components=recurring("31.00"))
        dear = make.plan(brand, components=recurring("62.00"))
        person = make.user(brand, "subscriber")
        sub_id = make.subscription(brand, person, cheap.version_id, t("2026-03-01T10:00:00")).id
        with in_brand(app, brand.id) as session:
            # 22:30 UTC on 31 March is already 1 April (00:30 CEST) in Berlin.
            preview = subs.preview_change(
                session,
                _sub(session, sub_id),
                session.get(PlanVersion, dear.version_id),
                t("2026-03-31T22:30:00"),
            )
            results[zone] = [
                (ln.period.start.isoformat(), ln.days, ln.amount) for ln in preview.lines
            ]
    assert results["Europe/Berlin"] == [
        ("2026-04-01", 30, Decimal("-31.00")),
        ("2026-04-01", 30, Decimal("62.00")),
    ]
    assert results["UTC"] == [
        ("2026-03-01", 1, Decimal("-1.00")),
        ("2026-03-01", 1, Decimal("2.00")),
    ]


def test_a_downgrade_waits_for_the_period_end_and_history_answers_both_times(app, make, shop):  # type: ignore[no-untyped-def]
    brand, cheap, dear, person = shop
    sub_id = make.subscription(brand, person, dear.version_id, t("2026-03-10T09:00:00")).id
    with in_brand(app, brand.id) as session:
        sub = _sub(session, sub_id)
        event = subs.change_plan(
            session, sub, session.get(PlanVersion, cheap.version_id), t("2026-03-20T09:00:00")
        )
        assert event.state == SCHEDULED
        # 10 April, local midnight in Berlin (CEST) is 22:00 UTC the day before.
        assert event.effective_at == t("2026-04-09T22:00:00")
        assert event.data["charges"]["lines"] == []
        assert sub.plan_version_id == dear.version_id
        before = subs.state_at(session, sub, t("2026-04-09T21:59:59"))
        after = subs.state_at(session, sub, t("2026-04-09T22:00:00"))
        assert before is not None and before.plan_version_id == dear.version_id
        assert after is not None and after.plan_version_id == cheap.version_id
        assert subs.state_at(session, sub, t("2026-03-01T00:00:00")) is None
        assert subs.apply_due(session, t("2026-04-10T08:00:00"), sub) == 1
        assert sub.plan_version_id == cheap.version_id


def _downgraded_on_10_april(app: Any, make: Any, shop: Any) -> tuple[int, int]:
    """A subscription on Dear since 10 March whose downgrade to Cheap takes effect on 10 April."""
    brand, cheap, dear, person = shop
    sub_id = make.subscription(brand, person, dear.version_id, t("2026-03-10T09:00:00")).id
    with in_brand(app, brand.id) as session:
        sub = _sub(session, sub_id)
        cheap_version = session.get(PlanVersion, cheap.version_id)
        event = subs.change_plan(session, sub, cheap_version, t("2026-03-20T09:00:00"))
        return sub_id, event.id


def test_previews_price_a_due_downgrade_as_made_but_write_nothing(app, make, shop):  # type: ignore[no-untyped-def]
    from saas.subscriptions.models import SubscriptionEvent

    brand, _cheap, dear, _person = shop
    sub_id, event_id = _downgraded_on_10_april(app, make, shop)
    later = t("2026-04-25T09:00:00")  # the downgrade fell due on 10 April and was not applied
    with in_brand(app, brand.id) as session:
        sub = _sub(session, sub_id)
        cancel = subs.preview_cancel(session, sub, later)
        back = subs.preview_change(session, sub, session.get(PlanVersion, dear.version_id), later)
        suspend = subs.preview_suspend(session, sub, later)
        # 15 of 30 days left at Cheap's 10.00; back to Dear is an upgrade from Cheap.
        assert cancel.total == Decimal("-5.00") and back.action == "upgrade"
        assert suspend.total == 0 and suspend.next_recurring == Decimal("10.00")
        assert not (session.new or session.dirty)
    with in_brand(app, brand.id) as session:
        assert session.get(SubscriptionEvent, event_id).state == SCHEDULED
        assert _sub(session, sub_id).plan_version_id == dear.version_id


def test_a_change_brings_the_subscription_up_to_date_first(app, make, shop):  # type: ignore[no-untyped-def]
    from saas.subscriptions.models import APPLIED, SubscriptionEvent

    brand, cheap, _dear, _person = shop
    sub_id, event_id = _downgraded_on_10_april(app, make, shop)
    with in_brand(app, brand.id) as session:
        subs.suspend(session, _sub(session, sub_id), t("2026-04-25T09:00:00"))
    with in_brand(app, brand.id) as session:
        assert session.get(SubscriptionEvent, event_id).state == APPLIED
        sub = _sub(session, sub_id)
        assert (sub.plan_version_id, sub.status) == (cheap.version_id, SUSPENDED)


def test_a_scheduled_change_can_be_called_off(app, make, shop):  # type: ignore[no-untyped-def]
    brand, cheap, dear, person = shop
    sub_id = make.subscription(brand, person, dear.version_id, t("2026-03-10T09:00:00")).id
    with in_brand(app, brand.id) as session:
        sub = _sub(session, sub_id)
        event = subs.change_plan(
            session, sub, session.get(PlanVersion, cheap.version_id), t("2026-03-20T09:00:00")
        )
        subs.revoke(session, event, t("2026-03-21T09:00:00"))
        assert subs.apply_due(session, t("2026-05-01T00:00:00"), sub) == 0
        later = subs.state_at(session, sub, t("2026-05-01T00:00:00"))
        assert later is not None and later.plan_version_id == dear.version_id
        with pytest.raises(SubscriptionError, match="this change was called off already"):
            subs.revoke(session, event, t("2026-03-22T09:00:00"))


def test_suspend_resume_and_cancel_are_events_in_order(app, make, shop):  # type: ignore[no-untyped-def]
    brand, cheap, _dear, person = shop
    sub_id = make.subscription(brand, person, cheap.version_id, t("2026-03-10T09:00:00")).id
    with in_brand(app, brand.id) as session:
        sub = _sub(session, sub_id)
        subs.suspend(session, sub, t("2026-03-12T09:00:00"), reason="lost phone")
        assert sub.status == SUSPENDED
        with pytest.raises(SubscriptionError, match="is suspended already"):
            subs.suspend(session, sub, t("2026-03-13T09:00:00"))
        subs.resume(session, sub, t("2026-03-14T09:00:00"))
        cancel = subs.cancel(session, sub, t("2026-03-25T09:00:00"))
        # 16 of 31 days unused: 10.00 x 16/31 = 5.161...
        assert cancel.data["charges"]["total"] == "-5.16"
        assert sub.status == CANCELLED and sub.ended_at == t("2026-03-25T09:00:00")
        kinds = [e.kind for e in subs.history(session, sub)]
        assert kinds == ["subscribed", "suspended", "resumed", "cancelled"]
        at_13 = subs.state_at(session, sub, t("2026-03-13T00:00:00"))
        assert at_13 is not None and at_13.status == SUSPENDED
        with pytest.raises(SubscriptionError, match="is cancelled"):
            subs.resume(session, sub, t("2026-03-26T09:00:00"))


def test_cancel_at_period_end_keeps_service_until_then(app, make, shop):  # type: ignore[no-untyped-def]
    brand, cheap, _dear, person = shop
    sub_id = make.subscription(brand, person, cheap.version_id, t("2026-03-10T09:00:00")).id
    with in_brand(app, brand.id) as session:
        sub = _sub(session, sub_id)
        event = subs.cancel(session, sub, t("2026-03-25T09:00:00"), when="period_end")
        assert event.state == SCHEDULED and sub.status == ACTIVE
        assert event.data["charges"]["total"] == "0.00"
        subs.apply_due(session, t("2026-04-10T09:00:00"))
        assert sub.status == CANCELLED
        assert sub.ended_at == t("2026-04-09T22:00:00")


def test_a_promo_code_discounts_and_counts_its_redemptions(app, make):  # type: ignore[no-untyped-def]
    from saas.catalog import services as catalog
    from saas.catalog.specs import PromotionSpec

    brand = make.brand(currency="EUR", timezone="Europe/Berlin")
    plan = make.plan(brand, components=recurring("19.99"))
    people = [make.user(brand, "subscriber") for _ in range(2)]
    with in_brand(app, brand.id) as session:
        spec = PromotionSpec.parse(
            {
                "code": "half",
                "name": "Half",
                "kind": "percent",
                "value": "50",
                "duration": "repeating",
                "cycles": 3,
                "promo_code": "half50",
                "max_redemptions": 1,
            }
        )
        catalog.create_promotion(session, spec)
    with in_brand(app, brand.id) as session:
        version = session.get(PlanVersion, plan.version_id)
        preview = subs.preview_subscribe(
            session, version, t("2026-03-10T09:00:00"), promo_code="HALF50"
        )
        assert amounts(preview) == [
            ("recurring", Decimal("19.99")),
            ("discount", Decimal("-10.00")),
        ]
        assert preview.next_recurring == Decimal("9.99")
        subs.subscribe(
            session,
            session.get(User, people[0].id),
            version,
            t("2026-03-10T09:00:00"),
            promo_code="half50",
        )
    with in_brand(app, brand.id) as session:
        version = session.get(PlanVersion, plan.version_id)
        with pytest.raises(SubscriptionError, match="promo code HALF50: has been used up"):
            subs.subscribe(
                session,
                session.get(User, people[1].id),
                version,
                t("2026-03-11T09:00:00"),
                promo_code="HALF50",
            )


def test_a_recurring_add_on_is_charged_for_the_rest_of_the_period(app, make, shop):  # type: ignore[no-untyped-def]
    brand, cheap, _dear, person = shop
    addon = make.plan(brand, kind="addon", name="Roaming", components=recurring("9.30", "roam"))
    sub_id = make.subscription(brand, person, cheap.version_id, t("2026-03-10T09:00:00")).id
    with in_brand(app, brand.id) as session:
        sub = _sub(session, sub_id)
        held = subs.add_addon(
            session, sub, session.get(PlanVersion, addon.version_id), t("2026-03-25T09:00:00")
        )
        added = subs.history(session, sub)[-1]
        assert added.data["charges"]["total"] == "4.80"  # 9.30 x 16/31
        state = subs.state_at(session, sub, t("2026-03-26T00:00:00"))
        assert state is not None and state.addon_version_ids == {held.id: addon.version_id}
        subs.remove_addon(session, held, t("2026-04-01T09:00:00"))
        assert subs.history(session, sub)[-1].data["charges"]["total"] == "-2.70"  # 9 of 31 days
        state = subs.state_at(session, sub, t("2026-04-02T00:00:00"))
        assert state is not None and state.addon_version_ids == {}


def test_only_subscribers_may_hold_subscriptions_and_only_published_versions_sell(app, make):  # type: ignore[no-untyped-def]
    brand = make.brand(currency="EUR")
    draft = make.plan(brand, publish=False)
    staff = make.user(brand, "staff")
    person = make.user(brand, "subscriber")
    with in_brand(app, brand.id) as session:
        version = session.get(PlanVersion, draft.version_id)
        with pytest.raises(SubscriptionError, match="is not a subscriber"):
            subs.subscribe(session, session.get(User, staff.id), version)
        with pytest.raises(SubscriptionError, match="version 1 is not on sale"):
            subs.subscribe(session, session.get(User, person.id), version)


def test_states_can_be_asked_for_any_instant_in_a_long_history(app, make, shop):  # type: ignore[no-untyped-def]
    brand, cheap, dear, person = shop
    start = t("2026-01-05T09:00:00")
    sub_id = make.subscription(brand, person, cheap.version_id, start).id
    with in_brand(app, brand.id) as session:
        sub = _sub(session, sub_id)
        subs.change_plan(
            session, sub, session.get(PlanVersion, dear.version_id), start + timedelta(days=40)
        )
        subs.suspend(session, sub, start + timedelta(days=50))
        subs.resume(session, sub, start + timedelta(days=55))
        seen = [subs.state_at(session, sub, start + timedelta(days=d)) for d in (1, 41, 51, 56)]
        assert [(s.plan_version_id == dear.version_id, s.status) for s in seen if s] == [
            (False, ACTIVE),
            (True, ACTIVE),
            (True, SUSPENDED),
            (True, ACTIVE),
        ]
