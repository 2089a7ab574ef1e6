"""Odd ids name no record: 404 or a named error, never a crash or a malformed problem."""

from __future__ import annotations

from typing import Any

import pytest

from saas.identity.roles import API_SCOPES
from tests.conftest import call, get, issue_key, logged_in

HUGE = 16531430258084618240  # past BIGINT: the database cannot even compare it


@pytest.mark.parametrize(
    "path",
    [
        f"/plan-migrations/{HUGE}/cancel",
        f"/subscriptions/{HUGE}/resume",
        f"/plan-versions/{HUGE}/publish",
    ],
)
def test_an_api_path_with_a_huge_id_is_not_found(
    app: Any, client: Any, make: Any, path: str
) -> None:
    brand = make.brand()
    token, _, _ = issue_key(app, brand, API_SCOPES)
    response = call(client, brand, path, token, method="POST")
    assert response.status_code == 404
    assert response.json["status"] == 404


@pytest.mark.parametrize(
    "method, path",
    [
        ("PATCH", f"/plans/{HUGE}"),
        ("PUT", f"/plan-versions/{HUGE}"),
        ("DELETE", f"/plan-versions/{2**31}"),
    ],
)
def test_a_huge_id_is_not_found_by_every_method_of_the_path_not_a_wrong_method(
    app: Any, client: Any, make: Any, method: str, path: str
) -> None:
    brand = make.brand()
    token, _, _ = issue_key(app, brand, API_SCOPES)
    response = call(client, brand, path, token, method=method, json={})
    assert response.status_code == 404, response.json


def test_a_huge_id_in_a_body_is_named_as_out_of_range(app: Any, client: Any, make: Any) -> None:
    brand = make.brand()
    token, _, _ = issue_key(app, brand, API_SCOPES)
    body = {"subscriber_id": HUGE, "plan_version_id": 1}
    response = call(client, brand, "/subscriptions/preview", token, method="POST", json=body)
    assert response.status_code == 422
    assert [e["pointer"] for e in response.json["errors"]] == ["/subscriber_id"]


def test_console_and_portal_pages_with_a_huge_id_are_not_found(app: Any, make: Any) -> None:
    brand = make.brand()
    console = logged_in(app, make, brand)
    for path in (f"/admin/catalog/plans/{HUGE}", f"/admin/subscriptions/{HUGE}"):
        assert get(console, path).status_code == 404, path
    portal = logged_in(app, make, brand, kind="subscriber")
    assert get(portal, f"/plan/{HUGE}").status_code == 404


def test_a_problem_names_an_odd_path_as_a_uri_reference(app: Any, client: Any, make: Any) -> None:
    brand = make.brand()
    token, _, _ = issue_key(app, brand, API_SCOPES)
    response = call(client, brand, "/plan-versions/%3E%C3%86 x", token)
    assert response.status_code == 404
    assert response.json["instance"] == "/api/v1/plan-versions/%3E%C3%86%20x"


PAST_INTEGER = 2**31  # fits BIGINT, not the INTEGER id columns


def test_an_id_just_past_the_id_columns_is_not_found_nor_a_crash(
    app: Any, client: Any, make: Any
) -> None:
    brand = make.brand()
    token, _, _ = issue_key(app, brand, API_SCOPES)
    assert call(client, brand, f"/subscriptions/{PAST_INTEGER}", token).status_code == 404
    body = {"subscriber_id": PAST_INTEGER, "plan_version_id": 1}
    refused = call(client, brand, "/subscriptions/preview", token, method="POST", json=body)
    assert refused.status_code == 422
    listing = call(client, brand, f"/subscriptions?subscriber_id={PAST_INTEGER}", token)
    assert listing.status_code == 422
    assert listing.json["errors"][0]["parameter"] == "subscriber_id"
    console = logged_in(app, make, brand)
    assert get(console, f"/admin/catalog/plans/{PAST_INTEGER}").status_code == 404


def test_a_forged_cursor_past_the_id_columns_is_refused(app: Any, client: Any, make: Any) -> None:
    from saas.web.api.pagination import encode_cursor

    brand = make.brand()
    token, _, _ = issue_key(app, brand, API_SCOPES)
    response = call(client, brand, f"/subscriptions?cursor={encode_cursor(PAST_INTEGER)}", token)
    assert response.status_code == 422
