"""Platform pages: each brand's wholesale agreement with the host MNO, in versions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from saas.catalog.periods import start_of_local_day
from saas.db import db, unit_of_work, utcnow
from saas.tenancy.brands import by_slug
from saas.tenancy.crossing import as_tenant
from saas.tenancy.models import BRAND, Tenant
from saas.usage import wholesale
from saas.usage.wholesale import WholesaleError
from saas.web.auth import operator_required, platform_only
from saas.web.forms import message, refuse
from saas.web.platform import bp
from saas.web.platform.wholesale_forms import SERVICES, AgreementForm

UNPROCESSABLE = 422


def _brand(slug: str) -> Tenant:
    tenant = by_slug(db.session, slug)
    if tenant is None or tenant.kind != BRAND:
        abort(404)
    return tenant


def _service(name: str) -> str:
    return str(SERVICES.get(name, name))


@bp.get("/brands/<slug>/wholesale")
@platform_only
@operator_required
def wholesale_agreements(slug: str) -> Any:
    """The brand's agreement versions, the records no version priced, the lines the fee counts."""
    tenant = _brand(slug)
    today = utcnow().date()
    with as_tenant(db.session, tenant, "platform console: wholesale agreement"):
        rows = [
            (v.number, v.name, v.valid_from, v.valid_until, v.line_fee, v.currency, len(v.rates))
            for v in wholesale.versions(db.session)
        ]
        gaps = wholesale.gaps(db.session, date(today.year, today.month, 1))
        lines = wholesale.active_lines(db.session)
    db.session.commit()
    return render_template(
        "platform/wholesale.html", brand=tenant, versions=rows, gaps=gaps, lines=lines
    )


@bp.get("/brands/<slug>/wholesale/<int:number>")
@platform_only
@operator_required
def wholesale_version(slug: str, number: int) -> Any:
    """One version: its validity, fee, destination groups and rates."""
    tenant = _brand(slug)
    with as_tenant(db.session, tenant, "platform console: wholesale agreement"):
        found = next((v for v in wholesale.versions(db.session) if v.number == number), None)
        if found is None:
            abort(404)
        page = render_template(
            "platform/wholesale_version.html", brand=tenant, version=found, service=_service
        )
    db.session.commit()
    return page


@bp.route("/brands/<slug>/wholesale/new", methods=["GET", "POST"])
@platform_only
@operator_required
def wholesale_new(slug: str) -> Any:
    """Add a version taking over from its first day; the one before ends there."""
    tenant = _brand(slug)
    form = AgreementForm()
    if form.is_submitted() and form.validate():
        try:
            with unit_of_work(), as_tenant(db.session, tenant, "platform console: wholesale"):
                starts = start_of_local_day(form.valid_from.data, tenant.timezone)
                made = wholesale.create_version(
                    db.session,
                    name=form.name.data or "",
                    currency=tenant.currency,
                    valid_from=starts,
                    line_fee=form.line_fee.data or Decimal(0),
                    groups=[row.spec() for row in form.groups.filled()],
                    rates=[row.spec() for row in form.rates.filled()],
                )
                number = made.number
        except WholesaleError as exc:
            if exc.field in ("valid_from", "line_fee"):
                refuse(form, exc)
            else:  # about the groups or rates as a whole
                form.form_errors.append(message(exc))
        else:
            flash(
                _("Version %(number)s of the wholesale agreement saved.", number=number), "success"
            )
            return redirect(url_for("platform.wholesale_version", slug=slug, number=number))
        return render_template(
            "platform/wholesale_form.html", brand=tenant, form=form
        ), UNPROCESSABLE
    status = UNPROCESSABLE if form.is_submitted() else 200
    return render_template("platform/wholesale_form.html", brand=tenant, form=form), status
