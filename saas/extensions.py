"""Extensions, created unbound and bound to an app in `create_app`."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf import CSRFProtect

from saas.db import db

babel = Babel()
csrf = CSRFProtect()


def _limit_key() -> str:
    from flask import request

    # Per client and per host: one brand's attacker does not lock out another brand.
    return f"{get_remote_address()}|{request.host}"


limiter = Limiter(key_func=_limit_key, default_limits=[])

__all__ = ["babel", "csrf", "db", "limiter"]
