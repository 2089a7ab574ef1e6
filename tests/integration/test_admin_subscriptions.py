"""Subscriptions in the console: lists, history, state in time, and changes priced before made."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from saas.catalog.models import PlanVersion
from saas.db import utcnow
from saas.subscriptions import services as subs
from saas.subscriptions.models import ACTIVE, SCHEDULED, SUSPENDED, Subscription
from tests.conftest import counted, get, in_brand, logged_in, post, recurring, text
from tests.support.forms import field_errors, field_values

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


@pytest.fixture
def shop(make: Any) -> Any:
    """A Berlin brand with a cheap and a dear plan, an add-on, and a subscriber on the cheap one."""
    brand = make.brand(currency="EUR", timezone="Europe/Berlin", default_locale="en")
    cheap = make.plan(brand, name="Cheap", components=recurring("10.00"))
    dear = make.plan(brand, name="Dear", components=recurring("20.00"))
    extra = make.plan(brand, name="Roaming", kind="addon", components=recurring("5.00"))
    person = make.user(brand, "subscriber", full_name="Erika Muster")
    sub = make.subscription(brand, person, cheap.version_id, utcnow() - timedelta(days=9))
    return brand, cheap, dear, extra, person, sub


def confirm_fields(body: str) -> dict[str, str]:
    """The hidden fields of the confirm form on a preview page."""
    form = body[body.index('data-testid="confirm-form"') :]
    return dict(HIDDEN.findall(form[: form.index("</form>")]))


def line_amounts(body: str) -> list[tuple[str, Decimal]]:
    rows = re.findall(r'data-testid="preview-line" data-kind="([^"]+)" data-amount="([^"]+)"', body)
    return [(kind, Decimal(amount)) for kind, amount in rows]


def shown_total(body: str) -> Decimal:
    found = re.search(r'data-testid="preview-total" data-amount="([^"]+)"', body)
    assert found is not None
    return Decimal(found.group(1))


def load(app: Any, brand: Any, sub_id: int) -> dict[str, Any]:
    with in_brand(app, brand.id) as session:
        sub = session.get(Subscription, sub_id)
        events = subs.history(session, sub)
        return {
            "version_id": sub.plan_version_id,
            "status": sub.status,
            "events": [(e.kind, e.state, e.data.get("charges")) for e in events],
            "addons": [(a.id, a.status) for a in sub.addons],
        }


def domain_preview(app: Any, brand: Any, sub_id: int, version_id: int) -> Any:
    with in_brand(app, brand.id) as session:
        sub = session.get(Subscription, sub_id)
        preview = subs.preview_change(session, sub, session.get(PlanVersion, version_id), utcnow())
        session.rollback()
        return preview


def republish(app: Any, brand: Any, plan_code: str, amount: str) -> int:
    """Publish a new version of a plan at another price; returns the new version's id."""
    from saas.catalog import services as catalog
    from saas.catalog.specs import ComponentSpec

    with in_brand(app, brand.id) as session:
        plan = catalog.plan_by_code(session, plan_code)
        draft = catalog.new_draft(session, plan)
        component = ComponentSpec.parse(recurring(amount)[0])
        catalog.set_contents(session, draft, [component], [])
        catalog.publish(session, draft)
        return draft.id


def test_the_console_lists_subscriptions_and_filters_them_by_status(app, make, shop):  # type: ignore[no-untyped-def]
    brand, cheap, _dear, _extra, _person, _sub = shop
    other = make.user(brand, "subscriber", full_name="Otto Zweit")
    second = make.subscription(brand, other, cheap.version_id)
    with in_brand(app, brand.id) as session:
        subs.suspend(session, session.get(Subscription, second.id), reason="unpaid")
    c = logged_in(app, make, brand)
    listed = text(get(c, "/admin/subscriptions"))
    assert listed.index("Otto Zweit") < listed.index("Erika Muster")  # newest first
    assert "Cheap v1" in listed and 'data-testid="nav-subscriptions"' in listed
    suspended = text(get(c, "/admin/subscriptions", status=SUSPENDED))
    assert "Otto Zweit" in suspended and "Erika Muster" not in suspended


