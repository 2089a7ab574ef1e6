"""What every reader shares: the mapping a source adjusts, raw records in, batches of READ out.

A reader does two things. It frames a file into raw records (`records`), streamed, so a file of
any size is read in bounded memory; and it turns a list of raw records into a batch (`parse`):
the records it could read as a frame of `records.READ`, and each one it could not with the
field that stopped it. Conversion is vectorised (Polars expressions over a batch's columns of
text), so every format shares one set of rules for numbers, times and usage.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import IO, Any, ClassVar

import polars as pl

from saas.usage import records as R

# What a mapping may name: each READ field from a source column (or a constant), and options.
FIELDS = tuple(R.READ)
OPTIONS = ("time_zone", "country_code", "service", "direction", "home_network")


@dataclass(frozen=True)
class Mapping:
    """How a source's columns become READ's: a column (or "a|b": the first not empty) per field.

    `service` and `direction` are used where no column gives them; `time_zone` reads times
    written without an offset; `country_code` turns national numbers ("0151...") into E.164;
    `home_network` (MCC+MNC) is the host network, where a record is not roaming.
    """

    columns: dict[str, str] = field(default_factory=dict)
    time_zone: str = "UTC"
    country_code: str = ""
    service: str = ""
    direction: str = R.OUT
    home_network: str = ""

    def adjusted(self, overrides: dict[str, Any] | None) -> Mapping:
        """This mapping with a source's overrides: column names, then options."""
        overrides = dict(overrides or {})
        columns = dict(self.columns)
        for name in FIELDS:
            if name in overrides.get("columns", {}):
                columns[name] = str(overrides["columns"][name])
        options = {k: str(v) for k, v in overrides.items() if k in OPTIONS}
        return replace(self, columns=columns, **options)

    def as_dict(self) -> dict[str, Any]:
        """The mapping as a source stores and a screen shows it."""
        return {"columns": dict(self.columns), **{k: getattr(self, k) for k in OPTIONS}}


@dataclass
class Batch:
    """Records `first_row`.. of a file: those read (READ), and those not, with the field why."""

    read: pl.DataFrame
    raw: list[str]  # every record's raw text (hex for binary formats), by row - first_row
    first_row: int
    unreadable: list[tuple[int, str]] = field(default_factory=list)  # (row, detail)

    def raw_of(self, row: int) -> str:
        """The raw text of a record of this batch."""
        return self.raw[row - self.first_row]


class Reader:
    """One format: how its files are framed into records and its records into READ."""

    format: ClassVar[str]
    label: ClassVar[str]  # the format's name for the screens (not translated: a product name)
    binary: ClassVar[bool] = False
    has_header: ClassVar[bool] = False
    defaults: ClassVar[Mapping]

    def records(self, stream: IO[bytes]) -> Iterator[bytes]:
        """The file's raw records (a header first, for a format that has one), streamed."""
        return text_records(stream)

    def parse(
        self, raws: list[bytes], mapping: Mapping, first_row: int, header: bytes | None = None
    ) -> Batch:
        """A batch of the raw records, numbered from `first_row`."""
        raise NotImplementedError

    def raw_text(self, raw: bytes) -> str:
        """A raw record as quarantine keeps it."""
        return raw.hex() if self.binary else raw.decode("utf-8", "replace").rstrip("\r\n")

    def raw_bytes(self, text: str) -> bytes:
        """A kept record back as the bytes the reader frames."""
        return bytes.fromhex(text) if self.binary else (text + "\n").encode()


def text_records(stream: IO[bytes]) -> Iterator[bytes]:
    """Lines of a text file, a quoted field's line breaks kept inside its record; blanks skipped."""
    pending = b""
    for line in stream:
        pending += line
        if pending.count(b'"') % 2:
            continue  # a quoted field goes on past this line break
        if pending.strip():
            yield pending
        pending = b""
    if pending.strip():
        yield pending


def typed(schema: dict[str, Any]) -> list[pl.Expr]:
    """Select-expressions giving a frame exactly these columns and types."""
    return [pl.col(name).cast(kind) for name, kind in schema.items()]


def chunked(items: Iterable[bytes], size: int) -> Iterator[list[bytes]]:
    """The items in lists of `size` (the last shorter)."""
    chunk: list[bytes] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def digest(prefix: str, raws: list[str]) -> list[str]:
    """A stable key per raw record for sources that give none: the format and its digest."""
    return [f"{prefix}:{hashlib.sha256(r.encode()).hexdigest()[:40]}" for r in raws]


def _pick(columns: dict[str, list[Any]], spec: str, size: int) -> pl.Series:
    """The values of a mapped column ("a|b": the first one not empty), as text or null."""
    names = [n for n in spec.split("|") if n]
    series = [pl.Series(n, columns[n], pl.String) for n in names if n in columns]
    if not series:
        return pl.Series("", [None] * size, pl.String)
    frame = pl.DataFrame(series)
    exprs = [pl.col(s.name).str.strip_chars().replace("", None) for s in series]
    return frame.select(pl.coalesce(exprs).alias("v")).to_series()


