"""The JSON API, /api/v1, authenticated by per-brand API keys."""

from __future__ import annotations

from importlib import import_module

from flask import Blueprint, Flask, current_app, g
from werkzeug.exceptions import HTTPException, NotFound

from saas.web.api.problems import from_http_exception

bp = Blueprint("api", __name__)
bp.register_error_handler(HTTPException, from_http_exception)

# Per brand and client address, like every limit here; SAAS_API_RATE_LIMIT overrides it.
DEFAULT_RATE_LIMIT = "300 per minute"


def _rate_limit() -> str:
    return str(current_app.config.get("SAAS_API_RATE_LIMIT", DEFAULT_RATE_LIMIT))


@bp.before_request
def _brands_only() -> None:
    # Keys belong to brands; the platform realm has no API.
    if g.tenant.is_platform:
        raise NotFound()


def init_app(app: Flask) -> None:
    """Exempt the token-authenticated API from CSRF, throttle it, answer errors as problems."""
    from saas.extensions import csrf, limiter

    csrf.exempt(bp)
    limiter.limit(_rate_limit)(bp)


# Each area's module registers its routes on the blueprint as it is imported.
AREAS = (
    "allowances catalog credit kyc network privacy provisioning rating routes signups "
    "subscriptions usage"
)
for _area in AREAS.split(" "):
    import_module(f"saas.web.api.{_area}")
