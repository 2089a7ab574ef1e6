"""The OpenAPI 3.1 description of /api/v1; tests hold it to the routes and the responses."""

from __future__ import annotations

import copy
from typing import Any

from saas.web.api.pagination import DEFAULT_LIMIT, MAX_LIMIT
from saas.web.api.problems import PROBLEM_JSON, VALIDATION_TYPE

SCHEME = "bearerAuth"
SCOPES = {
    "brand.read": "Read the brand's public settings",
    "subscribers.read": "List and read subscribers",
    "subscribers.write": "Create subscribers",
    "catalog.read": "Read metrics, products, plans, versions and promotions",
    "catalog.write": "Design plans and versions, publish them, manage promotions",
    "subscriptions.read": "Read subscriptions, their history and price previews",
    "subscriptions.write": "Subscribe, change plans, suspend, resume and cancel",
    "audit.read": "Read the audit log",
    "jobs.read": "See dead-lettered background jobs",
}

INFO = {
    "title": "Brand API",
    "version": "1.0.0",
    "description": (
        "The JSON API of one brand, served on that brand's own host under /api/v1. "
        "Authenticate with an API key of that brand: `Authorization: Bearer <token>`. "
        "A key only works at its own brand's host. Errors are RFC 9457 problem details "
        f"(`{PROBLEM_JSON}`). Lists are pages of at most {MAX_LIMIT} items; pass the "
        "`next_cursor` of one page as `cursor` to get the next, until it is null."
    ),
}


def _ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _json(schema: dict[str, Any], media: str = "application/json") -> dict[str, Any]:
    return {media: {"schema": schema}}


def _nullable(kind: str, **extra: Any) -> dict[str, Any]:
    return {"type": [kind, "null"], **extra}


def _object(required: list[str], **properties: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "required": required,
        "properties": properties,
        "additionalProperties": False,
    }


def _page_of(item: str) -> dict[str, Any]:
    return _object(
        ["data", "next_cursor"],
        data={"type": "array", "items": _ref("schemas", item)},
        next_cursor=_nullable(
            "string", description="Pass as `cursor` for the next page; null on the last page."
        ),
    )


PROBLEM = {
    "type": "object",
    "description": "An RFC 9457 problem details object.",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string", "format": "uri-reference", "examples": ["about:blank"]},
        "title": {"type": "string", "description": "The HTTP status phrase."},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {
            "type": "string",
            "format": "uri-reference",
            "description": "The path of the request that failed.",
        },
    },
}

VALIDATION_PROBLEM = {
    "allOf": [
        _ref("schemas", "Problem"),
        {
            "type": "object",
            "required": ["errors"],
            "properties": {
                "type": {"const": VALIDATION_TYPE},
                "errors": {
                    "type": "array",
                    "minItems": 1,
                    "items": _ref("schemas", "InvalidMember"),
                },
            },
        },
    ],
}

INVALID_MEMBER = {
    "type": "object",
    "description": "One broken rule: `pointer` names a body member (JSON Pointer), "
    "`parameter` a query parameter.",
    "required": ["detail"],
    "oneOf": [{"required": ["pointer"]}, {"required": ["parameter"]}],
    "properties": {
        "detail": {"type": "string"},
        "pointer": {"type": "string"},
        "parameter": {"type": "string"},
    },
    "additionalProperties": False,
}

BRAND = _object(
    ["slug", "name", "currency", "default_locale", "locales", "timezone", "country"],
    slug={"type": "string"},
    name={"type": "string"},
    currency={"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217 code."},
    default_locale={"type": "string"},
    locales={"type": "array", "items": {"type": "string"}},
    timezone={"type": "string", "description": "IANA time zone name."},
    country={"type": "string", "description": "ISO 3166-1 alpha-2 code, or empty."},
)

SUBSCRIBER = _object(
    ["id", "email", "full_name", "locale", "active", "created_at"],
    id={"type": "integer"},
    email={"type": "string", "format": "email"},
    full_name={"type": "string"},
    locale=_nullable("string"),
    active={"type": "boolean"},
    created_at={"type": "string", "format": "date-time"},
)

