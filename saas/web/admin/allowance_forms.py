"""The console's form for a prepaid top-up (a staff credit, with a reason)."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from saas.web.admin.forms import REQUIRED, TOO_LONG
from saas.web.fields import LocaleDecimalField, strip
from saas.web.forms import Form


class TopUpForm(Form):
    """An amount to credit and why."""

    amount = LocaleDecimalField(
        _l("Amount"), [InputRequired(message=REQUIRED)], minimum=Decimal("0.01"), places=2
    )
    reason = TextAreaField(
        _l("Reason"),
        [InputRequired(message=REQUIRED), Length(max=2000, message=TOO_LONG)],
        filters=[strip],
        render_kw={"rows": 2, "maxlength": 2000},
    )
