"""Numbers in the console: ranges with their counts per state, the number list, the settings."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from saas.db import db, utcnow
from saas.network import numbers
from saas.network import settings as network_settings
from saas.network.models import NUMBER_STATES, Number
from saas.network.numbering import shown
from saas.web import network_labels as labels
from saas.web.admin import bp, paging
from saas.web.admin.forms import INVALID
from saas.web.admin.network_forms import NetworkSettingsForm, NumberFilter, RangeForm
from saas.web.auth import brand_only, staff_required
from saas.web.forms import saved, tell


@bp.context_processor
def _network_helpers() -> dict[str, Any]:
    return labels.helpers()


def _ranges_page(form: RangeForm, status: int = 200) -> Any:
    found = numbers.ranges(db.session)
    page = render_template(
        "admin/network/ranges.html",
        form=form,
        ranges=found,
        counts=numbers.counts(db.session),
        states=NUMBER_STATES,
    )
    return page, status


@bp.get("/network/numbers/ranges")
@brand_only
@staff_required("network.read")
def number_ranges() -> Any:
    """The brand's number ranges, each with how many numbers stand in each state."""
    return _ranges_page(RangeForm(formdata=None))


@bp.post("/network/numbers/ranges")
@brand_only
@staff_required("network.write")
def number_range_add() -> Any:
    """Load a range of numbers into stock."""
    form = RangeForm()
    block = saved(form, lambda: numbers.add_range(db.session, form.first.data, form.last.data))
    if block is None:
        tell(form, _l("Range not loaded: %(error)s"))
        return _ranges_page(form, INVALID)
    flash(
        _(
            "%(count)s numbers from %(first)s to %(last)s loaded, %(golden)s of them golden.",
            count=block.size,
            first=shown(block.first),
            last=shown(block.last),
            golden=block.golden,
        ),
        "success",
    )
    return redirect(url_for("admin.number_ranges"))


@bp.get("/network/numbers")
@brand_only
@staff_required("network.read")
def numbers_list() -> Any:
    """The brand's numbers, a page at a time, in a state or starting with some digits."""
    form = NumberFilter()
    valid = form.read()
    shown_rows = numbers.listed(form.state.data or "", form.q.data or "")
    ids = shown_rows.with_only_columns(Number.id)
    found = paging.page(db.session, shown_rows, ids, Number.id, form.before.data, form.after.data)
    page = render_template(
        "admin/network/numbers.html", page=found, filter_form=form, kept=form.kept(), now=utcnow()
    )
    return page, (200 if valid else INVALID)


def _settings_page(form: NetworkSettingsForm, status: int = 200) -> Any:
    return render_template("admin/network/settings.html", form=form), status


@bp.get("/network/settings")
@brand_only
@staff_required("network.read")
def network_settings_page() -> Any:
    """The brand's rules for numbers and eSIMs."""
    return _settings_page(
        NetworkSettingsForm(formdata=None, obj=network_settings.of_brand(db.session))
    )


@bp.post("/network/settings")
@brand_only
@staff_required("network.write")
def network_settings_save() -> Any:
    """Change the brand's rules for numbers and eSIMs."""
    form = NetworkSettingsForm()
    if saved(form, lambda: network_settings.save(db.session, **form.data)) is None:
        tell(form, _l("Settings not saved: %(error)s"))
        return _settings_page(form, INVALID)
    flash(_("The network settings were saved."), "success")
    return redirect(url_for("admin.network_settings_page"))
