"""Read and check request bodies before any service sees them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from flask import request
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from saas.identity.services import EMAIL
from saas.web.api.problems import ValidationFailed, field_error

NEW_SUBSCRIBER_FIELDS = ("email", "full_name", "locale")
MAX_EMAIL, MAX_NAME = 254, 200


def json_object() -> dict[str, Any]:
    """Return the request's JSON body, which must be an object."""
    if not request.is_json:
        raise UnsupportedMediaType("Send the body as application/json.")
    try:
        body = json.loads(request.get_data(as_text=True))
    except ValueError:
        raise BadRequest("The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise ValidationFailed([field_error("", "must be a JSON object")])
    return body


def _text(body: dict[str, Any], name: str, limit: int, errors: list[dict[str, str]]) -> str:
    value = body.get(name, "")
    if not isinstance(value, str):
        errors.append(field_error(f"/{name}", "must be a string"))
        return ""
    if len(value.strip()) > limit:
        errors.append(field_error(f"/{name}", f"must have at most {limit} characters"))
    return value.strip()


def _locale(
    body: dict[str, Any], offered: Sequence[str], errors: list[dict[str, str]]
) -> str | None:
    value = body.get("locale")
    if value is not None and value not in offered:
        errors.append(field_error("/locale", f"must be one of {', '.join(offered)} or null"))
        return None
    return value


def new_subscriber(body: dict[str, Any], offered_locales: Sequence[str]) -> dict[str, Any]:
    """Check a new subscriber's members and return them cleaned, or raise ValidationFailed."""
    errors = [
        field_error(f"/{name}", "is not a known member")
        for name in body
        if name not in NEW_SUBSCRIBER_FIELDS
    ]
    if "email" not in body:
        errors.append(field_error("/email", "is required"))
    email = _text(body, "email", MAX_EMAIL, errors)
    if "email" in body and isinstance(body["email"], str) and not EMAIL.match(email):
        errors.append(field_error("/email", "is not an e-mail address"))
    full_name = _text(body, "full_name", MAX_NAME, errors)
    locale = _locale(body, offered_locales, errors)
    if errors:
        raise ValidationFailed(errors)
    return {"email": email, "full_name": full_name, "locale": locale}
