"""The draft editor filled from a stored version, and the empty rows the script adds."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from saas.catalog import models as M
from saas.catalog.pricing.values import compact
from saas.web.admin.catalog_charges import FIELDS, fields_data
from saas.web.admin.catalog_forms import AllowanceForm, ComponentForm, DraftForm
from saas.web.admin.catalog_text import EXAMPLES, pretty
from saas.web.admin.catalog_tiers import TierForm, split_ranges
from saas.web.forms import RowForm


def component_data(component: M.PriceComponent) -> dict[str, Any]:
    """A stored component as the data of an editor row."""
    charge = component.charge or {}
    model = charge.get("charge_model", "standard")
    properties = charge.get("properties", EXAMPLES.get(model, {}))
    _rest, tiers = split_ranges(model, properties)
    return fields_data(model, properties) | {
        "kind": component.kind,
        "code": component.code,
        "name": component.name,
        "fee_type": component.fee_type or "other",
        "amount": None if component.amount is None else Decimal(compact(component.amount)),
        "timing": component.timing,
        "prorate": component.prorate,
        "metric": component.metric_code or "",
        "charge_model": model,
        "tiers": tiers,
        "properties": pretty(properties),
        "source": FIELDS,
    }


def allowance_data(allowance: M.Allowance) -> dict[str, Any]:
    """A stored allowance as the data of an editor row."""
    quantity = allowance.quantity
    return {
        "metric": allowance.metric_code,
        "quantity": None if quantity is None else Decimal(compact(quantity)),
        "rollover": allowance.rollover,
        "shared": allowance.shared,
        "zones": " ".join(allowance.zones or []),
    }


def draft_form(version: M.PlanVersion) -> DraftForm:
    """The editor filled with a draft's stored contents."""
    data = {
        "interval": version.billing_interval,
        "components": [component_data(c) for c in version.components],
        "allowances": [allowance_data(a) for a in version.allowances],
    }
    return DraftForm(formdata=None, data=data).with_blank_rows()


def row_template(form_class: type[RowForm], rows: str) -> RowForm:
    """An empty row named `rows-__index__-...`, for the script that adds rows."""
    data = {"quantity": ""} if form_class is AllowanceForm else {}
    row = form_class(formdata=None, prefix=f"{rows}-__index__-", data=data)
    if isinstance(row, ComponentForm):
        row.tiers.append_entry()
    return row


def tier_template(row: ComponentForm) -> TierForm:
    """An empty tier of a component row, named `...-tiers-__tier__-...` for the script."""
    return TierForm(formdata=None, prefix=f"{row.row_name}-tiers-__tier__-")
