"""The tiers of a usage charge as rows: Lago's ranges typed one per row, in the reader's locale."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from saas.catalog.pricing import ChargeError
from saas.catalog.pricing.values import compact
from saas.errors import N_, Refusal, register
from saas.web.fields import LocaleDecimalField
from saas.web.forms import RowForm
from saas.web.refusals import say

# The charge models priced by ranges, and the property that holds them.
RANGE_KEYS = {
    "graduated": "graduated_ranges",
    "volume": "volume_ranges",
    "graduated_percentage": "graduated_percentage_ranges",
}
RATE_MODELS = ("graduated_percentage",)
# An engine path into a range: properties.graduated_ranges[2].from_value
RANGE_PATH = re.compile(r"^properties\.(?P<key>[a-z_]+)\[(?P<index>\d+)\]\.(?P<name>[a-z_]+)$")
FIELD_OF = {"per_unit_amount": "price", "rate": "price"}
register(
    {
        "charge.tiers_not_list": N_("must be a list of rows"),
        "charge.tier_not_object": N_("must be an object"),
        "charge.tier_typed": N_("%(problem)s"),
        "charge.units_typed": N_("%(problem)s"),
    }
)


class TierForm(RowForm):
    """One range of a graduated, volume or graduated percentage charge."""

    # Bounds may be decimal, as in Lago (0 to 0,1 GB); the engine checks that the rows join up.
    from_value = LocaleDecimalField(_l("From"), minimum=Decimal(0), places=10)
    to_value = LocaleDecimalField(_l("To (empty on the last)"), minimum=Decimal(0), places=10)
    price = LocaleDecimalField(_l("Per unit, or rate in %"), minimum=Decimal(0), places=10)
    flat_amount = LocaleDecimalField(_l("Flat amount"), minimum=Decimal(0), places=10)

    def is_blank(self) -> bool:
        return all(f.data is None and not str((f.raw_data or [""])[0]).strip() for f in self)

    def range_data(self, model: str) -> dict[str, Any]:
        """The row as one of Lago's ranges; a missing value is the engine's to name."""
        price_key = "rate" if model in RATE_MODELS else "per_unit_amount"
        price, flat = self.price.data, self.flat_amount.data
        return {
            "from_value": _text(self.from_value.data),
            "to_value": _text(self.to_value.data),
            price_key: None if price is None else str(price),
            "flat_amount": str(flat if flat is not None else Decimal(0)),
        }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else compact(value)


def tier_data(item: Mapping[str, Any]) -> dict[str, Any]:
    """A stored range as the data of a tier row."""

    def number(value: Any) -> Decimal | None:
        return None if value is None else Decimal(compact(Decimal(str(value))))

    price = item.get("rate", item.get("per_unit_amount"))
    flat = item.get("flat_amount")
    return {
        "from_value": number(item.get("from_value")),
        "to_value": number(item.get("to_value")),
        "price": number(price),
        "flat_amount": number(flat) if flat is not None and Decimal(str(flat)) else None,
    }


def split_ranges(model: str, properties: Mapping[str, Any]) -> tuple[dict[str, Any], list[Any]]:
    """A stored charge's properties without its ranges, and the ranges as tier rows."""
    rest = dict(properties)
    key = RANGE_KEYS.get(model)
    ranges = rest.pop(key, None) if key else None
    return rest, [tier_data(item) for item in ranges or []]


def with_ranges(model: str, properties: Any, tiers: list[TierForm]) -> Any:
    """The properties with the typed tiers as the model's ranges, when it has ranges and rows."""
    key = RANGE_KEYS.get(model)
    if key is None or not tiers or not isinstance(properties, dict):
        return properties
    return {**properties, key: [t.range_data(model) for t in tiers]}


def tier_field(tiers: list[TierForm], exc: ChargeError) -> Any:
    """The tier field an engine error about a typed range concerns, if it is one."""
    match = RANGE_PATH.match(exc.field)
    if match is None or int(match["index"]) >= len(tiers):
        return None
    name = FIELD_OF.get(match["name"], match["name"])
    return tiers[int(match["index"])]._fields.get(name)


def reason(exc: ChargeError) -> str:
    """What is wrong with a range value, said beside the value (without the engine's path)."""
    return say(exc, record=False) if isinstance(exc, Refusal) else str(exc)


def typed_tiers(rows: Any) -> list[TierForm]:
    """Tier rows sent by the designer's live quote as typed; refused by row and field."""
    if not isinstance(rows, list):
        raise ChargeError("charge.tiers_not_list", "tiers")
    forms = []
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise ChargeError("charge.tier_not_object", f"tiers[{index}]")
        form = TierForm(formdata=MultiDict({k: str(v) for k, v in row.items()}))
        if not form.is_blank() and not form.validate():
            name, errors = next((n, f.errors) for n, f in form._fields.items() if f.errors)
            raise ChargeError("charge.tier_typed", f"tiers[{index}].{name}", problem=str(errors[0]))
        forms.append(form)
    return [f for f in forms if not f.is_blank()]
