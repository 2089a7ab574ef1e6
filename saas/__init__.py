"""A multi-tenant, white-label billing platform for mobile virtual network operators."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from saas.config import Settings, load_settings


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the web application; `config` may carry `SAAS` settings and Flask overrides."""
    from saas import cli, models
    from saas.db import install_session_hooks
    from saas.extensions import csrf, db
    from saas.identity import audit
    from saas.jobs import queue
    from saas.web import init_app as init_web
    from saas.web.app_class import SaasFlask

    config = dict(config or {})
    settings: Settings = config.pop("SAAS", None) or load_settings()
    app = SaasFlask(__name__)
    app.config.update(settings.as_flask_config())
    app.config.update(config)
    models.load_all()
    install_session_hooks()
    audit.install()
    queue.install(settings.broker, settings.redis_url)
    db.init_app(app)
    csrf.init_app(app)
    init_web(app)
    cli.init_app(app)
    return app


__all__ = ["create_app"]
