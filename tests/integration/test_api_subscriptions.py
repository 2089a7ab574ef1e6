"""The subscriptions API: state and history, priced previews, and every change they price."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import api_post, call, in_brand, issue_key, recurring
from tests.integration.test_api import assert_documented, assert_problem

SCOPES = ("subscriptions.read", "subscriptions.write")


@pytest.fixture
def shop(make: Any) -> Any:
    """A Berlin brand with a cheap and a dear plan, an add-on and one subscriber."""
    brand = make.brand(currency="EUR", timezone="Europe/Berlin")
    brand["cheap"] = make.plan(brand, name="Cheap", components=recurring("10.00"))
    brand["dear"] = make.plan(brand, name="Dear", components=recurring("20.00"))
    brand["boost"] = make.plan(brand, name="Boost", kind="addon", components=recurring("5.00"))
    brand["person"] = make.user(brand, "subscriber")
    return brand


@pytest.fixture
def token(app: Any, shop: Any) -> str:
    return issue_key(app, shop, SCOPES)[0]


@pytest.fixture
def sub(make: Any, shop: Any) -> Any:
    """The subscriber on the cheap plan since now."""
    return make.subscription(shop, shop.person, shop.cheap.version_id)


def without_time(preview: dict[str, Any]) -> dict[str, Any]:
    """A preview without its effective time, which is the moment each request was answered."""
    return {k: v for k, v in preview.items() if k != "effective_at"}


def counts(app: Any, brand: Any) -> tuple[int, int, int]:
    from saas.subscriptions.models import Subscription, SubscriptionAddOn, SubscriptionEvent

    with in_brand(app, brand.id) as session:
        return tuple(  # type: ignore[return-value]
            session.query(model).count()
            for model in (Subscription, SubscriptionEvent, SubscriptionAddOn)
        )


# Subscribing


def test_subscribing_answers_the_subscription_priced_as_its_preview(
    client: Any, shop: Any, token: str
) -> None:
    body = {"subscriber_id": shop.person.id, "plan_version_id": shop.dear.version_id}
    preview = api_post(client, shop, "/subscriptions/preview", token, body)
    assert preview.status_code == 200
    assert_documented(preview.get_json(), "Preview")
    assert Decimal(preview.get_json()["total"]) == Decimal("20.00")
    made = api_post(client, shop, "/subscriptions", token, body | {"line_label": "Work phone"})
    assert made.status_code == 201
    answer = made.get_json()
    assert_documented(answer, "Subscription")
    assert made.headers["Location"].endswith(f"/api/v1/subscriptions/{answer['id']}")
    assert answer["subscriber_id"] == shop.person.id and answer["status"] == "active"
    assert answer["plan_version"]["plan_name"] == "Dear" and answer["line_label"] == "Work phone"
    assert answer["current_period"]["start"] == answer["anchor_date"]
    (event,) = call(client, shop, f"/subscriptions/{answer['id']}/events", token).get_json()["data"]
    assert_documented(event, "SubscriptionEvent")
    assert (event["kind"], event["state"], event["actor"][:7]) == (
        "subscribed",
        "applied",
        "apikey:",
    )
    assert without_time(event["data"]["charges"]) == without_time(preview.get_json())


def add_promotion(app: Any, brand: Any, promo_code: str) -> None:
    from saas.catalog import services as catalog
    from saas.catalog.specs import PromotionSpec

    spec = {"code": promo_code.lower(), "name": "Half off", "kind": "percent", "value": "50"}
    with in_brand(app, brand.id) as session:
        catalog.create_promotion(session, PromotionSpec.parse(spec | {"promo_code": promo_code}))


def test_a_promo_code_discounts_the_preview_and_the_subscription_keeps_its_promotion(
    app: Any, client: Any, make: Any, shop: Any, token: str
) -> None:
    add_promotion(app, shop, "HALF")
    add_promotion(app, make.brand(), "ELSEWHERE")
    body = {"subscriber_id": shop.person.id, "plan_version_id": shop.dear.version_id}
    preview = api_post(client, shop, "/subscriptions/preview", token, body | {"promo_code": "half"})
    assert Decimal(preview.get_json()["total"]) == Decimal("10.00")
    assert preview.get_json()["lines"][-1]["kind"] == "discount"
    made = api_post(client, shop, "/subscriptions", token, body | {"promo_code": "half"}).get_json()
    assert made["promotion"]["code"] == "half"
    foreign = api_post(client, shop, "/subscriptions", token, body | {"promo_code": "ELSEWHERE"})
    assert "promo code ELSEWHERE: is not valid" in assert_problem(foreign, 409)["detail"]


def test_a_subscription_request_names_its_bad_members(client: Any, shop: Any, token: str) -> None:
    errors = assert_problem(api_post(client, shop, "/subscriptions", token, {}), 422)["errors"]
    assert {e["pointer"] for e in errors} == {"/subscriber_id", "/plan_version_id"}
    body = {"subscriber_id": "1", "plan_version_id": shop.cheap.version_id, "promo_code": 5}
    errors = assert_problem(api_post(client, shop, "/subscriptions", token, body), 422)["errors"]
    assert {e["pointer"] for e in errors} == {"/subscriber_id", "/promo_code"}


def test_an_add_on_or_an_unpublished_version_cannot_be_subscribed(
    client: Any, make: Any, shop: Any, token: str
) -> None:
    draft = make.plan(shop, publish=False, name="Draft")
    for version_id in (shop.boost.version_id, draft.version_id):
        body = {"subscriber_id": shop.person.id, "plan_version_id": version_id}
        assert (
            "is not on sale"
            in assert_problem(api_post(client, shop, "/subscriptions", token, body), 409)["detail"]
        )


def test_a_staff_member_is_not_a_subscriber_to_subscribe(
    client: Any, make: Any, shop: Any, token: str
) -> None:
    staff = make.user(shop, "staff")
    body = {"subscriber_id": staff.id, "plan_version_id": shop.cheap.version_id}
    assert_problem(api_post(client, shop, "/subscriptions", token, body), 404)


def test_subscribing_needs_the_write_scope(app: Any, client: Any, shop: Any) -> None:
    token = issue_key(app, shop, ("subscriptions.read",))[0]
    body = {"subscriber_id": shop.person.id, "plan_version_id": shop.cheap.version_id}
    assert api_post(client, shop, "/subscriptions/preview", token, body).status_code == 200
    assert (
        "subscriptions.write"
        in assert_problem(api_post(client, shop, "/subscriptions", token, body), 403)["detail"]
    )


# Reading


def test_subscriptions_are_listed_newest_first_by_status_and_subscriber(
    client: Any, make: Any, shop: Any, token: str, sub: Any
) -> None:
    someone = make.user(shop, "subscriber")
    later = make.subscription(shop, someone, shop.dear.version_id)
    api_post(client, shop, f"/subscriptions/{sub.id}/suspend", token)
    page = call(client, shop, "/subscriptions", token, query_string={"limit": 1}).get_json()
    assert_documented(page, "SubscriptionPage")
    rest = call(client, shop, "/subscriptions", token, query_string={"cursor": page["next_cursor"]})
    assert [s["id"] for s in page["data"] + rest.get_json()["data"]] == [later.id, sub.id]
    suspended = call(client, shop, "/subscriptions", token, query_string={"status": "suspended"})
    assert [s["id"] for s in suspended.get_json()["data"]] == [sub.id]
    theirs = call(client, shop, "/subscriptions", token, query_string={"subscriber_id": someone.id})
    assert [s["id"] for s in theirs.get_json()["data"]] == [later.id]
    for query in ({"status": "asleep"}, {"subscriber_id": "me"}):
        bad = call(client, shop, "/subscriptions", token, query_string=query)
        assert [e["parameter"] for e in assert_problem(bad, 422)["errors"]] == list(query)


def test_the_state_at_an_instant_needs_a_zone_and_is_not_found_before_the_start(
    client: Any, shop: Any, token: str, sub: Any
) -> None:
    path = f"/subscriptions/{sub.id}/state"
    now = call(
        client, shop, path, token, query_string={"at": datetime.now().astimezone().isoformat()}
    )
    assert now.status_code == 200
    assert_documented(now.get_json(), "SubscriptionState")
    assert (now.get_json()["plan_version_id"], now.get_json()["status"]) == (
        shop.cheap.version_id,
        "active",
    )
    for at, detail in (
        ("2026-03-01T10:00:00", "offset"),
        ("yesterday", "ISO 8601"),
        ("9999-12-31T23:59:59-01:00", "years"),
        ("0001-01-01T00:00:00+01:00", "years"),
        (None, "required"),
    ):
        response = call(client, shop, path, token, query_string={"at": at} if at else {})
        (error,) = assert_problem(response, 422)["errors"]
        assert error["parameter"] == "at" and detail in error["message"]
    before = call(client, shop, path, token, query_string={"at": "2000-01-01T00:00:00+00:00"})
    assert "had not started" in assert_problem(before, 404)["detail"]


# Plan changes


def test_an_upgrade_applies_now_and_stores_the_price_it_previewed(
    client: Any, shop: Any, token: str, sub: Any
) -> None:
    body = {"plan_version_id": shop.dear.version_id}
    preview = api_post(client, shop, f"/subscriptions/{sub.id}/plan-change/preview", token, body)
    assert preview.get_json()["action"] == "upgrade"
    assert [line["kind"] for line in preview.get_json()["lines"]] == [
        "proration_credit",
        "proration_charge",
    ]
    changed = api_post(client, shop, f"/subscriptions/{sub.id}/plan-change", token, body)
    assert changed.status_code == 200
    assert_documented(changed.get_json(), "SubscriptionChange")
    event, now = changed.get_json()["event"], changed.get_json()["subscription"]
    assert (event["kind"], event["state"]) == ("plan_changed", "applied")
    assert without_time(event["data"]["charges"]) == without_time(preview.get_json())
    assert now["plan_version"]["id"] == shop.dear.version_id
    again = api_post(client, shop, f"/subscriptions/{sub.id}/plan-change", token, body)
    assert "is on Dear v1 already" in assert_problem(again, 409)["detail"]


def test_a_downgrade_is_scheduled_for_period_end_and_can_be_revoked(
    client: Any, make: Any, shop: Any, token: str
) -> None:
    dear = make.subscription(shop, shop.person, shop.dear.version_id)
    body = {"plan_version_id": shop.cheap.version_id}
    preview = api_post(
        client, shop, f"/subscriptions/{dear.id}/plan-change/preview", token, body
    ).get_json()
    assert (preview["action"], preview["lines"]) == ("downgrade", [])
    changed = api_post(
        client, shop, f"/subscriptions/{dear.id}/plan-change", token, body
    ).get_json()
    event, now = changed["event"], changed["subscription"]
    assert (event["state"], event["effective_at"]) == ("scheduled", preview["effective_at"])
    assert event["data"]["charges"] == preview
    assert now["plan_version"]["id"] == shop.dear.version_id
    assert [e["id"] for e in now["scheduled"]] == [event["id"]]
    effective = datetime.fromisoformat(event["effective_at"])
    path = f"/subscriptions/{dear.id}/state"
    after = call(
        client,
        shop,
        path,
        token,
        query_string={"at": (effective + timedelta(seconds=1)).isoformat()},
    )
    assert after.get_json()["plan_version_id"] == shop.cheap.version_id
    before = call(
        client,
        shop,
        path,
        token,
        query_string={"at": (effective - timedelta(seconds=1)).isoformat()},
    )
    assert before.get_json()["plan_version_id"] == shop.dear.version_id
    revoke = f"/subscriptions/{dear.id}/events/{event['id']}/revoke"
    revoked = api_post(client, shop, revoke, token).get_json()
    assert revoked["event"]["state"] == "revoked" and revoked["subscription"]["scheduled"] == []
    again = assert_problem(api_post(client, shop, revoke, token), 409)
    assert again["code"] == "subscription.change_revoked"
    assert again["detail"] == f"subscription {dear.id}: this change was called off already"


# Suspend, resume, cancel


def test_suspend_and_resume_each_once(client: Any, shop: Any, token: str, sub: Any) -> None:
    base = f"/subscriptions/{sub.id}"
    suspended = api_post(client, shop, f"{base}/suspend", token, {"reason": "unpaid"}).get_json()
    assert suspended["subscription"]["status"] == "suspended"
    assert suspended["event"]["data"] == {"status": "suspended", "reason": "unpaid"}
    again = assert_problem(api_post(client, shop, f"{base}/suspend", token), 409)
    assert (again["code"], again["detail"]) == (
        "subscription.suspended_already",
        f"subscription {sub.id}: is suspended already",
    )
    assert (
        api_post(client, shop, f"{base}/resume", token).get_json()["subscription"]["status"]
        == "active"
    )
    assert (
        "not suspended"
        in assert_problem(api_post(client, shop, f"{base}/resume", token), 409)["detail"]
    )
    bad = api_post(client, shop, f"{base}/suspend", token, {"reason": 7})
    assert assert_problem(bad, 422)["errors"][0]["pointer"] == "/reason"


def test_cancelling_now_credits_the_unused_days_as_previewed(
    client: Any, shop: Any, token: str, sub: Any
) -> None:
    base = f"/subscriptions/{sub.id}"
    body = {"when": "now", "reason": "moving abroad"}
    preview = api_post(client, shop, f"{base}/cancel/preview", token, body).get_json()
    assert preview["action"] == "cancel" and Decimal(preview["total"]) < 0
    done = api_post(client, shop, f"{base}/cancel", token, body).get_json()
    assert without_time(done["event"]["data"]["charges"]) == without_time(preview)
    assert done["subscription"]["status"] == "cancelled"
    assert done["subscription"]["current_period"] is None and done["subscription"]["ended_at"]
    assert (
        "is cancelled"
        in assert_problem(api_post(client, shop, f"{base}/suspend", token), 409)["detail"]
    )


def test_cancelling_at_period_end_is_scheduled(
    client: Any, shop: Any, token: str, sub: Any
) -> None:
    done = api_post(client, shop, f"/subscriptions/{sub.id}/cancel", token, {"when": "period_end"})
    event = done.get_json()["event"]
    assert (event["state"], event["data"]["charges"]["action"]) == (
        "scheduled",
        "cancel_at_period_end",
    )
    assert done.get_json()["subscription"]["status"] == "active"


@pytest.mark.parametrize("body", [{}, {"when": "later"}, {"when": "now", "reason": "x" * 501}])
def test_a_bad_cancellation_names_the_member(
    client: Any, shop: Any, token: str, sub: Any, body: dict[str, Any]
) -> None:
    response = api_post(client, shop, f"/subscriptions/{sub.id}/cancel", token, body)
    assert [e["pointer"] for e in assert_problem(response, 422)["errors"]] in (
        ["/when"],
        ["/reason"],
    )


# Add-ons


def test_an_add_on_is_added_and_removed_at_the_prices_previewed(
    client: Any, shop: Any, token: str, sub: Any
) -> None:
    base = f"/subscriptions/{sub.id}"
    body = {"plan_version_id": shop.boost.version_id}
    preview = api_post(client, shop, f"{base}/addons/preview", token, body).get_json()
    added = api_post(client, shop, f"{base}/addons", token, body).get_json()
    assert added["event"]["kind"] == "addon_added"
    assert without_time(added["event"]["data"]["charges"]) == without_time(preview)
    (addon,) = added["subscription"]["addons"]
    assert (addon["plan_version_id"], addon["plan_name"]) == (shop.boost.version_id, "Boost")
    path = f"{base}/addons/{addon['id']}"
    removal = api_post(client, shop, f"{path}/remove/preview", token).get_json()
    assert removal["action"] == "addon_removed"
    removed = call(client, shop, path, token, "DELETE").get_json()
    assert without_time(removed["event"]["data"]["charges"]) == without_time(removal)
    assert removed["subscription"]["addons"] == []
    assert (
        "has ended already"
        in assert_problem(call(client, shop, path, token, "DELETE"), 409)["detail"]
    )


def test_a_plan_is_not_an_add_on(client: Any, shop: Any, token: str, sub: Any) -> None:
    body = {"plan_version_id": shop.dear.version_id}
    response = api_post(client, shop, f"/subscriptions/{sub.id}/addons", token, body)
    assert "is not on sale" in assert_problem(response, 409)["detail"]


def test_previews_never_write(app: Any, client: Any, shop: Any, token: str, sub: Any) -> None:
    base = f"/subscriptions/{sub.id}"
    addon = api_post(
        client, shop, f"{base}/addons", token, {"plan_version_id": shop.boost.version_id}
    )
    addon_id = addon.get_json()["subscription"]["addons"][0]["id"]
    before = counts(app, shop)
    state = call(client, shop, base, token).get_json()
    previews = [
        (
            "/subscriptions/preview",
            {"subscriber_id": shop.person.id, "plan_version_id": shop.dear.version_id},
        ),
        (f"{base}/plan-change/preview", {"plan_version_id": shop.dear.version_id}),
        (f"{base}/cancel/preview", {"when": "now"}),
        (f"{base}/cancel/preview", {"when": "period_end"}),
        (f"{base}/addons/preview", {"plan_version_id": shop.boost.version_id}),
        (f"{base}/addons/{addon_id}/remove/preview", None),
    ]
    for path, body in previews:
        assert api_post(client, shop, path, token, body).status_code == 200, path
    assert counts(app, shop) == before
    assert call(client, shop, base, token).get_json() == state


# Another brand's ids, and another subscription's


def test_another_brands_ids_are_not_found(
    app: Any, client: Any, make: Any, shop: Any, token: str, sub: Any
) -> None:
    other = make.brand()
    plan = make.plan(other, name="Theirs")
    boost = make.plan(other, name="Their boost", kind="addon")
    person = make.user(other, "subscriber")
    theirs = make.subscription(other, person, plan.version_id)
    their_token = issue_key(app, other, SCOPES)[0]
    added = api_post(
        client,
        other,
        f"/subscriptions/{theirs.id}/addons",
        their_token,
        {"plan_version_id": boost.version_id},
    )
    their_addon = added.get_json()["subscription"]["addons"][0]["id"]
    their_event = added.get_json()["event"]["id"]
    mine, foreign = f"/subscriptions/{sub.id}", f"/subscriptions/{theirs.id}"
    requests = [
        ("GET", foreign, None),
        ("GET", f"{foreign}/events", None),
        ("GET", f"{foreign}/state?at=2030-01-01T00:00:00Z", None),
        ("POST", f"{foreign}/plan-change/preview", {"plan_version_id": shop.dear.version_id}),
        ("POST", f"{foreign}/plan-change", {"plan_version_id": shop.dear.version_id}),
        ("POST", f"{foreign}/cancel/preview", {"when": "now"}),
        ("POST", f"{foreign}/cancel", {"when": "now"}),
        ("POST", f"{foreign}/suspend", None),
        ("POST", f"{foreign}/resume", None),
        ("POST", f"{foreign}/addons/preview", {"plan_version_id": shop.boost.version_id}),
        ("POST", f"{foreign}/addons", {"plan_version_id": shop.boost.version_id}),
        ("POST", f"{mine}/plan-change/preview", {"plan_version_id": plan.version_id}),
        ("POST", f"{mine}/plan-change", {"plan_version_id": plan.version_id}),
        ("POST", f"{mine}/addons/preview", {"plan_version_id": boost.version_id}),
        ("POST", f"{mine}/addons", {"plan_version_id": boost.version_id}),
        ("POST", f"{mine}/addons/{their_addon}/remove/preview", None),
        ("DELETE", f"{mine}/addons/{their_addon}", None),
        ("POST", f"{mine}/events/{their_event}/revoke", None),
        (
            "POST",
            "/subscriptions/preview",
            {"subscriber_id": person.id, "plan_version_id": shop.cheap.version_id},
        ),
        (
            "POST",
            "/subscriptions",
            {"subscriber_id": person.id, "plan_version_id": shop.cheap.version_id},
        ),
        (
            "POST",
            "/subscriptions",
            {"subscriber_id": shop.person.id, "plan_version_id": plan.version_id},
        ),
    ]
    for method, path, body in requests:
        response = call(client, shop, path, token, method, **({"json": body} if body else {}))
        assert response.status_code == 404, (method, path)
        assert_problem(response, 404)
    listed = call(client, shop, "/subscriptions", token, query_string={"subscriber_id": person.id})
    assert listed.get_json()["data"] == []
    assert counts(app, other)[1:] == (2, 1)


def test_an_add_on_or_event_of_another_subscription_is_not_found_under_this_one(
    client: Any, make: Any, shop: Any, token: str, sub: Any
) -> None:
    someone = make.user(shop, "subscriber")
    second = make.subscription(shop, someone, shop.dear.version_id)
    added = api_post(
        client,
        shop,
        f"/subscriptions/{second.id}/addons",
        token,
        {"plan_version_id": shop.boost.version_id},
    ).get_json()
    addon_id, event_id = added["subscription"]["addons"][0]["id"], added["event"]["id"]
    base = f"/subscriptions/{sub.id}"
    assert_problem(call(client, shop, f"{base}/addons/{addon_id}", token, "DELETE"), 404)
    assert_problem(api_post(client, shop, f"{base}/events/{event_id}/revoke", token), 404)


# Company accounts


def test_a_line_opens_or_joins_a_company_account_of_this_brand_only(
    app: Any, client: Any, make: Any, shop: Any, token: str
) -> None:
    version = shop.cheap.version_id
    body = {"subscriber_id": shop.person.id, "plan_version_id": version}
    opened = api_post(
        client, shop, "/subscriptions", token, body | {"company_account_name": "Acme"}
    )
    assert opened.status_code == 201
    company = opened.get_json()["account"]
    assert (company["kind"], company["name"]) == ("company", "Acme")
    colleague = make.user(shop, "subscriber")
    joining = {"subscriber_id": colleague.id, "plan_version_id": version}
    joined = api_post(
        client, shop, "/subscriptions", token, joining | {"account_id": company["id"]}
    )
    assert joined.get_json()["account"]["id"] == company["id"]
    shown = call(client, shop, f"/accounts/{company['id']}", token).get_json()
    assert shown["subscription_ids"] == [opened.get_json()["id"], joined.get_json()["id"]]
    other = make.brand()
    their_token = issue_key(app, other, SCOPES)[0]
    someone = make.user(other, "subscriber")
    theirs = api_post(
        client,
        other,
        "/subscriptions",
        their_token,
        {
            "subscriber_id": someone.id,
            "plan_version_id": make.plan(other).version_id,
            "company_account_name": "Foreign Ltd",
        },
    ).get_json()["account"]["id"]
    personal = api_post(client, shop, "/subscriptions", token, body).get_json()["account"]["id"]
    for account_id in (theirs, personal):
        for path in ("/subscriptions/preview", "/subscriptions"):
            refused = api_post(client, shop, path, token, body | {"account_id": account_id})
            assert_problem(refused, 404)
    assert_problem(call(client, shop, f"/accounts/{theirs}", token), 404)
    listed = call(client, shop, "/accounts", token).get_json()["data"]
    assert [a["name"] for a in listed] == ["Acme"]
