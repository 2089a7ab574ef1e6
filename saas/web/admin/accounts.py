"""Accounts in the console: the brand's company accounts and the lines each one holds."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template

from saas.customers import services as customers
from saas.db import db
from saas.web.admin import bp
from saas.web.auth import brand_only, staff_required


@bp.get("/accounts")
@brand_only
@staff_required("subscriptions.read")
def accounts_list() -> Any:
    """List the brand's company accounts by name, with their holders and lines."""
    listed = customers.companies(db.session)
    return render_template(
        "admin/accounts/list.html", accounts=listed, truncated=len(listed) == customers.LISTED
    )


@bp.get("/accounts/<int:account_id>")
@brand_only
@staff_required("subscriptions.read")
def account_detail(account_id: int) -> Any:
    """Show an account of this brand and its lines; any other id is not found."""
    account = customers.get(db.session, account_id)
    if account is None:
        abort(404)
    return render_template(
        "admin/accounts/detail.html", account=account, lines=customers.lines(db.session, account)
    )
