"""The JSON API, /api/v1, authenticated by per-brand API keys."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, g
from werkzeug.exceptions import HTTPException, NotFound

from saas.web.api.problems import from_http_exception

bp = Blueprint("api", __name__)
bp.register_error_handler(HTTPException, from_http_exception)


@bp.before_request
def _brands_only() -> None:
    # Keys belong to brands; the platform realm has no API.
    if g.tenant.is_platform:
        raise NotFound()


def init_app(app: Flask) -> None:
    """Exempt the token-authenticated API from CSRF, throttle it, answer errors as problems."""
    from saas.extensions import csrf, limiter

    csrf.exempt(bp)
    # Per brand and client address, like every limit here (settings' api_rate_limit).
    limiter.limit(lambda: str(current_app.config["SAAS_API_RATE_LIMIT"]))(bp)


from saas.web.api import catalog, routes, subscriptions  # noqa: E402,F401
from saas.web.api.auth import record_use_after  # noqa: E402

bp.after_request(record_use_after)
