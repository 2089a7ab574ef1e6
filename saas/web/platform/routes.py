"""Platform pages: the brands."""

from __future__ import annotations

from typing import Any

from flask import render_template

from saas.db import db
from saas.tenancy.brands import brands
from saas.web.auth import operator_required, platform_only
from saas.web.platform import bp


@bp.get("/")
@platform_only
@operator_required
def index() -> Any:
    """List every brand."""
    return render_template("platform/index.html", brands=brands(db.session))
