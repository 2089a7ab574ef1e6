"""Who is checked and what a bureau reports about them: plain values, sealed when stored."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from babel import Locale

from saas.customers.credit.errors import CreditError, refuse_all

# Kinds of negative entry a bureau reports; anything else it says is "other".
DEFAULT, INSOLVENCY, COLLECTION, OTHER = "default", "insolvency", "collection", "other"
NEGATIVE_KINDS = (DEFAULT, INSOLVENCY, COLLECTION, OTHER)
NAME_MAX, ADDRESS_MAX, OLDEST = 100, 200, 130


@dataclass(frozen=True)
class Applicant:
    """The person a check asks the bureau about, and how they would pay."""

    given_names: str
    surname: str
    birth_date: date
    street: str = ""
    postcode: str = ""
    city: str = ""
    country: str = ""
    direct_debit: bool = False

    def age_on(self, day: date) -> int:
        """Whole years of age on a day."""
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def to_json(self) -> dict[str, Any]:
        """The applicant as JSON, to seal."""
        return asdict(self) | {"birth_date": self.birth_date.isoformat()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Applicant:
        """Read back what `to_json` wrote."""
        return cls(**(data | {"birth_date": date.fromisoformat(data["birth_date"])}))


def _text(data: dict[str, Any], name: str, limit: int, problems: list[CreditError]) -> str:
    value = " ".join(str(data.get(name) or "").split())
    if len(value) > limit:
        problems.append(CreditError("credit.text_too_long", name, limit=limit))
    return value


def _born(born: date, today: date, problems: list[CreditError]) -> None:
    if born > today:
        problems.append(CreditError("credit.born_in_future", "birth_date"))
    elif today.year - born.year > OLDEST:
        problems.append(CreditError("credit.born_too_long_ago", "birth_date", years=OLDEST))


def applicant(data: dict[str, Any], today: date) -> Applicant:
    """Check what was typed about a person; every problem is refused at once, by its field."""
    problems: list[CreditError] = []
    limits = {"given_names": NAME_MAX, "surname": NAME_MAX, "street": ADDRESS_MAX}
    limits |= {"postcode": 16, "city": ADDRESS_MAX}
    text = {name: _text(data, name, limit, problems) for name, limit in limits.items()}
    for name in ("given_names", "surname"):
        if not text[name]:
            problems.append(CreditError(f"credit.{name}_missing", name))
    country = str(data.get("country") or "").strip().upper()
    if country and not (country.isalpha() and country in Locale("en").territories):
        problems.append(CreditError("credit.country_unknown", "country", country=country))
    _born(data["birth_date"], today, problems)
    refuse_all(problems)
    direct_debit = bool(data.get("direct_debit"))
    return Applicant(
        **text, birth_date=data["birth_date"], country=country, direct_debit=direct_debit
    )


@dataclass(frozen=True)
class Negative:
    """One negative entry: a payment default, an insolvency, a debt in collection."""

    kind: str
    amount: Decimal | None = None
    currency: str = ""
    reported_on: date | None = None


@dataclass(frozen=True)
class BureauReport:
    """What the bureau answered: found or not, its score, negative entries, its inquiry's id."""

    reference: str
    found: bool
    score: int | None = None
    negatives: tuple[Negative, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict)

    def kinds(self) -> dict[str, int]:
        """How many negative entries of each kind, in the order kinds are listed."""
        counts = {kind: 0 for kind in NEGATIVE_KINDS}
        for entry in self.negatives:
            counts[entry.kind] += 1
        return {kind: n for kind, n in counts.items() if n}

    def sealed_text(self) -> str:
        """The answer as received, to seal."""
        return json.dumps(self.raw, sort_keys=True)
