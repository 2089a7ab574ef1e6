"""Read and check request bodies before any service sees them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from flask import request
from werkzeug.exceptions import UnsupportedMediaType

from saas.identity.services import EMAIL
from saas.web.api.problems import ValidationFailed, field_error, parameter_error
from saas.web.routing import MAX_ROW_ID

NEW_SUBSCRIBER_FIELDS = ("email", "full_name", "locale")
MAX_EMAIL, MAX_NAME = 254, 200


def json_object() -> dict[str, Any]:
    """Return the request's JSON body, which must be an object."""
    if not request.is_json:
        raise UnsupportedMediaType("Send the body as application/json.")
    # The one JSON reader refuses deep nesting and text the database cannot hold (web.guards).
    body = request.get_json()
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


# Members by JSON type; a "?" suffix also allows null.
Errors = list[dict[str, str]]
MAX_REASON = 500


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_KINDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "string": (lambda v: isinstance(v, str), "a string"),
    "boolean": (lambda v: isinstance(v, bool), "true or false"),
    "integer": (_is_int, "a whole number"),
    "id": (
        lambda v: _is_int(v) and 1 <= v <= MAX_ROW_ID,
        f"the id of a record, a whole number from 1 to {MAX_ROW_ID}",
    ),
    "object": (lambda v: isinstance(v, dict), "a JSON object"),
    "array": (lambda v: isinstance(v, list), "an array"),
    # Exact decimals travel as text (an integer will do); floats lose digits, so they are refused.
    "decimal": (
        lambda v: isinstance(v, str) or _is_int(v),
        'a decimal written as text, e.g. "9.99"; floats are not exact',
    ),
}


def _fits(value: Any, kind: str) -> bool:
    if kind.endswith("?"):
        return value is None or _fits(value, kind[:-1])
    return _KINDS[kind][0](value)


def members(
    body: dict[str, Any], allowed: Mapping[str, str], required: Sequence[str] = (), base: str = ""
) -> Errors:
    """Name the unknown, missing and wrongly typed members of an object."""
    errors = [field_error(f"{base}/{n}", "is not a known member") for n in body if n not in allowed]
    errors += [field_error(f"{base}/{n}", "is required") for n in required if n not in body]
    for name, kind in allowed.items():
        if name in body and not _fits(body[name], kind):
            words = _KINDS[kind.rstrip("?")][1] + (" or null" if kind.endswith("?") else "")
            errors.append(field_error(f"{base}/{name}", f"must be {words}"))
    return errors


def checked(body: dict[str, Any], allowed: Mapping[str, str], required: Sequence[str] = ()) -> Any:
    """Return the body if its members are known and well typed, or raise ValidationFailed."""
    errors = members(body, allowed, required)
    if errors:
        raise ValidationFailed(errors)
    return body


def optional_json_object() -> dict[str, Any]:
    """Return the request's JSON object, or an empty one when no body was sent."""
    return json_object() if request.get_data() else {}


def _limited(body: dict[str, Any], name: str, limit: int, errors: Errors) -> None:
    if isinstance(body.get(name), str) and len(body[name].strip()) > limit:
        errors.append(field_error(f"/{name}", f"must have at most {limit} characters"))


def _one_of(body: dict[str, Any], name: str, options: Sequence[str], errors: Errors) -> None:
    if name in body and body[name] not in options:
        errors.append(field_error(f"/{name}", f"must be one of {', '.join(options)}"))


def _done(errors: Errors, value: Any) -> Any:
    if errors:
        raise ValidationFailed(errors)
    return value


# Query parameters


def choice_parameter(args: Mapping[str, str], name: str, options: Sequence[str]) -> str | None:
    """Read an optional parameter that must be one of some options."""
    value = args.get(name)
    if value is not None and value not in options:
        raise ValidationFailed([parameter_error(name, f"must be one of {', '.join(options)}")])
    return value


def id_parameter(args: Mapping[str, str], name: str) -> int | None:
    """Read an optional record id parameter."""
    value = args.get(name)
    if value is None:
        return None
    plain = value.isascii() and value.isdigit() and len(value) <= 10
    if not (plain and 0 < int(value) <= MAX_ROW_ID):
        raise ValidationFailed([parameter_error(name, "must be the id of a record")])
    return int(value)


def instant_parameter(args: Mapping[str, str], name: str) -> datetime:
    """Read a required ISO 8601 time with a zone offset."""
    value = args.get(name)
    if value is None:
        raise ValidationFailed([parameter_error(name, "is required")])
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationFailed([parameter_error(name, "is not an ISO 8601 time")]) from None
    if moment.tzinfo is None:
        detail = "needs a time zone offset, e.g. Z or +01:00"
        raise ValidationFailed([parameter_error(name, detail)])
    # Its date in any zone must exist too, so the calendar's first and last years are refused.
    if not 1 < moment.year < 9999:
        raise ValidationFailed([parameter_error(name, "must fall between the years 1 and 9999")])
    return moment.astimezone(UTC)


# Subscriptions

SUBSCRIBE = {
    "subscriber_id": "id",
    "plan_version_id": "id",
    "promo_code": "string?",
    "line_label": "string",
    "account_id": "id",
    "company_account_name": "string",
}
CANCEL = {"when": "string", "reason": "string"}


def subscribe(body: dict[str, Any]) -> dict[str, Any]:
    """Check a subscription request: who, which version, and optionally the account it joins."""
    errors = members(body, SUBSCRIBE, ("subscriber_id", "plan_version_id"))
    _limited(body, "line_label", 120, errors)
    _limited(body, "company_account_name", MAX_NAME, errors)
    name = body.get("company_account_name")
    if isinstance(name, str) and not name.strip():
        errors.append(field_error("/company_account_name", "must not be empty"))
    if "account_id" in body and "company_account_name" in body:
        detail = "cannot be given with account_id; choose one account"
        errors.append(field_error("/company_account_name", detail))
    return _done(errors, body)


def version_choice(body: dict[str, Any]) -> int:
    """Check a body naming one plan version (a plan change or an add-on)."""
    return int(checked(body, {"plan_version_id": "id"}, ("plan_version_id",))["plan_version_id"])


def cancellation(body: dict[str, Any]) -> dict[str, Any]:
    """Check a cancellation: when (now or period_end) and an optional reason."""
    errors = members(body, CANCEL, ("when",))
    _one_of(body, "when", ("now", "period_end"), errors)
    _limited(body, "reason", MAX_REASON, errors)
    return _done(errors, {"when": body.get("when"), "reason": body.get("reason", "")})


def reason(body: dict[str, Any]) -> str:
    """Check a body holding an optional reason."""
    errors = members(body, {"reason": "string"})
    _limited(body, "reason", MAX_REASON, errors)
    return str(_done(errors, body.get("reason", "")))
