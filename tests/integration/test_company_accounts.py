"""Company accounts: staff put several subscribers' lines on one account, in the console and API."""

from __future__ import annotations

import re
from typing import Any

import pytest

from saas.customers import services as customers
from saas.customers.models import COMPANY, INDIVIDUAL, Account
from saas.identity.models import User
from saas.subscriptions import services as subs
from saas.subscriptions.models import Subscription
from tests.conftest import (
    api_post,
    call,
    counted,
    get,
    in_brand,
    issue_key,
    logged_in,
    login,
    post,
    recurring,
    text,
)
from tests.integration.test_admin_subscriptions import confirm_fields
from tests.integration.test_api import assert_documented, assert_problem

SCOPES = ("subscriptions.read", "subscriptions.write")


@pytest.fixture
def shop(make: Any) -> Any:
    """A brand with one plan and two subscribers, Erika and Otto."""
    brand = make.brand(currency="EUR", timezone="Europe/Berlin", default_locale="en")
    brand["plan"] = make.plan(brand, name="Team", components=recurring("15.00"))
    brand["erika"] = make.user(brand, "subscriber", full_name="Erika Muster")
    brand["otto"] = make.user(brand, "subscriber", full_name="Otto Zweit")
    return brand


@pytest.fixture
def foreign(app: Any, make: Any) -> Any:
    """Another brand with a company account holding one line."""
    other = make.brand(currency="EUR")
    plan = make.plan(other, name="Theirs", components=recurring("9.00"))
    person = make.user(other, "subscriber", full_name="Fremde Person")
    sub = make.subscription(other, person, plan.version_id)
    other["account_id"] = open_company(app, other, "Foreign Ltd", person)
    with in_brand(app, other.id) as session:
        session.get(Subscription, sub.id).account_id = other.account_id
    return other


def open_company(app: Any, brand: Any, name: str, holder: Any) -> int:
    with in_brand(app, brand.id) as session:
        return customers.create_company(session, name, session.get(User, holder.id)).id


def account_of(app: Any, brand: Any, sub_id: int) -> tuple[int, str, str, int]:
    with in_brand(app, brand.id) as session:
        account = session.get(Subscription, sub_id).account
        return account.id, account.kind, account.name, account.holder_id


def counts(app: Any, brand: Any) -> tuple[int, int]:
    with in_brand(app, brand.id) as session:
        return session.query(Subscription).count(), session.query(Account).count()


# Domain


def test_a_company_account_needs_a_name_and_a_subscriber_as_holder(
    app: Any, make: Any, shop: Any
) -> None:
    clerk = make.user(shop, "staff", ("agent",))
    with in_brand(app, shop.id) as session:
        erika = session.get(User, shop.erika.id)
        with pytest.raises(customers.CustomerError, match="company account: needs a name"):
            customers.create_company(session, "   ", erika)
        with pytest.raises(customers.CustomerError, match="at most 200 characters"):
            customers.create_company(session, "x" * 201, erika)
        with pytest.raises(customers.CustomerError, match="is not a subscriber"):
            customers.create_company(session, "Staff Co", session.get(User, clerk.id))
        account = subs.company_account(session, "  Acme GmbH ", erika)
        assert (account.kind, account.name, account.holder_id) == (COMPANY, "Acme GmbH", erika.id)
        assert customers.get_company(session, subs.personal_account(session, erika).id) is None
        assert customers.companies(session) == [(account, 0)]


# Console


def subscribe_page(c: Any, person: Any, **query: Any) -> Any:
    return get(c, f"/admin/subscribers/{person.id}/subscribe", **query)


def subscribe_in_console(c: Any, person: Any, **query: Any) -> tuple[str, int]:
    """Preview a subscription with the given account choice, confirm it, return the preview."""
    shown = text(subscribe_page(c, person, plan=c.brand.plan.code, **query))
    response = post(c, f"/admin/subscribers/{person.id}/subscribe", confirm_fields(shown))
    assert response.status_code == 302, text(response)
    return shown, int(response.headers["Location"].rsplit("/", 1)[1])


