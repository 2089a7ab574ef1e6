"""The console's KYC forms: a reviewer's decision, MRZ lines to check, the brand's KYC rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from saas.customers.kyc.outcome import APPROVED, REJECTED
from saas.customers.kyc.services import MIN_AGE_RANGE, NOTE_MAX
from saas.web.admin.forms import REQUIRED, TOO_LONG, text
from saas.web.fields import LocaleIntegerField, RowIdField, strip
from saas.web.forms import Form, QueryForm

MRZ_MAX = 200
CHOOSE = _l("Choose approve or reject.")
AGE_RANGE = _l("Enter an age from %(min)s to %(max)s.")


class DecisionForm(Form):
    """Approve or reject a case waiting for review; the reason is required."""

    decision = RadioField(
        _l("Decision"),
        [InputRequired(message=CHOOSE)],
        choices=[(APPROVED, _l("Approve")), (REJECTED, _l("Reject"))],
    )
    reason = TextAreaField(
        _l("Reason"),
        [DataRequired(message=REQUIRED), Length(max=NOTE_MAX, message=TOO_LONG)],
        filters=[strip],
        render_kw={"rows": 3, "maxlength": NOTE_MAX},
    )


class MrzForm(Form):
    """The lines of a machine-readable zone, one per line, as printed on the document."""

    lines = TextAreaField(
        _l("Machine-readable zone"),
        [DataRequired(message=REQUIRED), Length(max=MRZ_MAX, message=TOO_LONG)],
        render_kw={"rows": 3, "maxlength": MRZ_MAX, "spellcheck": "false", "class": "mono"},
    )


class QueueQuery(QueryForm):
    """A page of the review queue: the cases after the one a link names."""

    after = RowIdField()


class KycRulesForm(Form):
    """The brand's KYC rules."""

    min_age = LocaleIntegerField(
        _l("Minimum age"),
        [
            InputRequired(message=REQUIRED),
            NumberRange(min=MIN_AGE_RANGE[0], max=MIN_AGE_RANGE[1], message=AGE_RANGE),
        ],
    )
    vendor_enabled = BooleanField(_l("Ask the external verification service too"))
    creditor_id = text(_l("SEPA creditor identifier"), 35, render_kw={"autocomplete": "off"})
