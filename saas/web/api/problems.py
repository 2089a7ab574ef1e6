"""RFC 9457 problem details: every API error is an application/problem+json object."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Response, current_app, request
from werkzeug.exceptions import HTTPException, InternalServerError, UnprocessableEntity
from werkzeug.http import HTTP_STATUS_CODES

PROBLEM_JSON = "application/problem+json"
VALIDATION_TYPE = "tag:saas-mvno,2025:problems/validation-error"
SERVER_ERROR_DETAIL = "The server failed to answer this request; the error was logged."


class ValidationFailed(UnprocessableEntity):
    """A request whose members or parameters break the rules, each named in `errors`."""

    def __init__(self, errors: list[dict[str, str]]):
        super().__init__("The request has invalid members or parameters; see errors.")
        self.errors = errors


def field_error(pointer: str, detail: str) -> dict[str, str]:
    """Name a problem with a member of the JSON body by its JSON Pointer."""
    return {"pointer": pointer, "detail": detail}


def parameter_error(name: str, detail: str) -> dict[str, str]:
    """Name a problem with a query parameter."""
    return {"parameter": name, "detail": detail}


def problem(
    status: int,
    detail: str,
    *,
    type_: str = "about:blank",
    headers: list[tuple[str, str]] | None = None,
    **extensions: Any,
) -> Response:
    """Build a problem+json response."""
    body = {
        "type": type_,
        "title": HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": detail,
        # Percent-encoded again, so the member stays a URI reference whatever the path held.
        "instance": quote(request.path, safe="/"),
        **extensions,
    }
    response = current_app.response_class(
        current_app.json.dumps(body), status=status, mimetype=PROBLEM_JSON
    )
    for name, value in headers or ():
        response.headers[name] = value
    return response


def from_http_exception(exc: HTTPException) -> Response:
    """Turn any HTTP error raised while answering an API request into a problem."""
    code = exc.code or 500
    # Headers such as Allow and WWW-Authenticate belong on the problem too.
    headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
    if isinstance(exc, ValidationFailed):
        return problem(
            code, exc.description or "", type_=VALIDATION_TYPE, headers=headers, errors=exc.errors
        )
    if isinstance(exc, InternalServerError):
        return problem(code, SERVER_ERROR_DETAIL, headers=headers)
    detail = exc.description or HTTP_STATUS_CODES.get(code, "")
    # A refusal's code (and any other member an error brings) goes into the problem.
    return problem(code, detail, headers=headers, **getattr(exc, "members", {}))


def is_api_request() -> bool:
    """Tell whether the request is addressed to the API, matched by a route or not."""
    return request.path == "/api" or request.path.startswith("/api/")
