"""Bearer API keys: the only way in to the API; cookies and sessions are not looked at."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import Forbidden, Unauthorized

from saas.db import db, unit_of_work, utcnow
from saas.identity import actor, api_keys
from saas.tenancy.context import tenant_scope

REALM = "api"
log = logging.getLogger(__name__)


class _Challenged:
    """An error that tells the client how to authenticate (RFC 6750)."""

    challenge = f'Bearer realm="{REALM}"'

    def get_headers(self, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
        headers = super().get_headers(*args, **kwargs)  # type: ignore[misc]
        return [*headers, ("WWW-Authenticate", self.challenge)]


class MissingKey(_Challenged, Unauthorized):
    """No bearer token was sent."""


class BadKey(_Challenged, Unauthorized):
    """The bearer token names no active key of this brand."""

    challenge = f'Bearer realm="{REALM}", error="invalid_token"'


class MissingScope(_Challenged, Forbidden):
    """The key is good but not allowed to do this."""

    def __init__(self, scope: str):
        super().__init__(f"This API key lacks the scope {scope}.")
        self.challenge = f'Bearer realm="{REALM}", error="insufficient_scope", scope="{scope}"'


def bearer_token() -> str | None:
    """Return the token of an `Authorization: Bearer` header, if one was sent."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def admit(scope: str) -> None:
    """Let in a request bearing an active key of this brand that holds `scope`, acting as it."""
    token = bearer_token()
    if token is None:
        raise MissingKey("Send an API key as 'Authorization: Bearer <token>'.")
    key = api_keys.authenticate(db.session, token)
    if key is None:
        raise BadKey("The API key is unknown, revoked or belongs to another brand.")
    if not key.allows(scope):
        raise MissingScope(scope)
    actor.leave(g.pop("_actor_token"))
    g._actor_token = actor.enter(actor.Actor(f"apikey:{key.prefix}", ip=request.remote_addr))
    g.api_key = key
    if api_keys.use_is_stale(key, utcnow()):
        g.api_key_use = (key.tenant_id, key.id, utcnow())


def record_use_after(response: Response) -> Response:
    """Once the answer is sent, record a key's use if the minute it was last used has passed."""
    use = g.pop("api_key_use", None)
    if use is not None:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        response.call_on_close(lambda: _record(app, *use))
    return response


def _record(app: Flask, tenant_id: int, key_id: int, at: Any) -> None:
    try:
        with app.app_context(), tenant_scope(tenant_id), unit_of_work() as session:
            api_keys.record_use(session, key_id, at)
    except Exception:  # bookkeeping: the answer is out already, so say so in the log
        log.exception("could not record the use of API key %s", key_id)
