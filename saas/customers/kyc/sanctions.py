"""Sanctions and PEP lists the platform loads: OpenSanctions' simple CSV and the EU's list.

A list is loaded once per file (by its SHA-256) as a new version; screening uses the newest
version of each source, and every decision records the versions it screened against.

OpenSanctions "simple CSV" (targets.simple.csv): one row per entity with the columns id, schema,
name, aliases, birth_date, countries, addresses, identifiers, sanctions, phones, emails, dataset,
first_seen, last_seen, last_change; several values in one cell are separated by ";".

The EU consolidated financial sanctions list (CSV 1.1, ";"-separated, one row per fact of an
entity): the columns read are Entity_LogicalId (required), NameAlias_WholeName (required),
Entity_SubjectType_ClassificationCode or Entity_SubjectType ("P" or "person" for people),
Entity_EU_ReferenceNumber, Entity_Regulation_Programme, BirthDate_BirthDate, BirthDate_Year
and Citizenship_CountryIso2Code; every other column is ignored.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select

from saas.customers.kyc.models import SanctionsEntry, SanctionsList
from saas.db import DbSession
from saas.errors import N_, Refusal, register

OPENSANCTIONS, EU = "opensanctions", "eu"
SOURCES = (OPENSANCTIONS, EU)
PERSON = "person"
OPENSANCTIONS_NEEDS = ("id", "schema", "name", "aliases", "birth_date", "countries", "sanctions")
EU_NEEDS = ("Entity_LogicalId", "NameAlias_WholeName")
BATCH = 2_000
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

REFUSALS = {
    "kyc.list.columns": N_("the file lacks the column(s) %(names)s of the %(source)s format"),
    "kyc.list.empty": N_("the file holds no entries"),
    "kyc.list.encoding": N_("the file is not UTF-8 text"),
    "kyc.list.source": N_("the list format %(source)s is unknown"),
}
register(REFUSALS)


class ListError(Refusal):
    """A file that cannot be loaded as a sanctions list of the format named."""


@dataclass
class Entry:
    """One entity as a list file gives it."""

    ref: str
    kind: str
    name: str
    aliases: list[str] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    programme: str = ""

    def row(self, list_id: int) -> dict[str, Any]:
        """The entry as a row of sanctions_entries."""
        return {
            "list_id": list_id,
            "ref": self.ref[:200],
            "kind": self.kind[:32],
            "name": self.name,
            "aliases": [a for a in self.aliases if a != self.name],
            "birth_dates": self.birth_dates,
            "countries": self.countries,
            "programme": self.programme[:2000],
        }


def _many(cell: str | None) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in (cell or "").split(";") if v.strip()))


def _dates(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v[:10] for v in values if _DATE.match(v[:10])))


def _reader(text: str, delimiter: str, needs: Iterable[str], source: str) -> csv.DictReader[str]:
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    missing = [c for c in needs if c not in (reader.fieldnames or [])]
    if missing:
        raise ListError("kyc.list.columns", names=", ".join(missing), source=source)
    return reader


def parse_opensanctions(text: str) -> Iterator[Entry]:
    """Read OpenSanctions' simple CSV: one entity per row."""
    for row in _reader(text, ",", OPENSANCTIONS_NEEDS, OPENSANCTIONS):
        if not (row.get("id") or "").strip() or not (row.get("name") or "").strip():
            continue
        schema = (row.get("schema") or "").strip()
        yield Entry(
            ref=row["id"].strip(),
            kind=PERSON if schema == "Person" else schema.lower(),
            name=row["name"].strip(),
            aliases=_many(row.get("aliases")),
            birth_dates=_dates(_many(row.get("birth_date"))),
            countries=_many(row.get("countries")),
            programme="; ".join(_many(row.get("sanctions"))),
        )


def _eu_kind(row: dict[str, str]) -> str:
    code = row.get("Entity_SubjectType_ClassificationCode") or row.get("Entity_SubjectType")
    code = (code or "").strip().lower()
    return PERSON if code in ("p", PERSON) else {"e": "enterprise"}.get(code, code)


def _eu_entry(rows: list[dict[str, str]]) -> Entry:
    first = rows[0]
    names = list(dict.fromkeys(r["NameAlias_WholeName"].strip() for r in rows))
    births = [(r.get("BirthDate_BirthDate") or r.get("BirthDate_Year") or "") for r in rows]
    countries = [(r.get("Citizenship_CountryIso2Code") or "").strip().lower() for r in rows]
    ref = (first.get("Entity_EU_ReferenceNumber") or "").strip()
    return Entry(
        ref=first["Entity_LogicalId"].strip() + (f" {ref}" if ref else ""),
        kind=_eu_kind(first),
        name=names[0],
        aliases=names[1:],
        birth_dates=_dates(b.strip() for b in births),
        countries=list(dict.fromkeys(c for c in countries if c)),
        programme=(first.get("Entity_Regulation_Programme") or "").strip(),
    )


def parse_eu(text: str) -> Iterator[Entry]:
    """Read the EU's consolidated list: the rows of one entity share its Entity_LogicalId."""
    groups: dict[str, list[dict[str, str]]] = {}
    for row in _reader(text, ";", EU_NEEDS, EU):
        ident = (row.get("Entity_LogicalId") or "").strip()
        if ident and (row.get("NameAlias_WholeName") or "").strip():
            groups.setdefault(ident, []).append(row)
    for rows in groups.values():
        yield _eu_entry(rows)


PARSERS = {OPENSANCTIONS: parse_opensanctions, EU: parse_eu}


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ListError("kyc.list.encoding") from None


def load(
    session: DbSession, data: bytes, source: str, file_name: str
) -> tuple[SanctionsList, bool]:
    """Load a list file as a new version, or find the version already loaded from it.

    Returns the version and whether it was loaded now. Runs in the platform realm: brands may
    read lists but never write them.
    """
    if source not in PARSERS:
        raise ListError("kyc.list.source", source=source)
    file_hash = hashlib.sha256(data).hexdigest()
    known = session.scalar(select(SanctionsList).where(SanctionsList.file_hash == file_hash))
    if known is not None:
        return known, False
    entries = PARSERS[source](_text(data))
    version = SanctionsList(source=source, file_name=file_name[:255], file_hash=file_hash)
    session.add(version)
    session.flush()
    version.entry_count = _store(session, version.id, entries)
    if not version.entry_count:
        raise ListError("kyc.list.empty")
    session.flush()
    return version, True


def _store(session: DbSession, list_id: int, entries: Iterable[Entry]) -> int:
    count, batch = 0, []
    for entry in entries:
        batch.append(entry.row(list_id))
        if len(batch) >= BATCH:
            session.execute(insert(SanctionsEntry), batch)
            count, batch = count + len(batch), []
    if batch:
        session.execute(insert(SanctionsEntry), batch)
    return count + len(batch)


def current(session: DbSession) -> list[SanctionsList]:
    """The newest version of each source's list."""
    newest = select(func.max(SanctionsList.id)).group_by(SanctionsList.source)
    stmt = select(SanctionsList).where(SanctionsList.id.in_(newest.scalar_subquery()))
    return list(session.scalars(stmt.order_by(SanctionsList.source)))


def versions(session: DbSession, limit: int = 20) -> list[SanctionsList]:
    """The lists loaded, newest first."""
    stmt = select(SanctionsList).order_by(SanctionsList.id.desc()).limit(limit)
    return list(session.scalars(stmt))
