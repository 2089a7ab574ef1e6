"""The web adapters: portal, brand console, platform console, API. No business rules here."""

from __future__ import annotations

from flask import Flask

from saas.web import actors, auth, errors, forms, guards, i18n, sessions, site, tenancy, theming
from saas.web.routing import RowIdConverter


def init_app(app: Flask) -> None:
    """Register request scoping first, then security, then every blueprint."""
    from saas.web.admin import bp as admin_bp
    from saas.web.api import bp as api_bp
    from saas.web.api import init_app as init_api
    from saas.web.platform import bp as platform_bp
    from saas.web.portal import bp as portal_bp

    app.url_map.converters["int"] = RowIdConverter
    tenancy.init_app(app)
    guards.init_app(app)
    theming.init_app(app)
    i18n.init_app(app)
    forms.init_app(app)
    actors.init_app(app)
    auth.init_app(app)
    sessions.init_app(app)
    errors.init_app(app)
    app.register_blueprint(site.bp)
    app.register_blueprint(portal_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(platform_bp, url_prefix="/platform")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    init_api(app)
