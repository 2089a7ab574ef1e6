"""Every identity refusal has an English template and a German and Polish translation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import saas.identity.services  # noqa: F401 - registers the identity refusals
from saas.errors import MESSAGES

TRANSLATIONS = Path(__file__).resolve().parents[2] / "saas" / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
CODES = sorted(code for code in MESSAGES if code.startswith("identity."))


def test_the_identity_rules_have_their_codes() -> None:
    assert {"identity.last_owner", "identity.self_deactivate", "identity.email_taken"} <= set(CODES)
    assert {"identity.password_too_short", "identity.role_not_yours", "identity.own_roles"} <= set(
        CODES
    )


@pytest.mark.parametrize("lang", ["de", "pl"])
def test_every_identity_refusal_is_translated_with_the_same_placeholders(lang: str) -> None:
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    for code in CODES:
        message = catalog.get(MESSAGES[code])
        assert message is not None and message.string, f"{code} is not translated to {lang}"
        assert sorted(PLACEHOLDER.findall(message.string)) == sorted(
            PLACEHOLDER.findall(MESSAGES[code])
        ), code