def _number(expr: pl.Expr, country_code: str) -> pl.Expr:
    """A phone number as E.164 digits: "+49..." and "0049..." as they are, "0151..." national."""
    digits = expr.str.replace_all(r"[^0-9]", "")
    international = digits.str.replace(r"^00", "")
    if not country_code:
        return pl.when(digits.str.starts_with("00")).then(international).otherwise(digits)
    national = pl.lit(country_code) + digits.str.slice(1)
    plus = expr.str.strip_chars().str.starts_with("+")
    return (
        pl.when(plus | digits.str.starts_with("00"))
        .then(international)
        .when(digits.str.starts_with("0"))
        .then(national)
        .otherwise(digits)
    )


def _times(expr: pl.Expr, zone: str) -> pl.Expr:
    """Times with an offset ("2026-12-02T10:15:00+01:00", "Z"), or local to `zone`; UTC out."""
    text = expr.str.replace(" ", "T")
    aware = text.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%#z", time_zone="UTC", strict=False)
    local = (
        text.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", strict=False)
        .dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")
        .dt.convert_time_zone("UTC")
    )
    return pl.coalesce(aware, local).dt.cast_time_unit("us")


# Each READ field's check, in order: the first that fails names the record's problem.
PROBLEMS = (
    ("service", "is not voice, sms or data"),
    ("direction", "is not out or in"),
    ("number", "has neither a subscriber number nor an IMSI"),
    ("destination", "is missing"),
    ("started_at", "is not a time"),
    ("usage", "is not a whole number of seconds, messages or bytes"),
)


def convert(
    columns: dict[str, list[Any]],
    mapping: Mapping,
    rows: list[int],
    keys: list[str],
    prefix: str,
) -> tuple[pl.DataFrame, list[tuple[int, str]]]:
    """Columns of text (source names) of the records `rows` to READ, and those that fail.

    A record's key is its source's own id (`prefix:id`) or, where it has none, `keys`' digest.
    """
    size = len(keys)
    spec = mapping.columns
    text = {name: _pick(columns, spec.get(name, ""), size) for name in FIELDS if name != "row"}
    frame = pl.DataFrame(text).with_columns(
        row=pl.Series(rows, dtype=pl.Int64),
        record_key=pl.coalesce(
            pl.lit(prefix + ":") + pl.col("record_key"), pl.Series(keys, dtype=pl.String)
        ),
        source_usage=pl.col("usage"),
        source_started=pl.col("started_at"),
    )
    cc = mapping.country_code
    frame = frame.with_columns(
        service=pl.col("service").str.to_lowercase().fill_null(pl.lit(mapping.service or None)),
        direction=pl.col("direction").str.to_lowercase().fill_null(mapping.direction),
        msisdn=_number(pl.col("msisdn"), cc).replace("", None),
        imsi=pl.col("imsi").str.replace_all(r"[^0-9]", "").replace("", None),
        started_at=_times(pl.col("started_at"), mapping.time_zone),
        usage=pl.col("usage").str.replace(r"\.0*$", "").cast(pl.Int64, strict=False),
        visited_network=pl.col("visited_network").str.replace_all(r"[^0-9]", "").fill_null(""),
    )
    home = mapping.home_network
    frame = frame.with_columns(
        destination=pl.when(pl.col("service") == R.DATA)
        .then(pl.col("destination"))
        .otherwise(_number(pl.col("destination"), cc).replace("", None)),
        visited_network=pl.when(pl.col("visited_network") == home)
        .then(pl.lit(""))
        .otherwise(pl.col("visited_network")),
    )
    problem = _problem(frame)
    frame = frame.with_columns(problem=problem)
    bad = frame.filter(pl.col("problem").is_not_null())
    good = frame.filter(pl.col("problem").is_null()).select(typed(R.READ))
    unreadable = [(int(r), str(p)) for r, p in zip(bad["row"], bad["problem"], strict=True)]
    return good, unreadable


def _problem(frame: pl.DataFrame) -> pl.Expr:
    """The first field of each record that cannot be read, in words naming it, or null."""
    failing = {
        "service": ~pl.col("service").is_in(R.SERVICES).fill_null(False),
        "direction": ~pl.col("direction").is_in((R.OUT, R.IN)).fill_null(False),
        "number": pl.col("msisdn").is_null() & pl.col("imsi").is_null(),
        "destination": pl.col("destination").is_null(),
        "started_at": pl.col("started_at").is_null(),
        "usage": pl.col("usage").is_null() | (pl.col("usage") < 0),
    }
    shown = {"started_at": pl.col("source_started"), "usage": pl.col("source_usage")}
    expr: Any = pl.lit(None, pl.String)
    for name, words in reversed(PROBLEMS):
        value = shown.get(name)
        detail = pl.lit(f"{name} {words}")
        if value is not None:
            detail = detail + pl.lit(": ") + value.fill_null("(empty)")
        expr = pl.when(failing[name]).then(detail).otherwise(expr)
    return expr
