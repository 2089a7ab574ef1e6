"""Machine-readable zones of travel documents (ICAO 9303 parts 3 to 6): TD1, TD2 and TD3.

Every check digit is computed as part 3 says (weights 7, 3, 1 repeating; digits count as
themselves, A to Z as 10 to 35, the filler `<` as 0; the sum modulo 10) and compared with the
one printed, so a scan that went wrong names the check digit that caught it. A document number
longer than nine characters (TD1, TD2) continues in the optional data, its check digit after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from saas.errors import N_, Refusal, Term, register

WEIGHTS = (7, 3, 1)
FILLER = "<"
CHARACTERS = re.compile(r"^[A-Z0-9<]*$")
# Lines per format and characters per line.
SHAPES = {"TD1": (3, 30), "TD2": (2, 36), "TD3": (2, 44)}
DOCUMENT_NUMBER, BIRTH_DATE, EXPIRY_DATE = "document_number", "birth_date", "expiry_date"
OPTIONAL_DATA, COMPOSITE = "optional_data", "composite"

REFUSALS = {
    "kyc.mrz.lines": N_("a machine-readable zone has 2 or 3 lines, not %(count)s"),
    "kyc.mrz.length": N_(
        "line %(line)s has %(length)s characters; a %(format)s zone has %(expected)s per line"
    ),
    "kyc.mrz.shape": N_("lines of %(lengths)s characters are no TD1, TD2 or TD3 zone"),
    "kyc.mrz.characters": N_("line %(line)s holds characters other than A-Z, 0-9 and <"),
    "kyc.mrz.date": N_("the %(name)s %(text)s is no date"),
    # The fields a check digit guards, as the screens name them.
    "kyc.digit.document_number": N_("document number"),
    "kyc.digit.birth_date": N_("birth date"),
    "kyc.digit.expiry_date": N_("expiry date"),
    "kyc.digit.optional_data": N_("optional data"),
    "kyc.digit.composite": N_("composite check"),
}
register(REFUSALS)


class MrzError(Refusal):
    """Lines that are no machine-readable zone at all: wrong count, length or characters."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code, field="lines", **params)


def value(char: str) -> int:
    """A character's value in a check digit: 0-9 as such, A-Z as 10-35, the filler as 0."""
    if char.isdigit():
        return int(char)
    return 0 if char == FILLER else ord(char) - ord("A") + 10


def check_digit(text: str) -> str:
    """The check digit of a field, as ICAO 9303 part 3 computes it."""
    return str(sum(value(c) * WEIGHTS[i % 3] for i, c in enumerate(text)) % 10)


@dataclass(frozen=True)
class CheckDigit:
    """One check digit: which field it guards, where it is printed, what it is and should be."""

    name: str
    line: int
    position: int
    found: str
    expected: str

    @property
    def valid(self) -> bool:
        return self.found == self.expected

    def to_json(self) -> dict[str, Any]:
        """The check digit's verdict as JSON."""
        return {
            "name": self.name,
            "line": self.line,
            "position": self.position,
            "found": self.found,
            "expected": self.expected,
            "valid": self.valid,
        }


@dataclass(frozen=True)
class Zone:
    """A parsed machine-readable zone: its fields and every check digit's verdict."""

    format: str
    lines: tuple[str, ...]
    document_code: str
    issuing_state: str
    document_number: str
    surname: str
    given_names: str
    nationality: str
    birth_date: date | None
    sex: str
    expiry_date: date | None
    optional_data: str
    optional_data_2: str
    check_digits: tuple[CheckDigit, ...]
    problems: tuple[Refusal, ...] = field(default=())

    @property
    def failing(self) -> list[str]:
        """The names of the check digits that do not match their fields."""
        return [c.name for c in self.check_digits if not c.valid]

    @property
    def valid(self) -> bool:
        """Every check digit matches and every date is one."""
        return not self.failing and not self.problems

    def fields(self) -> dict[str, Any]:
        """The parsed fields, dates as ISO text."""
        return {
            "document_code": self.document_code,
            "issuing_state": self.issuing_state,
            "document_number": self.document_number,
            "surname": self.surname,
            "given_names": self.given_names,
            "nationality": self.nationality,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "sex": self.sex,
            "expiry_date": self.expiry_date.isoformat() if self.expiry_date else None,
            "optional_data": self.optional_data,
            "optional_data_2": self.optional_data_2,
        }

    def to_json(self) -> dict[str, Any]:
        """The whole report: format, fields, each check digit's verdict, what failed."""
        return {
            "document_type": self.format,
            "valid": self.valid,
            "fields": self.fields(),
            "check_digits": [c.to_json() for c in self.check_digits],
            "failing": self.failing,
            "problems": [{"code": p.code, "message": p.english()} for p in self.problems],
        }