def test_a_subscription_shows_its_subscriber_plan_period_and_history(app, make, shop):  # type: ignore[no-untyped-def]
    brand, _cheap, _dear, _extra, person, sub = shop
    c = logged_in(app, make, brand)
    shown = text(get(c, f"/admin/subscriptions/{sub.id}"))
    assert f'href="/admin/subscribers/{person.id}"' in shown
    assert "Cheap v1" in shown and "Individual" in shown
    assert 'data-testid="history-row" data-kind="subscribed" data-state="applied"' in shown


def test_an_upgrade_preview_shows_the_prorated_lines_and_changes_nothing(app, make, shop):  # type: ignore[no-untyped-def]
    brand, _cheap, dear, _extra, _person, sub = shop
    c = logged_in(app, make, brand)
    before = load(app, brand, sub.id)
    response = get(c, f"/admin/subscriptions/{sub.id}/preview/change", plan=dear.code)
    assert response.status_code == 200
    body = text(response)
    expected = domain_preview(app, brand, sub.id, dear.version_id)
    assert line_amounts(body) == [(ln.kind, ln.amount) for ln in expected.lines]
    assert [kind for kind, _ in line_amounts(body)] == ["proration_credit", "proration_charge"]
    assert shown_total(body) == expected.total > 0
    days = expected.lines[0]
    assert f"{days.days} of {days.period_days} days" in body
    assert confirm_fields(body)["expected_total"] == str(expected.total)
    assert load(app, brand, sub.id) == before


def test_confirming_an_upgrade_stores_exactly_the_previewed_charges(app, make, shop):  # type: ignore[no-untyped-def]
    brand, _cheap, dear, _extra, _person, sub = shop
    c = logged_in(app, make, brand)
    body = text(get(c, f"/admin/subscriptions/{sub.id}/preview/change", plan=dear.code))
    response = post(c, f"/admin/subscriptions/{sub.id}/change", confirm_fields(body))
    assert response.status_code == 302
    after = load(app, brand, sub.id)
    assert after["version_id"] == dear.version_id
    kind, state, charges = after["events"][-1]
    assert (kind, state) == ("plan_changed", "applied")
    assert [(ln["kind"], Decimal(ln["amount"])) for ln in charges["lines"]] == line_amounts(body)
    assert Decimal(charges["total"]) == shown_total(body)
    detail = text(get(c, f"/admin/subscriptions/{sub.id}"))
    assert "Now on Dear." in detail


def test_a_price_published_between_preview_and_confirm_is_shown_again_not_applied(app, make, shop):  # type: ignore[no-untyped-def]
    brand, cheap, dear, _extra, _person, sub = shop
    c = logged_in(app, make, brand)
    body = text(get(c, f"/admin/subscriptions/{sub.id}/preview/change", plan=dear.code))
    newer = republish(app, brand, dear.code, "30.00")
    response = post(c, f"/admin/subscriptions/{sub.id}/change", confirm_fields(body))
    assert response.status_code == 409
    again = text(response)
    assert "The price changed since it was shown" in again
    assert shown_total(again) == domain_preview(app, brand, sub.id, newer).total
    assert shown_total(again) != shown_total(body)
    after = load(app, brand, sub.id)
    assert after["version_id"] == cheap.version_id
    assert [kind for kind, _, _ in after["events"]] == ["subscribed"]
    assert (
        post(c, f"/admin/subscriptions/{sub.id}/change", confirm_fields(again)).status_code == 302
    )
    assert load(app, brand, sub.id)["version_id"] == newer


