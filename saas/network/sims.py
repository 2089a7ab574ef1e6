"""The brand's SIM stock: files imported whole or not at all, SIMs picked for lines, eSIM codes.

An import is all or nothing: one bad row (its line number and reason are reported) and no SIM
of the file is stored, so a corrected file is simply imported again. A file imported once is
known by its digest and refused a second time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import segno
from sqlalchemy import Select, func, insert, select

from saas.db import DbSession, utcnow
from saas.errors import Term
from saas.identity import audit
from saas.identity.actor import current_actor
from saas.network import settings as brand_settings
from saas.network import simfile
from saas.network.errors import ImportRefused, NetworkError
from saas.network.models import ESIM, IN_STOCK, SIM_KINDS, SIM_STATES, Sim, SimImport
from saas.network.simfile import SimRow
from saas.tenancy.context import require_tenant_id

BATCH = 2_000
LOOKUP = 1_000


def import_file(session: DbSession, data: bytes, filename: str = "") -> SimImport:
    """Import a CSV file of SIMs (columns iccid, imsi, ki, opc[, kind, matching_id])."""
    digest = simfile.digest_of(data)
    _refuse_known(session, digest)
    parsed = simfile.read_csv(data)
    rows = simfile.check_rows(parsed)
    return _store(session, rows, [line for line, _ in parsed], digest, filename)


def import_rows(session: DbSession, rows: list[dict[str, Any]], name: str = "") -> SimImport:
    """Import SIMs given as a list of objects, numbered from 1 as lines of a file would be."""
    digest = simfile.digest_of_rows(rows)
    _refuse_known(session, digest)
    numbered = list(enumerate(rows, start=1))
    checked = simfile.check_rows(numbered)
    return _store(session, checked, [n for n, _ in numbered], digest, name)


def _refuse_known(session: DbSession, digest: str) -> None:
    before = session.scalar(select(SimImport).filter_by(digest=digest))
    if before is not None:
        raise NetworkError("network.sim_file_again", field="file", day=before.created_at)


def _chunks(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), LOOKUP):
        yield values[start : start + LOOKUP]


def _stored(session: DbSession, column: Any, values: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(values):
        found |= set(session.scalars(select(column).where(column.in_(chunk))))
    return found


def _refuse_stored(session: DbSession, rows: list[SimRow], lines: list[int]) -> None:
    """Refuse the rows whose ICCID or IMSI the brand holds already, each by its line."""
    iccids = _stored(session, Sim.iccid, [r.iccid for r in rows])
    imsis = _stored(session, Sim.imsi, [r.imsi for r in rows])
    bad = []
    for row, line in zip(rows, lines, strict=True):
        record = simfile.row_named(line)
        if row.iccid in iccids:
            bad.append(NetworkError("network.iccid_twice", record, "iccid", iccid=row.iccid))
        elif row.imsi in imsis:
            bad.append(NetworkError("network.imsi_twice", record, "imsi", imsi=row.imsi))
    if bad:
        raise ImportRefused(bad)


def _store(
    session: DbSession, rows: list[SimRow], lines: list[int], digest: str, name: str
) -> SimImport:
    _refuse_stored(session, rows, lines)
    batch = SimImport(
        digest=digest, filename=name[:255], count=len(rows), actor_label=current_actor().label
    )
    session.add(batch)
    session.flush()
    now, tenant_id = utcnow(), require_tenant_id()
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        session.execute(insert(Sim), [_values(r, batch.id, tenant_id, now) for r in chunk])
    audit.record(session, "import", "sim_imports", batch.id, count=len(rows), file=name)
    session.flush()
    return batch


def _values(row: SimRow, import_id: int, tenant_id: int, now: datetime) -> dict[str, Any]:
    # Ki and OPc are sealed by their column type on the way in.
    return {
        "tenant_id": tenant_id,
        "iccid": row.iccid,
        "imsi": row.imsi,
        "kind": row.kind,
        "state": IN_STOCK,
        "ki": row.ki,
        "opc": row.opc,
        "matching_id": row.matching_id,
        "import_id": import_id,
        "changed_at": now,
    }


# Reading and picking


def listed(state: str = "", kind: str = "", search: str = "") -> Select[*tuple[Any, ...]]:
    """The brand's SIMs in a state and of a kind, found by ICCID or IMSI, as rows for paging."""
    # Columns only: the sealed keys are never read for a list.
    stmt: Select[*tuple[Any, ...]] = select(
        Sim.id, Sim.iccid, Sim.imsi, Sim.kind, Sim.state, Sim.changed_at
    )
    if state in SIM_STATES:
        stmt = stmt.where(Sim.state == state)
    if kind in SIM_KINDS:
        stmt = stmt.where(Sim.kind == kind)
    digits = "".join(c for c in search if c.isdigit())
    if digits:
        stmt = stmt.where(Sim.iccid.startswith(digits, autoescape=True) | (Sim.imsi == digits))
    return stmt


def counts(session: DbSession) -> dict[tuple[str, str], int]:
    """How many SIMs of each kind stand in each state."""
    stmt = select(Sim.kind, Sim.state, func.count()).group_by(Sim.kind, Sim.state)
    return {(kind, state): count for kind, state, count in session.execute(stmt)}


def by_iccid(session: DbSession, iccid: str) -> Sim | None:
    """The brand's SIM with this ICCID."""
    return session.scalar(select(Sim).filter_by(iccid=iccid.strip()))


def pick(session: DbSession, kind: str) -> Sim:
    """An in-stock SIM of a kind, locked for this transaction; others pick around it."""
    stmt = (
        select(Sim)
        .where(Sim.state == IN_STOCK, Sim.kind == kind)
        .order_by(Sim.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    sim = session.scalar(stmt)
    if sim is None:
        raise NetworkError("network.no_sim_free", field="sim")
    return sim


def chosen(session: DbSession, iccid: str) -> Sim:
    """The in-stock SIM with this ICCID (a card a shop hands over), locked."""
    sim = session.scalar(select(Sim).filter_by(iccid=iccid.strip()).with_for_update())
    record = Term("record.sim", iccid=iccid.strip()[:22])
    if sim is None:
        raise NetworkError("network.sim_unknown", record, "iccid")
    if sim.state != IN_STOCK:
        raise NetworkError("network.sim_taken", record, "iccid")
    return sim


def imported(session: DbSession, limit: int = 20) -> list[SimImport]:
    """The brand's latest SIM files."""
    return list(session.scalars(select(SimImport).order_by(SimImport.id.desc()).limit(limit)))


# eSIM


def activation_code(session: DbSession, sim: Sim) -> str:
    """The eSIM's activation code as GSMA SGP.22 writes it: LPA:1$<SM-DP+ address>$<matching id>."""
    address = brand_settings.of_brand(session).smdp_address
    if sim.kind != ESIM:
        raise NetworkError("network.sim_kind", field="sim")
    if not address:
        raise NetworkError("network.no_smdp_address", field="smdp_address")
    return lpa_code(address, sim.matching_id)


def lpa_code(address: str, matching_id: str) -> str:
    """An activation code as GSMA SGP.22 writes it, from the SM-DP+ address and matching id."""
    return f"LPA:1${address}${matching_id}"


def qr_svg(code: str, scale: int = 4) -> str:
    """The activation code as a QR code, an inline SVG element."""
    return segno.make(code, error="m").svg_inline(scale=scale, dark="#000", light="#fff")
