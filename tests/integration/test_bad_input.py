"""Input no view could use is refused before any view runs: too big, unreadable JSON, NUL in text.

The route tests walk the URL map, so a new route is covered the day it is added.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from werkzeug.routing import Rule

from saas.platform_setup import DEMO_OPERATOR
from saas.web.api.problems import PROBLEM_JSON
from tests.conftest import Factory, in_brand, login
from tests.integration.test_api import issue_key

MIB = 1024 * 1024
NUL = "a\x00b"
PLATFORM = "localhost"
WRITES = {"POST", "PUT", "PATCH"}


def _rules() -> list[Rule]:
    """The routes of an app built for its URL map only, before any test runs."""
    from saas import create_app
    from saas.config import load_settings

    # The limiter is one object for every app: a limit set here would throttle the tests' app.
    generous = "1000 per second"
    settings = load_settings({}, env="test", login_rate_limit=generous, account_rate_limit=generous)
    return list(create_app({"SAAS": settings}).url_map.iter_rules())


RULES = _rules()


def _cases(kind: str) -> list[Any]:
    """(method, rule) pairs of one kind of route, with readable ids."""
    found = []
    for rule in RULES:
        is_api = rule.rule.startswith("/api/")
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            wanted = {
                "api writes": is_api and method in WRITES,
                "form posts": not is_api and method == "POST",
                "reads": method == "GET",
                "text in the path": any(not _is_id(rule, a) for a in rule.arguments),
            }[kind]
            if wanted:
                found.append(pytest.param(method, rule, id=f"{method} {rule.rule}"))
    return found


def _is_id(rule: Rule, argument: str) -> bool:
    return type(rule._converters[argument]).__name__ == "RowIdConverter"


def _path(rule: Rule, text: str = "x") -> str:
    values = {a: 1 if _is_id(rule, a) else text for a in rule.arguments}
    return str(rule.build(values, append_unknown=False)[1])


@pytest.fixture(scope="module")
def brand(app: Any) -> Any:
    """A brand of its own, so these many requests fill no other test's rate limit."""
    return Factory(app).brand(default_locale="de", locales=["de", "en", "pl"])


def send(client: Any, brand: Any, method: str, rule: Rule, **kwargs: Any) -> Any:
    path = kwargs.pop("path", None) or _path(rule)
    host = PLATFORM if rule.rule.startswith("/platform") else brand.host
    headers = {"Accept-Language": "en"}
    return client.open(path, method=method, base_url=f"http://{host}", headers=headers, **kwargs)


def assert_refused(response: Any, rule: Rule, status: int = 400, saying: str = "") -> None:
    """Check the status and that the answer says why: problem+json on the API, a page elsewhere."""
    text = response.get_data(as_text=True)
    assert response.status_code == status, text[:300]
    if rule.rule.startswith("/api/"):
        assert response.mimetype == PROBLEM_JSON
        assert response.get_json()["status"] == status
        assert saying in response.get_json()["detail"]
    elif rule.endpoint != "static":  # static files are served before any brand is resolved
        assert saying in text


# Every route


TOO_DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(("method", "rule"), _cases("api writes"))
def test_an_api_body_nested_too_deep_is_a_bad_request(
    client: Any, brand: Any, method: str, rule: Rule
) -> None:
    response = send(client, brand, method, rule, data=TOO_DEEP, content_type="application/json")
    assert_refused(response, rule, saying="nesting too deep")


@pytest.mark.parametrize(("method", "rule"), _cases("api writes"))
def test_a_lone_surrogate_in_an_api_body_is_a_bad_request(
    client: Any, brand: Any, method: str, rule: Rule
) -> None:
    body = '{"name": "\\ud800"}'
    response = send(client, brand, method, rule, data=body, content_type="application/json")
    assert_refused(response, rule, saying="the string at /name holds a NUL character or a lone")


@pytest.mark.parametrize(("method", "rule"), _cases("api writes"))
def test_a_nul_in_an_api_string_is_a_bad_request(
    client: Any, brand: Any, method: str, rule: Rule
) -> None:
    body = '{"plan": {"name": "a\\u0000b"}}'
    response = send(client, brand, method, rule, data=body, content_type="application/json")
    assert_refused(response, rule, saying="the string at /plan/name holds a NUL character")


HUGE = b'{"name": "' + b"x" * (30 * MIB) + b'"}'


@pytest.mark.parametrize(("method", "rule"), _cases("api writes"))
def test_an_api_body_over_the_size_limit_is_too_large(
    client: Any, brand: Any, method: str, rule: Rule
) -> None:
    response = send(client, brand, method, rule, data=HUGE, content_type="application/json")
    assert_refused(response, rule, 413, saying="larger than the 1048576 bytes")


@pytest.mark.parametrize(("method", "rule"), _cases("reads"))
def test_a_nul_in_a_query_parameter_is_a_bad_request(
    client: Any, brand: Any, method: str, rule: Rule
) -> None:
    response = send(client, brand, method, rule, query_string={"q": NUL, "status": NUL})
    assert_refused(response, rule, saying="NUL character")


@pytest.mark.parametrize(("method", "rule"), _cases("form posts"))
def test_a_nul_in_a_form_field_is_a_bad_request(
    client: Any, brand: Any, method: str, rule: Rule
) -> None:
    response = send(client, brand, method, rule, data={"name": NUL, "email": NUL})
    assert_refused(response, rule, saying="The field “name” contains a NUL character")


@pytest.mark.parametrize(("method", "rule"), _cases("text in the path"))
def test_a_nul_in_the_address_is_a_bad_request(
    client: Any, brand: Any, method: str, rule: Rule
) -> None:
    response = send(client, brand, method, rule, path=_path(rule, NUL))
    assert_refused(response, rule, saying="The address")