def test_a_downgrade_is_scheduled_shown_and_can_be_called_off(app, make):  # type: ignore[no-untyped-def]
    brand = make.brand(currency="EUR", timezone="Europe/Berlin", default_locale="en")
    cheap = make.plan(brand, name="Cheap", components=recurring("10.00"))
    dear = make.plan(brand, name="Dear", components=recurring("20.00"))
    person = make.user(brand, "subscriber")
    sub = make.subscription(brand, person, dear.version_id, utcnow() - timedelta(days=3))
    c = logged_in(app, make, brand)
    body = text(get(c, f"/admin/subscriptions/{sub.id}/preview/change", plan=cheap.code))
    assert line_amounts(body) == [] and shown_total(body) == 0
    assert "Takes effect at the end of the current period." in body
    assert post(c, f"/admin/subscriptions/{sub.id}/change", confirm_fields(body)).status_code == 302
    after = load(app, brand, sub.id)
    assert after["version_id"] == dear.version_id
    assert after["events"][-1][:2] == ("plan_changed", SCHEDULED)
    detail = text(get(c, f"/admin/subscriptions/{sub.id}"))
    assert 'data-testid="scheduled-row" data-kind="plan_changed"' in detail
    assert "Cheap takes effect on" in detail
    later = (utcnow() + timedelta(days=35)).astimezone(ZoneInfo("Europe/Berlin"))
    future = text(get(c, f"/admin/subscriptions/{sub.id}", at=later.strftime("%Y-%m-%dT%H:%M")))
    assert re.search(r'data-testid="state-plan">Cheap v1<', future)  # the state to come
    event_id = re.search(r"/events/(\d+)/revoke", detail).group(1)  # type: ignore[union-attr]
    assert post(c, f"/admin/subscriptions/{sub.id}/events/{event_id}/revoke", {}).status_code == 302
    assert load(app, brand, sub.id)["events"][-1][:2] == ("plan_changed", "revoked")
    assert 'data-testid="scheduled-row"' not in text(get(c, f"/admin/subscriptions/{sub.id}"))


def test_the_state_at_a_past_instant_shows_the_plan_of_that_time(app, make, shop):  # type: ignore[no-untyped-def]
    brand, _cheap, dear, _extra, _person, sub = shop
    with in_brand(app, brand.id) as session:
        current = session.get(Subscription, sub.id)
        subs.change_plan(session, current, session.get(PlanVersion, dear.version_id))
    c = logged_in(app, make, brand)
    berlin = ZoneInfo("Europe/Berlin")
    before = (utcnow() - timedelta(days=2)).astimezone(berlin).strftime("%Y-%m-%dT%H:%M")
    path = f"/admin/subscriptions/{sub.id}"
    past = text(get(c, path, at=before))
    assert re.search(r'data-testid="state-plan">Cheap v1<', past)
    assert re.search(r'data-testid="state-status">active<', past)
    soon = (utcnow() + timedelta(minutes=5)).astimezone(berlin).strftime("%Y-%m-%dT%H:%M")
    assert re.search(r'data-testid="state-plan">Dear v1<', text(get(c, path, at=soon)))
    ancient = text(get(c, f"/admin/subscriptions/{sub.id}", at="2001-01-01T00:00"))
    assert 'data-testid="state-none"' in ancient
    someday = get(c, f"/admin/subscriptions/{sub.id}", at="someday")
    assert someday.status_code == 400 and list(field_errors(someday)) == ["at"]


def test_suspend_and_resume_each_take_a_preview_and_a_confirm(app, make, shop):  # type: ignore[no-untyped-def]
    brand, _cheap, _dear, _extra, _person, sub = shop
    c = logged_in(app, make, brand)
    body = text(get(c, f"/admin/subscriptions/{sub.id}/preview/suspend", reason="lost phone"))
    assert "Recurring charges continue" in body and load(app, brand, sub.id)["status"] == ACTIVE
    assert (
        post(c, f"/admin/subscriptions/{sub.id}/suspend", confirm_fields(body)).status_code == 302
    )
    assert load(app, brand, sub.id)["status"] == SUSPENDED
    assert get(c, f"/admin/subscriptions/{sub.id}/preview/suspend").status_code == 400
    body = text(get(c, f"/admin/subscriptions/{sub.id}/preview/resume"))
    assert post(c, f"/admin/subscriptions/{sub.id}/resume", confirm_fields(body)).status_code == 302
    assert load(app, brand, sub.id)["status"] == ACTIVE


