"""Builders for the OpenAPI document: schema shapes, parameters and operations."""

from __future__ import annotations

from typing import Any

from saas.web.api.problems import PROBLEM_JSON

SCHEME = "bearerAuth"
DECIMAL = {
    "type": "string",
    "pattern": r"^-?\d+(\.\d+)?$",
    "description": "An exact decimal written as text.",
    "examples": ["9.99"],
}
DATE_TIME = {"type": "string", "format": "date-time"}
LOCATION = {"Location": {"description": "The new record's URL.", "schema": {"type": "string"}}}


def ref(kind: str, name: str) -> dict[str, str]:
    """Point at a reusable component."""
    return {"$ref": f"#/components/{kind}/{name}"}


def content(schema: dict[str, Any], media: str = "application/json") -> dict[str, Any]:
    """A content map of one media type."""
    return {media: {"schema": schema}}


def nullable(kind: str, **extra: Any) -> dict[str, Any]:
    """A schema of one JSON type or null."""
    return {"type": [kind, "null"], **extra}


def obj(required: list[str], **properties: Any) -> dict[str, Any]:
    """A closed object schema."""
    return {
        "type": "object",
        "required": required,
        "properties": properties,
        "additionalProperties": False,
    }


def array_of(name: str) -> dict[str, Any]:
    """An array of a named schema."""
    return {"type": "array", "items": ref("schemas", name)}


def page_of(item: str) -> dict[str, Any]:
    """A page of items with the cursor of the next page."""
    return obj(
        ["data", "next_cursor"],
        data=array_of(item),
        next_cursor=nullable(
            "string", description="Pass as `cursor` for the next page; null on the last page."
        ),
    )


def path_id(name: str, what: str) -> dict[str, Any]:
    """A numeric id in the path."""
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": f"The id of the {what}; another brand's id is not found.",
        "schema": {"type": "integer"},
    }


def query(name: str, description: str, schema: dict[str, Any], required: bool = False) -> Any:
    """A query parameter."""
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
    }


def problem(
    description: str, schema: str = "Problem", headers: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A response that is a problem details object."""
    response: dict[str, Any] = {
        "description": description,
        "content": content(ref("schemas", schema), PROBLEM_JSON),
    }
    if headers:
        response["headers"] = headers
    return response


def ok(description: str, schema: str, **extra: Any) -> dict[str, Any]:
    """A JSON response of a named schema."""
    return {"description": description, "content": content(ref("schemas", schema)), **extra}


def operation(
    op_id: str,
    summary: str,
    scope: str,
    responses: dict[str, Any],
    parameters: tuple[str, ...] = (),
    body: str | None = None,
    body_required: bool = True,
) -> dict[str, Any]:
    """An operation guarded by an API key with one scope."""
    op: dict[str, Any] = {
        "operationId": op_id,
        "summary": summary,
        "security": [{SCHEME: [scope]}],
        "parameters": [ref("parameters", p) for p in parameters],
        "responses": {
            **responses,
            "401": ref("responses", "Unauthorized"),
            "403": ref("responses", "Forbidden"),
            "429": ref("responses", "TooManyRequests"),
        },
    }
    if body:
        op["requestBody"] = {"required": body_required, "content": content(ref("schemas", body))}
    return op


def listing(
    op_id: str, summary: str, scope: str, item: str, extra: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A paged list operation."""
    return operation(
        op_id,
        summary,
        scope,
        {
            "200": ok(f"A page of {item} items.", f"{item}Page"),
            "422": ref("responses", "ValidationFailed"),
        },
        parameters=("Limit", "Cursor", *extra),
    )


def refusals(*codes: str) -> dict[str, Any]:
    """The usual error responses of a body-taking or id-taking operation, by status code."""
    names = {
        "400": "BadRequest",
        "404": "NotFound",
        "409": "Refused",
        "415": "UnsupportedMediaType",
        "422": "ValidationFailed",
    }
    return {code: ref("responses", names[code]) for code in codes}


def write(
    op_id: str,
    summary: str,
    scope: str,
    answer: tuple[str, str, str],
    parameters: tuple[str, ...] = (),
    body: str | None = None,
    not_found: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    """An operation on records named by id (in the path or body) that the domain may refuse."""
    status, description, schema = answer
    codes = ("404", "409") if parameters or not_found else ("409",)
    if body:
        codes = ("400", *codes, "415", "422")
    responses = {status: ok(description, schema, **extra), **refusals(*codes)}
    return operation(op_id, summary, scope, responses, parameters, body)
