"""The brand's retention period in the console, and the audit log's sentences about privacy."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from saas.customers.privacy import settings
from saas.customers.privacy.erasure import ERASED, REFUSED
from saas.customers.privacy.export import EXPORTED
from saas.customers.privacy.retention import CROSSING
from saas.db import db
from saas.errors import Refusal
from saas.identity.audit import AuditEvent
from saas.web import privacy_labels as labels
from saas.web.admin import bp
from saas.web.admin.audit_text import FIELDS, REASONS, SAY, Text
from saas.web.admin.forms import INVALID
from saas.web.admin.privacy_forms import PrivacySettingsForm
from saas.web.auth import brand_only, staff_required
from saas.web.forms import saved, tell
from saas.web.refusals import say


def _page(form: PrivacySettingsForm, status: int = 200) -> Any:
    return render_template("admin/privacy/settings.html", form=form), status


@bp.get("/settings/privacy")
@brand_only
@staff_required()
def privacy_settings() -> Any:
    """Show how long the brand keeps identity numbers, documents and bureau answers."""
    return _page(PrivacySettingsForm(formdata=None, obj=settings.of_brand(db.session)))


@bp.post("/settings/privacy")
@brand_only
@staff_required("brand.manage")
def privacy_settings_save() -> Any:
    """Change the brand's retention period."""
    form = PrivacySettingsForm()
    done = saved(form, lambda: settings.save(db.session, form.retention_days.number or 0))
    if done is None:
        tell(form, _l("Settings not saved: %(error)s"))
        return _page(form, INVALID)
    flash(_("The privacy settings were saved."), "success")
    return redirect(url_for("admin.privacy_settings"))


# The audit log

FIELDS["retention_days"] = _l("retention period")
REASONS[CROSSING] = _l("erasing personal data kept for the whole retention period")


def _erased(t: Text, e: AuditEvent) -> str:
    c = e.changes or {}
    why = labels.rule_text(str(c.get("rule", "")), str(c.get("reason", "")))
    what = labels.erased_text(list(c.get("erased") or []))
    if e.object_type == "applications":
        return _(
            "%(who)s erased the personal data of sign-up %(id)s (%(why)s): %(what)s",
            who=t.who(e),
            id=e.object_id,
            why=why,
            what=what,
        )
    return _(
        "%(who)s erased the personal data of %(person)s (%(why)s): %(what)s",
        who=t.who(e),
        person=t.person(e.object_id),
        why=why,
        what=what,
    )


def _refused(t: Text, e: AuditEvent) -> str:
    c = e.changes or {}
    params = c.get("params")
    params = params if isinstance(params, dict) else {}
    return _(
        "%(who)s asked to erase the personal data of %(person)s, which was refused: %(why)s",
        who=t.who(e),
        person=t.person(e.object_id),
        why=say(Refusal(str(c.get("code", "")), **params), record=False),
    )


def _exported(t: Text, e: AuditEvent) -> str:
    if t.s.users.get(e.actor_user_id or 0) is not None and str(e.actor_user_id) == e.object_id:
        return _("%(who)s downloaded their own personal data", who=t.who(e))
    return _(
        "%(who)s read all the personal data of %(person)s",
        who=t.who(e),
        person=t.person(e.object_id),
    )


def _period_set(t: Text, e: AuditEvent) -> str | None:
    days = (e.changes or {}).get("retention_days")
    days = days[1] if isinstance(days, list) and len(days) == 2 else days
    if not isinstance(days, int):
        return None
    return ngettext(
        "%(who)s set the retention period of personal data to %(num)d day",
        "%(who)s set the retention period of personal data to %(num)d days",
        days,
        who=t.who(e),
    )


SAY.update(
    {
        ("privacy_settings", "create"): _period_set,
        ("privacy_settings", "update"): _period_set,
        ("users", ERASED): _erased,
        ("applications", ERASED): _erased,
        ("users", REFUSED): _refused,
        ("users", EXPORTED): _exported,
    }
)
