"""The offer designer's forms: plans, the draft's repeated rows, products and metrics."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from flask import g
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FieldList, FormField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from saas.catalog import models as M
from saas.catalog import services as catalog
from saas.catalog.periods import INTERVALS
from saas.catalog.pricing import CHARGE_MODELS, ChargeError, parse_charge
from saas.catalog.specs import CODE, NAME_MAX, AllowanceSpec, CatalogError, ComponentSpec
from saas.catalog.texts import TEXT_KEYS, merged
from saas.db import db
from saas.jsonread import UnfitJson
from saas.web.admin.catalog_charges import (
    CHARGE_FIELDS,
    FIELDS,
    JSON,
    MODEL_FIELDS,
    ChargeFields,
)
from saas.web.admin.catalog_text import (
    TOO_BIG,
    exact_json,
    label,
    model_label,
)
from saas.web.admin.catalog_tiers import (
    RANGE_KEYS,
    TierForm,
    reason,
    tier_field,
    with_ranges,
)
from saas.web.fields import (
    Choice,
    LocaleDecimalField,
    NumberError,
    choices,
    parse_number,
    strip,
    write_number,
)
from saas.web.forms import Form, RowForm, Rows, add_error, clear_errors, has_errors, message, refuse
from saas.web.i18n import offered_locales

CODE_RULE = _l("Use 1-64 lowercase letters, digits, dot, dash or underscore.")
REQUIRED = _l("Fill this in.")
TOO_LONG = _l("Use at most %(max)d characters.")
NO_AMOUNT = _l("Enter the amount.")
NO_METRIC = _l("Choose the metric this charge prices.")
NOT_JSON = _l("This is not valid JSON: look at line %(line)d, column %(column)d.")
JSON_TOO_BIG = _l("This JSON holds a number too long or nesting too deep to read.")
UNFIT_JSON = _l("This JSON cannot be used: %(reason)s.")
UNLIMITED_WORD = _l("unlimited")
QUANTITY_HINT = _l("a number, or unlimited")
NOT_OFFERED = _l("The brand does not offer this language.")
DESCRIPTION_MAX = 2000
# The browser checks the code alphabet too (the "v" flag of pattern wants the dash escaped).
CODE_PATTERN = r"[a-z0-9][a-z0-9_.\-]*"
# What each kind of component reads; the other fields of its row are left alone.
KIND_FIELDS = {
    M.ONE_TIME: {"fee_type", "amount"},
    M.RECURRING: {"amount", "timing", "prorate"},
    M.USAGE: {"metric", "charge_model", "tiers", "properties", "source", *CHARGE_FIELDS},
}
ROW_FIELDS = {"kind", "code", "name"}


def json_problem(exc: json.JSONDecodeError) -> str:
    """Say where typed JSON goes wrong, without the parser's English words where it can."""
    if exc.msg == TOO_BIG:
        return str(JSON_TOO_BIG)
    if isinstance(exc, UnfitJson):
        return str(UNFIT_JSON % {"reason": exc.msg})
    return str(NOT_JSON % {"line": exc.lineno, "column": exc.colno})


def code_field(text: Any, *, required: bool = True, **kwargs: Any) -> StringField:
    """A record code: required (or optional) and in the catalogue's code alphabet."""
    first = DataRequired(message=REQUIRED) if required else Optional()
    render_kw = {"maxlength": 64, "pattern": CODE_PATTERN, **kwargs.pop("render_kw", {})}
    checks = [first, Regexp(CODE, message=CODE_RULE)]
    return StringField(text, checks, filters=[strip], render_kw=render_kw, **kwargs)


def name_field(text: Any, *, required: bool = False, limit: int = NAME_MAX) -> StringField:
    """A name or other short text, trimmed and no longer than its column."""
    checks = [DataRequired(message=REQUIRED)] if required else []
    return StringField(text, [*checks, Length(max=limit, message=TOO_LONG)], filters=[strip])


def metric_choices(blank: bool = False) -> list[Any]:
    """The brand's metrics as options, read once per request."""
    if "metric_options" not in g:
        g.metric_options = [(m.code, f"{m.name} ({m.code})") for m in catalog.metrics(db.session)]
    return choices(([("", "\u2013")] if blank else []) + g.metric_options)


def labelled(values: Any) -> list[Any]:
    """Stored values as options with the designer's words for them."""
    return choices([(v, label(v)) for v in values])


