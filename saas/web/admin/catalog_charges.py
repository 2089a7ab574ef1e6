"""A usage charge's properties as fields: each Lago property typed in the reader's locale.

The fields and the Lago JSON are two views of one charge; a row says which of them is saved
(`source`). A client that sends no choice, as the editor did before it had fields, is read from
the fields when it filled any of its model's fields or tiers, else from the JSON.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms.widgets import ListWidget, RadioInput

from saas.catalog.pricing import ChargeError
from saas.errors import N_, register
from saas.web.fields import Choice, LocaleDecimalField, LocaleIntegerField, choices
from saas.web.forms import Form

FIELDS, JSON = "fields", "json"
# The fields of each charge model, by the Lago property each one holds.
MODEL_FIELDS: dict[str, dict[str, str]] = {
    "standard": {"amount": "unit_amount"},
    "package": {
        "amount": "package_amount",
        "package_size": "package_size",
        "free_units": "free_units",
    },
    "percentage": {
        "rate": "rate",
        "fixed_amount": "fixed_amount",
        "free_units_per_events": "free_events",
        "free_units_per_total_aggregation": "free_amount",
        "per_transaction_min_amount": "min_amount",
        "per_transaction_max_amount": "max_amount",
    },
}
CHARGE_FIELDS = frozenset(name for fields in MODEL_FIELDS.values() for name in fields.values())
WHOLE = frozenset({"package_size", "free_units", "free_events"})
# An engine path to one property: properties.per_transaction_max_amount
PROPERTY_PATH = re.compile(r"^properties\.(?P<key>[a-z_]+)$")
register(
    {"charge.field_typed": N_("%(problem)s"), "charge.fields_not_object": N_("must be an object")}
)


def _amount(text: Any) -> LocaleDecimalField:
    return LocaleDecimalField(text, minimum=Decimal(0), places=10)


class SourceChoice(Choice):
    """Which view of the charge is saved, as radio buttons."""

    widget = ListWidget(prefix_label=False)
    option_widget = RadioInput()


class ChargeFields(Form):
    """The properties of the standard, package and percentage models, one field each."""

    unit_amount = _amount(_l("Price per unit"))
    package_amount = _amount(_l("Price per package"))
    package_size = LocaleIntegerField(_l("Units per package"), minimum=Decimal(1))
    free_units = LocaleIntegerField(_l("Free units"), minimum=Decimal(0))
    rate = _amount(_l("Rate (%)"))
    fixed_amount = _amount(_l("Fixed fee per event"))
    free_events = LocaleIntegerField(_l("Free events"), minimum=Decimal(1))
    free_amount = _amount(_l("Free amount"))
    min_amount = _amount(_l("Minimum per event"))
    max_amount = _amount(_l("Maximum per event"))
    source = SourceChoice(
        _l("Saved from"),
        choices=lambda: choices([(FIELDS, _l("the fields")), (JSON, _l("the Lago JSON"))]),
        default=FIELDS,
    )

    def model_fields(self, model: str) -> list[Any]:
        """The fields the charge model reads, in the order Lago lists its properties."""
        return [self._fields[name] for name in MODEL_FIELDS.get(model, {}).values()]

    def typed_any(self, model: str) -> bool:
        """Whether any field of the model holds something typed."""
        return any(str((f.raw_data or [""])[0]).strip() for f in self.model_fields(model))

    def field_properties(self, model: str) -> dict[str, Any]:
        """The model's fields as Lago properties; an empty field is the engine's to name."""
        out: dict[str, Any] = {}
        for key, name in MODEL_FIELDS.get(model, {}).items():
            value = self._fields[name].data
            if value is not None:
                out[key] = int(value) if name in WHOLE else str(value)
            elif key in ("amount", "package_size", "rate"):
                out[key] = None  # required: refused as missing, beside the field
        return out

    def property_field(self, model: str, exc: ChargeError) -> Any:
        """The field an engine error about one of the model's properties concerns, if any."""
        match = PROPERTY_PATH.match(exc.field)
        name = MODEL_FIELDS.get(model, {}).get(match["key"]) if match else None
        return None if name is None else self._fields[name]


def fields_data(model: str, properties: Mapping[str, Any]) -> dict[str, Any]:
    """A stored charge's properties as the data of the model's fields, written as stored."""
    data: dict[str, Any] = {}
    for key, name in MODEL_FIELDS.get(model, {}).items():
        value = properties.get(key)
        data[name] = None if value is None else Decimal(str(value))
    return data


class _TypedFields(ChargeFields):
    """The charge fields alone, as the live quote sends them typed."""


def typed_properties(model: str, typed: Any) -> dict[str, Any]:
    """The fields sent by the live quote as typed, as Lago properties; refused by field."""
    if not isinstance(typed, Mapping):
        raise ChargeError("charge.fields_not_object", "fields")
    known = {k: str(v) for k, v in typed.items() if k in CHARGE_FIELDS}
    form = _TypedFields(formdata=MultiDict(known))
    form.validate()
    for field in form.model_fields(model):
        if field.errors:
            raise ChargeError("charge.field_typed", str(field.label.text), problem=field.errors[0])
    return form.field_properties(model)
