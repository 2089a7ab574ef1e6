"""The brand's scorecard: points from a person's facts, their total mapped to a credit class.

Each rule gives points: the bureau's score by band (or the points for no record), each kind of
negative entry found, the person's age by band, the lines they already hold with the brand by
band, and paying by direct debit. A band holds the values from its start up to the next band's
start; the first band starts at 0. The total picks the class with the highest minimum it reaches;
the class with the lowest minimum also takes every total below it. Pure functions, no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from saas.customers.credit.reports import BureauReport

SCORE, NO_RECORD, NEGATIVE, AGE, LINES, DIRECT_DEBIT = (
    "bureau_score",
    "no_record",
    "negative",
    "age",
    "lines",
    "direct_debit",
)
RULES = (SCORE, NO_RECORD, NEGATIVE, AGE, LINES, DIRECT_DEBIT)


@dataclass(frozen=True)
class Band:
    """Points for the values from `start` up to the next band's start."""

    start: int
    points: int


@dataclass(frozen=True)
class CreditClass:
    """A credit class and what it allows to be sold."""

    code: str
    names: dict[str, str]
    min_points: int
    deposit: Decimal
    credit_limit: Decimal
    max_lines: int
    postpaid: bool

    def name(self, locale: str, default: str = "") -> str:
        """The class's name in a language, else in the brand's default one, else its code."""
        return self.names.get(locale) or self.names.get(default) or self.code


@dataclass(frozen=True)
class Scorecard:
    """Every rule's points, the classes from the highest minimum down, the fallback class."""

    score_bands: tuple[Band, ...]
    no_record: int
    negatives: dict[str, int]
    age_bands: tuple[Band, ...]
    line_bands: tuple[Band, ...]
    direct_debit: int
    classes: tuple[CreditClass, ...]
    fallback: str
    required: bool = False

    def class_named(self, code: str) -> CreditClass | None:
        """The class with that code, if there is one."""
        return next((c for c in self.classes if c.code == code), None)

    def class_for(self, total: int) -> CreditClass:
        """The class with the highest minimum the total reaches, else the lowest one."""
        return next((c for c in self.classes if total >= c.min_points), self.classes[-1])

    def fallback_class(self) -> CreditClass:
        """The class given while the bureau cannot be reached (prepaid only, by the rules)."""
        found = self.class_named(self.fallback)
        assert found is not None  # the spec's checks keep the fallback among the classes
        return found


@dataclass(frozen=True)
class Line:
    """One rule's part in a total: its points and the band or entries that gave them."""

    rule: str
    points: int
    start: int | None = None
    end: int | None = None
    kind: str | None = None
    count: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The line as stored with the decision, without empty members."""
        data = {"rule": self.rule, "points": self.points, "start": self.start, "end": self.end}
        data |= {"kind": self.kind, "count": self.count}
        return {k: v for k, v in data.items() if v is not None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Line:
        """Read back a stored line."""
        return cls(**data)


@dataclass(frozen=True)
class Facts:
    """What a person is scored on."""

    report: BureauReport
    age: int
    lines: int
    direct_debit: bool


@dataclass(frozen=True)
class Scoring:
    """A scorecard's verdict: each line, the total, the class."""

    lines: tuple[Line, ...]
    total: int
    klass: CreditClass = field(compare=False)


def banded(rule: str, bands: tuple[Band, ...], value: int) -> Line:
    """The line of the band a value falls in (the first band starts at 0, so one always does)."""
    index = max(i for i, band in enumerate(bands) if band.start <= max(value, 0))
    end = bands[index + 1].start - 1 if index + 1 < len(bands) else None
    band = bands[index]
    return Line(rule, band.points, start=band.start, end=end)


def _bureau_lines(card: Scorecard, report: BureauReport) -> list[Line]:
    if not report.found or report.score is None:
        return [Line(NO_RECORD, card.no_record)]
    lines = [banded(SCORE, card.score_bands, report.score)]
    for kind, count in report.kinds().items():
        lines.append(Line(NEGATIVE, card.negatives.get(kind, 0), kind=kind, count=count))
    return lines


def evaluate(card: Scorecard, facts: Facts) -> Scoring:
    """Score a person's facts: one line per rule, their total and the class it reaches."""
    lines = _bureau_lines(card, facts.report)
    lines.append(banded(AGE, card.age_bands, facts.age))
    lines.append(banded(LINES, card.line_bands, facts.lines))
    paying = "yes" if facts.direct_debit else "no"
    lines.append(Line(DIRECT_DEBIT, card.direct_debit if facts.direct_debit else 0, kind=paying))
    total = sum(line.points for line in lines)
    return Scoring(tuple(lines), total, card.class_for(total))
