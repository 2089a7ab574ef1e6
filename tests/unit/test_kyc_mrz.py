"""ICAO 9303 zones: the specimens read, and every check digit catches a change in its field."""

from __future__ import annotations

from datetime import date

import pytest

from saas.customers.kyc import mrz
from tests.support.kyc import SPECIMENS, TD1, TD2, TD3

TODAY = date(2026, 12, 2)


def _with(lines: tuple[str, ...], line: int, position: int, char: str) -> list[str]:
    """The lines with one character (1-based line and position) replaced."""
    changed = list(lines)
    text = changed[line - 1]
    changed[line - 1] = text[: position - 1] + char + text[position:]
    return changed


def _other_digit(char: str) -> str:
    return str((int(char) + 1) % 10) if char.isdigit() else "0"


@pytest.mark.parametrize("form", ["TD1", "TD2", "TD3"])
def test_each_icao_specimen_reads_with_every_check_digit_matching(form: str) -> None:
    zone = mrz.parse(SPECIMENS[form], TODAY)
    assert (zone.format, zone.valid, zone.failing) == (form, True, [])
    assert (zone.surname, zone.given_names, zone.issuing_state) == ("ERIKSSON", "ANNA MARIA", "UTO")
    assert (zone.birth_date, zone.expiry_date, zone.sex) == (
        date(1974, 8, 12),
        date(2012, 4, 15),
        "F",
    )


def test_the_specimens_hold_their_document_numbers_and_td3_its_personal_number() -> None:
    numbers = {form: mrz.parse(lines, TODAY).document_number for form, lines in SPECIMENS.items()}
    assert numbers == {"TD1": "D23145890", "TD2": "D23145890", "TD3": "L898902C3"}
    assert mrz.parse(TD3, TODAY).optional_data == "ZE184226B"


def test_each_format_verifies_the_check_digits_icao_gives_it() -> None:
    names = {
        form: [d.name for d in mrz.parse(lines, TODAY).check_digits]
        for form, lines in SPECIMENS.items()
    }
    assert names == {
        "TD1": ["document_number", "birth_date", "expiry_date", "composite"],
        "TD2": ["document_number", "birth_date", "expiry_date", "composite"],
        "TD3": ["document_number", "birth_date", "expiry_date", "optional_data", "composite"],
    }


CASES = [
    (form, digit.name, digit.line, digit.position)
    for form, lines in SPECIMENS.items()
    for digit in mrz.parse(lines, TODAY).check_digits
]


@pytest.mark.parametrize(("form", "name", "line", "position"), CASES)
def test_a_wrong_check_digit_is_named_where_it_is_printed(
    form: str, name: str, line: int, position: int
) -> None:
    lines = SPECIMENS[form]
    printed = lines[line - 1][position - 1]
    zone = mrz.parse(_with(lines, line, position, _other_digit(printed)), TODAY)
    failing = {d.name: d for d in zone.check_digits if not d.valid}
    assert name in failing and not zone.valid
    assert (failing[name].line, failing[name].position, failing[name].expected) == (
        line,
        position,
        printed,
    )
    # The composite covers the other check digits too, and nothing else fails.
    assert set(failing) <= {name, "composite"}


@pytest.mark.parametrize(
    ("lines", "line", "position", "fails"),
    [
        (TD3, 2, 1, {"document_number", "composite"}),
        (TD3, 2, 14, {"birth_date", "composite"}),
        (TD3, 2, 22, {"expiry_date", "composite"}),
        (TD3, 2, 29, {"optional_data", "composite"}),
        (TD2, 2, 3, {"document_number", "composite"}),
        (TD1, 1, 6, {"document_number", "composite"}),
        (TD1, 1, 20, {"composite"}),  # TD1's optional data has no check digit of its own
        (TD1, 2, 19, {"composite"}),
    ],
)
def test_a_changed_field_fails_the_check_digits_that_guard_it(
    lines: tuple[str, ...], line: int, position: int, fails: set[str]
) -> None:
    printed = lines[line - 1][position - 1]
    # A value one off: values ten apart (A and the filler's 0, L and B) sum alike modulo 10.
    changed = {"<": "B", "Z": "Y"}.get(printed) or (
        _other_digit(printed) if printed.isdigit() else chr(ord(printed) + 1)
    )
    assert set(mrz.parse(_with(lines, line, position, changed), TODAY).failing) == fails


def test_a_td1_document_number_over_nine_characters_goes_on_in_the_optional_data() -> None:
    lines = ["I<UTOD23145890<7349<<<<<<<<<<<", TD1[1], TD1[2]]
    zone = mrz.parse(lines, TODAY)
    assert (zone.valid, zone.document_number) == (True, "D23145890734")
    assert [(d.line, d.position) for d in zone.check_digits if d.name == "document_number"] == [
        (1, 19)
    ]
    assert mrz.parse(_with(tuple(lines), 1, 19, "8"), TODAY).failing == [
        "document_number",
        "composite",
    ]


def test_an_empty_personal_number_may_carry_a_filler_as_its_check_digit() -> None:
    line2 = "L898902C36UTO7408122F1204159" + "<" * 15
    line2 += mrz.check_digit(line2[0:10] + line2[13:20] + line2[21:43])
    assert mrz.parse([TD3[0], line2], TODAY).valid


def test_an_impossible_date_is_a_problem_even_with_its_check_digit_right() -> None:
    line2 = TD3[1][:13] + "741332" + mrz.check_digit("741332") + TD3[1][20:43]
    line2 += mrz.check_digit(line2[0:10] + line2[13:20] + line2[21:43])
    zone = mrz.parse([TD3[0], line2], TODAY)
    assert zone.failing == [] and not zone.valid
    assert [p.code for p in zone.problems] == ["kyc.mrz.date"]
    assert zone.birth_date is None


def test_lines_are_read_as_a_person_types_them() -> None:
    assert mrz.parse(["", "  " + TD3[0].lower(), TD3[1] + " ", ""], TODAY).valid


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        ([TD3[0]], "kyc.mrz.lines"),
        ([*TD1, TD1[0]], "kyc.mrz.lines"),
        ([TD3[0], TD3[1][:-1]], "kyc.mrz.length"),
        ([TD1[0], TD1[1], TD1[2] + "<"], "kyc.mrz.length"),
        ([TD3[0][:40], TD3[1][:40]], "kyc.mrz.shape"),
        ([TD3[0].replace("<", "-", 1), TD3[1]], "kyc.mrz.characters"),
    ],
)
def test_lines_that_are_no_zone_are_refused_saying_why(lines: list[str], code: str) -> None:
    with pytest.raises(mrz.MrzError) as refused:
        mrz.parse(lines, TODAY)
    assert refused.value.code == code


def test_a_birth_year_is_never_in_the_future_and_an_expiry_year_is_this_century() -> None:
    zone = mrz.parse(SPECIMENS["TD3"], date(2073, 1, 1))
    assert zone.birth_date == date(1974, 8, 12) and zone.expiry_date == date(2012, 4, 15)


def test_the_report_names_the_format_the_fields_and_each_verdict() -> None:
    report = mrz.parse(TD2, TODAY).to_json()
    assert report["document_type"] == "TD2" and report["valid"] is True
    assert report["fields"]["birth_date"] == "1974-08-12"
    assert report["check_digits"][0] == {
        "name": "document_number",
        "line": 2,
        "position": 10,
        "found": "7",
        "expected": "7",
        "valid": True,
    }