def test_staff_put_two_subscribers_lines_on_one_company_account(
    app: Any, make: Any, shop: Any
) -> None:
    c = logged_in(app, make, shop)
    shown, first = subscribe_in_console(
        c, shop.erika, account="new", account_name="  Acme GmbH ", line_label="Sales"
    )
    assert 'data-testid="preview-account" data-kind="new"' in shown
    assert "Acme GmbH" in shown and "held by Erika Muster" in shown
    account_id, kind, name, holder = account_of(app, shop, first)
    assert (kind, name, holder) == (COMPANY, "Acme GmbH", shop.erika.id)

    form = text(subscribe_page(c, shop.otto))
    assert re.search(rf'<option value="{account_id}"\s*>Acme GmbH, lines: 1</option>', form)
    shown, second = subscribe_in_console(
        c, shop.otto, account="existing", account_id=str(account_id), line_label="Support"
    )
    assert 'data-testid="preview-account" data-kind="existing"' in shown
    assert f'href="/admin/accounts/{account_id}">Acme GmbH</a>' in shown
    assert account_of(app, shop, second)[0] == account_id

    assert 'data-testid="accounts-link"' in text(get(c, "/admin/subscriptions"))
    listed = text(get(c, "/admin/accounts"))
    assert f'data-account-id="{account_id}" data-lines="2"' in listed
    assert "Acme GmbH" in listed and "Erika Muster" in listed
    detail = text(get(c, f"/admin/accounts/{account_id}"))
    rows = re.findall(r'data-testid="account-line" data-subscription-id="(\d+)"', detail)
    assert rows == [str(first), str(second)]
    assert "Sales" in detail and "Support" in detail and "Otto Zweit" in detail
    assert f'href="/admin/subscriptions/{second}"' in detail
    assert f'href="/admin/accounts/{account_id}"' in text(get(c, f"/admin/subscriptions/{second}"))


def test_a_line_stays_on_the_subscribers_own_account_by_default(
    app: Any, make: Any, shop: Any
) -> None:
    c = logged_in(app, make, shop)
    shown, sub_id = subscribe_in_console(c, shop.erika)
    assert 'data-testid="preview-account" data-kind="own"' in shown
    assert account_of(app, shop, sub_id)[1:] == (INDIVIDUAL, "Erika Muster", shop.erika.id)
    assert 'data-lines="' not in text(get(c, "/admin/accounts"))


def test_bad_account_choices_are_named_and_nothing_is_made(app: Any, make: Any, shop: Any) -> None:
    c = logged_in(app, make, shop)
    plan = shop.plan.code
    blank = subscribe_page(c, shop.erika, plan=plan, account="new", account_name="  ")
    assert blank.status_code == 400 and "company account: needs a name" in text(blank)
    long = subscribe_page(c, shop.erika, plan=plan, account="new", account_name="x" * 201)
    assert long.status_code == 400 and "at most 200 characters" in text(long)
    unchosen = subscribe_page(c, shop.erika, plan=plan, account="existing")
    assert unchosen.status_code == 400
    assert "company account: choose one of the brand's accounts" in text(unchosen)
    pins = {"expected_total": "15.00", "expected_next": "15.00"}
    fields = {"plan": plan, "account": "new", "account_name": ""} | pins
    refused = post(c, f"/admin/subscribers/{shop.erika.id}/subscribe", fields)
    assert refused.status_code == 400 and "needs a name" in text(refused)
    assert counts(app, shop) == (0, 0)


def test_a_personal_account_is_no_company_account_to_join(app: Any, make: Any, shop: Any) -> None:
    c = logged_in(app, make, shop)
    _, sub_id = subscribe_in_console(c, shop.erika)
    personal = account_of(app, shop, sub_id)[0]
    query = {"plan": shop.plan.code, "account": "existing", "account_id": str(personal)}
    assert subscribe_page(c, shop.otto, **query).status_code == 404
    assert get(c, f"/admin/accounts/{personal}").status_code == 200