# What the guard's answers say


def test_a_search_with_a_nul_answers_a_page_in_the_visitors_language(
    app: Any, make: Any, brand: Any
) -> None:
    staff = app.test_client()
    assert login(staff, brand.host, make.user(brand, "staff", ("owner",)).email).status_code == 302
    response = staff.get(
        "/admin/subscribers",
        query_string={"q": NUL},
        base_url=f"http://{brand.host}",
        headers={"Accept-Language": "pl"},
    )
    assert response.status_code == 400
    assert "Wyszukiwanie lub filtr „q” zawiera znak NUL" in response.get_data(as_text=True)


def test_an_api_search_with_a_nul_names_the_parameter(app: Any, brand: Any, client: Any) -> None:
    token = issue_key(app, brand, ("subscribers.read",))[0]
    response = client.get(
        "/api/v1/subscribers",
        query_string={"q": NUL},
        base_url=f"http://{brand.host}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400 and response.mimetype == PROBLEM_JSON
    assert "The query parameter q holds a NUL character" in response.get_json()["detail"]


def test_a_nul_in_a_brand_name_is_refused_and_nothing_changes(app: Any, make: Any) -> None:
    from saas.tenancy.brands import by_slug
    from tests.conftest import in_platform

    target = make.brand()
    operator = app.test_client()
    assert login(operator, PLATFORM, *DEMO_OPERATOR).status_code == 302
    response = operator.post(
        f"/platform/brands/{target.slug}/edit",
        data={"name": NUL, "legal_name": NUL, "default_locale": "en", "currency": "EUR"},
        base_url=f"http://{PLATFORM}",
    )
    assert response.status_code == 400
    assert "The field “name” contains a NUL character" in response.get_data(as_text=True)
    with in_platform(app) as session:
        assert by_slug(session, target.slug).name == target.name


def test_an_api_body_with_a_nul_is_refused_before_anything_is_stored(
    app: Any, brand: Any, client: Any
) -> None:
    from sqlalchemy import func, select

    from saas.catalog.models import Metric

    token = issue_key(app, brand, ("catalog.write",))[0]
    response = client.post(
        "/api/v1/metrics",
        json={"code": "roaming_mb", "name": "Roaming\x00", "unit": "MB"},
        base_url=f"http://{brand.host}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400
    assert response.get_json()["detail"] == (
        "The request body cannot be used: the string at /name holds a NUL character or a lone "
        "surrogate, which text cannot hold."
    )
    with in_brand(app, brand.id) as session:
        assert session.scalar(select(func.count()).where(Metric.code == "roaming_mb")) == 0


def test_a_lone_surrogate_never_reaches_a_subscriptions_history(
    app: Any, make: Any, staff_client: Any
) -> None:
    brand = staff_client.brand
    plan = make.plan(brand)
    sub = make.subscription(brand, make.user(brand, "subscriber"), plan.version_id)
    token = issue_key(app, brand, ("subscriptions.write",))[0]
    refused = staff_client.post(
        f"/api/v1/subscriptions/{sub.id}/suspend",
        data='{"reason": "\\ud800"}',
        content_type="application/json",
        base_url=f"http://{brand.host}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert refused.status_code == 400
    page = staff_client.get(f"/admin/subscriptions/{sub.id}", base_url=f"http://{brand.host}")
    assert page.status_code == 200


def test_a_pasted_lago_plan_with_an_escaped_nul_is_refused_by_name(
    make: Any, staff_client: Any
) -> None:
    brand = staff_client.brand
    make.plan(brand)  # the product "mobile"
    pasted = json.dumps({"plan": {"code": "x", "name": "Plan\x00", "interval": "monthly"}})
    response = staff_client.post(
        "/admin/catalog/plans/import",
        data={"product": "mobile", "kind": "plan", "payment": "prepaid", "lago_json": pasted},
        base_url=f"http://{brand.host}",
    )
    assert response.status_code == 400
    assert "the string at /plan/name holds a NUL character" in response.get_data(as_text=True)


# Size limits


def test_an_oversized_form_answers_a_page_naming_the_limit(client: Any, brand: Any) -> None:
    response = client.post(
        "/account/login",
        data={"email": "x@example.com", "password": "x" * (2 * MIB)},
        base_url=f"http://{brand.host}",
        headers={"Accept-Language": "de"},
    )
    assert response.status_code == 413
    assert "Diese Seite nimmt höchstens 1 MiB an." in response.get_data(as_text=True)


def test_a_streamed_api_body_is_cut_off_at_the_limit(client: Any, brand: Any) -> None:
    # No Content-Length: the server says it ends the stream, the reader stops at the limit.
    response = client.post(
        "/api/v1/subscribers",
        input_stream=io.BytesIO(HUGE),
        content_type="application/json",
        base_url=f"http://{brand.host}",
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 413 and response.mimetype == PROBLEM_JSON


def test_an_endpoint_may_accept_bodies_above_the_general_limit(
    app: Any, client: Any, brand: Any, monkeypatch: Any
) -> None:
    from flask import request

    from saas.web.guards import body_limit

    @body_limit(3 * MIB)
    def upload() -> str:
        return str(len(request.get_data()))

    # An upload endpoint stands in for the language switch for the length of this test.
    monkeypatch.setitem(app.view_functions, "site.choose_locale", upload)
    base, body = f"http://{brand.host}", b"x" * (2 * MIB)
    accepted = client.post("/locale", data=body, content_type="text/csv", base_url=base)
    assert accepted.get_data() == str(2 * MIB).encode()
    too_big = client.post("/locale", data=body * 2, content_type="text/csv", base_url=base)
    assert too_big.status_code == 413
    elsewhere = client.post("/account/logout", data=body, content_type="text/csv", base_url=base)
    assert elsewhere.status_code == 413
