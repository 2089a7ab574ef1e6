"""A scorecard as data (a brand file's [credit] table, the console's form, the stored row).

`parse` checks every member and refuses all problems at once, each naming the field it concerns
(`classes[1].deposit`) and, as its record, where in the brand file it sits; `to_json` writes a
scorecard back in the same shape. Amounts are decimals as text (or whole numbers), never floats.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from saas.customers.credit.errors import CreditError, refuse_all
from saas.customers.credit.reports import NEGATIVE_KINDS
from saas.customers.credit.scorecard import Band, CreditClass, Scorecard
from saas.i18n_locales import SUPPORTED_LOCALES
from saas.money import exponent, money_text, quantum

POINTS_MAX = 1000
NAME_MAX = 80
LINES_MAX = 100
AMOUNT_MAX = Decimal(10) ** 9
BAND_MAX = {"score_bands": 1000, "age_bands": 150, "line_bands": LINES_MAX}
CLASS_CODE = re.compile(r"^[A-Z0-9]{1,8}$")
TOP = ("required", "no_record", "direct_debit", "fallback", "negatives", *BAND_MAX, "classes")
# What a number out of range is refused with, by the member's name (points otherwise).
RANGES = {"start": "credit.band_range", "max_lines": "credit.lines_range"}
CLASS_KEYS = ("code", "names", "min_points", "deposit", "credit_limit", "max_lines", "postpaid")

# What a brand without a [credit] table of its own starts with.
DEFAULT: dict[str, Any] = {
    "required": False,
    "no_record": 25,
    "direct_debit": 10,
    "fallback": "D",
    "negatives": {"default": -40, "insolvency": -100, "collection": -25, "other": -10},
    "score_bands": [
        {"start": 0, "points": 0},
        {"start": 400, "points": 20},
        {"start": 600, "points": 40},
        {"start": 800, "points": 60},
    ],
    "age_bands": [
        {"start": 0, "points": 0},
        {"start": 25, "points": 10},
        {"start": 40, "points": 20},
    ],
    "line_bands": [{"start": 0, "points": 0}, {"start": 1, "points": 10}],
    "classes": [
        {
            "code": "A",
            "names": {"en": "Very good", "de": "Sehr gut", "pl": "Bardzo dobra"},
            "min_points": 80,
            "deposit": "0",
            "credit_limit": "150",
            "max_lines": 5,
            "postpaid": True,
        },
        {
            "code": "B",
            "names": {"en": "Good", "de": "Gut", "pl": "Dobra"},
            "min_points": 50,
            "deposit": "0",
            "credit_limit": "80",
            "max_lines": 3,
            "postpaid": True,
        },
        {
            "code": "C",
            "names": {"en": "Fair", "de": "Befriedigend", "pl": "Dostateczna"},
            "min_points": 30,
            "deposit": "50",
            "credit_limit": "40",
            "max_lines": 1,
            "postpaid": True,
        },
        {
            "code": "D",
            "names": {"en": "Prepaid only", "de": "Nur Prepaid", "pl": "Tylko na kartę"},
            "min_points": 0,
            "deposit": "0",
            "credit_limit": "0",
            "max_lines": 1,
            "postpaid": False,
        },
    ],
}


class _Reader:
    """Reads one spec, keeping every problem with the field and file path it concerns."""

    def __init__(self, currency: str, locale: str) -> None:
        self.currency, self.locale = currency, locale
        self.problems: list[CreditError] = []

    def refuse(self, code: str, field: str | None, /, **params: Any) -> None:
        self.problems.append(CreditError(code, field, f"[credit] {field or ''}".strip(), **params))

    def whole(self, value: Any, field: str, low: int = -POINTS_MAX, high: int = POINTS_MAX) -> int:
        """A whole number between `low` and `high` (points, unless told otherwise)."""
        if isinstance(value, bool) or not isinstance(value, int):
            self.refuse("credit.not_whole", field, value=str(value))
            return low if low > 0 else 0
        if not low <= value <= high:
            self.refuse(
                RANGES.get(field.rsplit(".", 1)[-1], "credit.points_range"),
                field,
                low=low,
                high=high,
            )
        return value

    def amount(self, value: Any, field: str) -> Decimal:
        try:
            if isinstance(value, bool) or not isinstance(value, str | int):
                raise InvalidOperation
            number = Decimal(value)
            if not number.is_finite() or abs(number) >= AMOUNT_MAX:
                raise InvalidOperation
        except InvalidOperation:
            self.refuse("credit.not_an_amount", field, value=str(value))
            return Decimal(0)
        places, step = exponent(self.currency), quantum(self.currency)
        if number < 0:
            self.refuse("credit.amount_negative", field)
        elif number != number.quantize(step):
            self.refuse("credit.amount_places", field, currency=self.currency, places=places)
            return number
        # Written with the currency's decimals from here on: 50 EUR is 50.00.
        return number.quantize(step)

    def flag(self, value: Any, field: str) -> bool:
        if not isinstance(value, bool):
            self.refuse("credit.not_yes_no", field, value=str(value))
            return False
        return value

    def unknown(self, data: Mapping[str, Any], known: tuple[str, ...], field: str | None) -> None:
        names = sorted(set(data) - set(known))
        if names:
            self.refuse("credit.unknown_fields", field, names=", ".join(names))

    def bands(self, data: Any, name: str) -> tuple[Band, ...]:
        rows = data if isinstance(data, list) else []
        if not rows:
            self.refuse("credit.bands_missing", name)
            return (Band(0, 0),)
        bands = [self.band(row, f"{name}[{i}]", BAND_MAX[name]) for i, row in enumerate(rows)]
        if bands[0].start != 0:
            self.refuse("credit.bands_first", f"{name}[0].start")
        for i, (before, band) in enumerate(pairwise(bands), start=1):
            if band.start <= before.start:
                self.refuse("credit.bands_order", f"{name}[{i}].start", previous=before.start)
        return tuple(bands)

    def band(self, row: Any, field: str, high: int) -> Band:
        row = row if isinstance(row, Mapping) else {}
        self.unknown(row, ("start", "points"), field)
        start = self.whole(row.get("start"), f"{field}.start", 0, high)
        return Band(start, self.whole(row.get("points", 0), f"{field}.points"))

    def negatives(self, data: Any) -> dict[str, int]:
        data = data if isinstance(data, Mapping) else {}
        for kind in sorted(set(data) - set(NEGATIVE_KINDS)):
            self.refuse("credit.negative_kind", f"negatives.{kind}", kind=kind)
        return {k: self.whole(data.get(k, 0), f"negatives.{k}") for k in NEGATIVE_KINDS}

    def klass(self, row: Any, field: str) -> CreditClass:
        row = row if isinstance(row, Mapping) else {}
        self.unknown(row, CLASS_KEYS, field)
        code = str(row.get("code", "")).strip().upper()
        if not CLASS_CODE.match(code):
            self.refuse("credit.class_code", f"{field}.code")
        given = row.get("names") if isinstance(row.get("names"), Mapping) else {}
        names = {k: " ".join(str(v).split())[:NAME_MAX] for k, v in given.items()}
        names = {k: v for k, v in names.items() if k in SUPPORTED_LOCALES and v}
        if self.locale and not names.get(self.locale):
            self.refuse("credit.class_name_missing", f"{field}.name_{self.locale}")
        return CreditClass(
            code,
            names,
            self.whole(row.get("min_points"), f"{field}.min_points"),
            self.amount(row.get("deposit", "0"), f"{field}.deposit"),
            self.amount(row.get("credit_limit", "0"), f"{field}.credit_limit"),
            self.whole(row.get("max_lines"), f"{field}.max_lines", 0, LINES_MAX),
            self.flag(row.get("postpaid", False), f"{field}.postpaid"),
        )

    def classes(self, data: Any) -> tuple[CreditClass, ...]:
        rows = data if isinstance(data, list) else []
        if not rows:
            self.refuse("credit.classes_missing", "classes")
            return ()
        found = [self.klass(row, f"classes[{i}]") for i, row in enumerate(rows)]
        codes: set[str] = set()
        minimums: set[int] = set()
        for i, c in enumerate(found):
            if c.code in codes:
                self.refuse("credit.class_twice", f"classes[{i}].code", klass=c.code)
            if c.min_points in minimums:
                self.refuse(
                    "credit.class_minimum_twice", f"classes[{i}].min_points", points=c.min_points
                )
            codes.add(c.code)
            minimums.add(c.min_points)
        return tuple(sorted(found, key=lambda c: -c.min_points))

    def fallback(self, code: Any, classes: tuple[CreditClass, ...]) -> str:
        code = str(code or "").strip().upper()
        chosen = next((c for c in classes if c.code == code), None)
        if chosen is None:
            self.refuse("credit.fallback_unknown", "fallback")
        elif chosen.postpaid:
            self.refuse("credit.fallback_postpaid", "fallback")
        return code


def parse(data: Mapping[str, Any], currency: str, locale: str) -> Scorecard:
    """Check a scorecard's data for a brand (its currency, its default language)."""
    read = _Reader(currency, locale)
    read.unknown(data, TOP, None)
    classes = read.classes(data.get("classes"))
    card = Scorecard(
        score_bands=read.bands(data.get("score_bands"), "score_bands"),
        no_record=read.whole(data.get("no_record", 0), "no_record"),
        negatives=read.negatives(data.get("negatives")),
        age_bands=read.bands(data.get("age_bands"), "age_bands"),
        line_bands=read.bands(data.get("line_bands"), "line_bands"),
        direct_debit=read.whole(data.get("direct_debit", 0), "direct_debit"),
        classes=classes,
        fallback=read.fallback(data.get("fallback"), classes),
        required=read.flag(data.get("required", False), "required"),
    )
    refuse_all(read.problems)
    return card


def _bands(bands: tuple[Band, ...]) -> list[dict[str, int]]:
    return [{"start": b.start, "points": b.points} for b in bands]


def to_json(card: Scorecard, currency: str) -> dict[str, Any]:
    """The scorecard as data `parse` reads back, amounts as text."""
    classes = [
        {
            "code": c.code,
            "names": dict(c.names),
            "min_points": c.min_points,
            "deposit": money_text(c.deposit, currency),
            "credit_limit": money_text(c.credit_limit, currency),
            "max_lines": c.max_lines,
            "postpaid": c.postpaid,
        }
        for c in card.classes
    ]
    return {
        "required": card.required,
        "no_record": card.no_record,
        "direct_debit": card.direct_debit,
        "fallback": card.fallback,
        "negatives": dict(card.negatives),
        "score_bands": _bands(card.score_bands),
        "age_bands": _bands(card.age_bands),
        "line_bands": _bands(card.line_bands),
        "classes": classes,
    }