def _text(raw: str) -> str:
    """A field as read: fillers are spaces, trimmed."""
    return " ".join(raw.replace(FILLER, " ").split())


def _names(raw: str) -> tuple[str, str]:
    """The primary identifier (surname) and the secondary one (given names)."""
    primary, _, secondary = raw.partition(FILLER * 2)
    return _text(primary), _text(secondary)


def _digit(name: str, line: int, at: int, guarded: str, found: str) -> CheckDigit:
    """The check digit printed at index `at` of a line, guarding `guarded`."""
    return CheckDigit(name, line, at + 1, found, check_digit(guarded))


def _date(text: str, name: str, birth: bool, today: date) -> tuple[date | None, Refusal | None]:
    """A YYMMDD date; a birth date is never in the future, an expiry in 1970-2069."""
    refusal = Refusal("kyc.mrz.date", field=name, name=Term(f"kyc.digit.{name}"), text=text)
    if not text.isdigit():
        return None, refusal
    yy, month, day = int(text[:2]), int(text[2:4]), int(text[4:6])
    century = (1900 if yy > today.year % 100 else 2000) if birth else (1900 if yy >= 70 else 2000)
    try:
        return date(century + yy, month, day), None
    except ValueError:
        return None, refusal


@dataclass(frozen=True)
class _Number:
    """A document number as printed, where its check digit is, and the optional data left."""

    number: str
    digit: str
    digit_at: int  # index in its line
    optional: str


def _number(line: str, start: int, optional_at: int, optional_end: int) -> _Number:
    """Read a document number; one over nine characters goes on in the optional data.

    A filler in place of the check digit says so: the rest of the number, then its check
    digit, lead the optional data.
    """
    number, digit, optional = (
        line[start : start + 9],
        line[start + 9],
        line[optional_at:optional_end],
    )
    if digit != FILLER or not optional or optional[0] == FILLER:
        return _Number(number, digit, start + 9, optional)
    rest = optional.split(FILLER, 1)[0]
    at = optional_at + len(rest) - 1
    return _Number(number + rest[:-1], rest[-1], at, optional[len(rest) :])


def detect(lines: list[str]) -> str:
    """The format of the lines (TD1, TD2 or TD3), or raise MrzError saying why none."""
    if len(lines) not in (2, 3):
        raise MrzError("kyc.mrz.lines", count=len(lines))
    for index, line in enumerate(lines, 1):
        if not CHARACTERS.match(line):
            raise MrzError("kyc.mrz.characters", line=index)
    if len(lines) == 3:
        _lengths("TD1", lines)
        return "TD1"
    width = len(lines[0])
    form = {36: "TD2", 44: "TD3"}.get(width)
    if form is None:
        raise MrzError("kyc.mrz.shape", lengths=", ".join(str(len(x)) for x in lines))
    _lengths(form, lines)
    return form


def _lengths(form: str, lines: list[str]) -> None:
    width = SHAPES[form][1]
    for index, line in enumerate(lines, 1):
        if len(line) != width:
            raise MrzError(
                "kyc.mrz.length", line=index, length=len(line), format=form, expected=width
            )


