"""Bearer API keys: the only way in to the API; cookies and sessions are not looked at."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import HTTPException

from saas.db import db, unit_of_work, utcnow
from saas.identity import actor, api_keys
from saas.tenancy.context import tenant_scope
from saas.web.api import bp

REALM = "api"
log = logging.getLogger(__name__)


class Challenge(HTTPException):
    """A 401 or 403 that tells the client how to authenticate (RFC 6750)."""

    def __init__(self, code: int, detail: str, *params: str) -> None:
        super().__init__(detail)
        self.code = code
        self.challenge = ", ".join([f'Bearer realm="{REALM}"', *params])

    def get_headers(self, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
        return [*super().get_headers(*args, **kwargs), ("WWW-Authenticate", self.challenge)]


def admit(scope: str) -> None:
    """Let in a request bearing an active key of this brand that holds `scope`, acting as it."""
    sent = request.authorization
    token = sent.token if sent and sent.type == "bearer" else None
    if not token:
        raise Challenge(401, "Send an API key as 'Authorization: Bearer <token>'.")
    key = api_keys.authenticate(db.session, token)
    if key is None:
        bad = "The API key is unknown, revoked or belongs to another brand."
        raise Challenge(401, bad, 'error="invalid_token"')
    if not key.allows(scope):
        lacks = f"This API key lacks the scope {scope}."
        raise Challenge(403, lacks, 'error="insufficient_scope"', f'scope="{scope}"')
    actor.leave(g.pop("_actor_token"))
    g._actor_token = actor.enter(actor.Actor(f"apikey:{key.prefix}", ip=request.remote_addr))
    g.api_key = key
    if api_keys.use_is_stale(key, utcnow()):
        g.api_key_use = (key.tenant_id, key.id, utcnow())


@bp.after_request
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