def test_cancelling_now_credits_the_unused_days_and_at_period_end_is_scheduled(app, make, shop):  # type: ignore[no-untyped-def]
    brand, _cheap, _dear, _extra, _person, sub = shop
    c = logged_in(app, make, brand)
    later = text(get(c, f"/admin/subscriptions/{sub.id}/preview/cancel", when="period_end"))
    assert (
        post(c, f"/admin/subscriptions/{sub.id}/cancel", confirm_fields(later)).status_code == 302
    )
    assert load(app, brand, sub.id)["events"][-1][:2] == ("cancelled", SCHEDULED)
    now = text(get(c, f"/admin/subscriptions/{sub.id}/preview/cancel", when="now", reason="moved"))
    assert [kind for kind, _ in line_amounts(now)] == ["proration_credit"]
    assert shown_total(now) < 0
    assert post(c, f"/admin/subscriptions/{sub.id}/cancel", confirm_fields(now)).status_code == 302
    after = load(app, brand, sub.id)
    assert after["status"] == "cancelled"
    states = {state: charges for kind, state, charges in after["events"] if kind == "cancelled"}
    assert Decimal(states["applied"]["total"]) == shown_total(now)
    assert "revoked" in states  # cancelling now replaces the cancellation scheduled before


def test_an_add_on_is_added_and_removed_after_priced_previews(app, make, shop):  # type: ignore[no-untyped-def]
    brand, _cheap, _dear, extra, _person, sub = shop
    c = logged_in(app, make, brand)
    body = text(get(c, f"/admin/subscriptions/{sub.id}/preview/addon", addon=extra.code))
    assert [kind for kind, _ in line_amounts(body)] == ["proration_charge"]
    assert post(c, f"/admin/subscriptions/{sub.id}/addon", confirm_fields(body)).status_code == 302
    [(addon_id, status)] = load(app, brand, sub.id)["addons"]
    assert status == ACTIVE
    detail = text(get(c, f"/admin/subscriptions/{sub.id}"))
    assert 'data-testid="addon-row"' in detail and "Roaming v1" in detail
    removal = text(get(c, f"/admin/subscriptions/{sub.id}/preview/remove-addon", item=addon_id))
    # Ended the day it was booked: the unused days are credited as they were charged.
    assert shown_total(removal) == -shown_total(body) < 0
    done = post(c, f"/admin/subscriptions/{sub.id}/remove-addon", confirm_fields(removal))
    assert done.status_code == 302
    assert load(app, brand, sub.id)["addons"] == [(addon_id, "cancelled")]


def test_staff_subscribe_a_subscriber_from_their_page_with_a_promo_code(app, make, shop):  # type: ignore[no-untyped-def]
    from saas.catalog import services as catalog
    from saas.catalog.specs import PromotionSpec

    brand, _cheap, dear, _extra, _person, _sub = shop
    with in_brand(app, brand.id) as session:
        catalog.create_promotion(
            session,
            PromotionSpec.parse(
                {
                    "code": "half",
                    "name": "Half off",
                    "kind": "percent",
                    "value": "50",
                    "promo_code": "HALF",
                }
            ),
        )
    newcomer = make.user(brand, "subscriber", full_name="Neu Kunde")
    c = logged_in(app, make, brand)
    profile = text(get(c, f"/admin/subscribers/{newcomer.id}"))
    assert f'href="/admin/subscribers/{newcomer.id}/subscribe"' in profile
    body = text(
        get(
            c,
            f"/admin/subscribers/{newcomer.id}/subscribe",
            plan=dear.code,
            promo_code="half",
            line_label="Work",
        )
    )
    assert ("discount", Decimal("-10.00")) in line_amounts(body)
    response = post(c, f"/admin/subscribers/{newcomer.id}/subscribe", confirm_fields(body))
    assert response.status_code == 302
    sub_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with in_brand(app, brand.id) as session:
        sub = session.get(Subscription, sub_id)
        assert (sub.subscriber_id, sub.line_label, sub.promotion.code) == (
            newcomer.id,
            "Work",
            "half",
        )
        assert Decimal(sub.events[0].data["charges"]["total"]) == shown_total(body)
    assert "Dear v1" in text(get(c, f"/admin/subscribers/{newcomer.id}"))
    bad = get(c, f"/admin/subscribers/{newcomer.id}/subscribe", plan=dear.code, promo_code="NOPE")
    assert bad.status_code == 400
    assert field_errors(bad) == {"promo_code": ["promo code NOPE: is not valid"]}


