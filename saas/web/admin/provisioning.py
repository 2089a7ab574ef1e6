"""Provisioning orders in the console: those needing a person first, one order's attempts, retry."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import Select, and_, case, func, or_, select

from saas.db import DbSession, db, unit_of_work
from saas.network.provisioning import models as M
from saas.network.provisioning import orders
from saas.network.provisioning.errors import ProvisioningError
from saas.web import provisioning_labels as labels
from saas.web.admin import bp, paging
from saas.web.admin.audit_text import REASONS
from saas.web.admin.forms import found
from saas.web.admin.provisioning_forms import OrderFilter
from saas.web.auth import brand_only, staff_required
from saas.web.refusals import say

INVALID = 400
ORDER = M.ProvisioningOrder
# Orders needing a person sort before the rest; each group newest first.
needs_first = case((ORDER.state.in_(M.NEEDS_A_PERSON), 0), else_=1)
REASONS.setdefault("complete due port-ins", labels.COMPLETING_PORT_INS)


@bp.context_processor
def _words() -> dict[str, Any]:
    return labels.helpers()


def _rank_of(session: DbSession, order_id: int) -> int | None:
    return session.scalar(select(needs_first).where(ORDER.id == order_id))


def _after(session: DbSession, stmt: Select[Any], after: int) -> tuple[list[Any], Any, Any]:
    rank = _rank_of(session, after)
    if rank is None:
        return _before(session, stmt, None)
    newer = or_(needs_first < rank, and_(needs_first == rank, ORDER.id > after))
    found_ = list(
        session.scalars(
            stmt.where(newer).order_by(needs_first.desc(), ORDER.id.asc()).limit(paging.PAGE + 1)
        )
    )
    shown = list(reversed(found_[: paging.PAGE]))
    return (
        shown,
        shown[-1].id if shown else None,
        shown[0].id if len(found_) > paging.PAGE else None,
    )


def _before(
    session: DbSession, stmt: Select[Any], before: int | None
) -> tuple[list[Any], Any, Any]:
    rank = None if before is None else _rank_of(session, before)
    if rank is not None and before is not None:
        stmt = stmt.where(or_(needs_first > rank, and_(needs_first == rank, ORDER.id < before)))
    found_ = list(
        session.scalars(stmt.order_by(needs_first.asc(), ORDER.id.desc()).limit(paging.PAGE + 1))
    )
    shown = found_[: paging.PAGE]
    older = shown[-1].id if len(found_) > paging.PAGE else None
    return shown, older, (shown[0].id if shown and rank is not None else None)


def attention_first(
    session: DbSession, state: str, before: int | None, after: int | None
) -> paging.Page:
    """A page of orders, those needing a person first, then newest first; counted."""
    stmt = select(ORDER).where(ORDER.state == state) if state else select(ORDER)
    if after is not None and before is None:
        shown, older, newer = _after(session, stmt, after)
    else:
        shown, older, newer = _before(session, stmt, before)
    ids = stmt.with_only_columns(ORDER.id)
    total, more = paging.counted(session, ids)
    return paging.Page(shown, older, newer, total, more)


def attention_count(session: DbSession) -> int:
    """How many orders wait for a person."""
    stmt = select(func.count()).select_from(ORDER).where(ORDER.state.in_(M.NEEDS_A_PERSON))
    return int(session.scalar(stmt) or 0)


@bp.get("/provisioning")
@brand_only
@staff_required("provisioning.read")
def provisioning_orders() -> Any:
    """List the brand's provisioning orders, failed and stuck ones first."""
    form = OrderFilter()
    valid = form.read()
    page = attention_first(db.session, form.state.data or "", form.before.data, form.after.data)
    return render_template(
        "admin/provisioning/orders.html",
        page=page,
        filter_form=form,
        kept=form.kept(),
        waiting=attention_count(db.session),
    ), (200 if valid else INVALID)


@bp.get("/provisioning/<int:order_id>")
@brand_only
@staff_required("provisioning.read")
def provisioning_order(order_id: int) -> Any:
    """Show an order, what it asks, and each attempt with its outcome in words."""
    order = found(orders.get, db.session, order_id)
    return render_template("admin/provisioning/order.html", order=order)


@bp.post("/provisioning/<int:order_id>/retry")
@brand_only
@staff_required("provisioning.write")
def provisioning_retry(order_id: int) -> Any:
    """Send a failed or stuck order to the network again."""
    try:
        with unit_of_work() as session:
            found(orders.retry, session, order_id)
    except ProvisioningError as exc:
        flash(_("The order was not sent again: %(reason)s", reason=say(exc, record=False)), "error")
        return redirect(url_for("admin.provisioning_order", order_id=order_id))
    flash(_("The order is being sent to the network again."), "success")
    return redirect(url_for("admin.provisioning_order", order_id=order_id))