class ComponentForm(ChargeFields, RowForm):
    """One price component row; a row without a code is left out."""

    kind = Choice(_l("Kind"), choices=lambda: labelled(M.COMPONENT_KINDS), default=M.RECURRING)
    code = code_field(_l("Code"), required=False, render_kw={"maxlength": 64})
    name = name_field(_l("Name"))
    fee_type = Choice(_l("Falls due"), choices=lambda: labelled(M.FEE_TYPES), default="other")
    amount = LocaleDecimalField(_l("Amount"), minimum=Decimal(0), places=10)
    timing = Choice(
        _l("Billed"), choices=lambda: labelled((M.ADVANCE, M.ARREARS)), default=M.ADVANCE
    )
    prorate = BooleanField(_l("Prorate part periods"), default=True)
    metric = Choice(_l("Metric"), choices=metric_choices, message=NO_METRIC)
    charge_model = Choice(
        _l("Charge model"),
        choices=lambda: choices((m, f"{model_label(m)} ({m})") for m in CHARGE_MODELS),
        default="standard",
    )
    tiers = Rows(FormField(TierForm))
    properties = TextAreaField(_l("Properties (Lago JSON)"), filters=[strip])
    spec: ComponentSpec

    def is_blank(self) -> bool:
        return not self.code.data

    def validate(self, extra_validators: Any = None) -> bool:
        """Check the fields this kind of component reads, then the catalogue's own rules."""
        super().validate(extra_validators)
        for name in self.ignored():
            clear_errors(self[name])
        if self.kind.data == M.USAGE:
            self.check_charge()
        if has_errors(self):
            return False
        try:
            self.spec = ComponentSpec.parse(self.spec_data())
        except CatalogError as exc:
            refuse(self, exc, {"charge": "properties", "metric_code": "metric"})
            return False
        return True

    def validate_amount(self, field: LocaleDecimalField) -> None:
        if field.data is None and not field.process_errors:
            raise ValidationError(str(NO_AMOUNT))

    @property
    def model(self) -> str:
        return self.charge_model.data or ""

    def chosen(self) -> str:
        """Which view of the charge is saved: as chosen, or by what a client without it typed."""
        if self.source.raw_data:
            return str(self.source.data)
        typed = self.typed_any(self.model) or (self.model in RANGE_KEYS and self.ranges())
        return FIELDS if typed else JSON

    def ignored(self) -> set[str]:
        """The fields whose errors do not count: other kinds', other models', the unsaved view."""
        ignored = set(self._fields) - ROW_FIELDS - KIND_FIELDS.get(self.kind.data, set())
        own = set(MODEL_FIELDS.get(self.model, {}).values())
        if self.model in RANGE_KEYS:
            own.add("tiers")
        ignored |= (CHARGE_FIELDS | {"tiers"}) - own
        ignored |= own if self.chosen() == JSON else {"properties"}
        return ignored

    def check_charge(self) -> None:
        """Price-check the charge with the engine; its refusal goes beside the value it names."""
        json_chosen = self.chosen() == JSON
        inputs = ["charge_model", "properties", *self.own_inputs()]
        if any(has_errors(self[name]) for name in inputs):
            return  # a value that is no number (or no JSON) is named beside itself already
        try:
            parse_charge({"charge_model": self.model, "properties": self.charge()})
        except ValidationError as exc:
            add_error(self.properties, str(exc))
        except ChargeError as exc:
            beside = None if json_chosen else self.beside(exc)
            if beside is not None:
                add_error(beside, reason(exc))
            elif json_chosen:
                add_error(self.properties, message(exc))
            else:
                self.form_errors.append(message(exc))

    def own_inputs(self) -> list[str]:
        """The inputs the saved view of this model reads, besides the JSON."""
        if self.chosen() == JSON:
            return []
        return [*MODEL_FIELDS.get(self.model, {}).values(), "tiers"]

    def beside(self, exc: ChargeError) -> Any:
        """The field or tier field an engine refusal of the typed fields concerns."""
        beside = tier_field(self.ranges(), exc)
        return self.property_field(self.model, exc) if beside is None else beside

    def ranges(self) -> list[TierForm]:
        """The tier rows filled in, when the charge model is priced by ranges."""
        return self.tiers.filled() if self.model in RANGE_KEYS else []

    def charge(self) -> Any:
        """The chosen view's properties; JSON that does not read is refused by position."""
        if self.chosen() == FIELDS:
            return with_ranges(self.model, self.field_properties(self.model), self.ranges())
        try:
            return exact_json(self.properties.data or "{}")
        except json.JSONDecodeError as exc:
            raise ValidationError(json_problem(exc)) from None

    def spec_data(self) -> dict[str, Any]:
        """The row as the mapping ComponentSpec.parse reads."""
        kind = self.kind.data
        data: dict[str, Any] = {"code": self.code.data, "name": self.name.data, "kind": kind}
        if kind == M.USAGE:
            charge = {"charge_model": self.charge_model.data, "properties": self.charge()}
            return data | {"metric": self.metric.data, "charge": charge}
        data["amount"] = self.amount.data
        if kind == M.ONE_TIME:
            data["fee_type"] = self.fee_type.data
        if kind == M.RECURRING:
            data |= {"timing": self.timing.data, "prorate": self.prorate.data}
        return data