def test_another_brands_company_account_answers_404_in_the_console(
    app: Any, make: Any, shop: Any, foreign: Any
) -> None:
    c = logged_in(app, make, shop)
    theirs = foreign.account_id
    assert get(c, f"/admin/accounts/{theirs}").status_code == 404
    query = {"plan": shop.plan.code, "account": "existing", "account_id": str(theirs)}
    assert subscribe_page(c, shop.erika, **query).status_code == 404
    fields = query | {"expected_total": "15.00", "expected_next": "15.00", "expected_version": ""}
    assert post(c, f"/admin/subscribers/{shop.erika.id}/subscribe", fields).status_code == 404
    assert "Foreign Ltd" not in text(get(c, "/admin/accounts"))
    assert "Foreign Ltd" not in text(subscribe_page(c, shop.erika))
    assert counts(app, shop) == (0, 0)


def test_read_only_staff_see_accounts_and_subscribers_do_not(
    app: Any, make: Any, shop: Any
) -> None:
    account_id = open_company(app, shop, "Acme GmbH", shop.erika)
    looker = logged_in(app, make, shop, ("read_only",))
    assert get(looker, f"/admin/accounts/{account_id}").status_code == 200
    person = app.test_client()
    assert login(person, shop.host, shop.erika.email).status_code == 302
    person.brand = shop
    assert get(person, "/admin/accounts").status_code == 403
    assert get(person, f"/admin/accounts/{account_id}").status_code == 403


def test_the_portal_ignores_account_fields_a_subscriber_adds(
    app: Any, make: Any, shop: Any
) -> None:
    account_id = open_company(app, shop, "Acme GmbH", shop.otto)
    c = app.test_client()
    assert login(c, shop.host, shop.erika.email).status_code == 302
    c.brand = shop
    shown = text(get(c, "/plans/subscribe", plan=shop.plan.code))
    fields = confirm_fields(shown) | {"account": "existing", "account_id": str(account_id)}
    assert post(c, "/plans/subscribe", fields).status_code == 302
    with in_brand(app, shop.id) as session:
        [sub] = session.query(Subscription).all()
        assert (sub.account.kind, sub.account.holder_id) == (INDIVIDUAL, shop.erika.id)


# API


@pytest.fixture
def token(app: Any, shop: Any) -> str:
    return issue_key(app, shop, SCOPES)[0]


def test_two_subscribers_lines_share_one_company_account_through_the_api(
    client: Any, shop: Any, token: str
) -> None:
    base = {"plan_version_id": shop.plan.version_id}
    first = api_post(
        client,
        shop,
        "/subscriptions",
        token,
        base | {"subscriber_id": shop.erika.id, "company_account_name": " Acme GmbH "},
    )
    assert first.status_code == 201, first.get_json()
    account = first.get_json()["account"]
    assert account["kind"] == COMPANY and account["name"] == "Acme GmbH"
    joining = base | {"subscriber_id": shop.otto.id, "account_id": account["id"]}
    preview = api_post(client, shop, "/subscriptions/preview", token, joining)
    assert preview.status_code == 200
    second = api_post(client, shop, "/subscriptions", token, joining | {"line_label": "Support"})
    assert second.status_code == 201
    assert second.get_json()["account"] == account
    shown = call(client, shop, f"/subscriptions/{second.get_json()['id']}", token).get_json()
    assert shown["account"] == {"id": account["id"], "kind": COMPANY, "name": "Acme GmbH"}

    one = call(client, shop, f"/accounts/{account['id']}", token)
    assert one.status_code == 200
    assert_documented(one.get_json(), "Account")
    ids = [first.get_json()["id"], second.get_json()["id"]]
    assert one.get_json()["subscription_ids"] == ids and one.get_json()["line_count"] == 2
    assert one.get_json()["holder_id"] == shop.erika.id
    listed = call(client, shop, "/accounts", token).get_json()
    assert_documented(listed, "AccountPage")
    assert [a["id"] for a in listed["data"]] == [account["id"]]  # personal accounts stay out


