"""Resolve the brand from the Host header and scope the request to it."""

from __future__ import annotations

from typing import Any, cast

from flask import Flask, abort, current_app, g, request, session
from flask_login import current_user, logout_user
from flask_security.signals import user_authenticated
from flask_wtf.csrf import generate_csrf

from saas.config import Settings
from saas.db import db
from saas.identity import actor
from saas.subscriptions import services as subs
from saas.tenancy import context
from saas.tenancy.cache import BrandCache
from saas.web.app_class import SaasRequest

SESSION_TENANT = "_tenant_id"
CACHE = "saas.brands"


def _resolve_request_tenant() -> None:
    settings = g.settings = request_settings()
    if request.endpoint == "static":
        return
    host = cast(SaasRequest, request).host_name
    if host is None:
        # Empty labels, stray characters, a bad port: not a host anybody serves.
        abort(400)
    # From the registry in memory: neither a known nor an unknown host costs a query.
    brands: BrandCache = current_app.extensions[CACHE]
    tenant = brands.resolve(host, settings.platform_hosts, settings.base_domain)
    if tenant is None:
        abort(404)
    g.tenant = tenant
    # Billing periods are local dates in the brand's zone: known here, so no page reads it again.
    subs.remember_zone(db.session, tenant.id, tenant.timezone)
    g._tenant_token = context.enter(tenant.id)
    g._actor_token = actor.enter(actor.Actor("anonymous", ip=request.remote_addr))


def request_settings() -> Settings:
    return current_app.config["SAAS"]


def _refuse_foreign_session() -> None:
    tenant = g.get("tenant")
    if tenant is None:
        return
    owner = session.get(SESSION_TENANT)
    if owner is not None and owner != tenant.id:
        # A session minted for another brand is worthless here.
        session.clear()
        logout_user()
        return
    if current_user.is_authenticated:
        if current_user.tenant_id != tenant.id:
            session.clear()
            logout_user()
            return
        if owner != tenant.id:
            # Written once: a write on every request would resend the cookie every time.
            session[SESSION_TENANT] = tenant.id
        actor.leave(g._actor_token)
        g._actor_token = actor.enter(
            actor.Actor(current_user.email, current_user.id, request.remote_addr)
        )


def _bind_session(_sender: Any, **_extra: Any) -> None:
    # The brand and the form token go into the cookie the log-in answer sets: written by the
    # next page instead, they would resend the cookie then (and on every request, to a client
    # that keeps the first one).
    tenant = g.get("tenant")
    if tenant is not None:
        session[SESSION_TENANT] = tenant.id
    generate_csrf()


def _leave(_exc: BaseException | None) -> None:
    db.session.remove()
    if "_actor_token" in g:
        actor.leave(g.pop("_actor_token"))
    if "_tenant_token" in g:
        context.leave(g.pop("_tenant_token"))


def init_app(app: Flask) -> None:
    """Run brand resolution before anything else looks at the request."""
    with app.app_context():
        engine = db.engine  # made, not connected: the registry loads on the first request
    app.extensions[CACHE] = BrandCache(engine, app.config["SAAS"].brand_cache_seconds)
    app.before_request_funcs.setdefault(None, []).insert(0, _resolve_request_tenant)
    app.before_request(_refuse_foreign_session)
    app.teardown_request(_leave)
    user_authenticated.connect(_bind_session, app)
