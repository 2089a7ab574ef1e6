"""How browser sessions and log-in tokens end: at log-out, at a password change, and when idle."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from flask import Flask, Request, current_app, flash, redirect, request, session, url_for
from flask.typing import RouteCallable
from flask_babel import gettext as _
from flask_login import current_user
from flask_security.signals import user_authenticated, user_failed_authn
from flask_security.utils import get_request_attr, logout_user

from saas.config import Settings
from saas.db import db, unit_of_work
from saas.identity import audit
from saas.identity import services as people
from saas.identity.actor import Actor, acting_as
from saas.identity.models import SUBSCRIBER

# Unix time of the session's last request, refreshed at most once every REFRESH_SECONDS so that
# an active session's cookie is not rewritten on every request.
LAST_SEEN = "_seen"
REFRESH_SECONDS = 60
# Files are no activity of a person (nor is the API, which never looks at cookies).
_UNWATCHED = {"static", "theme_asset"}


def idle_seconds(settings: Settings, kind: str) -> int:
    """How long a person of this kind may leave a session unused; staff and operators less."""
    minutes = (
        settings.subscriber_idle_minutes if kind == SUBSCRIBER else settings.staff_idle_minutes
    )
    return minutes * 60


def _stamp(_sender: Any, **_extra: Any) -> None:
    session[LAST_SEEN] = int(time.time())


def _record_login(_sender: Any, user: Any, **_extra: Any) -> None:
    # Flask-Security commits the log-in's bookkeeping; this row goes with it.
    with acting_as(Actor(user.email, user.id, request.remote_addr)):
        audit.record(db.session, "login", "users", user.id)


def _record_failed_login(_sender: Any, user: Any, **_extra: Any) -> None:
    # A refused log-in commits nothing of its own: the row is written on its own.
    with unit_of_work() as session:
        audit.record(session, "login.failed", "users", user.id)


def _still_active(kind: str) -> bool:
    """Whether the session was seen within the idle time; refresh its stamp when due."""
    seen, now = session.get(LAST_SEEN), int(time.time())
    # A session with no stamp predates this rule or was revived from a cookie without one.
    if not isinstance(seen, int) or now - seen > idle_seconds(current_app.config["SAAS"], kind):
        return False
    if now - seen >= REFRESH_SECONDS:
        session[LAST_SEEN] = now
    return True


def _watched() -> bool:
    if request.blueprint == "api" or request.endpoint in _UNWATCHED:
        return False
    # An explicit log-out goes ahead, idle or not, and ends every session of the person.
    if request.endpoint == "security.logout" or not current_user.is_authenticated:
        return False
    return bool(get_request_attr("fs_authn_via") == "session")


def _end_idle_session() -> Any:
    if not _watched() or _still_active(current_user.kind):
        return None
    logout_user()
    session.pop(LAST_SEEN, None)
    flash(_("Your session has expired. Please log in again."), "info")
    if request.blueprint == "security":
        # The log-in and reset pages serve the now anonymous person as they are.
        return None
    return redirect(url_for("security.login", next=request.full_path))


def _ending_every_session(view: Callable[..., Any]) -> Callable[..., Any]:
    """Log-out rotates the person's uniquifier: all their cookies and tokens stop working."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user.is_authenticated:
            audit.record(db.session, "logout", "users", current_user.id)
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
    """Bind sessions to the idle rule and log-out, tokens to their header and maximum age."""
    manager = app.login_manager  # type: ignore[attr-defined]
    manager.request_loader(_header_tokens_only(manager.request_callback))
    app.config["SECURITY_TOKEN_EXPIRE_TIMESTAMP"] = _token_expiry
    user_authenticated.connect(_stamp, app)
    user_authenticated.connect(_record_login, app)
    user_failed_authn.connect(_record_failed_login, app)
    app.before_request(_end_idle_session)
    logout = app.view_functions["security.logout"]
    app.view_functions["security.logout"] = cast(RouteCallable, _ending_every_session(logout))
