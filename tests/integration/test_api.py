"""The JSON API: bearer keys per brand, problem+json errors, pages, and the documented shapes."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from saas.web.api.openapi import SCHEME, document
from saas.web.api.problems import PROBLEM_JSON, VALIDATION_TYPE
from tests.conftest import call, in_brand, issue_key


def assert_documented(body: Any, schema: str) -> None:
    """Check a body against a schema of the OpenAPI document, $refs included."""
    root = {"$ref": f"#/components/schemas/{schema}", "components": document()["components"]}
    errors = sorted(Draft202012Validator(root).iter_errors(body), key=str)
    assert not errors, [e.message for e in errors]


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM_JSON
    body = response.get_json()
    assert body["status"] == status
    assert_documented(body, "ValidationProblem" if status == 422 else "Problem")
    return body


@pytest.fixture
def brand(make: Any) -> Any:
    return make.brand()


@pytest.fixture
def token(app: Any, brand: Any) -> str:
    return issue_key(app, brand)[0]


def add_subscribers(app: Any, brand: Any, *emails: str, **fields: Any) -> list[int]:
    from saas.identity.services import create_user

    with in_brand(app, brand.id) as session:
        return [
            create_user(session, kind="subscriber", email=e, password=None, **fields).id
            for e in emails
        ]


# Authentication


def test_a_valid_key_reads_its_own_brand(client: Any, brand: Any, token: str) -> None:
    response = call(client, brand, "/brand", token)
    assert response.status_code == 200
    body = response.get_json()
    assert body["slug"] == brand.slug and body["name"] == brand.name
    assert_documented(body, "Brand")


def test_a_request_without_a_key_is_refused_with_a_bearer_challenge(
    client: Any, brand: Any
) -> None:
    response = call(client, brand, "/brand")
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("bad", ["nonsense", "mvno_abc_def", "Basic dXNlcjpwYXNz"])
def test_an_unknown_token_is_refused(client: Any, brand: Any, token: str, bad: str) -> None:
    response = call(client, brand, "/brand", bad)
    assert_problem(response, 401)
    assert "Bearer" in response.headers["WWW-Authenticate"]


def test_a_token_with_a_real_prefix_but_a_wrong_secret_is_refused(
    client: Any, brand: Any, token: str
) -> None:
    forged = "_".join(token.split("_", 2)[:2]) + "_" + "x" * 43
    assert_problem(call(client, brand, "/brand", forged), 401)


def test_a_revoked_key_is_refused(app: Any, client: Any, brand: Any) -> None:
    from saas.identity.api_keys import revoke

    token, _, key_id = issue_key(app, brand)
    assert call(client, brand, "/brand", token).status_code == 200
    with in_brand(app, brand.id) as session:
        revoke(session, key_id)
    response = call(client, brand, "/brand", token)
    assert_problem(response, 401)
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_a_key_without_the_scope_is_forbidden(app: Any, client: Any, brand: Any) -> None:
    token, _, _ = issue_key(app, brand, ("brand.read",))
    assert call(client, brand, "/brand", token).status_code == 200
    response = call(client, brand, "/subscribers", token)
    body = assert_problem(response, 403)
    assert "subscribers.read" in body["detail"]
    assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]


def test_a_key_of_one_brand_is_refused_at_another_brands_host(
    client: Any, make: Any, brand: Any, token: str
) -> None:
    other = make.brand()
    assert_problem(call(client, other, "/brand", token), 401)


def test_a_logged_in_staff_session_does_not_open_the_api(staff_client: Any) -> None:
    assert_problem(call(staff_client, staff_client.brand, "/subscribers"), 401)


def test_using_a_key_records_when_it_was_last_used(app: Any, client: Any, brand: Any) -> None:
    from saas.db import get_scoped
    from saas.identity.api_keys import ApiKey

    token, _, key_id = issue_key(app, brand)
    call(client, brand, "/brand", token)
    with in_brand(app, brand.id) as session:
        assert get_scoped(session, ApiKey, key_id).last_used_at is not None


def test_a_keys_use_is_written_after_the_answer_and_at_most_once_a_minute(
    app: Any, client: Any, brand: Any
) -> None:
    from sqlalchemy import event

    from saas.db import db, get_scoped
    from saas.identity.api_keys import ApiKey

    token, _, key_id = issue_key(app, brand)
    writes: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE API_KEYS"):
            writes.append(statement)

    def last_used() -> Any:
        with in_brand(app, brand.id) as session:
            return get_scoped(session, ApiKey, key_id).last_used_at

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        answer = client.get(
            "/api/v1/brand",
            base_url=f"http://{brand.host}",
            headers={"Authorization": f"Bearer {token}"},
            buffered=False,
        )
        assert answer.status_code == 200 and writes == []  # nothing written while answering
        answer.close()
        assert len(writes) == 1
        first = last_used()
        for _ in range(3):
            assert call(client, brand, "/brand", token).status_code == 200
        assert len(writes) == 1 and last_used() == first
        with in_brand(app, brand.id) as session:
            get_scoped(session, ApiKey, key_id).last_used_at = first - timedelta(minutes=2)
        call(client, brand, "/brand", token)
        assert len(writes) == 3 and last_used() > first  # the reset above, and one use
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_the_api_does_not_exist_on_the_platform_host(client: Any, token: str) -> None:
    response = client.get(
        "/api/v1/brand", base_url="http://localhost", headers={"Authorization": f"Bearer {token}"}
    )
    assert_problem(response, 404)


# Subscribers


def test_a_subscriber_is_shown_without_secrets(
    app: Any, client: Any, brand: Any, token: str
) -> None:
    (sub_id,) = add_subscribers(app, brand, "shown@example.com", full_name="Shown Person")
    response = call(client, brand, f"/subscribers/{sub_id}", token)
    assert response.status_code == 200
    body = response.get_json()
    assert body["email"] == "shown@example.com" and body["full_name"] == "Shown Person"
    assert not {"password", "fs_uniquifier", "tf_totp_secret"} & set(body)
    assert_documented(body, "Subscriber")


def test_another_brands_subscriber_id_is_not_found(
    app: Any, client: Any, make: Any, brand: Any, token: str
) -> None:
    other = make.brand()
    (foreign_id,) = add_subscribers(app, other, "foreign@example.com")
    body = assert_problem(call(client, brand, f"/subscribers/{foreign_id}", token), 404)
    assert "foreign@example.com" not in str(body)


def test_a_staff_members_id_is_not_a_subscriber(
    client: Any, make: Any, brand: Any, token: str
) -> None:
    staff = make.user(brand, "staff", ("owner",))
    assert_problem(call(client, brand, f"/subscribers/{staff.id}", token), 404)


def test_creating_a_subscriber_answers_201_with_its_location(
    app: Any, client: Any, brand: Any
) -> None:
    from saas.identity import audit

    token, prefix, _ = issue_key(app, brand)
    response = call(
        client,
        brand,
        "/subscribers",
        token,
        "POST",
        json={"email": "new@example.com", "full_name": "New Person", "locale": "en"},
    )
    assert response.status_code == 201
    body = response.get_json()
    assert_documented(body, "Subscriber")
    assert response.headers["Location"].endswith(f"/api/v1/subscribers/{body['id']}")
    fetched = call(client, brand, f"/subscribers/{body['id']}", token)
    assert fetched.get_json() == body
    with in_brand(app, brand.id) as session:
        created = audit.recent(session, object_type="users")[0]
        assert (created.action, created.object_id) == ("create", str(body["id"]))
        assert created.actor_label == f"apikey:{prefix}"


def test_a_duplicate_email_is_a_conflict(app: Any, client: Any, brand: Any, token: str) -> None:
    add_subscribers(app, brand, "taken@example.com")
    response = call(
        client, brand, "/subscribers", token, "POST", json={"email": "Taken@Example.com"}
    )
    assert_problem(response, 409)


def test_a_refused_change_carries_the_rules_code_and_says_it_in_the_callers_language(
    app: Any, client: Any, make: Any
) -> None:
    brand = make.brand(default_locale="en", locales=["en", "de"])
    token = issue_key(app, brand)[0]
    add_subscribers(app, brand, "taken@example.com")
    body = {"email": "taken@example.com"}
    headers = {"Accept-Language": "de"}
    response = call(client, brand, "/subscribers", token, "POST", json=body, headers=headers)
    refused = assert_problem(response, 409)
    assert refused["code"] == "identity.email_taken"
    assert refused["detail"] == "Für taken@example.com gibt es bei dieser Marke bereits ein Konto."


def test_invalid_members_are_each_named_in_a_validation_problem(
    client: Any, brand: Any, token: str
) -> None:
    response = call(
        client,
        brand,
        "/subscribers",
        token,
        "POST",
        json={"email": "not-an-address", "locale": "xx", "password": "secret123"},
    )
    body = assert_problem(response, 422)
    assert body["type"] == VALIDATION_TYPE
    assert {e["pointer"] for e in body["errors"]} == {"/email", "/locale", "/password"}


def test_a_missing_email_and_a_non_object_body_are_validation_problems(
    client: Any, brand: Any, token: str
) -> None:
    missing = assert_problem(call(client, brand, "/subscribers", token, "POST", json={}), 422)
    assert [e["pointer"] for e in missing["errors"]] == ["/email"]
    listed = call(client, brand, "/subscribers", token, "POST", json=["a@example.com"])
    assert assert_problem(listed, 422)["errors"][0]["pointer"] == ""


def test_each_broken_rule_has_a_stable_code_and_a_message_in_the_callers_language(
    app: Any, client: Any, make: Any
) -> None:
    brand = make.brand(default_locale="en", locales=["en", "de", "pl"])
    token = issue_key(app, brand)[0]
    body = {"email": "x" * 250 + "@example.com", "locale": 7}
    messages = {}
    for language in ("de", "pl", "en"):
        headers = {"Accept-Language": f"{language},en;q=0.5"}
        response = call(client, brand, "/subscribers", token, "POST", json=body, headers=headers)
        errors = assert_problem(response, 422)["errors"]
        assert [(e["pointer"], e["code"]) for e in errors] == [
            ("/email", "too_long"),
            ("/locale", "not_text"),
        ]
        messages[language] = errors[0]["message"]
    assert messages == {
        "de": "Darf höchstens 254 Zeichen haben.",
        "pl": "Może mieć najwyżej 254 znaków.",
        "en": "Must have at most 254 characters.",
    }


def test_a_language_the_brand_does_not_offer_gets_the_brands_own(
    app: Any, client: Any, make: Any
) -> None:
    brand = make.brand(default_locale="de", locales=["de"])
    token = issue_key(app, brand)[0]
    response = call(
        client, brand, "/subscribers", token, "POST", json={}, headers={"Accept-Language": "pl"}
    )
    (error,) = assert_problem(response, 422)["errors"]
    assert (error["code"], error["message"]) == ("required", "Dieses Feld ist erforderlich.")


def test_malformed_json_is_a_bad_request(client: Any, brand: Any, token: str) -> None:
    response = call(
        client,
        brand,
        "/subscribers",
        token,
        "POST",
        data="{not json",
        content_type="application/json",
    )
    assert_problem(response, 400)


def test_a_form_body_is_an_unsupported_media_type(client: Any, brand: Any, token: str) -> None:
    response = call(
        client, brand, "/subscribers", token, "POST", data={"email": "form@example.com"}
    )
    assert_problem(response, 415)


def test_writing_needs_the_write_scope(app: Any, client: Any, brand: Any) -> None:
    token, _, _ = issue_key(app, brand, ("subscribers.read",))
    response = call(
        client, brand, "/subscribers", token, "POST", json={"email": "nope@example.com"}
    )
    assert_problem(response, 403)


# Pages


def test_subscribers_come_in_pages_that_follow_the_cursor(
    app: Any, client: Any, brand: Any, token: str
) -> None:
    ids = add_subscribers(app, brand, *(f"page{i}@example.com" for i in range(5)))
    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = call(client, brand, "/subscribers", token, query_string=query).get_json()
        assert_documented(body, "SubscriberPage")
        assert len(body["data"]) <= 2
        seen += [s["id"] for s in body["data"]]
        pages, cursor = pages + 1, body["next_cursor"]
        if cursor is None:
            break
    assert seen == ids and pages == 3


def test_search_keeps_matching_subscribers_only(
    app: Any, client: Any, brand: Any, token: str
) -> None:
    add_subscribers(app, brand, "alice@example.com", "bob@example.com")
    body = call(client, brand, "/subscribers", token, query_string={"q": "ALI"}).get_json()
    assert [s["email"] for s in body["data"]] == ["alice@example.com"]


@pytest.mark.parametrize(
    "query, parameter",
    [
        ({"limit": 101}, "limit"),
        ({"limit": 0}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"cursor": "garbage!"}, "cursor"),
    ],
)
def test_bad_page_parameters_are_validation_problems(
    client: Any, brand: Any, token: str, query: dict[str, Any], parameter: str
) -> None:
    response = call(client, brand, "/subscribers", token, query_string=query)
    assert [e["parameter"] for e in assert_problem(response, 422)["errors"]] == [parameter]


def test_audit_events_are_listed_newest_first_in_pages(app: Any, client: Any, brand: Any) -> None:
    token, _, _ = issue_key(app, brand, ("audit.read",))
    add_subscribers(app, brand, "audited1@example.com", "audited2@example.com")
    first = call(client, brand, "/audit-events", token, query_string={"limit": 1}).get_json()
    assert_documented(first, "AuditEventPage")
    second = call(
        client,
        brand,
        "/audit-events",
        token,
        query_string={"limit": 1, "cursor": first["next_cursor"]},
    ).get_json()
    assert first["data"][0]["id"] > second["data"][0]["id"]
    users = call(
        client, brand, "/audit-events", token, query_string={"object_type": "users"}
    ).get_json()["data"]
    assert [e["object_type"] for e in users] == ["users", "users"]
    # The log-in uniquifier is a secret that changes at every log-out: never part of the trail.
    assert not any("fs_uniquifier" in e["changes"] for e in users)


def test_audit_events_of_another_brand_are_not_listed(
    app: Any, client: Any, make: Any, brand: Any, token: str
) -> None:
    other = make.brand()
    add_subscribers(app, other, "elsewhere@example.com")
    events = call(client, brand, "/audit-events", token, query_string={"limit": 100})
    assert "elsewhere@example.com" not in events.get_data(as_text=True)


def test_failed_jobs_lists_this_brands_dead_letters_only(
    app: Any, client: Any, make: Any, brand: Any, token: str
) -> None:
    from saas.jobs.services import discard, record_dead_letter

    def dead_letter(target: Any, error: str) -> int:
        with in_brand(app, target.id) as session:
            return record_dead_letter(
                session,
                message_id=uuid.uuid4().hex,
                queue_name="default",
                actor_name="deliver_email",
                args=[target.id, 1],
                kwargs={},
                retries=3,
                error=error,
                traceback="Traceback ...",
            ).id

    mine = dead_letter(brand, "ours")
    dropped = dead_letter(brand, "dropped")
    dead_letter(make.brand(), "theirs")
    with in_brand(app, brand.id) as session:
        discard(session, dropped)
    body = call(client, brand, "/jobs/failed", token).get_json()
    assert_documented(body, "FailedJobPage")
    assert [j["id"] for j in body["data"]] == [mine]
    assert "traceback" not in body["data"][0]


# Errors


def test_an_unknown_api_route_is_a_problem(client: Any, brand: Any, token: str) -> None:
    assert_problem(call(client, brand, "/no-such-thing", token), 404)
    assert_problem(client.get("/api/v2/brand", base_url=f"http://{brand.host}"), 404)


def test_a_wrong_method_is_a_problem_that_names_the_allowed_ones(
    client: Any, brand: Any, token: str
) -> None:
    response = call(client, brand, "/brand", token, "DELETE")
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_html_pages_keep_their_themed_error_page(client: Any, brand: Any) -> None:
    response = client.get("/no-such-page", base_url=f"http://{brand.host}")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_too_many_requests_is_a_problem(
    app: Any, client: Any, brand: Any, token: str, monkeypatch: Any
) -> None:
    monkeypatch.setitem(app.config, "SAAS_API_RATE_LIMIT", "2 per minute")
    assert [call(client, brand, "/brand", token).status_code for _ in range(2)] == [200, 200]
    assert_problem(call(client, brand, "/brand", token), 429)


def test_the_openapi_document_is_served_without_a_key(client: Any, brand: Any) -> None:
    response = call(client, brand, "/openapi.json")
    assert response.status_code == 200
    assert response.get_json() == document()


# The document and the code


def api_operations(app: Any) -> dict[tuple[str, str], Any]:
    """Map (OpenAPI path, method) to the view of every rule under /api/v1."""
    found = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule[len("/api/v1") :])
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found[(path, method.lower())] = app.view_functions[rule.endpoint]
    return found


def documented_operations() -> dict[tuple[str, str], Any]:
    return {
        (path, method): op
        for path, item in document()["paths"].items()
        for method, op in item.items()
    }


def test_a_search_the_request_guard_refuses_answers_a_documented_status(
    client: Any, brand: Any, token: str
) -> None:
    response = call(client, brand, "/subscribers", token, query_string={"q": "a\x00"})
    assert_problem(response, 400)
    assert "400" in documented_operations()[("/subscribers", "get")]["responses"]


def test_every_api_route_is_documented_and_nothing_else(app: Any) -> None:
    routes = set(api_operations(app))
    assert ("/subscribers/{subscriber_id}", "get") in routes
    assert routes == set(documented_operations())


def test_each_operation_documents_the_scope_its_view_demands(app: Any) -> None:
    documented = documented_operations()
    for key, view in api_operations(app).items():
        scope = getattr(view, "api_scope", None)
        assert documented[key]["security"] == ([{SCHEME: [scope]}] if scope else []), key
