"""The OpenAPI 3.1 description of /api/v1, generated from the routes and their models."""

from __future__ import annotations

import copy
import inspect
import re
from functools import cache
from typing import Any

from pydantic import BaseModel, Field, create_model
from pydantic.alias_generators import to_camel
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from saas.identity.roles import API_SCOPES
from saas.web.api.contract import _ID, OPERATIONS, Operation
from saas.web.api.models import Id, Listing
from saas.web.api.pagination import MAX_LIMIT
from saas.web.api.problems import PROBLEM_JSON, Problem, ValidationProblem

SCHEME = "bearerAuth"
INFO = {
    "title": "Brand API",
    "version": "1.0.0",
    "description": (
        "The JSON API of one brand, served on that brand's own host under /api/v1. "
        "Authenticate with an API key of that brand: `Authorization: Bearer <token>`. "
        "A key only works at its own brand's host. Errors are RFC 9457 problem details "
        f"(`{PROBLEM_JSON}`); a validation problem names each broken rule with a stable "
        "`code` and a `message` in the language of `Accept-Language` (among the brand's). "
        f"Lists are pages of at most {MAX_LIMIT} items; pass the `next_cursor` of one page as "
        "`cursor` to get the next, until it is null."
    ),
}
PROBLEMS = {
    400: ("BadRequest", "Unreadable: JSON that is not, too deep, or text holding NUL."),
    401: ("Unauthorized", "No key, or a key unknown, revoked or of another brand."),
    403: ("Forbidden", "The key lacks the scope this operation needs."),
    404: ("NotFound", "No such thing at this brand."),
    409: ("Refused", "The records as they stand refuse the change; `detail` says why."),
    415: ("UnsupportedMediaType", "The body is not sent as application/json."),
    422: ("ValidationFailed", "Members or parameters break rules; see `errors`."),
    429: ("TooManyRequests", "Too many requests from this client; slow down."),
}
CHALLENGE = {
    "WWW-Authenticate": {
        "description": '`Bearer realm="api"`, with `error="invalid_token"` for a bad key.',
        "schema": {"type": "string"},
    }
}
ID_TEXT = "The id of the %s; another brand's id is not found."
LOCATION = {"Location": {"description": "The new record's URL.", "schema": {"type": "string"}}}


class _Schemas(GenerateJsonSchema):
    """Schemas without titles for members, pages named after their items."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False

    def normalize_name(self, name: str) -> str:
        # A page is named after its items, as the model names itself: Page[Plan] is PlanPage.
        return super().normalize_name(re.sub(r"^(Page|List)\w*\[(\w+)\]$", r"\2\1", name))


def _ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _content(model: type[BaseModel], media: str = "application/json") -> dict[str, Any]:
    return {media: {"schema": _ref("schemas", model.__name__)}}


def _query_schema(prop: dict[str, Any]) -> dict[str, Any]:
    # A query parameter is absent or text: never null.
    kinds = [k for k in prop.pop("anyOf", []) if k != {"type": "null"}]
    if prop.get("default", ...) is None:
        del prop["default"]
    return prop | (kinds[0] if len(kinds) == 1 else {"anyOf": kinds} if kinds else {})


def _parameters(op: Operation) -> list[dict[str, Any]]:
    ids: Any = {
        name: (Id, Field(description=ID_TEXT % name.removesuffix("_id").replace("_", " ")))
        for name in _ID.findall(op.rule)
    }
    places = [("path", create_model("Ids", **ids))] + ([("query", op.query)] if op.query else [])
    return [
        {
            "name": name,
            "in": place,
            "required": name in schema.get("required", ()),
            "description": prop.pop("description", ""),
            "schema": _query_schema(prop),
        }
        for place, model in places
        for schema in [model.model_json_schema(schema_generator=_Schemas)]
        for name, prop in schema["properties"].items()
    ]


def _responses(op: Operation) -> dict[str, Any]:
    said = inspect.getdoc(op.answer) or "" if op.answer else "Done; there is nothing to answer."
    answer: dict[str, Any] = {"description": said.strip().splitlines()[0]}
    if op.answer is not None:
        answer["content"] = _content(op.answer)
    if op.reader:
        answer["headers"] = LOCATION
    # Any path or query may hold text the request guard refuses (400); the records as they stand
    # may refuse a write or its preview (409).
    codes = {400, *((401, 403, 429) if op.scope else ())}
    codes |= {409} if op.writes or op.rule.endswith("/preview") else set()
    codes |= {415, 422} if op.body else {422} if op.query else set()
    # Ids in the path or the body may name nothing at this brand; a lookup may find nothing.
    members = op.body.model_fields if op.body else {}
    lookup = op.method == "GET" and op.query and not issubclass(op.answer or Listing, Listing)
    if "<" in op.rule or any(name.endswith("_id") for name in members) or lookup:
        codes.add(404)
    return {str(op.status): answer} | {
        str(code): _ref("responses", PROBLEMS[code][0]) for code in sorted(codes)
    }


def _operation(op: Operation) -> dict[str, Any]:
    out: dict[str, Any] = {
        "operationId": to_camel(op.view.__name__),
        "summary": (op.view.__doc__ or "").strip().splitlines()[0],
        "security": [{SCHEME: [op.scope]}] if op.scope else [],
        "parameters": _parameters(op),
        "responses": _responses(op),
    }
    if op.body is not None:
        out["requestBody"] = {"required": not op.optional, "content": _content(op.body)}
    return out


def _schemas() -> dict[str, Any]:
    inputs = {op.body for op in OPERATIONS if op.body}
    outputs = {op.answer for op in OPERATIONS if op.answer} | {Problem, ValidationProblem}
    models = [(m, "validation") for m in inputs] + [(m, "serialization") for m in outputs]
    _, schema = models_json_schema(
        models,  # type: ignore[arg-type]
        ref_template="#/components/schemas/{model}",
        schema_generator=_Schemas,
    )
    return dict(sorted(schema["$defs"].items()))


def _components() -> dict[str, Any]:
    scopes = "\n".join(f"- `{name}`: {text}" for name, text in API_SCOPES.items())
    responses = {
        name: {
            "description": text,
            "content": _content(ValidationProblem if code == 422 else Problem, PROBLEM_JSON),
        }
        for code, (name, text) in PROBLEMS.items()
    }
    responses["Unauthorized"]["headers"] = CHALLENGE
    return {
        "schemas": _schemas(),
        "responses": responses,
        "securitySchemes": {
            SCHEME: {
                "type": "http",
                "scheme": "bearer",
                "description": "A brand's API key. Each operation names the scope it needs:\n"
                + scopes,
            }
        },
    }


@cache
def _document() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for op in OPERATIONS:
        path = _ID.sub(r"{\1}", op.rule)  # Flask's <int:plan_id> is OpenAPI's {plan_id}
        paths.setdefault(path, {})[op.method.lower()] = _operation(op)
    return {
        "openapi": "3.1.0",
        "info": INFO,
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": _components(),
    }


def document() -> dict[str, Any]:
    """Return the OpenAPI document of the API."""
    return copy.deepcopy(_document())