def clean(lines: list[str] | tuple[str, ...]) -> list[str]:
    """Lines as a scanner or a person gives them: blanks dropped, spaces out, upper case."""
    return [line.strip().upper().replace(" ", "") for line in lines if line.strip()]


def parse(lines: list[str] | tuple[str, ...], today: date | None = None) -> Zone:
    """Parse a TD1, TD2 or TD3 zone and verify each of its check digits."""
    given = clean(lines)
    form = detect(given)
    today = today or date.today()
    return _td1(given, today) if form == "TD1" else _two_line(form, given, today)


def _dates(l2: str, birth_at: int, expiry_at: int, today: date) -> tuple[Any, Any, list[Refusal]]:
    birth, bad_birth = _date(l2[birth_at : birth_at + 6], BIRTH_DATE, True, today)
    expiry, bad_expiry = _date(l2[expiry_at : expiry_at + 6], EXPIRY_DATE, False, today)
    return birth, expiry, [p for p in (bad_birth, bad_expiry) if p is not None]


def _td1(lines: list[str], today: date) -> Zone:
    l1, l2, l3 = lines
    doc = _number(l1, 5, 15, 30)
    digits = (
        CheckDigit(DOCUMENT_NUMBER, 1, doc.digit_at + 1, doc.digit, check_digit(doc.number)),
        _digit(BIRTH_DATE, 2, 6, l2[0:6], l2[6]),
        _digit(EXPIRY_DATE, 2, 14, l2[8:14], l2[14]),
        _digit(COMPOSITE, 2, 29, l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29], l2[29]),
    )
    birth, expiry, problems = _dates(l2, 0, 8, today)
    surname, given = _names(l3)
    return Zone(
        format="TD1",
        lines=tuple(lines),
        document_code=_text(l1[0:2]),
        issuing_state=_text(l1[2:5]),
        document_number=doc.number.replace(FILLER, ""),
        surname=surname,
        given_names=given,
        nationality=_text(l2[15:18]),
        birth_date=birth,
        sex=l2[7],
        expiry_date=expiry,
        optional_data=_text(doc.optional),
        optional_data_2=_text(l2[18:29]),
        check_digits=digits,
        problems=tuple(problems),
    )


def _two_line(form: str, lines: list[str], today: date) -> Zone:
    l1, l2 = lines
    end = len(l2) - 1  # the composite check digit closes the second line
    surname, given = _names(l1[5:])
    # TD3 has room for any number in its own field; TD2's long ones go on in its optional data.
    doc = _number(l2, 0, 28, end) if form == "TD2" else _Number(l2[0:9], l2[9], 9, l2[28:42])
    digits = [
        CheckDigit(DOCUMENT_NUMBER, 2, doc.digit_at + 1, doc.digit, check_digit(doc.number)),
        _digit(BIRTH_DATE, 2, 19, l2[13:19], l2[19]),
        _digit(EXPIRY_DATE, 2, 27, l2[21:27], l2[27]),
    ]
    if form == "TD3":
        digits.append(_optional_digit(l2[28:42], l2[42]))
    digits.append(_digit(COMPOSITE, 2, end, l2[0:10] + l2[13:20] + l2[21:end], l2[end]))
    birth, expiry, problems = _dates(l2, 13, 21, today)
    return Zone(
        format=form,
        lines=tuple(lines),
        document_code=_text(l1[0:2]),
        issuing_state=_text(l1[2:5]),
        document_number=doc.number.replace(FILLER, ""),
        surname=surname,
        given_names=given,
        nationality=_text(l2[10:13]),
        birth_date=birth,
        sex=l2[20],
        expiry_date=expiry,
        optional_data=_text(doc.optional),
        optional_data_2="",
        check_digits=tuple(digits),
        problems=tuple(problems),
    )


def _optional_digit(optional: str, found: str) -> CheckDigit:
    """TD3's personal number check digit; a filler stands for 0 when the field is empty."""
    expected = check_digit(optional)
    if found == FILLER and set(optional) == {FILLER}:
        found = expected
    return CheckDigit(OPTIONAL_DATA, 2, 43, found, expected)
