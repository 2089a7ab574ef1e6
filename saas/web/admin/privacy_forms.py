"""The console's privacy forms: an erasure request with its reason, the retention period."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from saas.customers.privacy.erasure import REASON_MAX
from saas.customers.privacy.models import RETENTION_RANGE
from saas.web.admin.forms import REQUIRED, TOO_LONG
from saas.web.fields import LocaleIntegerField, strip
from saas.web.forms import Form

DAYS_RANGE = _l("Enter a number of days from %(min)s to %(max)s.")


class ErasureForm(Form):
    """An erasure asked for by the person: why, in the staff member's words (required)."""

    reason = TextAreaField(
        _l("Reason"),
        [DataRequired(message=REQUIRED), Length(max=REASON_MAX, message=TOO_LONG)],
        filters=[strip],
        render_kw={"rows": 3, "maxlength": REASON_MAX},
    )


class PrivacySettingsForm(Form):
    """The brand's retention period."""

    retention_days = LocaleIntegerField(
        _l("Retention period in days"),
        [
            InputRequired(message=REQUIRED),
            NumberRange(min=RETENTION_RANGE[0], max=RETENTION_RANGE[1], message=DAYS_RANGE),
        ],
    )
