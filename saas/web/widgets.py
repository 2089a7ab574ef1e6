"""WTForms widgets writing the same HTML as WTForms' own, without a format string per attribute.

WTForms writes each attribute through `Markup.format` and looks up the signature of
`render_option` on every select it draws; a list's filter of three selects spent more on that
than on its fifty rows.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.widgets.core import clean_key


def attributes(**kwargs: Any) -> Markup:
    """`wtforms.widgets.html_params`, to the character: sorted, True bare, False left out."""
    shown = []
    for key, value in sorted(kwargs.items()):
        if value is False:
            continue
        name = escape(clean_key(key))
        shown.append(name if value is True else f'{name}="{_value(value)}"')
    return Markup(" ".join(shown))


def _value(value: Any) -> str:
    # escape() leaves text already marked safe as it is: its quotes must not end the attribute.
    return str(escape(value)).replace('"', "&quot;")


class Select(widgets.Select):
    """A select of options without groups, as WTForms draws it."""

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        if field.has_groups():
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        if self.multiple:
            kwargs["multiple"] = True
        flags = getattr(field, "flags", {})
        for name in dir(flags):
            if name in self.validation_attrs and name not in kwargs:
                kwargs[name] = getattr(flags, name)
        html = [f"<select {attributes(name=field.name, **kwargs)}>"]
        html += [self._option(choice) for choice in field._iter_choices_normalized()]
        html.append("</select>")
        return Markup("".join(html))

    @staticmethod
    def _option(choice: Any) -> str:
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        options = {"value": value, **(choice.render_kw or {})}
        if choice.selected:
            options["selected"] = True
        return f"<option {attributes(**options)}>{escape(choice.label or choice.value)}</option>"
