"""Platform pages: the brands, each brand's figures, creating and changing brands."""

from __future__ import annotations

from typing import Any, cast

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from saas.db import DbSession, db
from saas.identity.models import STAFF, SUBSCRIBER, User
from saas.jobs.models import DEAD, FailedJob
from saas.tenancy.brands import BrandError, BrandSpec, brands, by_slug, save
from saas.tenancy.crossing import as_tenant
from saas.tenancy.models import BRAND, Tenant
from saas.web.app_class import SaasRequest
from saas.web.auth import operator_required, platform_only
from saas.web.platform import bp, forms
from saas.web.refusals import say


def served_hosts(tenant: Tenant) -> list[str]:
    """Return every host a brand answers on: its own domains and its platform subdomain."""
    return [*tenant.hosts, f"{tenant.slug}.{g.settings.base_domain}"]


def host_url(host: str) -> str:
    """Return a link to a host, on the scheme and port this console is served on."""
    return f"{request.scheme}://{host}{cast(SaasRequest, request).link_port}/"


def _brand_or_404(slug: str) -> Tenant:
    tenant = by_slug(db.session, slug)
    if tenant is None or tenant.kind != BRAND:
        abort(404)
    return tenant


def _figures(session: DbSession) -> dict[str, int]:
    counts = dict(session.execute(select(User.kind, func.count()).group_by(User.kind)).all())
    dead = session.scalar(select(func.count(FailedJob.id)).where(FailedJob.status == DEAD))
    return {
        "staff": counts.get(STAFF, 0),
        "subscribers": counts.get(SUBSCRIBER, 0),
        "dead_jobs": dead or 0,
    }


def _brand_form(spec: BrandSpec, creating: bool, problems: list[str] | None = None) -> Any:
    return render_template(
        "platform/brand_form.html",
        form=spec,
        creating=creating,
        problems=problems or [],
        **forms.choices(),
    )


def _save(spec: BrandSpec, create: bool) -> Any:
    problems = forms.form_problems(spec)
    try:
        tenant, changed = save(db.session, spec, g.settings, create=create)
    except BrandError as exc:
        problems = [*(say(p) for p in exc.problems), *problems]
    if problems:
        db.session.rollback()
        return _brand_form(spec, create, problems), 422
    db.session.commit()
    flash(_("%(name)s saved.", name=tenant.name) if changed else _("Nothing changed."), "success")
    return redirect(url_for("platform.brand", slug=tenant.slug))


@bp.get("/")
@platform_only
@operator_required
def index() -> Any:
    """List every brand with the hosts it answers on."""
    return render_template(
        "platform/index.html",
        brands=brands(db.session),
        served_hosts=served_hosts,
        host_url=host_url,
    )


@bp.get("/brands/<slug>")
@platform_only
@operator_required
def brand(slug: str) -> Any:
    """Show a brand's settings and figures, counted inside it through the audited crossing."""
    tenant = _brand_or_404(slug)
    with as_tenant(db.session, tenant, "platform console: brand figures"):
        figures = _figures(db.session)
    db.session.commit()
    return render_template(
        "platform/brand.html",
        brand=tenant,
        figures=figures,
        hosts=served_hosts(tenant),
        host_url=host_url,
    )


@bp.route("/brands/new", methods=["GET", "POST"])
@platform_only
@operator_required
def new_brand() -> Any:
    """Create a brand; every problem with the values is shown next to the form."""
    if request.method == "GET":
        return _brand_form(forms.blank_spec(), creating=True)
    slug = request.form.get("slug", "").strip()
    return _save(forms.brand_spec(request.form, slug), create=True)


@bp.route("/brands/<slug>/edit", methods=["GET", "POST"])
@platform_only
@operator_required
def edit_brand(slug: str) -> Any:
    """Change a brand's settings; the slug stays, it names the brand everywhere."""
    tenant = _brand_or_404(slug)
    if request.method == "GET":
        return _brand_form(forms.spec_of(tenant), creating=False)
    return _save(forms.brand_spec(request.form, tenant.slug), create=False)
