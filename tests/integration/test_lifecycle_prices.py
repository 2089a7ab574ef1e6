"""Prices over a subscription's life: promotions discount the cycles they cover, credits return
what was charged, and each recurring component is prorated over its own interval's period."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from saas.catalog.models import PlanVersion
from saas.identity.models import User
from saas.subscriptions import migrations
from saas.subscriptions import services as subs
from saas.subscriptions.models import Subscription
from tests.conftest import api_post, in_brand, issue_key, recurring
from tests.integration.test_admin_subscriptions import republish


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def amounts(preview: Any) -> list[tuple[str, Decimal]]:
    return [(line.kind, line.amount) for line in preview.lines]


@pytest.fixture
def shop(make: Any) -> Any:
    """A Berlin brand with a cheap and a dear plan and one subscriber."""
    brand = make.brand(currency="EUR", timezone="Europe/Berlin")
    brand["cheap"] = make.plan(brand, name="Cheap", components=recurring("10.00"))
    brand["dear"] = make.plan(brand, name="Dear", components=recurring("20.00"))
    brand["person"] = make.user(brand, "subscriber")
    return brand


def promotion(app: Any, brand: Any, code: str, **terms: Any) -> None:
    from saas.catalog import services as catalog
    from saas.catalog.specs import PromotionSpec

    spec = {"code": code.lower(), "name": code, "kind": "percent", "value": "50"} | terms
    with in_brand(app, brand.id) as session:
        catalog.create_promotion(session, PromotionSpec.parse(spec | {"promo_code": code}))


def subscribed(app: Any, brand: Any, version_id: int, at: str, code: str | None = None) -> int:
    with in_brand(app, brand.id) as session:
        version = session.get(PlanVersion, version_id)
        person = session.get(User, brand.person.id)
        return subs.subscribe(session, person, version, t(at), promo_code=code).id


def _sub(session: Any, ident: int) -> Subscription:
    sub = session.get(Subscription, ident)
    assert sub is not None
    return sub


# --- finding 3: credits on what was charged ------------------------------------------------


def test_a_same_day_cancellation_credits_what_a_fixed_discount_left_charged(app, make) -> None:  # type: ignore[no-untyped-def]
    brand = make.brand(currency="EUR", timezone="Europe/Berlin")
    plan = make.plan(brand, components=recurring("14.99"))
    brand["person"] = make.user(brand, "subscriber")
    promotion(app, brand, "TWO", kind="fixed", value="2.00", currency="EUR", duration="forever")
    sub_id = subscribed(app, brand, plan.version_id, "2026-01-10T09:00:00", "TWO")
    with in_brand(app, brand.id) as session:
        sub = _sub(session, sub_id)
        (event,) = subs.history(session, sub)
        assert event.data["charges"]["total"] == "12.99"
        same_day = subs.preview_cancel(session, sub, t("2026-01-10T15:00:00"))
        assert same_day.total == Decimal("-12.99")
        # Half-way: 16 of 31 days left, the discounted price prorated once (12.99 x 16/31).
        later = subs.preview_cancel(session, sub, t("2026-01-25T09:00:00"))
        assert later.total == Decimal("-6.70")
        assert [ln.days for ln in later.lines if ln.days] == [16]


def test_the_api_cancel_preview_credits_no_more_than_was_charged(app, client, make) -> None:  # type: ignore[no-untyped-def]
    brand = make.brand(currency="EUR", timezone="Europe/Berlin")
    plan = make.plan(brand, components=recurring("14.99"))
    person = make.user(brand, "subscriber")
    promotion(app, brand, "TWO", kind="fixed", value="2.00", currency="EUR", duration="forever")
    token = issue_key(app, brand, ("subscriptions.read", "subscriptions.write"))[0]
    body = {"subscriber_id": person.id, "plan_version_id": plan.version_id, "promo_code": "TWO"}
    made = api_post(client, brand, "/subscriptions", token, body)
    assert made.status_code == 201, made.get_json()
    sub_id = made.get_json()["id"]
    (event,) = subs_events(client, brand, token, sub_id)
    assert event["data"]["charges"]["total"] == "12.99"
    preview = api_post(
        client, brand, f"/subscriptions/{sub_id}/cancel/preview", token, {"when": "now"}
    )
    assert preview.get_json()["total"] == "-12.99"


def subs_events(client: Any, brand: Any, token: str, sub_id: int) -> list[dict[str, Any]]:
    from tests.conftest import call

    return call(client, brand, f"/subscriptions/{sub_id}/events", token).get_json()["data"]


def test_an_upgrade_credits_and_charges_a_fixed_discount_prorated_like_the_price(
    app, make, shop
) -> None:  # type: ignore[no-untyped-def]
    promotion(app, shop, "TWO", kind="fixed", value="2.00", currency="EUR", duration="forever")
    sub_id = subscribed(app, shop, shop.cheap.version_id, "2026-03-10T09:00:00", "TWO")
    with in_brand(app, shop.id) as session:
        dear = session.get(PlanVersion, shop.dear.version_id)
        preview = subs.preview_change(
            session, _sub(session, sub_id), dear, t("2026-03-20T09:00:00")
        )
        # 21 of 31 days: (10.00 - 2.00) x 21/31 = 5.419 back, (20.00 - 2.00) x 21/31 = 12.194 on.
        assert preview.total == Decimal("-5.42") + Decimal("12.19")
        assert preview.next_recurring == Decimal("18.00")


# --- finding 4: a promotion discounts exactly the cycles it covers ---------------------------


def test_a_three_cycle_promotion_no_longer_discounts_cycle_six(app, make, shop) -> None:  # type: ignore[no-untyped-def]
    promotion(app, shop, "HALF", duration="repeating", cycles=3)
    sub_id = subscribed(app, shop, shop.cheap.version_id, "2026-01-10T09:00:00", "HALF")
    with in_brand(app, shop.id) as session:
        sub = _sub(session, sub_id)
        dear = session.get(PlanVersion, shop.dear.version_id)
        cycle_three = subs.preview_change(session, sub, dear, t("2026-03-25T09:00:00"))
        assert [kind for kind, _ in amounts(cycle_three)].count("discount") == 2
        assert cycle_three.next_recurring == Decimal("20.00")  # the next period is cycle 4
        # Cycle 6 runs 10 June - 10 July: 20 of its 30 days left on 20 June.
        cycle_six = subs.preview_change(session, sub, dear, t("2026-06-20T09:00:00"))
        assert amounts(cycle_six) == [
            ("proration_credit", Decimal("-6.67")),
            ("proration_charge", Decimal("13.33")),
        ]
        assert cycle_six.next_recurring == Decimal("20.00")
        assert sub.promotion_ends_on == date(2026, 4, 10)  # cycles 1 to 3 start before it
        assert subs.preview_suspend(session, sub, t("2026-06-20T09:00:00")).next_recurring == (
            Decimal("10.00")
        )
        subs.change_plan(session, sub, dear, t("2026-06-20T09:00:00"))
    with in_brand(app, shop.id) as session:
        sub, cheap = _sub(session, sub_id), session.get(PlanVersion, shop.cheap.version_id)
        back = subs.preview_change(session, sub, cheap, t("2026-06-21T09:00:00"))
        assert back.action == "downgrade" and back.next_recurring == Decimal("10.00")


def test_a_once_promotion_is_not_taken_back_from_a_credit_in_cycle_three(app, make, shop) -> None:  # type: ignore[no-untyped-def]
    promotion(app, shop, "FIRST", duration="once")
    sub_id = subscribed(app, shop, shop.cheap.version_id, "2026-01-10T09:00:00", "FIRST")
    with in_brand(app, shop.id) as session:
        sub = _sub(session, sub_id)
        first = subs.preview_cancel(session, sub, t("2026-01-10T10:00:00"))
        assert first.total == Decimal("-5.00")  # cycle 1 was charged 5.00
        # Cycle 3 runs 10 March - 10 April, charged in full: 16 of its 31 days come back.
        third = subs.preview_cancel(session, sub, t("2026-03-25T09:00:00"))
        assert amounts(third) == [("proration_credit", Decimal("-5.16"))]


def test_a_one_cycle_promotion_says_the_full_price_follows_at_subscribe(app, make, shop) -> None:  # type: ignore[no-untyped-def]
    promotion(app, shop, "ONE", duration="repeating", cycles=1)
    with in_brand(app, shop.id) as session:
        version = session.get(PlanVersion, shop.cheap.version_id)
        preview = subs.preview_subscribe(
            session, version, t("2026-01-10T09:00:00"), promo_code="ONE"
        )
        assert amounts(preview) == [("recurring", Decimal("10.00")), ("discount", Decimal("-5.00"))]
        assert preview.next_recurring == Decimal("10.00")
        assert preview.promotion is not None and preview.promotion.last_day == date(2026, 2, 9)
    sub_id = subscribed(app, shop, shop.cheap.version_id, "2026-01-10T09:00:00", "ONE")
    with in_brand(app, shop.id) as session:
        assert _sub(session, sub_id).promotion_ends_on == date(2026, 2, 10)


def test_a_migration_preview_prices_both_versions_without_an_ended_promotion(
    app, make, shop
) -> None:  # type: ignore[no-untyped-def]
    promotion(app, shop, "HALF", duration="repeating", cycles=3)
    early = subscribed(app, shop, shop.cheap.version_id, "2026-05-10T09:00:00", "HALF")
    late = subscribed(app, shop, shop.cheap.version_id, "2026-01-10T09:00:00", "HALF")
    new_id = republish(app, shop, shop.cheap.code, "12.00")
    with in_brand(app, shop.id) as session:
        old, new = (session.get(PlanVersion, i) for i in (shop.cheap.version_id, new_id))
        rows = migrations.preview(session, old, new, t("2026-06-20T09:00:00"))
        prices = {row.subscription.id: (row.current, row.new) for row in rows}
    # The move starts the holders' next period: cycle 7 for one, cycle 3 for the other.
    assert prices[late] == (Decimal("10.00"), Decimal("12.00"))
    assert prices[early] == (Decimal("5.00"), Decimal("6.00"))


# --- finding 8: an add-on over its own interval's period ------------------------------------


def test_a_yearly_add_on_on_a_monthly_plan_is_prorated_over_its_own_year(app, make, shop) -> None:  # type: ignore[no-untyped-def]
    yearly = [{"code": "pass", "name": "Year pass", "kind": "recurring", "amount": "120.00"}]
    addon = make.plan(
        shop, kind="addon", name="Year pass", billing_interval="yearly", components=yearly
    )
    sub_id = subscribed(app, shop, shop.cheap.version_id, "2026-01-10T09:00:00")
    with in_brand(app, shop.id) as session:
        sub = _sub(session, sub_id)
        version = session.get(PlanVersion, addon.version_id)
        booked = subs.preview_addon(session, sub, version, t("2026-01-20T09:00:00"))
        # The add-on's year runs 10 Jan 2026 - 10 Jan 2027 (365 days); 355 are left.
        assert amounts(booked) == [("proration_charge", Decimal("116.71"))]
        assert [(ln.days, ln.period_days) for ln in booked.lines] == [(355, 365)]
        held = subs.add_addon(session, sub, version, t("2026-01-20T09:00:00"))
        # On 10 March 306 days of its year are left, though the plan's month starts anew.
        removal = subs.preview_remove_addon(session, held, t("2026-03-10T09:00:00"))
        assert amounts(removal) == [("proration_credit", Decimal("-100.60"))]
        cancel = subs.preview_cancel(session, sub, t("2026-03-10T09:00:00"))
        assert amounts(cancel) == [
            ("proration_credit", Decimal("-10.00")),
            ("proration_credit", Decimal("-100.60")),
        ]


def test_a_yearly_add_on_ended_by_a_cancellation_at_period_end_is_credited_the_rest_of_its_year(
    app, make, shop
) -> None:  # type: ignore[no-untyped-def]
    yearly = [{"code": "pass", "name": "Year pass", "kind": "recurring", "amount": "120.00"}]
    addon = make.plan(
        shop, kind="addon", name="Year pass", billing_interval="yearly", components=yearly
    )
    monthly = make.plan(shop, kind="addon", name="Boost", components=recurring("5.00"))
    sub_id = subscribed(app, shop, shop.cheap.version_id, "2026-01-10T09:00:00")
    with in_brand(app, shop.id) as session:
        sub = _sub(session, sub_id)
        subs.add_addon(
            session, sub, session.get(PlanVersion, addon.version_id), t("2026-01-20T09:00:00")
        )
        subs.add_addon(
            session, sub, session.get(PlanVersion, monthly.version_id), t("2026-01-20T09:00:00")
        )
        subs.cancel(session, sub, t("2026-02-01T09:00:00"), "period_end")
        # The plan's month ends on 10 February (local midnight in Berlin, 23:00 UTC before).
        subs.apply_due(session, t("2026-02-10T09:00:00"), sub)
    with in_brand(app, shop.id) as session:
        sub = _sub(session, sub_id)
        removed = {
            e.data["addon_version_id"]: e.data["charges"]
            for e in subs.history(session, sub)
            if e.kind == "addon_removed"
        }
        # 10 Feb 2026 - 10 Jan 2027: 334 of the year's 365 days were paid and are not used.
        assert removed[addon.version_id]["total"] == "-109.81"
        assert [(ln["days"], ln["period_days"]) for ln in removed[addon.version_id]["lines"]] == [
            (334, 365)
        ]
        # The monthly add-on's month ends with the plan's: nothing is left of it.
        assert removed[monthly.version_id]["total"] == "0.00"