class QuantityField(LocaleDecimalField):
    """How much an allowance includes: a number typed the reader's way, or empty for unlimited."""

    def process_data(self, value: Any) -> None:
        self.data = None if value == "" else value

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        if self.data is None:
            # A new, empty row starts empty; a stored allowance without a cap says so.
            return "" if self.object_data == "" else str(UNLIMITED_WORD)
        return write_number(self.data)

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = str(valuelist[0]).strip() if valuelist else ""
        self.data = None
        # "unlimited" is understood in English and in the reader's language.
        if text.lower() in ("", "unlimited", str(UNLIMITED_WORD).lower()):
            return
        try:
            self.data = self.checked(parse_number(text))
        except NumberError as exc:
            raise ValueError(str(exc)) from None


class AllowanceForm(RowForm):
    """One allowance row; a row without a metric is left out."""

    metric = Choice(_l("Metric"), choices=lambda: metric_choices(blank=True))
    quantity = QuantityField(
        _l("Included per period"),
        minimum=Decimal(0),
        places=10,
        render_kw={"placeholder": QUANTITY_HINT, "inputmode": "text"},
    )
    rollover = BooleanField(_l("Unused units roll over one period"))
    shared = BooleanField(_l("Shared by all lines of the account"))
    zones = StringField(
        _l("Also drawn on while roaming in these zones"),
        [Length(max=200, message=TOO_LONG)],
        filters=[strip],
        render_kw={"maxlength": 200, "placeholder": "eu"},
    )
    spec: AllowanceSpec

    def is_blank(self) -> bool:
        return not self.metric.data

    def validate(self, extra_validators: Any = None) -> bool:
        """Check the typed row, then the catalogue's rules for allowances."""
        if not super().validate(extra_validators):
            return False
        data = {
            "metric": self.metric.data,
            "quantity": self.quantity.data,
            "rollover": self.rollover.data,
            "shared": self.shared.data,
            "zones": (self.zones.data or "").replace(",", " ").split(),
        }
        try:
            self.spec = AllowanceSpec.parse(data)
        except CatalogError as exc:
            refuse(self, exc, {"metric_code": "metric"})
            return False
        return True


class DraftForm(Form):
    """A draft version's contents: its billing interval, components and allowances."""

    interval = Choice(_l("Billed every"), choices=lambda: labelled(INTERVALS), blank_ok=True)
    components = Rows(FormField(ComponentForm))
    allowances = Rows(FormField(AllowanceForm))

    def with_blank_rows(self) -> DraftForm:
        """Show what was filled in plus one empty row of each kind (and tier) to add more."""
        for rows, blank in ((self.components, {}), (self.allowances, {"quantity": ""})):
            rows.entries = [e for e in rows.entries if not e.form.is_blank()]
            rows.append_entry(blank)
        for entry in self.components.entries:
            tiers = entry.form.tiers
            tiers.entries = [e for e in tiers.entries if not e.form.is_blank()]
            tiers.append_entry()
        return self

    def specs(self) -> tuple[list[ComponentSpec], list[AllowanceSpec]]:
        """The validated rows as catalogue specs."""
        components = [row.spec for row in self.components.filled()]
        return components, [row.spec for row in self.allowances.filled()]


def product_choices() -> list[Any]:
    """The brand's products as options."""
    return choices((p.code, p.name) for p in catalog.products(db.session))


def kind_choices() -> list[Any]:
    return choices([(M.PLAN, _l("Plan")), (M.ADDON, _l("Add-on"))])


