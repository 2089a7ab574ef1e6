"""The OpenAPI 3.1 description of /api/v1; tests hold it to the routes and the responses."""

from __future__ import annotations

import copy
from typing import Any

from saas.web.api import openapi_catalog, openapi_promotions, openapi_subscriptions
from saas.web.api.openapi_parts import (
    SCHEME,
    content,
    listing,
    nullable,
    obj,
    ok,
    operation,
    page_of,
    problem,
    ref,
)
from saas.web.api.pagination import DEFAULT_LIMIT, MAX_LIMIT
from saas.web.api.problems import PROBLEM_JSON, VALIDATION_TYPE

__all__ = ["SCHEME", "SCOPES", "document"]

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
        ref("schemas", "Problem"),
        {
            "type": "object",
            "required": ["errors"],
            "properties": {
                "type": {"const": VALIDATION_TYPE},
                "errors": {
                    "type": "array",
                    "minItems": 1,
                    "items": ref("schemas", "InvalidMember"),
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

BRAND = obj(
    ["slug", "name", "currency", "default_locale", "locales", "timezone", "country"],
    slug={"type": "string"},
    name={"type": "string"},
    currency={"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217 code."},
    default_locale={"type": "string"},
    locales={"type": "array", "items": {"type": "string"}},
    timezone={"type": "string", "description": "IANA time zone name."},
    country={"type": "string", "description": "ISO 3166-1 alpha-2 code, or empty."},
)

SUBSCRIBER = obj(
    ["id", "email", "full_name", "locale", "active", "created_at"],
    id={"type": "integer"},
    email={"type": "string", "format": "email"},
    full_name={"type": "string"},
    locale=nullable("string"),
    active={"type": "boolean"},
    created_at={"type": "string", "format": "date-time"},
)

NEW_SUBSCRIBER = obj(
    ["email"],
    email={"type": "string", "format": "email", "maxLength": 254},
    full_name={"type": "string", "maxLength": 200, "default": ""},
    locale=nullable("string", description="One of the brand's locales; null for its default."),
)

AUDIT_EVENT = obj(
    ["id", "at", "actor", "actor_user_id", "ip", "action", "object_type", "object_id", "changes"],
    id={"type": "integer"},
    at={"type": "string", "format": "date-time"},
    actor={
        "type": "string",
        "description": "Who acted: an e-mail, `apikey:<prefix>`, `system` or `anonymous`.",
    },
    actor_user_id=nullable("integer"),
    ip=nullable("string"),
    action={"type": "string", "examples": ["create", "update", "delete"]},
    object_type={"type": "string"},
    object_id={"type": "string"},
    changes={"type": "object", "description": "Changed fields; secrets read `[redacted]`."},
)

FAILED_JOB = obj(
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


CHALLENGE = {
    "WWW-Authenticate": {
        "description": '`Bearer realm="api"`, with `error="invalid_token"` for a bad key.',
        "schema": {"type": "string"},
    }
}

RESPONSES = {
    "BadRequest": problem("The body is not valid JSON."),
    "Unauthorized": problem(
        "No key, or a key unknown, revoked or of another brand.", headers=CHALLENGE
    ),
    "Forbidden": problem("The key lacks the scope this operation needs."),
    "NotFound": problem("No such thing at this brand."),
    "Conflict": problem("The e-mail address already has an account at this brand."),
    "Refused": problem(
        "The change cannot be made to the records as they stand; `detail` names the record "
        "and the reason, e.g. `plan 'basic' version 1: is published: prices change in a new "
        "draft version`."
    ),
    "UnsupportedMediaType": problem("The body is not sent as application/json."),
    "ValidationFailed": problem(
        "Members or parameters break the rules; see `errors`.", "ValidationProblem"
    ),
    "TooManyRequests": problem("Too many requests from this client; slow down."),
}


def _paths() -> dict[str, Any]:
    return (
        _base_paths()
        | openapi_catalog.paths()
        | openapi_promotions.paths()
        | openapi_subscriptions.paths()
    )


def _base_paths() -> dict[str, Any]:
    return {
        "/openapi.json": {
            "get": {
                "operationId": "getOpenApi",
                "summary": "This document.",
                "security": [],
                "responses": {
                    "200": {
                        "description": "The OpenAPI document.",
                        "content": content({"type": "object"}),
                    }
                },
            }
        },
        "/brand": {
            "get": operation(
                "getBrand",
                "The brand this host serves.",
                "brand.read",
                {"200": ok("The brand.", "Brand")},
            )
        },
        "/subscribers": {
            "get": listing(
                "listSubscribers",
                "Subscribers, oldest first.",
                "subscribers.read",
                "Subscriber",
                ("Search",),
            ),
            "post": operation(
                "createSubscriber",
                "Add a subscriber (without a password).",
                "subscribers.write",
                {
                    "201": ok(
                        "The new subscriber.",
                        "Subscriber",
                        headers={
                            "Location": {
                                "description": "The new subscriber's URL.",
                                "schema": {"type": "string"},
                            }
                        },
                    ),
                    "400": ref("responses", "BadRequest"),
                    "409": ref("responses", "Conflict"),
                    "415": ref("responses", "UnsupportedMediaType"),
                    "422": ref("responses", "ValidationFailed"),
                },
                body="NewSubscriber",
            ),
        },
        "/subscribers/{subscriber_id}": {
            "get": operation(
                "getSubscriber",
                "One subscriber.",
                "subscribers.read",
                {"200": ok("The subscriber.", "Subscriber"), "404": ref("responses", "NotFound")},
                parameters=("SubscriberId",),
            )
        },
        "/audit-events": {
            "get": listing(
                "listAuditEvents",
                "The audit log, newest first.",
                "audit.read",
                "AuditEvent",
                ("ObjectType",),
            )
        },
        "/jobs/failed": {
            "get": listing(
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
            "SubscriberPage": page_of("Subscriber"),
            "AuditEventPage": page_of("AuditEvent"),
            "FailedJobPage": page_of("FailedJob"),
            **openapi_catalog.SCHEMAS,
            **openapi_promotions.SCHEMAS,
            **openapi_subscriptions.SCHEMAS,
        },
        "parameters": {
            **PARAMETERS,
            **openapi_catalog.PARAMETERS,
            **openapi_promotions.PARAMETERS,
            **openapi_subscriptions.PARAMETERS,
        },
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
