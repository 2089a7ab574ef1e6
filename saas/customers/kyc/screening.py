"""Screen a person against the loaded sanctions lists: names fuzzily, birth dates exactly.

A list version never changes once loaded, so each process builds the names of a version's
people into memory once and matches every applicant against all of them with rapidfuzz
(transliterated and folded by saas.customers.kyc.names), which finds misspellings a lookup by
exact name would miss. A name that matches is a hit unless the entry gives birth dates and none
of them can be the person's: then it is a namesake, reported but not a hit.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import select

from saas.customers.kyc.models import SanctionsEntry, SanctionsList
from saas.customers.kyc.names import folded
from saas.customers.kyc.sanctions import PERSON
from saas.db import DbSession

THRESHOLD = 90.0
# Lists kept in memory per process (each version once); the oldest goes first.
KEPT = 4


@dataclass(frozen=True)
class Listed:
    """A person on a list, as screening needs them."""

    entry_id: int
    ref: str
    name: str
    birth_dates: tuple[str, ...]
    programme: str


@dataclass(frozen=True)
class Match:
    """A listed person whose name matches: how well, and whether the birth date rules them out."""

    listed: Listed
    source: str
    score: float
    namesake: bool

    def to_json(self) -> dict[str, Any]:
        """What a case keeps of the match (the list's data, none of the applicant's)."""
        return {
            "entry_id": self.listed.entry_id,
            "ref": self.listed.ref,
            "name": self.listed.name,
            "source": self.source,
            "score": round(self.score, 1),
            "namesake": self.namesake,
        }


@dataclass(frozen=True)
class _Names:
    """Every name of a list version's people, folded, and whom each names."""

    names: list[str]
    owners: list[Listed]


_kept: dict[int, _Names] = {}
_lock = threading.Lock()


def _build(session: DbSession, list_id: int) -> _Names:
    stmt = select(
        SanctionsEntry.id,
        SanctionsEntry.ref,
        SanctionsEntry.name,
        SanctionsEntry.aliases,
        SanctionsEntry.birth_dates,
        SanctionsEntry.programme,
    ).where(SanctionsEntry.list_id == list_id, SanctionsEntry.kind == PERSON)
    names, owners = [], []
    for row in session.execute(stmt):
        listed = Listed(row.id, row.ref, row.name, tuple(row.birth_dates or ()), row.programme)
        for name in dict.fromkeys([row.name, *(row.aliases or [])]):
            names.append(folded(name))
            owners.append(listed)
    return _Names(names, owners)


def _names(session: DbSession, version: SanctionsList) -> _Names:
    with _lock:
        found = _kept.get(version.id)
    if found is None:
        found = _build(session, version.id)
        with _lock:
            _kept[version.id] = found
            for stale in list(_kept)[:-KEPT]:
                del _kept[stale]
    return found


def _queries(given_names: str, surname: str) -> list[str]:
    """The person's name in full, and with the first given name alone (lists drop the rest)."""
    given = folded(given_names).split()
    full = folded(f"{given_names} {surname}")
    short = folded(f"{given[0]} {surname}") if given else full
    return list(dict.fromkeys([full, short]))


def may_be_born(birth_dates: tuple[str, ...], birth: date | None) -> bool:
    """Whether a person born on `birth` fits an entry's birth dates (any, or none given)."""
    if not birth_dates or birth is None:
        return True
    iso = birth.isoformat()
    return any(iso.startswith(known) for known in birth_dates)


def screen(
    session: DbSession,
    lists: list[SanctionsList],
    given_names: str,
    surname: str,
    birth: date | None,
    threshold: float = THRESHOLD,
) -> list[Match]:
    """Every listed person whose name matches, best first; namesakes marked."""
    best: dict[tuple[int, int], Match] = {}
    for version in lists:
        index = _names(session, version)
        for query in _queries(given_names, surname):
            found = process.extract(
                query, index.names, scorer=fuzz.token_sort_ratio, score_cutoff=threshold, limit=20
            )
            for _name, score, at in found:
                listed = index.owners[at]
                key = (version.id, listed.entry_id)
                if key not in best or best[key].score < score:
                    namesake = not may_be_born(listed.birth_dates, birth)
                    best[key] = Match(listed, version.source, float(score), namesake)
    return sorted(best.values(), key=lambda m: (m.namesake, -m.score, m.listed.entry_id))
