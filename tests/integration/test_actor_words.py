"""Pages name who made a change in words of the reader's language, never by an internal label."""

from __future__ import annotations

from typing import Any

import pytest
from flask_babel import force_locale

from saas.web.actors import actor_words


@pytest.mark.parametrize(
    ("label", "german"),
    [
        ("anonymous", "ein anonymer Besucher"),
        ("job:erase_due_personal_data", "das System"),
        ("system", "das System"),
        ("", "das System"),
        ("cli", "die Befehlszeile"),
        ("apikey:ab12cd", "ein API-Schlüssel"),
        ("inhaber@spreewelle.example", "inhaber@spreewelle.example"),
    ],
)
def test_each_kind_of_author_is_named_in_german(app: Any, label: str, german: str) -> None:
    with app.test_request_context(), force_locale("de"):
        assert actor_words(label) == german
