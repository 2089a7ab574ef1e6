"""Input no view could use, refused once for every request: size, JSON, unstorable text."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from flask import Flask, Request, current_app, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge, UnsupportedMediaType

from saas.jsonread import UNFIT_REASON, UNFIT_TEXT, UnfitJson, read_json, shown
from saas.web.api import problems

# The view attribute that raises the request size limit for one endpoint.
BODY_LIMIT = "max_body_bytes"
MIB = 1024 * 1024

View = TypeVar("View", bound=Callable[..., Any])


class _BodyJson:
    """What `request.get_json()` parses a body with: the one JSON reader."""

    loads = staticmethod(read_json)


class GuardedRequest(Request):
    """Flask's request, reading JSON bodies with the one reader, with a size limit per endpoint."""

    @property
    def json_module(self) -> Any:
        return _BodyJson

    @json_module.setter
    def json_module(self, _provider: Any) -> None:
        # Flask hands every request the app's JSON provider. Bodies keep the one reader; the
        # provider stays as it is for the rest (session cookies, which a refusal would break).
        pass

    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        if e is None:
            raise UnsupportedMediaType("Send the body as application/json.")
        if isinstance(e, UnfitJson):
            raise BadRequest(f"The request body cannot be used: {e}.")
        raise BadRequest(f"The request body is not valid JSON: {e}.")

    @property
    def max_content_length(self) -> int | None:
        """The endpoint's own limit if it declared one, else MAX_CONTENT_LENGTH."""
        raised = getattr(_view(self), BODY_LIMIT, None)
        if self._max_content_length is None and raised is not None:
            return int(raised)
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value


def _view(req: Request) -> Any:
    if req.url_rule is None or not current_app:
        return None
    return current_app.view_functions.get(req.url_rule.endpoint)


def body_limit(max_bytes: int) -> Callable[[View], View]:
    """Let one endpoint accept bodies up to `max_bytes` (an upload), above the general limit."""

    def decorator(view: View) -> View:
        setattr(view, BODY_LIMIT, max_bytes)
        return view

    return decorator


def too_large() -> RequestEntityTooLarge:
    """The 413 for this request, naming the limit of the endpoint it was sent to."""
    limit = request.max_content_length or 0
    if problems.is_api_request():
        return RequestEntityTooLarge(
            f"The request body is larger than the {limit} bytes this endpoint accepts."
        )
    return RequestEntityTooLarge(
        _("The request is too large: this page accepts at most %(size)s.", size=_size(limit))
    )


def _size(limit: int) -> str:
    if limit >= MIB:
        return f"{limit / MIB:g} MiB"
    return f"{limit / 1024:g} KiB"


def _texts() -> Iterator[tuple[str, str, str]]:
    """Yield (where, name, value) for every text of the path, the query and the form."""
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str):
            yield "path", name, value
    for name, value in request.args.items(multi=True):
        yield "parameter", name, value
    for name, value in request.form.items(multi=True):
        yield "field", name, value


_API_PLACES = {
    "path": "The address",
    "parameter": "The query parameter {name}",
    "field": "The form field {name}",
}


def _unfit_text(where: str, name: str) -> BadRequest:
    name = shown(name)
    if problems.is_api_request():
        return BadRequest(f"{_API_PLACES[where].format(name=name)} {UNFIT_REASON}.")
    return BadRequest(_page_message(where, name))


def _page_message(where: str, name: str) -> str:
    if where == "path":
        return _("The address contains a NUL character or a broken Unicode character.")
    if where == "parameter":
        return _(
            "The search or filter “%(name)s” contains a NUL character or a broken Unicode "
            "character and cannot be used.",
            name=name,
        )
    return _(
        "The field “%(name)s” contains a NUL character or a broken Unicode character "
        "and cannot be saved.",
        name=name,
    )


def refuse_unfit_input() -> None:
    """Refuse an oversized body, an unreadable API body, and text the database cannot hold."""
    limit = request.max_content_length
    if limit is not None and (request.content_length or 0) > limit:
        raise too_large()
    for where, name, value in _texts():
        if UNFIT_TEXT.search(name) or UNFIT_TEXT.search(value):
            raise _unfit_text(where, name)
    # API bodies are JSON: read each one now, so a broken one is refused whatever the view reads.
    if problems.is_api_request() and request.is_json and request.get_data():
        request.get_json()


def init_app(app: Flask) -> None:
    """Check every request's input before its view runs."""
    app.before_request(refuse_unfit_input)
