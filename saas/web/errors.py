"""Error pages: plain for unknown hosts, themed for a known brand."""

from __future__ import annotations

from typing import Any

from flask import Flask, g, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from saas.web import guards
from saas.web.api import problems

# What each error page says, in the reader's language (Werkzeug's own words are English).
PAGES = {
    400: (
        _l("Bad request"),
        _l("The request could not be read. Check what was typed and try again."),
    ),
    403: (_l("Forbidden"), _l("You may not open this page.")),
    404: (_l("Page not found"), _l("There is no such page here. Check the address and try again.")),
    405: (_l("Not possible"), _l("This page cannot be used that way.")),
    429: (
        _l("Too many attempts"),
        _l("Too many attempts in a short time. Wait a minute and try again."),
    ),
}


def _page(exc: HTTPException) -> Any:
    if problems.is_api_request():
        # Flask prefers these per-code handlers to the API blueprint's, and unknown API routes
        # have no blueprint at all: API clients get problem+json either way.
        return problems.from_http_exception(exc)
    if g.get("tenant") is None:
        # No brand resolved: answer plainly, never with some brand's look.
        return f"{exc.code} {exc.name}\n", exc.code, {"Content-Type": "text/plain; charset=utf-8"}
    title, text = PAGES.get(exc.code or 0, (exc.name, exc.description))
    if exc.code in (400, 413) and exc.description != type(exc).description:
        text = exc.description  # the input guards' reason, said in the reader's language
    return render_template("error.html", error=exc, title=title, text=text), exc.code


def _too_large(_exc: HTTPException) -> Any:
    # Werkzeug's own 413 names no limit and speaks only English.
    return _page(guards.too_large())


def init_app(app: Flask) -> None:
    """Render 4xx errors through the theme (the API answers problem+json itself)."""
    for code in (400, 403, 404, 405, 429):
        app.register_error_handler(code, _page)
    app.register_error_handler(413, _too_large)
