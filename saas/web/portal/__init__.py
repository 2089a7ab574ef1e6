"""The subscriber portal, on the brand's own host."""

from flask import Blueprint

bp = Blueprint("portal", __name__)

from saas.web.portal import lines, porting, privacy, routes, signup, subscriptions  # noqa: E402,F401
