"""A file of SIMs read and checked row by row: ICCID (Luhn), IMSI (MCC/MNC), Ki and OPc."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from stdnum import imsi as stdnum_imsi
from stdnum import luhn
from stdnum.exceptions import ValidationError

from saas.errors import Term
from saas.network.errors import ImportRefused, NetworkError
from saas.network.models import ESIM, PHYSICAL, SIM_KINDS

COLUMNS = ("iccid", "imsi", "ki", "opc")
OPTIONAL = ("kind", "matching_id")
MAX_ROWS = 100_000
# Hexadecimal keys of 128 bits, as SIM vendors write them (either case).
KEY = re.compile(r"^[0-9A-Fa-f]{32}$")
ICCID = re.compile(r"^89\d{17,18}$")
IMSI = re.compile(r"^\d{15}$")
MATCHING_ID = re.compile(r"^[0-9A-Za-z-]{1,64}$")


@dataclass(frozen=True)
class SimRow:
    """One SIM as the file gives it, checked."""

    iccid: str
    imsi: str
    ki: str
    opc: str
    kind: str = PHYSICAL
    matching_id: str = ""


def row_named(line: int) -> Term:
    """A row of the file as a refusal names it, by its line number."""
    return Term("record.sim_row", line=line)


def read_csv(data: bytes) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV file by line number, keyed by the header's column names."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NetworkError("network.sim_file_unreadable", field="file") from None
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    if not set(COLUMNS) <= set(header):
        raise NetworkError("network.sim_file_header", field="file", columns=", ".join(COLUMNS))
    reader.fieldnames = header
    return [
        (reader.line_num, row) for row in reader if any((v or "").strip() for v in row.values())
    ]


def digest_of(data: bytes) -> str:
    """The file's digest: the same bytes are the same file."""
    return hashlib.sha256(data).hexdigest()


def digest_of_rows(rows: Iterable[Mapping[str, Any]]) -> str:
    """The digest of rows sent as JSON, written in one canonical way."""
    return digest_of(json.dumps(list(rows), sort_keys=True, separators=(",", ":")).encode())


def _value(row: Mapping[str, Any], name: str) -> str:
    value = row.get(name)
    return value.strip() if isinstance(value, str) else ""


def _iccid(value: str, record: Term) -> str:
    if not ICCID.match(value):
        raise NetworkError("network.iccid_format", record, "iccid")
    if not luhn.is_valid(value):
        raise NetworkError("network.iccid_check_digit", record, "iccid")
    return value


def _imsi(value: str, record: Term) -> str:
    if not IMSI.match(value):
        raise NetworkError("network.imsi_format", record, "imsi")
    try:
        stdnum_imsi.validate(value)
    except ValidationError:
        mcc_mnc = value[:3] + "/" + value[3:5]
        raise NetworkError(
            "network.imsi_unknown_network", record, "imsi", mcc_mnc=mcc_mnc
        ) from None
    return value


def _key(value: str, name: str, record: Term) -> str:
    if not KEY.match(value):
        raise NetworkError("network.key_format", record, name, key="Ki" if name == "ki" else "OPc")
    return value.upper()


def check_row(row: Mapping[str, Any], line: int) -> SimRow:
    """One row checked, or the first thing wrong with it."""
    record = row_named(line)
    kind = _value(row, "kind").lower() or PHYSICAL
    if kind not in SIM_KINDS:
        raise NetworkError("network.sim_kind", record, "kind")
    matching_id = _value(row, "matching_id")
    if kind == ESIM and not MATCHING_ID.match(matching_id):
        raise NetworkError("network.matching_id", record, "matching_id")
    return SimRow(
        iccid=_iccid(_value(row, "iccid"), record),
        imsi=_imsi(_value(row, "imsi"), record),
        ki=_key(_value(row, "ki"), "ki", record),
        opc=_key(_value(row, "opc"), "opc", record),
        kind=kind,
        matching_id=matching_id if kind == ESIM else "",
    )


def check_rows(rows: Sequence[tuple[int, Mapping[str, Any]]]) -> list[SimRow]:
    """Every row checked, twice-given ICCIDs and IMSIs too; all refusals at once, or the SIMs."""
    if not rows:
        raise NetworkError("network.sim_file_empty", field="file")
    if len(rows) > MAX_ROWS:
        raise NetworkError("network.sim_file_too_large", field="file", limit=MAX_ROWS)
    good: list[SimRow] = []
    bad: list[NetworkError] = []
    seen: dict[str, set[str]] = {"iccid": set(), "imsi": set()}
    for line, row in rows:
        try:
            sim = check_row(row, line)
            _once(sim, line, seen)
        except NetworkError as exc:
            bad.append(exc)
        else:
            good.append(sim)
    if bad:
        raise ImportRefused(bad)
    return good


def _once(sim: SimRow, line: int, seen: dict[str, set[str]]) -> None:
    for name in ("iccid", "imsi"):
        value = getattr(sim, name)
        if value in seen[name]:
            raise NetworkError(f"network.{name}_twice", row_named(line), name, **{name: value})
        seen[name].add(value)