def test_agents_change_subscriptions_and_read_only_staff_only_look(app, make, shop):  # type: ignore[no-untyped-def]
    brand, _cheap, dear, _extra, person, sub = shop
    agent = logged_in(app, make, brand, ("agent",))
    body = text(get(agent, f"/admin/subscriptions/{sub.id}/preview/change", plan=dear.code))
    looker = logged_in(app, make, brand, ("read_only",))
    assert get(looker, f"/admin/subscriptions/{sub.id}").status_code == 200
    assert 'data-testid="change-plan-form"' not in text(
        get(looker, f"/admin/subscriptions/{sub.id}")
    )
    assert (
        get(looker, f"/admin/subscriptions/{sub.id}/preview/change", plan=dear.code).status_code
        == 403
    )
    assert (
        post(looker, f"/admin/subscriptions/{sub.id}/change", confirm_fields(body)).status_code
        == 403
    )
    assert get(looker, f"/admin/subscribers/{person.id}/subscribe").status_code == 403
    assert load(app, brand, sub.id)["version_id"] != dear.version_id
    assert (
        post(agent, f"/admin/subscriptions/{sub.id}/change", confirm_fields(body)).status_code
        == 302
    )
    assert load(app, brand, sub.id)["version_id"] == dear.version_id


def test_another_brands_subscription_answers_404_everywhere(app, make, shop):  # type: ignore[no-untyped-def]
    brand, _cheap, dear, _extra, person, sub = shop
    other = make.brand(currency="EUR")
    c = logged_in(app, make, other)
    text_fields = {
        "plan": dear.code,
        "expected_total": "0",
        "expected_next": "0",
        "expected_version": "",
    }
    assert get(c, f"/admin/subscriptions/{sub.id}").status_code == 404
    assert (
        get(c, f"/admin/subscriptions/{sub.id}/preview/change", plan=dear.code).status_code == 404
    )
    assert post(c, f"/admin/subscriptions/{sub.id}/change", text_fields).status_code == 404
    assert post(c, f"/admin/subscriptions/{sub.id}/events/1/revoke", {}).status_code == 404
    assert get(c, f"/admin/subscribers/{person.id}/subscribe").status_code == 404
    assert post(c, f"/admin/subscribers/{person.id}/subscribe", text_fields).status_code == 404
    assert "Erika Muster" not in text(get(c, "/admin/subscriptions"))
    assert load(app, brand, sub.id)["events"][-1][0] == "subscribed"


def test_an_unknown_action_answers_404(app, make, shop):  # type: ignore[no-untyped-def]
    brand, _cheap, _dear, _extra, _person, sub = shop
    c = logged_in(app, make, brand)
    assert get(c, f"/admin/subscriptions/{sub.id}/preview/explode").status_code == 404


def test_another_brands_scheduled_change_cannot_be_called_off_through_ones_own(app, make, shop):  # type: ignore[no-untyped-def]
    brand, _cheap, _dear, _extra, _person, sub = shop
    other = make.brand(currency="EUR")
    dear = make.plan(other, name="Dear", components=recurring("20.00"))
    cheap = make.plan(other, name="Cheap", components=recurring("10.00"))
    theirs = make.subscription(other, make.user(other, "subscriber"), dear.version_id)
    with in_brand(app, other.id) as session:
        event = subs.change_plan(
            session,
            session.get(Subscription, theirs.id),
            session.get(PlanVersion, cheap.version_id),
        )
        event_id = event.id
    c = logged_in(app, make, brand)
    assert post(c, f"/admin/subscriptions/{sub.id}/events/{event_id}/revoke", {}).status_code == 404
    assert load(app, other, theirs.id)["events"][-1][:2] == ("plan_changed", SCHEDULED)