def test_accounts_come_in_pages_that_follow_the_cursor(
    app: Any, client: Any, shop: Any, token: str
) -> None:
    made = [open_company(app, shop, f"Company {n}", shop.erika) for n in range(3)]
    first = call(client, shop, "/accounts?limit=2", token).get_json()
    assert [a["id"] for a in first["data"]] == made[:2] and first["next_cursor"]
    rest = call(client, shop, f"/accounts?limit=2&cursor={first['next_cursor']}", token)
    assert [a["id"] for a in rest.get_json()["data"]] == made[2:]
    assert rest.get_json()["next_cursor"] is None


def test_another_brands_account_is_not_found_through_the_api(
    client: Any, shop: Any, token: str, foreign: Any
) -> None:
    theirs = foreign.account_id
    assert_problem(call(client, shop, f"/accounts/{theirs}", token), 404)
    body = {
        "subscriber_id": shop.erika.id,
        "plan_version_id": shop.plan.version_id,
        "account_id": theirs,
    }
    for path in ("/subscriptions/preview", "/subscriptions"):
        problem = assert_problem(api_post(client, shop, path, token, body), 404)
        assert f"no company account {theirs}" in problem["detail"]
    assert call(client, shop, "/accounts", token).get_json()["data"] == []


def test_a_personal_account_id_is_not_a_company_account_to_join(
    client: Any, shop: Any, token: str
) -> None:
    base = {"plan_version_id": shop.plan.version_id}
    own = api_post(client, shop, "/subscriptions", token, base | {"subscriber_id": shop.erika.id})
    personal = own.get_json()["account"]
    assert personal["kind"] == INDIVIDUAL
    body = base | {"subscriber_id": shop.otto.id, "account_id": personal["id"]}
    assert_problem(api_post(client, shop, "/subscriptions", token, body), 404)


def test_bad_account_members_are_each_named(app: Any, client: Any, shop: Any, token: str) -> None:
    base = {"subscriber_id": shop.erika.id, "plan_version_id": shop.plan.version_id}
    cases: dict[str, list[dict[str, Any]]] = {
        "/company_account_name": [
            {"account_id": 1, "company_account_name": "Acme"},
            {"company_account_name": "   "},
            {"company_account_name": "x" * 201},
            {"company_account_name": 7},
        ],
        "/account_id": [{"account_id": "1"}, {"account_id": 0}],
    }
    for pointer, bodies in cases.items():
        for extra in bodies:
            for path in ("/subscriptions", "/subscriptions/preview"):
                problem = assert_problem(api_post(client, shop, path, token, base | extra), 422)
                assert pointer in [e.get("pointer") for e in problem["errors"]], extra
    assert counts(app, shop) == (0, 0)


def test_reading_accounts_needs_the_subscriptions_read_scope(
    app: Any, client: Any, shop: Any
) -> None:
    other_scope = issue_key(app, shop, ("subscribers.read",))[0]
    assert_problem(call(client, shop, "/accounts", other_scope), 403)
    assert_problem(call(client, shop, "/accounts/1", other_scope), 403)


def test_account_pages_do_not_query_once_per_line_or_holder(app: Any, make: Any, shop: Any) -> None:
    account_id = open_company(app, shop, "Acme GmbH", shop.erika)
    c = logged_in(app, make, shop)

    def join(person: Any) -> None:
        plan = make.plan(shop, components=recurring("5.00"))
        sub = make.subscription(shop, person, plan.version_id)
        with in_brand(app, shop.id) as session:
            session.get(Subscription, sub.id).account_id = account_id

    def cost() -> tuple[int, int]:
        with counted() as detail:
            assert get(c, f"/admin/accounts/{account_id}").status_code == 200
        with counted() as listed:
            assert get(c, "/admin/accounts").status_code == 200
        return len(detail), len(listed)

    join(shop.erika)
    few = cost()
    for _ in range(3):
        person = make.user(shop, "subscriber")
        join(person)
        open_company(app, shop, f"Firm of {person.email}", person)
    assert cost() == few
