"""The console's select widget writes what WTForms' own writes, character for character."""

from __future__ import annotations

from typing import Any

import pytest
from markupsafe import Markup
from wtforms import Form, SelectField, validators, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import html_params

from saas.web.widgets import Select, attributes

ATTRIBUTES = [
    {"id": "plan", "name": "plan"},
    {"class_": "a b", "data_row_id": 'say "hi"', "aria_label": "<b>", "checked": True},
    {"readonly": False, "for_": "x", "value": "Zürich & €"},
    {"value": Markup('marked "safe" <i>')},
    {"value": 3, "size": None},
]


@pytest.mark.parametrize("given", ATTRIBUTES)
def test_attributes_are_written_as_wtforms_writes_them(given: dict[str, Any]) -> None:
    assert attributes(**given) == html_params(**given)


class Filter(Form):
    plan = SelectField("Plan", choices=[("", "All"), ("1", "Basis <S>"), ("2", 'Plus "M"')])
    answer = SelectField("Answer", [validators.InputRequired()], choices=[(True, "yes")])
    kind = SelectField("Kind", choices=[("a", "A")], render_kw={"data_kind": "x"})
    grouped = SelectField(
        "Grouped",
        choices=[
            SelectChoice("m", "M", optgroup="Mobile"),
            SelectChoice("h", "H", optgroup="Home"),
        ],
    )
    tagged = SelectField("Tagged", choices=[SelectChoice("t", "T", render_kw={"data_x": "1"})])


@pytest.mark.parametrize("name", ["plan", "answer", "kind", "grouped", "tagged"])
@pytest.mark.parametrize("given", [{}, {"class_": "wide", "aria_describedby": "plan-help"}])
def test_a_select_is_drawn_as_wtforms_draws_it(name: str, given: dict[str, Any]) -> None:
    form = Filter(data={"plan": "2", "answer": True})
    field = form[name]
    assert Select()(field, **given) == widgets.Select()(field, **given)


def test_a_chosen_option_is_marked_and_its_label_escaped() -> None:
    drawn = Select()(Filter(data={"plan": "1"})["plan"])
    assert '<option selected value="1">Basis &lt;S&gt;</option>' in drawn
