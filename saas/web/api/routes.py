"""API endpoints."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify

from saas.web.api import bp


@bp.get("/brand")
def brand() -> Any:
    """Describe the brand this host serves."""
    t = g.tenant
    return jsonify({"slug": t.slug, "name": t.name, "currency": t.currency})
