"""What can be changed when: calling off, migrations, add-ons and plans around a cancellation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from saas.catalog import models as M
from saas.catalog.periods import Period
from saas.subscriptions import migrations
from saas.subscriptions import services as subs
from saas.subscriptions.models import (
    APPLIED,
    CANCELLED,
    REVOKED,
    SCHEDULED,
    Subscription,
    SubscriptionAddOn,
    SubscriptionEvent,
)
from saas.subscriptions.services import SubscriptionError
from tests.conftest import in_brand, recurring
from tests.integration.test_catalog_versions import _reprice


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def days_ago(n: float) -> datetime:
    """An instant before the real clock: what is due by then, the real clock finds due."""
    return datetime.now(UTC).replace(microsecond=0) - timedelta(days=n)


@pytest.fixture
def shop(make: Any) -> Any:
    """A brand in UTC with a cheap and a dear monthly plan, a yearly one, an add-on, a person."""
    brand = make.brand(currency="EUR", timezone="UTC")
    brand["cheap"] = make.plan(brand, name="Cheap", components=recurring("10.00"))
    brand["dear"] = make.plan(brand, name="Dear", components=recurring("20.00"))
    brand["yearly"] = make.plan(
        brand, name="Yearly", billing_interval="yearly", components=recurring("120.00")
    )
    brand["boost"] = make.plan(brand, name="Boost", kind="addon", components=recurring("5.00"))
    brand["person"] = make.user(brand, "subscriber")
    return brand


def _sub(session: Any, ident: int) -> Subscription:
    sub = session.get(Subscription, ident)
    assert sub is not None
    return sub


def _version(session: Any, snapshot: Any) -> M.PlanVersion:
    version = session.get(M.PlanVersion, snapshot.version_id)
    assert version is not None
    return version


def _downgraded_a_month_ago(app: Any, make: Any, shop: Any) -> tuple[int, int, datetime]:
    """On Dear for two months; the downgrade to Cheap fell due weeks ago, never applied."""
    sub_id = make.subscription(shop, shop.person, shop.dear.version_id, days_ago(62)).id
    with in_brand(app, shop.id) as session:
        sub = _sub(session, sub_id)
        event = subs.change_plan(session, sub, _version(session, shop.cheap), days_ago(60))
        assert event.state == SCHEDULED and event.effective_at < days_ago(20)
        return sub_id, event.id, event.effective_at


# Finding 1: a change that has fallen due cannot be called off


def test_a_change_that_fell_due_is_applied_not_called_off(app, make, shop):  # type: ignore[no-untyped-def]
    sub_id, event_id, effective = _downgraded_a_month_ago(app, make, shop)
    cancelled = make.subscription(shop, shop.person, shop.cheap.version_id, days_ago(62))
    with in_brand(app, shop.id) as session:
        ending = subs.cancel(session, _sub(session, cancelled.id), days_ago(61), "period_end")
        ending_id = ending.id
    with in_brand(app, shop.id) as session:
        for event_ident in (event_id, ending_id):
            event = session.get(SubscriptionEvent, event_ident)
            with pytest.raises(SubscriptionError) as refused:
                subs.revoke(session, event)
            assert refused.value.code == "subscription.change_applied"
            assert event.state == APPLIED
        sub = _sub(session, sub_id)
        assert sub.plan_version_id == shop.cheap.version_id
        after = subs.state_at(session, sub, effective + timedelta(minutes=1))
        assert after is not None and after.plan_version_id == shop.cheap.version_id
        assert _sub(session, cancelled.id).status == CANCELLED


def test_the_api_refuses_to_call_off_a_change_that_fell_due(app, client, make, shop):  # type: ignore[no-untyped-def]
    from tests.conftest import api_post, call, issue_key
    from tests.integration.test_api import assert_problem

    token = issue_key(app, shop, ("subscriptions.read", "subscriptions.write"))[0]
    sub_id, event_id, effective = _downgraded_a_month_ago(app, make, shop)
    path = f"/subscriptions/{sub_id}/events/{event_id}/revoke"
    refused = assert_problem(api_post(client, shop, path, token), 409)
    assert refused["code"] == "subscription.change_applied"
    at = {"at": (effective + timedelta(minutes=1)).isoformat()}
    state = call(client, shop, f"/subscriptions/{sub_id}/state", token, query_string=at)
    assert state.get_json()["plan_version_id"] == shop.cheap.version_id
    events = call(client, shop, f"/subscriptions/{sub_id}/events", token).get_json()["data"]
    # The refusal rolls its unit of work back; the change stays, for apply-due to apply.
    assert [e["state"] for e in events if e["id"] == event_id] != ["revoked"]


# Finding 2: cancelling a migration calls off only the moves not yet due


def test_cancelling_a_migration_keeps_the_moves_that_happened(app, make, shop):  # type: ignore[no-untyped-def]
    plan = make.plan(shop, name="Grandfathered")
    people = [shop.person, make.user(shop, "subscriber")]
    moved = make.subscription(shop, people[0], plan.version_id, days_ago(40)).id
    waiting = make.subscription(shop, people[1], plan.version_id, days_ago(20)).id
    with in_brand(app, shop.id) as session:
        v2 = _reprice(session, plan.id, "12.00", days_ago(16))
        v1 = session.get(M.PlanVersion, plan.version_id)
        migration = migrations.schedule(session, v1, v2, days_ago(15))
        assert migration.affected == 2
        v2_id, migration_id = v2.id, migration.id
    with in_brand(app, shop.id) as session:
        assert migrations.cancel(session, session.get(M.PlanMigration, migration_id)) == 1
        first, second = _sub(session, moved), _sub(session, waiting)
        assert (first.plan_version_id, second.plan_version_id) == (v2_id, plan.version_id)
        kinds = session.scalars(select(SubscriptionEvent).filter_by(kind=subs.MIGRATED)).all()
        assert {e.subscription_id: e.state for e in kinds} == {moved: APPLIED, waiting: REVOKED}
        later = subs.state_at(session, first, datetime.now(UTC) + timedelta(days=60))
        assert later is not None and later.plan_version_id == v2_id


# Finding 5: add-ons end with the subscription


def _removals(session: Any, sub: Subscription) -> list[SubscriptionEvent]:
    return [e for e in subs.history(session, sub) if e.kind == subs.ADDON_REMOVED]


def test_add_ons_end_when_a_cancellation_takes_effect(app, make, shop):  # type: ignore[no-untyped-def]
    now_id = make.subscription(
        shop, shop.person, shop.cheap.version_id, t("2026-03-10T09:00:00")
    ).id
    later_id = make.subscription(
        shop, shop.person, shop.cheap.version_id, t("2026-03-10T09:00:00")
    ).id
    with in_brand(app, shop.id) as session:
        boost = _version(session, shop.boost)
        now, later = _sub(session, now_id), _sub(session, later_id)
        subs.add_addon(session, now, boost, t("2026-03-12T09:00:00"))
        subs.cancel(session, now, t("2026-03-20T09:00:00"))
        subs.add_addon(session, later, boost, t("2026-03-12T09:00:00"))
        subs.cancel(session, later, t("2026-03-15T09:00:00"), "period_end")
        # Booked with the cancellation coming: it ends with the subscription all the same.
        subs.add_addon(session, later, boost, t("2026-03-16T09:00:00"))
        subs.apply_due(session, t("2026-04-10T09:00:00"), later)
    with in_brand(app, shop.id) as session:
        for ident, ended in ((now_id, t("2026-03-20T09:00:00")), (later_id, t("2026-04-10T00:00"))):
            sub = _sub(session, ident)
            assert sub.status == CANCELLED
            assert [(a.status, a.ended_at) for a in sub.addons] == [(CANCELLED, ended)] * len(
                sub.addons
            )
            removed = _removals(session, sub)
            assert sorted(e.data["subscription_addon_id"] for e in removed) == [
                a.id for a in sub.addons
            ]
            assert {(e.effective_at, e.data["addon_status"]) for e in removed} == {
                (ended, CANCELLED)
            }
            after = subs.state_at(session, sub, ended + timedelta(seconds=1))
            assert after is not None and after.addon_version_ids == {}
        assert len(_sub(session, later_id).addons) == 2
        assert session.scalar(select(SubscriptionAddOn).filter_by(status="active")) is None


# Finding 6: with a cancellation coming, the plan stays as it is


def test_a_cancellation_coming_refuses_plan_changes_and_calls_off_those_after_it(app, make, shop):  # type: ignore[no-untyped-def]
    sub_id = make.subscription(shop, shop.person, shop.dear.version_id, t("2026-03-10T09:00:00")).id
    with in_brand(app, shop.id) as session:
        sub = _sub(session, sub_id)
        downgrade = subs.change_plan(session, sub, _version(session, shop.cheap), t("2026-03-12"))
        ending = subs.cancel(session, sub, t("2026-03-15T09:00:00"), "period_end")
        # Both were due on 10 April: the cancellation called the downgrade off.
        assert downgrade.effective_at == ending.effective_at and downgrade.state == REVOKED
        for plan in (shop.cheap, shop.yearly):
            with pytest.raises(SubscriptionError) as refused:
                subs.change_plan(session, sub, _version(session, plan), t("2026-03-20T09:00:00"))
            assert refused.value.code == "subscription.cancellation_scheduled"
        subs.suspend(session, sub, t("2026-03-21T09:00:00"))
        subs.resume(session, sub, t("2026-03-22T09:00:00"))
        subs.apply_due(session, t("2026-04-11T00:00:00"), sub)
        assert (sub.status, sub.plan_version_id) == (CANCELLED, shop.dear.version_id)
        after = subs.state_at(session, sub, t("2026-04-11T00:00:00"))
        assert after is not None and after.plan_version_id == shop.dear.version_id


def test_the_api_refuses_a_plan_change_with_a_cancellation_coming_in_the_readers_language(
    app: Any, client: Any, make: Any
) -> None:
    from tests.conftest import api_post, call, issue_key
    from tests.integration.test_api import assert_problem

    brand = make.brand(currency="EUR", default_locale="en", locales=["en", "de", "pl"])
    cheap = make.plan(brand, name="Cheap", components=recurring("10.00"))
    dear = make.plan(brand, name="Dear", components=recurring("20.00"))
    sub = make.subscription(brand, make.user(brand, "subscriber"), cheap.version_id)
    token = issue_key(app, brand, ("subscriptions.read", "subscriptions.write"))[0]
    base = f"/subscriptions/{sub.id}"
    ending = api_post(client, brand, f"{base}/cancel", token, {"when": "period_end"}).get_json()
    body = {"plan_version_id": dear.version_id}
    for path in (f"{base}/plan-change/preview", f"{base}/plan-change"):
        refused = assert_problem(api_post(client, brand, path, token, body), 409)
        assert (refused["code"], refused["detail"]) == (
            "subscription.cancellation_scheduled",
            f"subscription {sub.id}: has a cancellation coming: call it off first",
        )
    for locale in ("de", "pl"):
        said = call(
            client,
            brand,
            f"{base}/plan-change",
            token,
            "POST",
            json=body,
            headers={"Accept-Language": locale},
        )
        problem = assert_problem(said, 409)
        assert problem["code"] == "subscription.cancellation_scheduled"
        assert "cancellation coming" not in problem["detail"] and str(sub.id) in problem["detail"]
    # Calling the cancellation off opens plan changes again.
    revoke = f"{base}/events/{ending['event']['id']}/revoke"
    assert api_post(client, brand, revoke, token).status_code == 200
    changed = api_post(client, brand, f"{base}/plan-change", token, body)
    assert changed.get_json()["subscription"]["plan_version"]["id"] == dear.version_id


# Finding 7: a change of interval starts a new period at the change


def test_an_interval_change_starts_a_new_period_at_the_change(app, make, shop):  # type: ignore[no-untyped-def]
    sub_id = make.subscription(
        shop, shop.person, shop.cheap.version_id, t("2026-01-10T09:00:00")
    ).id
    with in_brand(app, shop.id) as session:
        sub = _sub(session, sub_id)
        event = subs.change_plan(session, sub, _version(session, shop.yearly), t("2026-01-20"))
        assert (event.state, event.effective_at) == (SCHEDULED, t("2026-02-10T00:00:00"))
        assert event.data["anchor_date"] == "2026-02-10"
        yearly = Period(date(2026, 2, 10), date(2027, 2, 10))
        # Priced before apply-due ran, and after: the same new period either way.
        for applied in (False, True):
            if applied:
                assert subs.apply_due(session, t("2026-03-01T00:00:00"), sub) == 1
            credit = subs.preview_cancel(session, sub, t("2026-03-01T09:00:00")).lines[0]
            assert (credit.period, credit.days, credit.period_days) == (yearly, 346, 365)
        assert subs.current_period(session, sub, t("2026-03-01T09:00:00")) == yearly
        assert sub.anchor_date == date(2026, 2, 10)
        state = subs.state_at(session, sub, t("2026-03-01T00:00:00"))
        before = subs.state_at(session, sub, t("2026-02-01T00:00:00"))
        assert state is not None and state.anchor_date == date(2026, 2, 10)
        assert before is not None and before.anchor_date == date(2026, 1, 10)


@pytest.mark.parametrize(
    ("locale", "path", "said"),
    [
        ("de", "/plan/{id}/preview/change", "Vertrag {id}: hat eine vorgemerkte Kündigung"),
        ("pl", "/admin/subscriptions/{id}/preview/change", "subskrypcja {id}: ma zaplanowane"),
    ],
)
def test_the_portal_and_console_say_a_cancellation_is_coming_in_the_readers_language(
    app: Any, make: Any, locale: str, path: str, said: str
) -> None:
    from tests.conftest import get, logged_in, text

    brand = make.brand(currency="EUR", default_locale=locale, locales=[locale])
    cheap = make.plan(brand, name="Cheap", components=recurring("10.00"))
    dear = make.plan(brand, name="Dear", components=recurring("20.00"))
    kind = "subscriber" if path.startswith("/plan") else "staff"
    c = logged_in(app, make, brand, kind=kind)
    holder = c.user if kind == "subscriber" else make.user(brand, "subscriber")
    sub = make.subscription(brand, holder, cheap.version_id)
    with in_brand(app, brand.id) as session:
        subs.cancel(session, _sub(session, sub.id), when="period_end")
    response = get(c, path.format(id=sub.id), plan=dear.code)
    assert response.status_code == 400
    page = text(response)
    assert said.format(id=sub.id) in page and "cancellation coming" not in page


def test_a_subscription_cancelled_the_moment_it_began_stood_on_its_plan_then(app, make, shop):  # type: ignore[no-untyped-def]
    at = t("2026-01-10T09:00:00")
    sub_id = make.subscription(shop, shop.person, shop.cheap.version_id, at).id
    with in_brand(app, shop.id) as session:
        sub = _sub(session, sub_id)
        subs.add_addon(session, sub, _version(session, shop.boost), at)
        subs.cancel(session, sub, at)
    with in_brand(app, shop.id) as session:
        state = subs.state_at(session, _sub(session, sub_id), at)
        assert state is not None
        assert (state.plan_version_id, state.status) == (shop.cheap.version_id, CANCELLED)
        assert state.addon_version_ids == {}