def test_an_add_on_id_no_row_can_have_and_a_time_off_the_calendar_answer_400(app, make, shop):  # type: ignore[no-untyped-def]
    brand, _cheap, _dear, _extra, _person, sub = shop
    c = logged_in(app, make, brand)
    for item in ("²", "9" * 30):
        preview = get(c, f"/admin/subscriptions/{sub.id}/preview/remove-addon", item=item)
        assert preview.status_code == 400 and f'has no add-on "{item}"' in text(preview)
        confirm = post(c, f"/admin/subscriptions/{sub.id}/remove-addon", {"item": item})
        assert confirm.status_code == 400
    response = get(c, f"/admin/subscriptions/{sub.id}", at="0001-01-01T00:00")
    assert response.status_code == 400
    assert field_errors(response) == {"at": ["Enter a date and time like 2026-01-31 14:00."]}
    assert field_values(response)["at"] == "0001-01-01T00:00"


def test_a_subscriptions_history_is_labelled_without_a_query_per_event(app, make, shop):  # type: ignore[no-untyped-def]
    brand, cheap, dear, _extra, _person, sub = shop
    c = logged_in(app, make, brand)

    def cost() -> int:
        with counted() as statements:
            assert get(c, f"/admin/subscriptions/{sub.id}").status_code == 200
        return len(statements)

    before = cost()
    for version_id in (dear.version_id, cheap.version_id):  # an upgrade, then a downgrade
        with in_brand(app, brand.id) as session:
            target = session.get(PlanVersion, version_id)
            subs.change_plan(session, session.get(Subscription, sub.id), target)
    assert [e[:2] for e in load(app, brand, sub.id)["events"]][1:] == [
        ("plan_changed", "applied"),
        ("plan_changed", SCHEDULED),
    ]
    assert cost() <= before


def test_a_reason_longer_than_kept_is_refused_beside_its_field_not_cut_short(app, make, shop):  # type: ignore[no-untyped-def]
    brand, _cheap, _dear, _extra, _person, sub = shop
    c = logged_in(app, make, brand)
    reason = "x" * 501
    response = get(c, f"/admin/subscriptions/{sub.id}/preview/suspend", reason=reason)
    assert response.status_code == 400
    assert field_errors(response) == {"reason": ["Use at most 500 characters."]}
    assert field_values(response)["#suspend-reason"] == reason
    assert load(app, brand, sub.id)["status"] == ACTIVE


def test_a_plan_not_on_offer_is_refused_beside_the_plan_field(app, make, shop):  # type: ignore[no-untyped-def]
    brand, _cheap, _dear, _extra, _person, _sub = shop
    c = logged_in(app, make, brand)
    newcomer = make.user(brand, "subscriber")
    response = get(c, f"/admin/subscribers/{newcomer.id}/subscribe", plan="nope", line_label="Work")
    assert response.status_code == 400
    assert field_errors(response) == {"plan": ["Choose one of the options offered."]}
    assert field_values(response)["line_label"] == "Work"


@pytest.mark.parametrize(
    "pin",
    [
        {"expected_total": "abc"},
        {"expected_total": "1e999999"},
        {"expected_next": ""},
        {"expected_version": "\u00b2"},
    ],
)
def test_a_confirm_whose_shown_price_cannot_be_read_is_refused_and_changes_nothing(
    app: Any, make: Any, shop: Any, pin: dict[str, str]
) -> None:
    from saas.identity.models import User

    brand, _cheap, dear, _extra, _person, sub = shop
    c = logged_in(app, make, brand)
    before = load(app, brand, sub.id)
    body = text(get(c, f"/admin/subscriptions/{sub.id}/preview/change", plan=dear.code))
    response = post(c, f"/admin/subscriptions/{sub.id}/change", confirm_fields(body) | pin)
    assert response.status_code == 400
    assert "the price shown could not be read" in text(response)
    assert load(app, brand, sub.id) == before
    newcomer = make.user(brand, "subscriber")
    shown = text(get(c, f"/admin/subscribers/{newcomer.id}/subscribe", plan=dear.code))
    refused = post(c, f"/admin/subscribers/{newcomer.id}/subscribe", confirm_fields(shown) | pin)
    assert refused.status_code == 400
    assert "the price shown could not be read" in text(refused)
    with in_brand(app, brand.id) as session:
        assert subs.of_subscriber(session, session.get(User, newcomer.id)) == []