NEW_SUBSCRIBER = _object(
    ["email"],
    email={"type": "string", "format": "email", "maxLength": 254},
    full_name={"type": "string", "maxLength": 200, "default": ""},
    locale=_nullable("string", description="One of the brand's locales; null for its default."),
)

AUDIT_EVENT = _object(
    ["id", "at", "actor", "actor_user_id", "ip", "action", "object_type", "object_id", "changes"],
    id={"type": "integer"},
    at={"type": "string", "format": "date-time"},
    actor={
        "type": "string",
        "description": "Who acted: an e-mail, `apikey:<prefix>`, `system` or `anonymous`.",
    },
    actor_user_id=_nullable("integer"),
    ip=_nullable("string"),
    action={"type": "string", "examples": ["create", "update", "delete"]},
    object_type={"type": "string"},
    object_id={"type": "string"},
    changes={"type": "object", "description": "Changed fields; secrets read `[redacted]`."},
)

FAILED_JOB = _object(
    [
        "id",
        "message_id",
        "queue",
        "actor",
        "args",
        "kwargs",
        "retries",
        "error",
        "status",
        "failed_at",
    ],
    id={"type": "integer"},
    message_id={"type": "string"},
    queue={"type": "string"},
    actor={"type": "string"},
    args={"type": "array"},
    kwargs={"type": "object"},
    retries={"type": "integer"},
    error={"type": "string"},
    status={"const": "dead"},
    failed_at={"type": "string", "format": "date-time"},
)

PARAMETERS = {
    "Limit": {
        "name": "limit",
        "in": "query",
        "required": False,
        "description": "How many items to return.",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    },
    "Cursor": {
        "name": "cursor",
        "in": "query",
        "required": False,
        "description": "The `next_cursor` of the previous page.",
        "schema": {"type": "string"},
    },
    "Search": {
        "name": "q",
        "in": "query",
        "required": False,
        "description": "Keep subscribers whose e-mail or name contains this text.",
        "schema": {"type": "string"},
    },
    "ObjectType": {
        "name": "object_type",
        "in": "query",
        "required": False,
        "description": "Keep events about this kind of object, e.g. `users`.",
        "schema": {"type": "string"},
    },
    "SubscriberId": {
        "name": "subscriber_id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer"},
    },
}


def _problem(
    description: str, schema: str = "Problem", headers: dict[str, Any] | None = None
) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": _json(_ref("schemas", schema), PROBLEM_JSON),
    }
    if headers:
        response["headers"] = headers
    return response


CHALLENGE = {
    "WWW-Authenticate": {
        "description": '`Bearer realm="api"`, with `error="invalid_token"` for a bad key.',
        "schema": {"type": "string"},
    }
}

RESPONSES = {
    "BadRequest": _problem("The body is not valid JSON."),
    "Unauthorized": _problem(
        "No key, or a key unknown, revoked or of another brand.", headers=CHALLENGE
    ),
    "Forbidden": _problem("The key lacks the scope this operation needs."),
    "NotFound": _problem("No such thing at this brand."),
    "Conflict": _problem("The e-mail address already has an account at this brand."),
    "UnsupportedMediaType": _problem("The body is not sent as application/json."),
    "ValidationFailed": _problem(
        "Members or parameters break the rules; see `errors`.", "ValidationProblem"
    ),
    "TooManyRequests": _problem("Too many requests from this client; slow down."),
}


def _ok(description: str, schema: str, **extra: Any) -> dict[str, Any]:
    return {"description": description, "content": _json(_ref("schemas", schema)), **extra}


def _operation(
    op_id: str,
    summary: str,
    scope: str,
    responses: dict[str, Any],
    parameters: tuple[str, ...] = (),
    body: str | None = None,
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": op_id,
        "summary": summary,
        "security": [{SCHEME: [scope]}],
        "parameters": [_ref("parameters", p) for p in parameters],
        "responses": {
            **responses,
            "401": _ref("responses", "Unauthorized"),
            "403": _ref("responses", "Forbidden"),
            "429": _ref("responses", "TooManyRequests"),
        },
    }
    if body:
        operation["requestBody"] = {"required": True, "content": _json(_ref("schemas", body))}
    return operation


