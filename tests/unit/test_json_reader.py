"""The one JSON reader: request bodies, pasted plans and the designer's properties."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from saas.jsonread import MAX_JSON_DEPTH, read_json


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


def test_nesting_up_to_the_limit_is_read_and_one_level_more_is_refused() -> None:
    assert read_json(nested(MAX_JSON_DEPTH)) is not None
    with pytest.raises(json.JSONDecodeError, match=f"more than {MAX_JSON_DEPTH} levels"):
        read_json(nested(MAX_JSON_DEPTH + 1))


def test_nesting_deeper_than_the_parser_can_go_is_refused_like_bad_json() -> None:
    with pytest.raises(json.JSONDecodeError, match="nesting too deep"):
        read_json(nested(100_000))


def test_numbers_are_read_the_way_the_caller_asks() -> None:
    assert read_json('{"amount": 0.1}') == {"amount": 0.1}
    exact = read_json('{"amount": 0.1}', parse_float=Decimal)
    assert exact == {"amount": Decimal("0.1")} and isinstance(exact["amount"], Decimal)


@pytest.mark.parametrize(
    ("text", "pointer"),
    [
        ('{"plan": {"name": "a\\u0000b"}}', "the string at /plan/name"),
        ('{"charges": [{"code": "\\ud800"}]}', "the string at /charges/0/code"),
        ('{"a\\u0000b": 1}', "the member name at /a\\\\u0000b"),
        ('"\\udfff"', "the string at /"),
    ],
    ids=["a NUL", "a lone surrogate in a list", "a NUL in a member name", "a bare string"],
)
def test_a_string_text_cannot_hold_is_refused_with_its_pointer(text: str, pointer: str) -> None:
    with pytest.raises(json.JSONDecodeError, match=pointer):
        read_json(text)


def test_a_body_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(json.JSONDecodeError, match="not UTF-8"):
        read_json(b'{"name": "\xff"}')


def test_a_surrogate_pair_is_one_character_and_reads_fine() -> None:
    assert read_json('"\\ud83d\\ude00"') == "\U0001f600"


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    text = json.dumps({"note": "[" * 100 + '\\"{' * 50})
    assert read_json(text) == {"note": "[" * 100 + '\\"{' * 50}


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ('"\\\\u0000"', False),  # a backslash, then the letters u0000
        ('"\\\\\\u0000"', True),  # a backslash, then NUL
        ('"\\\\ud83d\\udc00"', True),  # a backslash, "ud83d", then a lone low surrogate
    ],
    ids=["an escaped backslash before u0000", "NUL after a backslash", "a pair split by one"],
)
def test_escaped_backslashes_are_read_the_way_json_pairs_them(text: str, refused: bool) -> None:
    if refused:
        with pytest.raises(json.JSONDecodeError):
            read_json(text)
    else:
        assert read_json(text) == "\\u0000"
