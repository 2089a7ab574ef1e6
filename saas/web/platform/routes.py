"""Platform pages: the brands, each brand's figures, creating and changing brands."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_security.recoverable import generate_reset_password_token
from sqlalchemy import func, select

from saas.db import DbSession, db, unit_of_work, utcnow
from saas.identity import invites
from saas.identity.models import User
from saas.identity.services import IdentityError
from saas.jobs.models import DEAD, FailedJob
from saas.reports.headcount import BrandFigures, brand_figures, headcount
from saas.tenancy.brands import BrandError, brands, by_slug, save
from saas.tenancy.crossing import as_tenant, each_brand
from saas.tenancy.models import BRAND, Tenant
from saas.usage import wholesale
from saas.web.app_class import SaasRequest
from saas.web.auth import operator_required, platform_only
from saas.web.forms import Form, refuse
from saas.web.kept import kept
from saas.web.platform import bp
from saas.web.platform.forms import BrandForm, OwnerForm, brand_data

UNPROCESSABLE = 422
# The identity rules name a person's fields; the brand forms name them as the owner's.
OWNER_FIELDS = {"email": "owner_email", "full_name": "owner_name"}


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
    people = headcount(session)
    dead = session.scalar(select(func.count(FailedJob.id)).where(FailedJob.status == DEAD))
    today = utcnow().date()
    unpriced = wholesale.gaps(session, date(today.year, today.month, 1))
    return {
        "staff": people.staff,
        "subscribers": people.subscribers,
        "dead_jobs": dead or 0,
        "unpriced": unpriced,
    }


# Counted at most this often per process: each count crosses into every brand, and each
# crossing leaves a line in that brand's audit log, which a page view should not flood.
FIGURES_SECONDS = 300.0


def figures_per_brand(session: DbSession) -> dict[int, BrandFigures]:
    """Each brand's subscribers and live subscriptions, one statement inside each audited crossing.

    Row-level security shows a statement one brand's rows only, so a count across brands is
    one statement per brand, each through the crossing that leaves a trace in its log. The
    figures are kept for FIGURES_SECONDS, so operators looking at the list do not add a trace
    to every brand's log each time; a brand not counted yet is counted at once.
    """
    ids = {b.id for b in brands(session)}
    return kept(
        "platform_figures",
        None,
        FIGURES_SECONDS,
        lambda: {
            tenant.id: brand_figures(session)
            for tenant in each_brand(session, "platform console: brand list")
        },
        lambda figures: set(figures) >= ids,
    )


def _brand_form(form: BrandForm, creating: bool, status: int = 200) -> Any:
    return render_template("platform/brand_form.html", form=form, creating=creating), status


def _refused(form: Form, exc: BrandError | IdentityError) -> None:
    """Put each of the brand's problems beside its field, or in the list above the form."""
    for problem in exc.problems if isinstance(exc, BrandError) else [exc]:
        if isinstance(problem, Exception):
            refuse(form, problem, OWNER_FIELDS)
        else:
            form.form_errors.append(problem)


def _save(form: BrandForm, slug: str, create: bool) -> Any:
    if form.validate():
        try:
            with unit_of_work():
                tenant, changed = _save_with_owner(form, slug, create)
        except (BrandError, IdentityError) as exc:
            _refused(form, exc)
        else:
            done = _("%(name)s saved.", name=tenant.name) if changed else _("Nothing changed.")
            flash(done, "success")
            return redirect(url_for("platform.brand", slug=tenant.slug))
    return _brand_form(form, create, UNPROCESSABLE)


def _save_with_owner(form: BrandForm, slug: str, create: bool) -> tuple[Tenant, bool]:
    """Save the brand; a new one invites its first owner in the same work."""
    owner_email = form.owner_email.data or ""
    address = invites.address_problems(owner_email) if create else []
    try:
        saved = save(db.session, form.spec(slug), g.settings, create=create)
    except BrandError as exc:
        exc.problems += address  # every problem in one answer, the owner's address included
        raise
    _raise_first(address)
    if create:
        invite = invite_link(saved[0])
        invites.invite_owner(db.session, saved[0], owner_email, form.owner_name.data or "", invite)
    return saved


def invite_link(tenant: Tenant) -> invites.LinkFor:
    """Links that let an invited person set a password, on the brand's own host."""

    def link(person: User) -> str:
        path = url_for("security.reset_password", token=generate_reset_password_token(person))
        return host_url(f"{tenant.slug}.{g.settings.base_domain}") + path.lstrip("/")

    return link


@bp.get("/")
@platform_only
@operator_required
def index() -> Any:
    """List every brand with the hosts it answers on and its subscribers and subscriptions."""
    figures = figures_per_brand(db.session)
    db.session.commit()
    return render_template(
        "platform/index.html",
        brands=brands(db.session),
        figures=figures,
        served_hosts=served_hosts,
        host_url=host_url,
    )


@bp.get("/brands/<slug>")
@platform_only
@operator_required
def brand(slug: str) -> Any:
    """Show a brand's settings and figures, counted inside it through the audited crossing."""
    return _brand_page(_brand_or_404(slug), OwnerForm(formdata=None))


def _brand_page(tenant: Tenant, owner_form: OwnerForm, status: int = 200) -> Any:
    with as_tenant(db.session, tenant, "platform console: brand figures"):
        figures = _figures(db.session)
        # Plain values: the rows expire at the commit, outside the brand's scope.
        pending = [(p.display_name, p.email) for p in invites.pending_owners(db.session)]
    db.session.commit()
    page = render_template(
        "platform/brand.html",
        brand=tenant,
        figures=figures,
        hosts=served_hosts(tenant),
        host_url=host_url,
        pending_owners=pending,
        owner_form=owner_form,
    )
    return page, status


@bp.post("/brands/<slug>/owners")
@platform_only
@operator_required
def invite_owner(slug: str) -> Any:
    """Invite an owner to the brand, or invite again one who has not set a password yet."""
    tenant = _brand_or_404(slug)
    form = OwnerForm()
    if form.validate():
        email, name = form.owner_email.data or "", form.owner_name.data or ""
        try:
            with unit_of_work():
                _raise_first(invites.address_problems(email))
                invites.invite_owner(db.session, tenant, email, name, invite_link(tenant))
        except IdentityError as exc:
            _refused(form, exc)
        else:
            flash(_("An invitation was sent to %(email)s.", email=email), "success")
            return redirect(url_for("platform.brand", slug=tenant.slug))
    return _brand_page(tenant, form, UNPROCESSABLE)


def _raise_first(problems: list[IdentityError]) -> None:
    if problems:
        raise problems[0]


@bp.route("/brands/new", methods=["GET", "POST"])
@platform_only
@operator_required
def new_brand() -> Any:
    """Create a brand; every problem with the values is shown next to the form."""
    if request.method == "GET":
        return _brand_form(BrandForm(formdata=None), creating=True)
    form = BrandForm()
    return _save(form, form.slug.data, create=True)


@bp.route("/brands/<slug>/edit", methods=["GET", "POST"])
@platform_only
@operator_required
def edit_brand(slug: str) -> Any:
    """Change a brand's settings; the slug stays, it names the brand everywhere."""
    tenant = _brand_or_404(slug)
    if request.method == "GET":
        return _brand_form(BrandForm(formdata=None, data=brand_data(tenant)), creating=False)
    form = BrandForm()
    form.slug.data = tenant.slug  # the slug names the brand everywhere; it never changes
    return _save(form, tenant.slug, create=False)
