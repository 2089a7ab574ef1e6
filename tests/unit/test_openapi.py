"""The OpenAPI document is valid and describes exactly the routes and scopes the code has."""

from __future__ import annotations

import re
from typing import Any

import pytest
from openapi_spec_validator import validate

from saas.identity.roles import API_SCOPES
from saas.web.api.openapi import SCHEME, SCOPES, document
from saas.web.api.pagination import decode_cursor, encode_cursor

PREFIX = "/api/v1"
IGNORED_METHODS = {"HEAD", "OPTIONS"}


@pytest.fixture(scope="module")
def app() -> Any:
    from saas import create_app
    from saas.config import load_settings

    # Only the URL map is read: no database is opened.
    settings = load_settings({}, env="test", database_url="sqlite://")
    return create_app({"SAAS": settings, "TESTING": True})


def api_operations(app: Any) -> dict[tuple[str, str], Any]:
    """Map (OpenAPI path, method) to the view of every rule under /api/v1."""
    found = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(PREFIX + "/"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule[len(PREFIX):])
        for method in rule.methods - IGNORED_METHODS:
            found[(path, method.lower())] = app.view_functions[rule.endpoint]
    return found


def documented_operations() -> dict[tuple[str, str], Any]:
    return {(path, method): op for path, item in document()["paths"].items()
            for method, op in item.items()}


def test_the_document_is_valid_openapi() -> None:
    validate(document())


def test_every_api_route_is_documented_and_nothing_else(app: Any) -> None:
    routes = set(api_operations(app))
    assert routes, "no API routes found"
    assert routes == set(documented_operations())


def test_each_operation_documents_the_scope_its_view_demands(app: Any) -> None:
    documented = documented_operations()
    for key, view in api_operations(app).items():
        scope = getattr(view, "api_scope", None)
        expected = [{SCHEME: [scope]}] if scope else []
        assert documented[key]["security"] == expected, key


def test_the_documented_scopes_are_the_scopes_keys_can_hold() -> None:
    assert set(SCOPES) == set(API_SCOPES)


def test_path_parameters_are_declared_for_every_templated_path() -> None:
    doc = document()
    for path, item in doc["paths"].items():
        for method, op in item.items():
            declared = {doc["components"]["parameters"][p["$ref"].rsplit("/", 1)[1]]["name"]
                        for p in op.get("parameters", [])}
            assert set(re.findall(r"{(\w+)}", path)) <= declared, (path, method)


def test_a_cursor_round_trips_and_foreign_cursors_are_refused() -> None:
    assert decode_cursor(encode_cursor(42)) == 42
    for foreign in ("", "42", "not base64!", encode_cursor(1).lower(), "YWZ0ZXI6wrI"):
        assert decode_cursor(foreign) is None, foreign
