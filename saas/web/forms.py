"""What every console, portal and platform form shares: repeated rows and where refusals show.

A refusal from the domain lands on the field it names, above its row, or above the form when
it names none. The typed fields (locale numbers, local times, choices) are in saas.web.fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import Any, TypeVar

from babel import support
from flask import current_app, flash, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, FieldList, FormField
from wtforms.i18n import messages_path

from saas.db import unit_of_work
from saas.errors import Refusal
from saas.web.refusals import say


@cache
def _wtforms_messages(locale: str) -> support.NullTranslations:
    # Flask-WTF reads the catalogue from disk on every request; it never changes while we run.
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


CHECK_FIELDS = _l("Not saved: please correct the marked fields.")
# Row indices as the designer writes them; anything else in a field name is not a row.
ROW_INDEX = re.compile(r"^\d{1,3}$")


class Form(FlaskForm):
    """A console, portal or platform form.

    CSRFProtect guards every POST of the app, forms and the designer's JSON calls alike, so
    forms carry no token field of their own; templates render the token with the csrf() macro.
    """

    class Meta:
        csrf = False

        def get_translations(self, form: Any) -> Any:
            """WTForms' own messages in the request's language, read once per process."""
            locale = get_locale()
            if locale is None or not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)  # type: ignore[misc]
            return _wtforms_messages(str(locale))


class QueryForm(Form):
    """A search box or filter, read from the query string; a refused value falls back."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formdata", request.args)
        super().__init__(*args, **kwargs)

    def read(self) -> bool:
        """Validate; a refused field keeps its error beside it and reads as its default."""
        valid = self.validate()
        for field in self:
            if field.errors:
                field.data = field.default
        return valid


class RowForm(Form):
    """One repeated row (a price component, a tier, an allowance) inside a form."""

    @property
    def row_name(self) -> str:
        """The row's name, `components-2`, which prefixes the names of its fields."""
        return str(self._prefix).rstrip("-")

    def is_blank(self) -> bool:
        """Whether the row was left empty and is not saved."""
        return False


class Rows(FieldList):
    """Repeated rows named `prefix-N-field`; only plain indices of up to three digits count."""

    def _extract_indices(self, prefix: str, formdata: Any) -> Iterator[int]:
        offset = len(prefix) + 1
        for key in formdata:
            if key.startswith(prefix + self._separator):
                index = key[offset:].split(self._field_separator, 1)[0]
                if ROW_INDEX.match(index):
                    yield int(index)

    def validate(self, form: Any, extra_validators: Any = ()) -> bool:
        """Validate the rows that were filled in; blank rows are left out, never refused."""
        self.errors = []
        valid = True
        for entry in self.entries:
            if not entry.form.is_blank():
                # A row may find an error deep inside after its fields were checked.
                valid = entry.validate(form) and not has_errors(entry) and valid
            self.errors.append(entry.errors)
        if not any(self.errors):
            self.errors = []
        return valid

    def filled(self) -> list[Any]:
        """The rows' forms that were filled in, in order."""
        return [entry.form for entry in self.entries if not entry.form.is_blank()]


def message(exc: Exception, *, record: bool = True) -> str:
    """A refusal in the reader's language, with or without the record it names; others as is."""
    return say(exc, record=record) if isinstance(exc, Refusal) else str(exc)


FIELD_PATH = re.compile(r"[.\[\]/-]+")


def _step(node: Any, part: str) -> Any:
    """Go one step down a field path: into a row list by index, into a form by name."""
    if isinstance(node, FieldList):
        return next((e for e in node.entries if str(e.index) == part), None)
    inner = getattr(node, "form", node)
    fields = getattr(inner, "_fields", None)
    return fields.get(part) if isinstance(fields, Mapping) else None


def field_at(form: Any, path: str | None) -> Any:
    """The field or row a path names: `amount`, `components[2].amount`, `components-2-amount`.

    A path into a field's value (`properties.graduated_ranges[0]`) names the field itself.
    """
    node: Any = form
    for part in (p for p in FIELD_PATH.split(path or "") if p):
        inner = _step(node, part)
        if inner is None:
            break
        node = inner
    return None if node is form or isinstance(node, FieldList) else node


def add_error(field: Field, text: str) -> None:
    """Show one more message beside a field (its errors may still be the unvalidated tuple)."""
    field.errors = [*field.errors, text]


def _renamed(path: str | None, names: Mapping[str, str]) -> str | None:
    """The path with its first step in the form's words (`charge.x` -> `properties.x`)."""
    if not path:
        return None
    first, *rest = FIELD_PATH.split(path, maxsplit=1)
    return ".".join([names.get(first, first), *rest])


def refuse(
    form: Any,
    exc: Exception,
    names: Mapping[str, str] | None = None,
    speak: Callable[[Any], str] | None = None,
) -> None:
    """Put each domain refusal beside the field it names, above its row, or above the form.

    `names` maps the domain's field names to the form's where they differ. An error that
    stands for several refusals (`each()`) is spread over its fields.
    """
    each = getattr(exc, "each", None)
    for refusal in each() if callable(each) else [exc]:
        target = field_at(form, _renamed(getattr(refusal, "field", None), names or {}))
        said = (speak or message)(refusal)
        if isinstance(target, FormField):
            target.form.form_errors.append(said)
        elif target is not None:
            add_error(target, said)
        else:
            form.form_errors.append(said)


T = TypeVar("T")


def saved(form: Any, work: Callable[[], T], names: Mapping[str, str] | None = None) -> T | None:
    """Validate the form and run `work` in one unit of work; a refusal lands on the form."""
    if not form.validate():
        return None
    try:
        with unit_of_work():
            return work()
    except Refusal as exc:
        refuse(form, exc, names)
        return None


def tell(form: Any, headline: Any, key: str = "error") -> None:
    """Flash why a form was not saved: each refusal naming no field, else where to look."""
    for error in form.form_errors:
        flash(headline % {key: error}, "error")
    if not form.form_errors:
        flash(str(CHECK_FIELDS), "error")
    form.form_errors = []


def field_attrs(field: Any, help_text: Any = None, extra: Mapping[str, Any] | None = None) -> dict:
    """The attributes that tie a field to its help and its errors, for screen readers too."""
    described = [f"{field.id}-help"] if help_text else []
    attrs: dict[str, Any] = dict(extra or {})
    if field.errors:
        described.append(f"{field.id}-error")
        attrs["aria_invalid"] = "true"
    if described:
        attrs["aria_describedby"] = " ".join(described)
    return attrs


def init_app(app: Any) -> None:
    """Let templates tie fields to their errors."""
    app.jinja_env.globals["field_attrs"] = field_attrs


def has_errors(node: Any) -> bool:
    """Whether a form, row list or field holds any error, however deep."""
    if isinstance(node, FormField):
        node = node.form
    if isinstance(node, FieldList):
        return any(has_errors(entry) for entry in node.entries)
    if hasattr(node, "_fields"):
        return bool(node.form_errors) or any(has_errors(f) for f in node._fields.values())
    return bool(node.errors)


def clear_errors(node: Any) -> None:
    """Forget every error of a field, row list or form that does not apply after all."""
    if isinstance(node, FormField):
        node = node.form
    if isinstance(node, FieldList):
        node.errors = []
        for entry in node.entries:
            clear_errors(entry)
    elif hasattr(node, "_fields"):
        node.form_errors = []
        for field in node._fields.values():
            clear_errors(field)
    else:
        node.errors = []
