"""How browser sessions and log-in tokens end: at log-out and at a password change."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from flask import Flask, Request, current_app
from flask.typing import RouteCallable
from flask_login import current_user

from saas.db import db
from saas.identity import services as people


def _ending_every_session(view: Callable[..., Any]) -> Callable[..., Any]:
    """Log-out rotates the person's uniquifier: all their cookies and tokens stop working."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user.is_authenticated:
            people.end_sessions(current_user)
            db.session.commit()
        return view(*args, **kwargs)

    return wrapped


def _header_tokens_only(loader: Callable[[Request], Any]) -> Callable[[Request], Any]:
    """Accept an auth token from its header only: a URL lands in access logs and histories."""

    def load(req: Request) -> Any:
        config = current_app.config
        key = config["SECURITY_TOKEN_AUTHENTICATION_KEY"]
        if config["SECURITY_TOKEN_AUTHENTICATION_HEADER"] not in req.headers:
            return None
        body = req.get_json(silent=True) if req.is_json else None
        if key in req.args or (isinstance(body, dict) and key in body):
            return None
        return loader(req)

    return load


def _token_expiry(_user: Any) -> int:
    """Put the expiry into the token itself, where clients can read it and it is checked."""
    return int(time.time() + current_app.config["SECURITY_TOKEN_MAX_AGE"].total_seconds())


def init_app(app: Flask) -> None:
    """Bind sessions to log-out, tokens to their header and maximum age."""
    manager = app.login_manager  # type: ignore[attr-defined]
    manager.request_loader(_header_tokens_only(manager.request_callback))
    app.config["SECURITY_TOKEN_EXPIRE_TIMESTAMP"] = _token_expiry
    logout = app.view_functions["security.logout"]
    app.view_functions["security.logout"] = cast(RouteCallable, _ending_every_session(logout))
