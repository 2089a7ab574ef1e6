"""The brand's KYC rules in the console, and the audit log's sentences about KYC."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from saas.customers.kyc import services as kyc
from saas.customers.kyc.services import PERSONAL_VIEW
from saas.db import db
from saas.identity.audit import AuditEvent
from saas.web.admin import bp
from saas.web.admin.audit_text import FIELDS, SAY, Text
from saas.web.admin.forms import INVALID
from saas.web.admin.kyc import kyc_status
from saas.web.admin.kyc_forms import KycRulesForm
from saas.web.auth import brand_only, staff_required
from saas.web.forms import saved, tell


def _page(form: KycRulesForm, status: int = 200) -> Any:
    return render_template("admin/kyc/settings.html", form=form), status


@bp.get("/kyc/settings")
@brand_only
@staff_required("kyc.read")
def kyc_settings() -> Any:
    """Show the brand's KYC rules: minimum age, verification service, SEPA creditor id."""
    return _page(KycRulesForm(formdata=None, obj=kyc.rules(db.session)))


@bp.post("/kyc/settings")
@brand_only
@staff_required("brand.manage")
def kyc_settings_save() -> Any:
    """Change the brand's KYC rules."""
    form = KycRulesForm()
    done = saved(
        form,
        lambda: kyc.save_rules(
            db.session, form.min_age.number or 0, form.vendor_enabled.data, form.creditor_id.data
        ),
    )
    if done is None:
        tell(form, _l("Settings not saved: %(error)s"))
        return _page(form, INVALID)
    flash(_("The KYC settings were saved."), "success")
    return redirect(url_for("admin.kyc_settings"))


# The audit log

FIELDS.update(
    {
        "min_age": _l("minimum age"),
        "vendor_enabled": _l("verification service"),
        "creditor_id": _l("SEPA creditor identifier"),
        "decision_note": _l("reason"),
    }
)


def _case_checked(t: Text, e: AuditEvent) -> str:
    c = e.changes or {}
    name = f"{c.get('given_names', '')} {c.get('surname', '')}".strip() or f"#{e.object_id}"
    status = kyc_status(str(c.get("status", "")))
    return _(
        "%(who)s checked the identity of %(name)s (KYC case %(case)s): %(status)s",
        who=t.who(e),
        name=name,
        case=e.object_id,
        status=status,
    )


def _case_decided(t: Text, e: AuditEvent) -> str | None:
    status = (e.changes or {}).get("status")
    if not (isinstance(status, list) and len(status) == 2):
        return None
    return _(
        "%(who)s decided KYC case %(case)s: %(status)s",
        who=t.who(e),
        case=e.object_id,
        status=kyc_status(str(status[1])),
    )


def _personal_data_viewed(t: Text, e: AuditEvent) -> str:
    return _(
        "%(who)s viewed the personal data of KYC case %(case)s", who=t.who(e), case=e.object_id
    )


SAY.update(
    {
        ("kyc_cases", "create"): _case_checked,
        ("kyc_cases", "update"): _case_decided,
        ("kyc_cases", PERSONAL_VIEW): _personal_data_viewed,
    }
)
