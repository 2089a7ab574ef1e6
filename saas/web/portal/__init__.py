"""The subscriber portal, on the brand's own host."""

from flask import Blueprint

bp = Blueprint("portal", __name__)

from saas.web.portal import (  # noqa: E402,F401
    allowances,
    lines,
    porting,
    privacy,
    routes,
    signup,
    subscriptions,
    usage,
)