def _listing(
    op_id: str, summary: str, scope: str, item: str, extra: tuple[str, ...] = ()
) -> dict[str, Any]:
    return _operation(
        op_id,
        summary,
        scope,
        {
            "200": _ok(f"A page of {item} items.", f"{item}Page"),
            "422": _ref("responses", "ValidationFailed"),
        },
        parameters=("Limit", "Cursor", *extra),
    )


def _paths() -> dict[str, Any]:
    return {
        "/openapi.json": {
            "get": {
                "operationId": "getOpenApi",
                "summary": "This document.",
                "security": [],
                "responses": {
                    "200": {
                        "description": "The OpenAPI document.",
                        "content": _json({"type": "object"}),
                    }
                },
            }
        },
        "/brand": {
            "get": _operation(
                "getBrand",
                "The brand this host serves.",
                "brand.read",
                {"200": _ok("The brand.", "Brand")},
            )
        },
        "/subscribers": {
            "get": _listing(
                "listSubscribers",
                "Subscribers, oldest first.",
                "subscribers.read",
                "Subscriber",
                ("Search",),
            ),
            "post": _operation(
                "createSubscriber",
                "Add a subscriber (without a password).",
                "subscribers.write",
                {
                    "201": _ok(
                        "The new subscriber.",
                        "Subscriber",
                        headers={
                            "Location": {
                                "description": "The new subscriber's URL.",
                                "schema": {"type": "string"},
                            }
                        },
                    ),
                    "400": _ref("responses", "BadRequest"),
                    "409": _ref("responses", "Conflict"),
                    "415": _ref("responses", "UnsupportedMediaType"),
                    "422": _ref("responses", "ValidationFailed"),
                },
                body="NewSubscriber",
            ),
        },
        "/subscribers/{subscriber_id}": {
            "get": _operation(
                "getSubscriber",
                "One subscriber.",
                "subscribers.read",
                {"200": _ok("The subscriber.", "Subscriber"), "404": _ref("responses", "NotFound")},
                parameters=("SubscriberId",),
            )
        },
        "/audit-events": {
            "get": _listing(
                "listAuditEvents",
                "The audit log, newest first.",
                "audit.read",
                "AuditEvent",
                ("ObjectType",),
            )
        },
        "/jobs/failed": {
            "get": _listing(
                "listFailedJobs",
                "Dead-lettered jobs not yet retried or discarded, newest first.",
                "jobs.read",
                "FailedJob",
            )
        },
    }


def _components() -> dict[str, Any]:
    scopes = "\n".join(f"- `{name}`: {text}" for name, text in SCOPES.items())
    return {
        "schemas": {
            "Problem": PROBLEM,
            "ValidationProblem": VALIDATION_PROBLEM,
            "InvalidMember": INVALID_MEMBER,
            "Brand": BRAND,
            "Subscriber": SUBSCRIBER,
            "NewSubscriber": NEW_SUBSCRIBER,
            "AuditEvent": AUDIT_EVENT,
            "FailedJob": FAILED_JOB,
            "SubscriberPage": _page_of("Subscriber"),
            "AuditEventPage": _page_of("AuditEvent"),
            "FailedJobPage": _page_of("FailedJob"),
        },
        "parameters": PARAMETERS,
        "responses": RESPONSES,
        "securitySchemes": {
            SCHEME: {
                "type": "http",
                "scheme": "bearer",
                "description": "A brand's API key. Each operation names the scope it needs:\n"
                + scopes,
            }
        },
    }


def document() -> dict[str, Any]:
    """Return the OpenAPI document of the API."""
    return copy.deepcopy(
        {
            "openapi": "3.1.0",
            "info": INFO,
            "servers": [{"url": "/api/v1"}],
            "paths": _paths(),
            "components": _components(),
        }
    )
