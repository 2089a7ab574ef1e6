"""The console's provisioning forms: list filters and a port-in request filed by staff."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from saas.db import row_id
from saas.network.provisioning import models as M
from saas.network.provisioning.porting import ACCOUNT_MAX, HOLDER_MAX, PortInRequest
from saas.web.admin.filter_forms import ALL, Paged
from saas.web.admin.forms import REQUIRED, TOO_LONG
from saas.web.fields import CHOOSE, Choice, choices, strip
from saas.web.forms import Form
from saas.web.provisioning_labels import order_state, port_state

NOT_A_DAY = _l("Enter a date like 2026-03-31.")
NOT_A_SUBSCRIPTION = _l("Enter the number of a subscription, as the subscription list shows it.")
NUMBER_MAX = 32


def _states(states: tuple[str, ...], name: Any) -> Any:
    return lambda: choices([("", ALL), *((s, name(s)) for s in states)])


class OrderFilter(Paged):
    """Orders in one state; without one, every order, those needing a person first."""

    state = Choice(_l("State"), default="", choices=_states(M.ORDER_STATES, order_state))


class PortInFilter(Paged):
    """Port-in requests in one state, newest first."""

    state = Choice(_l("State"), default="", choices=_states(M.PORT_STATES, port_state))


def _subscription_id(form: Any, field: Any) -> None:
    if row_id(field.data or "") is None:
        raise ValidationError(str(NOT_A_SUBSCRIPTION))


class PortInForm(Form):
    """A number to bring over from another operator to one of the brand's subscriptions."""

    subscription = StringField(
        _l("Subscription number"),
        [DataRequired(message=REQUIRED), _subscription_id],
        filters=[strip],
        render_kw={"inputmode": "numeric", "maxlength": 10},
    )
    number = StringField(
        _l("Phone number to port"),
        [DataRequired(message=REQUIRED), Length(max=NUMBER_MAX, message=TOO_LONG)],
        filters=[strip],
        render_kw={"type": "tel", "maxlength": NUMBER_MAX, "autocomplete": "off"},
    )
    donor = Choice(_l("Current operator (donor)"), [DataRequired(message=CHOOSE)], default="")
    holder_name = StringField(
        _l("Account holder at the donor"),
        [DataRequired(message=REQUIRED), Length(max=HOLDER_MAX, message=TOO_LONG)],
        filters=[strip],
        render_kw={"maxlength": HOLDER_MAX, "autocomplete": "off"},
    )
    donor_account = StringField(
        _l("Customer number at the donor (optional)"),
        [Length(max=ACCOUNT_MAX, message=TOO_LONG)],
        filters=[strip],
        render_kw={"maxlength": ACCOUNT_MAX, "autocomplete": "off"},
    )
    wished_date = DateField(
        _l("Wished porting date"),
        [DataRequired(message=NOT_A_DAY)],
        invalid_value_message=NOT_A_DAY,
        render_kw={"type": "date"},
    )

    def __init__(self, donors: dict[str, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.donor.choices = choices([("", _l("Choose the operator")), *donors.items()])

    def request(self) -> PortInRequest:
        """The request as the porting rules read it."""
        wished = self.wished_date.data
        assert isinstance(wished, date)
        return PortInRequest(
            number=self.number.data or "",
            donor=self.donor.data or "",
            holder_name=self.holder_name.data or "",
            wished_date=wished,
            donor_account=self.donor_account.data or "",
        )

    @property
    def subscription_id(self) -> int:
        """The subscription asked for."""
        ident = row_id(self.subscription.data or "")
        assert ident is not None
        return ident