def payment_choices() -> list[Any]:
    return choices([(M.POSTPAID, _l("Postpaid")), (M.PREPAID, _l("Prepaid"))])


class PlanForm(Form):
    """A new plan or add-on; its prices follow in the draft."""

    code = code_field(_l("Code"), render_kw={"maxlength": 64, "autocomplete": "off"})
    name = name_field(_l("Name"), required=True)
    product = Choice(_l("Product"), choices=product_choices)
    kind = Choice(_l("Kind"), choices=kind_choices, default=M.PLAN)
    payment = Choice(_l("Payment"), choices=payment_choices, default=M.POSTPAID)
    tax_category = Choice(
        _l("Tax category"), choices=lambda: labelled(M.TAX_CATEGORIES), default="standard"
    )
    billing_interval = Choice(
        _l("Billed every"), choices=lambda: labelled(INTERVALS), default="monthly"
    )
    description = TextAreaField(
        _l("Description"), [Length(max=DESCRIPTION_MAX, message=TOO_LONG)], filters=[strip]
    )

    def spec_data(self) -> dict[str, Any]:
        """The form as the mapping PlanSpec.parse reads."""
        return {name: field.data for name, field in self._fields.items()}


def description_field(text: Any) -> TextAreaField:
    """A plan's description, trimmed and no longer than its column."""
    return TextAreaField(text, [Length(max=DESCRIPTION_MAX, message=TOO_LONG)], filters=[strip])


def other_languages() -> list[str]:
    """The brand's languages besides its default, whose texts a plan may carry."""
    return [loc for loc in offered_locales() if loc != g.tenant.default_locale]


class PlanTextForm(Form):
    """A plan's name and description in one of the brand's other languages; empty: the default's."""

    language = HiddenField()
    name = name_field(_l("Name"))
    description = description_field(_l("Description"))

    def validate_language(self, field: HiddenField) -> None:
        if field.data not in other_languages():
            raise ValidationError(NOT_OFFERED)


class PlanFactsForm(Form):
    """A plan's name, description and tax category, changeable at any time."""

    name = name_field(_l("Name"), required=True)
    description = description_field(_l("Description"))
    # One row per other language of the brand, in the order the brand offers them.
    texts = FieldList(FormField(PlanTextForm))
    tax_category = Choice(_l("Tax category"), choices=lambda: labelled(M.TAX_CATEGORIES))

    @classmethod
    def shown(cls, plan: M.Plan) -> PlanFactsForm:
        """The form filled with the plan's facts, a row of texts for each other language."""
        texts = [{"language": loc, **plan.translations.get(loc, {})} for loc in other_languages()]
        return cls(formdata=None, obj=plan, data={"texts": texts})

    def changes(self, plan: M.Plan) -> dict[str, Any]:
        """What the domain changes: texts of languages no longer offered are kept."""
        rows = (entry.form for entry in self.texts)
        texts = {row.language.data: {k: row.data[k] for k in TEXT_KEYS} for row in rows}
        facts = {k: v for k, v in self.data.items() if k != "texts"}
        return facts | {"translations": merged(plan.translations, texts)}


class ProductForm(Form):
    """A product that groups plans."""

    product_code = code_field(_l("Code"), render_kw={"maxlength": 64})
    product_name = name_field(_l("Name"), required=True)
    product_description = name_field(_l("Description"), limit=DESCRIPTION_MAX)


class MetricForm(Form):
    """A usage metric that components and allowances can price."""

    metric_code = code_field(_l("Code"), render_kw={"maxlength": 64})
    metric_name = name_field(_l("Name"))
    metric_unit = name_field(_l("Unit"), limit=32)
    metric_zone = name_field(_l("Roaming zone it counts (empty: at home)"), limit=32)


class LagoImportForm(Form):
    """A Lago plan object pasted whole, with the product and kind it joins."""

    product = Choice(_l("Product"), choices=product_choices)
    kind = Choice(_l("Kind"), choices=kind_choices, default=M.PLAN)
    payment = Choice(_l("Payment"), choices=payment_choices, default=M.POSTPAID)
    # Not trimmed, so the line and column of an error match what the person sees.
    lago_json = TextAreaField(_l("Lago plan (JSON)"), [DataRequired(message=REQUIRED)])
    pasted: Any = None

    def validate_lago_json(self, field: TextAreaField) -> None:
        try:
            self.pasted = exact_json(field.data or "")
        except json.JSONDecodeError as exc:
            raise ValidationError(json_problem(exc)) from None
