"""Extensions, created unbound and bound to an app in `create_app`."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf import CSRFProtect

from saas.db import db

babel = Babel()
csrf = CSRFProtect()


def client_key() -> str:
    """Throttle per brand and client address: one brand's attacker does not lock out another."""
    from flask import g

    # The resolved brand, not the Host header: host spellings of one brand share a bucket.
    tenant = g.get("tenant")
    return f"brand:{tenant.id if tenant else '-'}|client:{get_remote_address()}"


limiter = Limiter(key_func=client_key, default_limits=[])

__all__ = ["babel", "csrf", "db", "limiter"]
