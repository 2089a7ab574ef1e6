"""RFC 9457 problem details: every API error is an application/problem+json object."""

from __future__ import annotations

import re
from collections.abc import Container
from typing import Any
from urllib.parse import quote

from flask import Response, current_app, request
from flask_babel import gettext
from pydantic import MISSING, BaseModel, ConfigDict, Field, ValidationError
from werkzeug.exceptions import HTTPException, InternalServerError, UnprocessableEntity
from werkzeug.http import HTTP_STATUS_CODES

from saas.errors import N_, Refusal
from saas.web.refusals import say

PROBLEM_JSON = "application/problem+json"
VALIDATION_TYPE = "tag:saas-mvno,2025:problems/validation-error"
SERVER_ERROR_DETAIL = "The server failed to answer this request; the error was logged."

# Stable codes of broken rules: what each says (translated when the problem is written), and
# the error types of pydantic's own that are the same rule.
RULES = {
    "required": (N_("This member is required."), "missing"),
    "unknown_member": (N_("This member is not known here."), "extra_forbidden"),
    "not_text": (N_("Must be text."), "string_type"),
    "not_boolean": (N_("Must be true or false."), "bool_type"),
    "not_integer": (N_("Must be a whole number."), "int_type", "int_parsing", "int_from_float"),
    "not_object": (N_("Must be a JSON object."), "dict_type", "model_type"),
    "not_array": (N_("Must be an array."), "list_type"),
    "decimal_as_text": (N_('Write the decimal as text, e.g. "9.99"; floats are not exact.'),),
    "too_long": (N_("Must have at most %(max_length)s characters."), "string_too_long"),
    "empty": (N_("Must not be empty."), "string_too_short"),
    "too_small": (N_("Must be at least %(ge)s."), "greater_than_equal"),
    "too_large": (N_("Must be at most %(le)s."), "less_than_equal"),
    "not_one_of": (N_("Must be one of %(options)s."),),
    "not_a_code": (
        N_("Must be 1 to 64 lowercase letters, digits, dots, dashes or underscores."),
        "string_pattern_mismatch",  # a code's pattern is the only one a body's members have
    ),
    "not_an_email": (N_("Is not an e-mail address."),),
    "not_a_currency": (N_("Is not an ISO 4217 currency code."),),
    "not_a_time": (N_("Is not an ISO 8601 time."),),
    "not_a_date": (N_("Is not a date such as 1990-05-31."),),
    "needs_offset": (N_("Needs a time zone offset, e.g. Z or +01:00."),),
    "out_of_calendar": (N_("Must fall between the years 1 and 9999."),),
    "not_a_cursor": (N_("Is not a cursor this API handed out."),),
    "one_account": (N_("Cannot be given with account_id; choose one account."),),
    "msisdn_or_imsi": (N_("Give either msisdn or imsi, not both and not neither."),),
}
PYDANTIC_CODES = {kind: code for code, (_, *kinds) in RULES.items() for kind in kinds}


class InvalidMember(BaseModel):
    """One broken rule: `pointer` names a body member (JSON Pointer), `parameter` a query one."""

    model_config = ConfigDict(extra="forbid")

    pointer: str | MISSING = Field(MISSING, description="A JSON Pointer into the body.")
    parameter: str | MISSING = Field(MISSING, description="A query parameter.")
    code: str = Field(examples=["decimal_as_text", "too_long", "required", "not_integer"])
    message: str = Field(description="What is wrong, in the caller's language.")


class Problem(BaseModel):
    """An RFC 9457 problem details object."""

    type: str = Field(json_schema_extra={"format": "uri-reference"}, examples=["about:blank"])
    title: str = Field(description="The HTTP status phrase.")
    status: int = Field(ge=400, le=599)
    detail: str
    instance: str = Field(
        json_schema_extra={"format": "uri-reference"},
        description="The path of the request that failed.",
    )
    code: str | MISSING = Field(MISSING, description="The code of the rule that refused, if any.")


class ValidationProblem(Problem):
    """A problem whose `errors` name every member or parameter that breaks a rule."""

    errors: list[InvalidMember] = Field(min_length=1)


class ValidationFailed(UnprocessableEntity):
    """A request whose members or parameters break the rules, each named in `errors`."""

    def __init__(self, errors: list[dict[str, str]]):
        super().__init__("The request has invalid members or parameters; see errors.")
        self.members = {"type": VALIDATION_TYPE, "errors": errors}


def _pointer(path: list[int | str]) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _path(field: str) -> list[int | str]:
    """The parts of a path a domain rule names, such as `properties.ranges[0].rate`."""
    return re.findall(r"[^.\[\]]+", field)


def _message(code: str, params: dict[str, Any], fallback: str) -> str:
    if "said" in params:  # a domain refusal, said in the caller's language already
        return str(params["said"])
    return gettext(RULES[code][0], **params) if code in RULES else fallback


def refused_at(pointer: str, refusal: Refusal) -> dict[str, str]:
    """A domain rule's refusal of one member of the body, by its own code."""
    return {"pointer": pointer, "code": refusal.code, "message": say(refusal, record=False)}


def invalid(refusal: Refusal, members: Container[str] | None = None) -> ValidationFailed:
    """A domain rule's refusal of the member of the body it names (if one of `members`)."""
    field = refusal.field or ""
    path = _path(field) if members is None or field in members else []
    return ValidationFailed([refused_at(_pointer(path), refusal)])


def from_validation(exc: ValidationError, where: str = "pointer") -> ValidationFailed:
    """Name each broken rule of a body (by pointer) or of a query (by parameter)."""
    errors = []
    for error in exc.errors(include_url=False):
        params = dict(error.get("ctx") or {})
        code = PYDANTIC_CODES.get(error["type"], error["type"])
        loc = [*error["loc"], *_path(str(params.pop("at", "")))]
        name = _pointer(loc) if where == "pointer" else str(loc[0])
        errors.append({where: name, "code": code, "message": _message(code, params, error["msg"])})
    return ValidationFailed(errors)


def from_http_exception(exc: HTTPException) -> Response:
    """Turn any HTTP error raised while answering an API request into a problem."""
    code = exc.code or 500
    detail = exc.description or HTTP_STATUS_CODES.get(code, "")
    body = {
        "type": "about:blank",
        "title": HTTP_STATUS_CODES.get(code, "Error"),
        "status": code,
        "detail": SERVER_ERROR_DETAIL if isinstance(exc, InternalServerError) else detail,
        # Percent-encoded again, so the member stays a URI reference whatever the path held.
        "instance": quote(request.path, safe="/"),
        # A refusal's code, a validation problem's type and errors: what the error brings.
        **getattr(exc, "members", {}),
    }
    # Headers such as Allow and WWW-Authenticate belong on the problem too.
    headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
    return current_app.response_class(
        current_app.json.dumps(body), status=code, headers=headers, mimetype=PROBLEM_JSON
    )


def is_api_request() -> bool:
    """Tell whether the request is addressed to the API, matched by a route or not."""
    return request.path == "/api" or request.path.startswith("/api/")
