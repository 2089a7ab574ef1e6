"""The subscriber's plan in the portal: what they hold, what is on sale, changes priced first."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from saas.db import utcnow
from saas.subscriptions import services as subs
from tests.conftest import counted, get, in_brand, logged_in, login, post, recurring, text
from tests.integration.test_admin_subscriptions import (
    confirm_fields,
    line_amounts,
    load,
    republish,
    shown_total,
)

ALLOWANCES = [
    {"metric": "voice_minutes", "quantity": "unlimited"},
    {"metric": "data_mb", "quantity": "10240", "rollover": True},
    {"metric": "sms", "quantity": "100", "shared": True},
]


@pytest.fixture
def shop(make: Any) -> Any:
    """A Berlin brand selling a cheap and a dear plan and an add-on."""
    brand = make.brand(currency="EUR", timezone="Europe/Berlin", default_locale="en")
    cheap = make.plan(brand, name="Cheap", components=recurring("10.00"), allowances=ALLOWANCES)
    fee = {"code": "sim", "name": "SIM card", "kind": "one_time", "fee_type": "sim"}
    dear = make.plan(brand, name="Dear", components=[*recurring("20.00"), fee | {"amount": "4.95"}])
    extra = make.plan(brand, name="Roaming", kind="addon", components=recurring("5.00"))
    return brand, cheap, dear, extra


def subscriber(app: Any, make: Any, brand: Any, version_id: int | None = None) -> Any:
    """A logged-in subscriber, on the given plan version since nine days ago."""
    c = logged_in(app, make, brand, kind="subscriber", full_name="Erika Muster")
    c.sub = None
    if version_id is not None:
        c.sub = make.subscription(brand, c.user, version_id, utcnow() - timedelta(days=9))
    return c


def test_my_plan_shows_the_plan_its_price_and_readable_allowances(app, make, shop):  # type: ignore[no-untyped-def]
    brand, cheap, _dear, _extra = shop
    c = subscriber(app, make, brand, cheap.version_id)
    page = text(get(c, "/plan"))
    assert re.search(r'data-testid="current-plan-name">Cheap<', page)
    assert "€10.00" in page and "per month" in page
    assert "unlimited" in page and "10 GB" in page and "rolls over" in page
    assert "shared by the account" in page
    assert 'data-testid="my-history-row" data-kind="subscribed"' in page
    home = text(get(c, "/"))
    assert 'data-testid="nav-my-plan"' in home
    assert re.search(r'data-testid="home-plan-name">Cheap<', home)


def test_without_a_plan_my_plan_links_to_the_plans_on_sale(app, make, shop):  # type: ignore[no-untyped-def]
    brand, *_ = shop
    c = subscriber(app, make, brand)
    page = text(get(c, "/plan"))
    assert 'data-testid="no-plan"' in page and 'href="/plans"' in page


def test_the_plans_on_sale_are_cards_with_price_allowances_fees_and_a_choice(app, make, shop):  # type: ignore[no-untyped-def]
    brand, cheap, dear, extra = shop
    c = subscriber(app, make, brand)
    page = text(get(c, "/plans"))
    codes = re.findall(r'data-testid="plan-option" data-plan-code="([^"]+)"', page)
    assert codes == [cheap.code, dear.code]  # cheapest first; add-ons are not plans
    card = page[page.index(f'data-plan-code="{dear.code}"') :]
    assert "€20.00" in card and "SIM card: €4.95 once" in card
    assert f'href="/plans/subscribe?plan={dear.code}" data-testid="choose-plan"' in card
    assert extra.code not in page


def test_taking_a_plan_shows_its_price_takes_a_promo_code_and_subscribes_on_confirm(
    app, make, shop
):  # type: ignore[no-untyped-def]
    from saas.catalog import services as catalog
    from saas.catalog.specs import PromotionSpec

    brand, _cheap, dear, _extra = shop
    spec = {"code": "half", "name": "Half off", "kind": "percent", "value": "50"}
    with in_brand(app, brand.id) as session:
        catalog.create_promotion(session, PromotionSpec.parse(spec | {"promo_code": "HALF"}))
    c = subscriber(app, make, brand)
    plain = text(get(c, "/plans/subscribe", plan=dear.code))
    assert 'data-testid="promo-form"' in plain and 'data-testid="confirm-change"' in plain
    page = text(get(c, "/plans/subscribe", plan=dear.code, promo_code="half"))
    assert ("one_time", Decimal("4.95")) in line_amounts(page)
    assert ("discount", Decimal("-10.00")) in line_amounts(page)
    assert shown_total(page) == shown_total(plain) - Decimal("10.00")
    with in_brand(app, brand.id) as session:
        assert subs.of_subscriber(session, _user(session, c)) == []  # previews take nothing
    response = post(c, "/plans/subscribe", confirm_fields(page))
    assert response.status_code == 302 and response.headers["Location"].endswith("/plan")
    landed = text(get(c, "/plan"))
    assert "Subscribed to Dear." in landed
    assert re.search(r'data-testid="current-plan-name">Dear<', landed)
    with in_brand(app, brand.id) as session:
        [sub] = subs.of_subscriber(session, _user(session, c))
        assert Decimal(sub.events[0].data["charges"]["total"]) == shown_total(page)
        assert sub.promotion.code == "half"


def _user(session: Any, c: Any) -> Any:
    from saas.identity.models import User

    return session.get(User, c.user.id)


def test_an_upgrade_is_previewed_by_the_day_and_confirmed_onto_my_plan(app, make, shop):  # type: ignore[no-untyped-def]
    brand, cheap, dear, _extra = shop
    c = subscriber(app, make, brand, cheap.version_id)
    plans = text(get(c, "/plans"))
    assert 'data-testid="plan-current"' in plans
    choose = f"/plan/{c.sub.id}/preview/change?plan={dear.code}"
    assert f'href="{html.escape(choose)}" data-testid="choose-plan"' in get(c, "/plans").get_data(
        as_text=True
    )
    before = load(app, brand, c.sub.id)
    page = text(get(c, f"/plan/{c.sub.id}/preview/change", plan=dear.code))
    assert [kind for kind, _ in line_amounts(page)] == ["proration_credit", "proration_charge"]
    assert shown_total(page) > 0 and "€20.00" in page  # the recurring price afterwards
    assert load(app, brand, c.sub.id) == before
    response = post(c, f"/plan/{c.sub.id}/change", confirm_fields(page))
    assert response.headers["Location"].endswith("/plan")
    landed = text(get(c, "/plan"))
    assert "Now on Dear." in landed
    assert re.search(r'data-testid="current-plan-name">Dear<', landed)
    _kind, _state, charges = load(app, brand, c.sub.id)["events"][-1]
    assert Decimal(charges["total"]) == shown_total(page)


def test_a_downgrade_is_shown_as_coming_up_with_its_day(app, make, shop):  # type: ignore[no-untyped-def]
    brand, cheap, dear, _extra = shop
    c = subscriber(app, make, brand, dear.version_id)
    page = text(get(c, f"/plan/{c.sub.id}/preview/change", plan=cheap.code))
    assert shown_total(page) == 0 and "end of the current period" in page
    post(c, f"/plan/{c.sub.id}/change", confirm_fields(page))
    landed = text(get(c, "/plan"))
    assert re.search(r'data-testid="current-plan-name">Dear<', landed)
    assert re.search(r"Downgrade to Cheap on \w+ \d+, \d{4}", landed)


def test_a_price_published_after_the_preview_is_shown_again_instead_of_charged(app, make, shop):  # type: ignore[no-untyped-def]
    brand, cheap, dear, _extra = shop
    c = subscriber(app, make, brand, cheap.version_id)
    page = text(get(c, f"/plan/{c.sub.id}/preview/change", plan=dear.code))
    republish(app, brand, dear.code, "25.00")
    response = post(c, f"/plan/{c.sub.id}/change", confirm_fields(page))
    assert response.status_code == 409
    again = text(response)
    assert "The price changed since it was shown" in again and "€25.00" in again
    assert load(app, brand, c.sub.id)["version_id"] == cheap.version_id


def test_a_subscriber_books_an_add_on_and_cancels_at_period_end(app, make, shop):  # type: ignore[no-untyped-def]
    brand, cheap, _dear, extra = shop
    c = subscriber(app, make, brand, cheap.version_id)
    page = text(get(c, f"/plan/{c.sub.id}/preview/addon", addon=extra.code))
    assert [kind for kind, _ in line_amounts(page)] == ["proration_charge"]
    post(c, f"/plan/{c.sub.id}/addon", confirm_fields(page))
    assert "Roaming is booked." in text(get(c, "/plan"))
    page = text(get(c, f"/plan/{c.sub.id}/preview/cancel", when="period_end"))
    assert shown_total(page) == 0
    post(c, f"/plan/{c.sub.id}/cancel", confirm_fields(page))
    landed = text(get(c, "/plan"))
    assert "The subscription ends on" in landed and "Your plan ends on" in landed
    assert load(app, brand, c.sub.id)["status"] == "active"


def test_subscribers_cannot_suspend_or_resume_their_line(app, make, shop):  # type: ignore[no-untyped-def]
    brand, cheap, _dear, _extra = shop
    c = subscriber(app, make, brand, cheap.version_id)
    for action in ("suspend", "resume"):
        assert get(c, f"/plan/{c.sub.id}/preview/{action}").status_code == 404
        assert post(c, f"/plan/{c.sub.id}/{action}", {}).status_code == 404
    assert load(app, brand, c.sub.id)["status"] == "active"


def test_another_subscribers_subscription_answers_404(app, make, shop):  # type: ignore[no-untyped-def]
    brand, cheap, dear, _extra = shop
    mine = subscriber(app, make, brand, cheap.version_id)
    theirs = subscriber(app, make, brand, cheap.version_id).sub
    _assert_hidden(mine, theirs.id, dear.code)
    assert load(app, brand, theirs.id)["events"][-1][0] == "subscribed"


def test_another_brands_subscription_answers_404(app, make, shop):  # type: ignore[no-untyped-def]
    brand, cheap, dear, _extra = shop
    theirs = subscriber(app, make, brand, cheap.version_id).sub
    elsewhere = make.brand(currency="EUR", default_locale="en")
    other_plan = make.plan(elsewhere, name="Other", components=recurring("10.00"))
    mine = subscriber(app, make, elsewhere, other_plan.version_id)
    _assert_hidden(mine, theirs.id, dear.code)


def _assert_hidden(c: Any, sub_id: int, plan_code: str) -> None:
    fields = {"plan": plan_code, "expected_total": "0", "expected_next": "0"}
    assert get(c, f"/plan/{sub_id}").status_code == 404
    assert get(c, "/plans", subscription=sub_id).status_code == 404
    assert get(c, f"/plan/{sub_id}/preview/change", plan=plan_code).status_code == 404
    assert post(c, f"/plan/{sub_id}/change", fields).status_code == 404
    assert post(c, f"/plan/{sub_id}/cancel", {"when": "now"}).status_code == 404


def test_staff_in_the_portal_are_sent_to_the_console(app, make, shop):  # type: ignore[no-untyped-def]
    brand, *_ = shop
    c = logged_in(app, make, brand)
    for path in ("/plan", "/plans"):
        response = get(c, path)
        assert response.status_code == 302 and response.headers["Location"].endswith("/admin/")


def test_the_demo_subscriber_anna_sees_her_allnet_10_plan(app, client):  # type: ignore[no-untyped-def]
    host = "spreewelle.localhost"
    login(client, host, "anna@kunde.example", "spreewelle-demo")
    page = text(client.get("/plan", base_url=f"http://{host}"))
    assert re.search(r'data-testid="current-plan-name">Spree Allnet 10 GB<', page)
    assert "10 GB" in page and "30 GB" not in page
    offers = text(client.get("/plans", base_url=f"http://{host}"))
    assert 'data-plan-code="allnet-30"' in offers and 'data-plan-code="datapass-5gb"' not in offers


def test_ids_no_row_can_have_are_not_a_crash(app, make, shop):  # type: ignore[no-untyped-def]
    brand, cheap, _dear, _extra = shop
    c = subscriber(app, make, brand, cheap.version_id)
    assert get(c, "/plans", subscription="²").status_code == 200
    assert get(c, "/plans", subscription="9" * 30).status_code == 200
    item = get(c, f"/plan/{c.sub.id}/preview/remove-addon", item="²")
    assert item.status_code == 400 and 'has no add-on "²"' in text(item)


def test_the_plans_on_sale_read_the_metrics_once_for_all_cards(app, make, shop):  # type: ignore[no-untyped-def]
    brand, *_ = shop
    c = subscriber(app, make, brand)
    with counted() as statements:
        page = text(get(c, "/plans"))
    assert page.count('data-testid="plan-option"') == 2
    assert sum("FROM metrics" in s for s in statements) == 1


def test_a_wrong_promo_code_is_refused_beside_it_and_the_plan_is_priced_without_it(
    app: Any, make: Any, shop: Any
) -> None:
    from tests.support.forms import field_errors, field_values

    brand, _cheap, dear, _extra = shop
    c = subscriber(app, make, brand)
    plain = get(c, "/plans/subscribe", plan=dear.code)
    wrong = get(c, "/plans/subscribe", plan=dear.code, promo_code="NOPE")
    assert wrong.status_code == 400
    assert field_errors(wrong) == {"promo_code": ["promo code NOPE: is not valid"]}
    assert field_values(wrong)["promo_code"] == "NOPE"
    assert shown_total(text(wrong)) == shown_total(text(plain))
    assert confirm_fields(text(wrong))["promo_code"] == ""  # confirming takes the plan alone


def test_a_german_profile_refuses_a_language_beside_its_field_and_keeps_the_name(
    app: Any, make: Any
) -> None:
    from tests.support.forms import field_errors, field_values

    brand = make.brand(default_locale="de", locales=["de", "en"])
    c = subscriber(app, make, brand)
    response = post(c, "/profile", {"full_name": "Erika Neu", "locale": "fr"})
    assert response.status_code == 422
    assert field_errors(response) == {
        "locale": ["Bitte wählen Sie eine der angebotenen Sprachen aus."]
    }
    assert field_values(response)["full_name"] == "Erika Neu"


@pytest.mark.parametrize("pin", [{"expected_total": "abc"}, {"expected_next": "1e999999"}])
def test_a_confirmation_whose_shown_price_was_tampered_with_is_refused_and_changes_nothing(
    app: Any, make: Any, shop: Any, pin: dict[str, str]
) -> None:
    brand, cheap, dear, _extra = shop
    c = subscriber(app, make, brand, cheap.version_id)
    before = load(app, brand, c.sub.id)
    page = text(get(c, f"/plan/{c.sub.id}/preview/change", plan=dear.code))
    response = post(c, f"/plan/{c.sub.id}/change", confirm_fields(page) | pin)
    assert response.status_code == 400
    assert "the price shown could not be read" in text(response)
    assert load(app, brand, c.sub.id) == before
    newcomer = subscriber(app, make, brand)
    offer = text(get(newcomer, "/plans/subscribe", plan=dear.code))
    refused = post(newcomer, "/plans/subscribe", confirm_fields(offer) | pin)
    assert refused.status_code == 302 and refused.headers["Location"].endswith("/plans")
    assert "the price shown could not be read" in text(get(newcomer, "/plans"))
    assert text(get(newcomer, "/plan")).count('data-testid="no-plan"') == 1


@pytest.mark.parametrize("asked", ["abc", "9" * 30, "-3", ""])
def test_plans_asked_for_a_line_no_id_can_name_are_shown_for_the_newest_line(
    app: Any, make: Any, shop: Any, asked: str
) -> None:
    brand, cheap, _dear, _extra = shop
    c = subscriber(app, make, brand, cheap.version_id)
    response = get(c, "/plans", subscription=asked)
    assert response.status_code == 200 and 'data-testid="plan-current"' in text(response)


def _plan_cost(c: Any) -> int:
    with counted() as statements:
        response = get(c, "/plan")
    assert response.status_code == 200
    return len(statements)


def _book(app: Any, brand: Any, sub_id: int, version_id: int) -> None:
    from saas.catalog.models import PlanVersion

    with in_brand(app, brand.id) as session:
        sub = subs.get(session, sub_id)
        subs.add_addon(session, sub, session.get(PlanVersion, version_id))


def test_my_plan_costs_the_same_queries_however_many_lines_add_ons_and_changes(app, make, shop):  # type: ignore[no-untyped-def]
    brand, cheap, dear, extra = shop
    c = subscriber(app, make, brand, cheap.version_id)
    _book(app, brand, c.sub.id, extra.version_id)
    get(c, "/plan")  # the first request of a session writes its brand into it
    few = _plan_cost(c)
    for _ in range(3):
        other = make.subscription(brand, make.user(brand, "subscriber"), dear.version_id)
        _book(app, brand, other.id, extra.version_id)
    more = make.plan(brand, name="Data", kind="addon", components=recurring("2.00"))
    make.subscription(brand, c.user, cheap.version_id, utcnow() - timedelta(days=3))
    newest = make.subscription(brand, c.user, dear.version_id)
    for version_id in (extra.version_id, more.version_id, extra.version_id):
        _book(app, brand, newest.id, version_id)
    page = text(get(c, "/plan"))
    assert page.count('data-testid="my-addon"') == 3 and page.count('data-testid="other-line"') == 2
    assert _plan_cost(c) == few


def _cancelled_at_period_end(app: Any, brand: Any, sub_id: int) -> int:
    with in_brand(app, brand.id) as session:
        sub = subs.get(session, sub_id)
        return subs.cancel(session, sub, utcnow(), "period_end").id


def test_a_subscriber_withdraws_their_cancellation_and_may_change_plans_again(app, make, shop):  # type: ignore[no-untyped-def]
    brand, cheap, dear, _extra = shop
    c = subscriber(app, make, brand, cheap.version_id)
    event_id = _cancelled_at_period_end(app, brand, c.sub.id)
    plans = text(get(c, "/plans"))
    assert 'data-testid="plan-ending"' in plans and "withdraw the cancellation first" in plans
    assert 'data-testid="choose-plan"' not in plans
    page = text(get(c, "/plan"))
    assert f'action="/plan/{c.sub.id}/scheduled/{event_id}/revoke"' in page
    assert "Withdraw the cancellation" in page
    landed = post(c, f"/plan/{c.sub.id}/scheduled/{event_id}/revoke", {})
    assert landed.status_code == 302
    assert "Called off: nothing changes." in text(get(c, "/plan"))
    with in_brand(app, brand.id) as session:
        assert [e.state for e in subs.history(session, subs.get(session, c.sub.id))][
            -1
        ] == "revoked"
    plans = text(get(c, "/plans"))
    assert 'data-testid="plan-ending"' not in plans
    assert f"plan={dear.code}" in plans


def test_a_subscriber_calls_off_only_their_own_changes_on_their_own_lines(app, make, shop):  # type: ignore[no-untyped-def]
    brand, cheap, _dear, _extra = shop
    c = subscriber(app, make, brand, cheap.version_id)
    other = subscriber(app, make, brand, cheap.version_id)
    theirs = _cancelled_at_period_end(app, brand, other.sub.id)
    # Another person's change, named under one's own line or theirs, does not exist here.
    assert post(c, f"/plan/{c.sub.id}/scheduled/{theirs}/revoke", {}).status_code == 404
    assert post(c, f"/plan/{other.sub.id}/scheduled/{theirs}/revoke", {}).status_code == 404
    with in_brand(app, brand.id) as session:
        assert subs.scheduled(session, subs.get(session, other.sub.id))[0].state == "scheduled"


def test_withdrawing_a_cancellation_reads_in_german(app, make) -> None:  # type: ignore[no-untyped-def]
    brand = make.brand(currency="EUR", timezone="Europe/Berlin", default_locale="de")
    plan = make.plan(brand, name="Klein", components=recurring("10.00"))
    c = subscriber(app, make, brand, plan.version_id)
    event_id = _cancelled_at_period_end(app, brand, c.sub.id)
    assert "Kündigung zurücknehmen" in text(get(c, "/plan"))
    assert "nehmen Sie zuerst die Kündigung" in text(get(c, "/plans"))
    post(c, f"/plan/{c.sub.id}/scheduled/{event_id}/revoke", {})
    assert "Zurückgenommen: Es ändert sich nichts." in text(get(c, "/plan"))


def test_a_plan_ending_at_period_end_names_its_last_day_as_the_period_does(app, make, shop):  # type: ignore[no-untyped-def]
    brand, cheap, _dear, _extra = shop
    c = subscriber(app, make, brand, cheap.version_id)
    with in_brand(app, brand.id) as session:
        period = subs.current_period(session, subs.get(session, c.sub.id), utcnow())
    _cancelled_at_period_end(app, brand, c.sub.id)
    last = period.end - timedelta(days=1)
    shown = f"{last:%b} {last.day}, {last.year}"  # e.g. Dec 31, 2026
    page = text(get(c, "/plan"))
    assert f"Your plan ends on {shown}" in page
    assert f"Your plan ends on {shown}, so it cannot be changed" in text(get(c, "/plans"))


def test_a_line_shown_from_columns_is_the_line_the_services_load(app, make, shop):  # type: ignore[no-untyped-def]
    from saas.catalog import services as catalog
    from saas.catalog import snapshot
    from saas.catalog.models import PlanVersion
    from saas.catalog.specs import PromotionSpec
    from saas.identity.models import User
    from saas.web.portal.held import live_lines

    brand, cheap, dear, extra = shop
    c = subscriber(app, make, brand, cheap.version_id)
    with in_brand(app, brand.id) as session:
        loaded = subs.get(session, c.sub.id)
        subs.add_addon(session, loaded, session.get(PlanVersion, extra.version_id))
    spec = {"code": "half", "name": "Half off", "kind": "percent", "value": "50"}
    with in_brand(app, brand.id) as session:
        catalog.create_promotion(session, PromotionSpec.parse(spec | {"promo_code": "HALF"}))
        dearer = session.get(PlanVersion, dear.version_id)
        subs.subscribe(session, session.get(User, c.user.id), dearer, promo_code="HALF")
    with in_brand(app, brand.id) as session:
        everything = snapshot.load(session)
        lines = live_lines(session, c.user.id, everything)
        held = subs.held_by(session, session.get(User, c.user.id))
        assert lines is not None and [line.id for line in lines] == [sub.id for sub in held]
        assert [line.promotion is None for line in lines] == [False, True]
        for line, sub in zip(lines, held, strict=True):
            assert (line.plan_version.id, line.status, line.anchor_date) == (
                sub.plan_version_id,
                sub.status,
                sub.anchor_date,
            )
            promotion = ("code", "name", "kind", "value", "duration", "cycles", "plan_id")
            assert [getattr(line.promotion, n, None) for n in promotion] == [
                getattr(sub.promotion, n, None) for n in promotion
            ]
            assert [(a.id, a.addon_version.id) for a in line.addons] == [
                (a.id, a.addon_version_id) for a in sub.addons
            ]
        # A version the catalogue in memory does not hold yet: the caller reads the lines itself.
        lacking = type(everything)(everything.version, {}, everything.metrics)
        assert live_lines(session, c.user.id, lacking) is None
