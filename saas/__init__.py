"""A multi-tenant, white-label billing platform for mobile virtual network operators."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from saas.config import Settings, load_settings


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the web application; `config` may carry `SAAS` settings and Flask overrides."""
    from saas import cli, models
    from saas.db import install_session_hooks, sealed
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
    sealed.install(settings.data_keys)
    audit.install()
    queue.install(settings.broker, settings.redis_url)
    db.init_app(app)
    csrf.init_app(app)
    init_web(app)
    cli.init_app(app)
    app.wsgi_app = _behind_proxies(app.wsgi_app, settings)  # type: ignore[method-assign]
    return app


def _behind_proxies(wsgi_app: Any, settings: Settings) -> Any:
    """Believe X-Forwarded-For and -Proto only from the proxies in SAAS_FORWARDED_ALLOW_IPS.

    Throttling and the audit log read the client's address from `request.remote_addr`: behind a
    trusted proxy it is the address that proxy saw (SAAS_PROXY_COUNT hops from the right of
    X-Forwarded-For), from anyone else the peer's own, whatever headers it sent. The Host is
    never taken from a forwarded header: the proxy passes the client's Host through.
    """
    import ipaddress

    from werkzeug.middleware.proxy_fix import ProxyFix

    if settings.proxy_count == 0 or not settings.forwarded_allow_ips:
        return wsgi_app
    trust_all = settings.forwarded_allow_ips == ["*"]
    networks = (
        []
        if trust_all
        else [ipaddress.ip_network(n, strict=False) for n in settings.forwarded_allow_ips]
    )
    fixed = ProxyFix(wsgi_app, x_for=settings.proxy_count, x_proto=settings.proxy_count)

    def trusted(peer: str) -> bool:
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return False
        return any(address in network for network in networks)

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        if trust_all or trusted(environ.get("REMOTE_ADDR", "")):
            return fixed(environ, start_response)
        return wsgi_app(environ, start_response)

    return app


__all__ = ["create_app"]
