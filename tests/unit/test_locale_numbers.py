"""Numbers are read and written the way the reader's language writes them, never as floats."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel import Locale

from saas.web.fields import NumberError, parse_number, write_number

DE, PL, EN = Locale.parse("de"), Locale.parse("pl"), Locale.parse("en")


@pytest.mark.parametrize(
    ("typed", "where", "number"),
    [
        ("19,99", DE, "19.99"),
        ("1.234,56", DE, "1234.56"),
        ("0,002", DE, "0.002"),
        ("1.000.000", DE, "1000000"),
        ("19,99", PL, "19.99"),
        ("1 234,56", PL, "1234.56"),
        ("1\u00a0234,56", PL, "1234.56"),
        ("19.99", EN, "19.99"),
        ("1,234.56", EN, "1234.56"),
        ("  7 ", EN, "7"),
    ],
)
def test_a_number_is_read_as_the_locale_writes_it(typed: str, where: Locale, number: str) -> None:
    parsed = parse_number(typed, where)
    assert isinstance(parsed, Decimal) and parsed == Decimal(number)


@pytest.mark.parametrize(
    ("typed", "where"),
    [
        ("19.99", DE),  # 1999 or 19,99?
        ("19,99", EN),
        ("1.234", DE),  # a thousand and more in German, a little over one in English
        ("1,234", EN),
        ("1,234", DE),
        ("1,2,3", EN),  # 123 with odd grouping, or a typo?
    ],
)
def test_a_number_that_could_be_read_two_ways_is_refused_as_ambiguous(
    typed: str, where: Locale
) -> None:
    with pytest.raises(NumberError, match="could mean more than one number"):
        parse_number(typed, where)


@pytest.mark.parametrize(
    "typed", ["abc", "1,2,3", "1e5", "NaN", "Infinity", "12abc", "", "1" * 41, "--1"]
)
def test_what_is_no_number_is_refused_with_an_example_in_the_locale(typed: str) -> None:
    with pytest.raises(NumberError, match="Enter a number like 1234,56"):
        parse_number(typed, DE)


@pytest.mark.parametrize(
    ("number", "where", "written"),
    [
        ("1234.56", DE, "1234,56"),
        ("1234.56", PL, "1234,56"),
        ("1234.56", EN, "1234.56"),
        ("10.00", DE, "10,00"),
        ("0.0000000001", DE, "0,0000000001"),
        ("1E+5", EN, "100000"),
        ("-2.5", DE, "-2,5"),
    ],
)
def test_a_number_is_written_exactly_in_the_locale_and_reads_back(
    number: str, where: Locale, written: str
) -> None:
    assert write_number(Decimal(number), where) == written
    assert parse_number(written, where) == Decimal(number)
