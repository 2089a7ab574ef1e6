"""The JSON API, /api/v1, authenticated by per-brand API keys."""

from flask import Blueprint, Flask

bp = Blueprint("api", __name__)


def init_app(app: Flask) -> None:
    """Exempt the token-authenticated API from CSRF (no cookies are honoured there)."""
    from saas.extensions import csrf

    csrf.exempt(bp)


from saas.web.api import routes  # noqa: E402,F401
