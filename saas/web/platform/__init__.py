"""The platform operators' console, at /platform on the platform host."""

from flask import Blueprint

bp = Blueprint("platform", __name__)

from saas.web.platform import operators, routes, wholesale  # noqa: E402,F401
