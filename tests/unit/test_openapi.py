"""The OpenAPI document is valid OpenAPI; cursors are opaque and checked."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

from saas.identity.roles import API_SCOPES
from saas.web.api.openapi import document
from saas.web.api.pagination import decode_cursor, encode_cursor


def test_the_document_is_valid_openapi() -> None:
    validate(document())


def test_the_documented_scopes_are_the_scopes_keys_can_hold() -> None:
    doc = document()
    said = doc["components"]["securitySchemes"]["bearerAuth"]["description"]
    assert set(re.findall(r"- `([\w.]+)`: ", said)) == set(API_SCOPES)
    needed = {
        scope
        for item in doc["paths"].values()
        for op in item.values()
        for need in op["security"]
        for scope in need["bearerAuth"]
    }
    assert needed == set(API_SCOPES)


def test_path_parameters_are_declared_for_every_templated_path() -> None:
    doc = document()
    for path, item in doc["paths"].items():
        for method, op in item.items():
            declared = {p["name"] for p in op["parameters"] if p["in"] == "path"}
            assert set(re.findall(r"{(\w+)}", path)) <= declared, (path, method)


def test_a_cursor_round_trips_and_foreign_cursors_are_refused() -> None:
    assert decode_cursor(encode_cursor(42)) == 42
    for foreign in ("", "42", "not base64!", encode_cursor(1).lower(), "YWZ0ZXI6wrI"):
        assert decode_cursor(foreign) is None, foreign
