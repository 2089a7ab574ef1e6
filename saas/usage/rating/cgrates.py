"""Read a CGRateS tariff-plan directory (its own CSV layouts) into a deck, all or nothing.

Files: Destinations.csv, Rates.csv, DestinationRates.csv, Timings.csv (when present),
RatingPlans.csv and RatingProfiles.csv. A line starting with "#" is a comment (CGRateS's
header). Durations are Go durations ("60s", "1m30s"); a plain number counts units (messages,
bytes, or seconds for calls). Every bad row is named with its file and row number.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from saas.errors import Term
from saas.usage.rating.deck import (
    Deck,
    DestinationRate,
    PlanRate,
    Profile,
    Rate,
    Slot,
    Timing,
    timing_of,
)
from saas.usage.rating.errors import ImportRefused, RatingError, row
from saas.usage.rating.models import ANY, DOWN, HALF_UP, UP
from saas.usage.records import DATA, SMS, VOICE

ZONES = "RoamingZones.csv"  # our own: VisitedNetwork (MCC+MNC), Zone
FILES = (
    ZONES,
    "Destinations.csv",
    "Rates.csv",
    "DestinationRates.csv",
    "Timings.csv",
    "RatingPlans.csv",
    "RatingProfiles.csv",
)
OPTIONAL = {"Timings.csv", ZONES}
ROUNDING = {"*middle": HALF_UP, "*up": UP, "*down": DOWN}
CATEGORIES = {"call": VOICE, "voice": VOICE, "sms": SMS, "data": DATA}
MAX_BYTES = 64 * 1024 * 1024
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")
_NANOS = {"ns": 1, "us": 10**3, "µs": 10**3, "ms": 10**6, "s": 10**9, "m": 60 * 10**9}
_NANOS["h"] = 3600 * 10**9


class _Reader:
    """Rows of the files, and every refusal met while reading them."""

    def __init__(self, files: Mapping[str, bytes]) -> None:
        self.files = files
        self.errors: list[RatingError] = []

    def rows(
        self, name: str, columns: tuple[str, ...], least: int
    ) -> Iterator[tuple[int, list[str]]]:
        """Each row of a file with at least `least` columns, padded to all of them."""
        data = self.files.get(name)
        if data is None:
            if name not in OPTIONAL:
                self.errors.append(RatingError("rating.file_missing", file=name))
            return
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.errors.append(RatingError("rating.file_unreadable", _file(name)))
            return
        for line, values in enumerate(csv.reader(io.StringIO(text)), start=1):
            if not values or not "".join(values).strip() or values[0].lstrip().startswith("#"):
                continue
            values = [v.strip() for v in values]
            if len(values) < least:
                self.refuse(
                    name,
                    line,
                    "rating.columns",
                    count=len(values),
                    expected=least,
                    columns=", ".join(columns),
                )
                continue
            yield line, (values + [""] * len(columns))[: len(columns)]

    def refuse(self, name: str, line: int, reason: str, /, **params: Any) -> None:
        self.errors.append(RatingError(reason, row(name, line), **params))


def _file(name: str) -> Term:
    return Term("record.tariff_file", file=name)


def _decimal(value: str) -> Decimal:
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(value) from None
    if not number.is_finite():
        raise ValueError(value)
    return number


def duration(value: str) -> int:
    """A Go duration or a plain count as whole units (seconds for a duration)."""
    text = value.strip()
    if text.isdigit():
        return int(text)
    parts = _DURATION.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError(value)
    nanos = sum(Decimal(n) * _NANOS[u] for n, u in parts)
    if nanos % 10**9:
        raise ArithmeticError(value)
    return int(nanos // 10**9)


class _Plan:
    """The tariff plan as it is read, file by file."""

    def __init__(self, reader: _Reader) -> None:
        self.r = reader
        self.destinations: dict[str, list[str]] = {}
        self.slots: dict[str, list[tuple[int, Decimal, Slot]]] = {}
        self.drs: list[DestinationRate] = []
        self.timings: dict[str, Timing] = {}
        self.plan_rates: list[PlanRate] = []
        self.profiles: list[Profile] = []
        self.zones: dict[str, str] = {}

    def value(
        self, name: str, line: int, column: str, text: str, read: Callable[[str], Any]
    ) -> Any:
        if not text:
            self.r.refuse(name, line, "rating.empty_value", column=column)
            return None
        try:
            return read(text)
        except ArithmeticError:
            self.r.refuse(name, line, "rating.subsecond", column=column, value=text)
        except ValueError:
            code = "rating.bad_duration" if read is duration else "rating.bad_number"
            self.r.refuse(name, line, code, column=column, value=text)
        return None

    def money(self, name: str, line: int, column: str, text: str) -> Decimal | None:
        amount = self.value(name, line, column, text, _decimal)
        if amount is None:
            return None
        if amount < 0:
            self.r.refuse(name, line, "rating.negative", column=column)
            return None
        if amount != amount.quantize(Decimal("0.000001")):
            self.r.refuse(name, line, "rating.too_precise", column=column, value=text)
            return None
        return amount

    def read_zones(self) -> None:
        for line, (network, zone) in self.r.rows(ZONES, ("VisitedNetwork", "Zone"), 2):
            if not (network.isascii() and network.isdigit() and len(network) in (5, 6)) or not zone:
                self.r.refuse(ZONES, line, "rating.bad_network", value=network)
            elif network in self.zones:
                self.r.refuse(ZONES, line, "rating.twice", kind="visited network", code=network)
            else:
                self.zones[network] = zone

    def read_destinations(self) -> None:
        name = "Destinations.csv"
        for line, (code, prefix) in self.r.rows(name, ("Id", "Prefix"), 2):
            digits = prefix.removeprefix("+")
            if not digits.isascii() or not digits.isdigit() or len(digits) > 24:
                self.r.refuse(name, line, "rating.bad_prefix", value=prefix)
                continue
            known = self.destinations.setdefault(code, [])
            if digits not in known:
                known.append(digits)

    def read_rates(self) -> None:
        name = "Rates.csv"
        columns = ("Id", "ConnectFee", "Rate", "RateUnit", "RateIncrement", "GroupIntervalStart")
        for line, (code, fee, rate, unit, inc, start) in self.r.rows(name, columns, 6):
            values = (
                self.money(name, line, "ConnectFee", fee),
                self.value(name, line, "Rate", rate, _decimal),
                self.value(name, line, "RateUnit", unit, duration),
                self.value(name, line, "RateIncrement", inc, duration),
                self.value(name, line, "GroupIntervalStart", start, duration),
            )
            if any(v is None for v in values):
                continue
            connect, price, unit_n, inc_n, start_n = values
            if unit_n == 0 or inc_n == 0:
                self.r.refuse(
                    name,
                    line,
                    "rating.zero_duration",
                    column="RateUnit" if unit_n == 0 else "RateIncrement",
                )
                continue
            if price < 0:
                self.r.refuse(name, line, "rating.negative", column="Rate")
                continue
            taken = {s.start for _, _, s in self.slots.get(code, [])}
            if start_n in taken:
                self.r.refuse(name, line, "rating.slot_twice", rate=code, start=start)
                continue
            slot = Slot(start_n, price, unit_n, inc_n)
            self.slots.setdefault(code, []).append((line, connect or Decimal(0), slot))

    def rates(self) -> dict[str, Rate]:
        found = {}
        for code, slots in self.slots.items():
            ordered = sorted(slots, key=lambda s: s[2].start)
            if ordered[0][2].start != 0:
                self.r.refuse("Rates.csv", ordered[0][0], "rating.first_slot", rate=code)
                continue
            found[code] = Rate(0, code, ordered[0][1], tuple(s for _, _, s in ordered))
        return found

    def read_destination_rates(self, rates: Mapping[str, Rate]) -> None:
        name = "DestinationRates.csv"
        columns = (
            "Id",
            "DestinationId",
            "RatesTag",
            "RoundingMethod",
            "RoundingDecimals",
            "MaxCost",
            "MaxCostStrategy",
        )
        seen: set[tuple[str, str]] = set()
        for line, (code, dest, rate, method, decimals, max_cost, _s) in self.r.rows(
            name, columns, 3
        ):
            problems = len(self.r.errors)
            if dest != ANY and dest not in self.destinations:
                self.r.refuse(name, line, "rating.unknown", kind="destination", code=dest)
            if rate not in rates and rate not in self.slots:
                self.r.refuse(name, line, "rating.unknown", kind="rate", code=rate)
            if method and method not in ROUNDING:
                self.r.refuse(name, line, "rating.bad_rounding", value=method)
            if decimals and not (decimals.isdigit() and int(decimals) <= 6):
                self.r.refuse(name, line, "rating.bad_decimals", value=decimals)
            if max_cost and _is_nonzero(max_cost):
                self.r.refuse(name, line, "rating.max_cost")
            if (code, dest) in seen:
                self.r.refuse(name, line, "rating.twice", kind=code, code=dest)
            seen.add((code, dest))
            if len(self.r.errors) == problems:
                self.drs.append(
                    DestinationRate(
                        code,
                        None if dest == ANY else dest,
                        rate,
                        ROUNDING[method] if method else None,
                        int(decimals) if decimals else None,
                    )
                )

    def read_timings(self) -> None:
        name = "Timings.csv"
        columns = ("Tag", "Years", "Months", "MonthDays", "WeekDays", "Time")
        for line, (code, years, months, days, weekdays, time) in self.r.rows(name, columns, 6):
            if code in self.timings:
                self.r.refuse(name, line, "rating.twice", kind="timing", code=code)
                continue
            try:
                self.timings[code] = timing_of(code, years, months, days, weekdays, time)
            except ValueError:
                column = _bad_timing_column(years, months, days, weekdays, time)
                value = dict(
                    zip(columns, (code, years, months, days, weekdays, time), strict=True)
                )[column]
                self.r.refuse(name, line, "rating.bad_timing", column=column, value=value)

    def read_plans(self) -> None:
        name = "RatingPlans.csv"
        codes = {dr.code for dr in self.drs}
        for line, (code, drs, timing, weight) in self.r.rows(
            name, ("Id", "DestinationRatesId", "TimingTag", "Weight"), 3
        ):
            problems = len(self.r.errors)
            if drs not in codes:
                self.r.refuse(name, line, "rating.unknown", kind="destination rates", code=drs)
            if timing not in ("", ANY) and timing not in self.timings:
                self.r.refuse(name, line, "rating.unknown", kind="timing", code=timing)
            number = self.value(name, line, "Weight", weight or "0", _decimal)
            if len(self.r.errors) == problems and number is not None:
                self.plan_rates.append(
                    PlanRate(code, drs, None if timing in ("", ANY) else timing, number)
                )

    def read_profiles(self) -> None:
        name = "RatingProfiles.csv"
        columns = (
            "Tenant",
            "Category",
            "Subject",
            "ActivationTime",
            "RatingPlanId",
            "RatesFallbackSubject",
        )
        plans = {p.plan for p in self.plan_rates}
        for line, values in self.r.rows(name, ("Direction", *columns, "CdrStatQueueIds"), 5):
            # Older tariff plans start with the direction (*out), newer ones with the tenant;
            # a roaming zone (our own column) follows the fallback subjects, or CdrStatQueueIds.
            if values[0] in ("*out", "*in"):
                values = [*values[1:7], values[8]]
            _tenant, category, subject, activation, plan, fallback, zone = values[:7]
            problems = len(self.r.errors)
            if category.lower() not in CATEGORIES:
                self.r.refuse(name, line, "rating.bad_category", value=category)
            at = _time(activation)
            if at is None:
                self.r.refuse(name, line, "rating.bad_time", value=activation)
            if plan not in plans:
                self.r.refuse(name, line, "rating.unknown", kind="rating plan", code=plan)
            if len(self.r.errors) == problems and at is not None:
                chain = tuple(s.strip() for s in fallback.split(";") if s.strip())
                self.profiles.append(
                    Profile(
                        CATEGORIES[category.lower()], subject or ANY, at, plan, chain, zone or None
                    )
                )


def _is_nonzero(text: str) -> bool:
    try:
        return Decimal(text) != 0
    except InvalidOperation:
        return True


def _bad_timing_column(years: str, months: str, days: str, weekdays: str, time: str) -> str:
    from saas.usage.rating.deck import numbers, seconds_of_day

    checks = (
        ("Years", lambda: numbers(years, 2000, 2063)),
        ("Months", lambda: numbers(months, 1, 12)),
        ("MonthDays", lambda: numbers(days, 1, 31)),
        ("WeekDays", lambda: numbers(weekdays, 0, 7)),
    )
    for column, check in checks:
        try:
            check()
        except ValueError:
            return column
    for part in time.split(";"):
        try:
            seconds_of_day(part)
        except ValueError:
            return "Time"
    return "Time"


def _time(text: str) -> datetime | None:
    try:
        at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)


def read(files: Mapping[str, bytes], timezone: str = "UTC") -> Deck:
    """The deck of a tariff plan's files, or every refusal at once."""
    reader = _Reader(files)
    plan = _Plan(reader)
    plan.read_zones()
    plan.read_destinations()
    plan.read_rates()
    rates = plan.rates()
    plan.read_destination_rates(rates)
    plan.read_timings()
    plan.read_plans()
    plan.read_profiles()
    if not plan.profiles and not reader.errors:
        reader.errors.append(RatingError("rating.nothing"))
    if reader.errors:
        raise ImportRefused(reader.errors)
    return Deck(
        version_id=0,
        timezone=timezone,
        destinations={k: tuple(v) for k, v in plan.destinations.items()},
        rates=rates,
        destination_rates=tuple(plan.drs),
        timings=plan.timings,
        plans=tuple(dict.fromkeys(p.plan for p in plan.plan_rates)),
        plan_rates=tuple(plan.plan_rates),
        profiles=tuple(plan.profiles),
        zones=plan.zones,
    )


def files_of_directory(path: Path) -> dict[str, bytes]:
    """The tariff plan's files in a directory."""
    return {name: (path / name).read_bytes() for name in FILES if (path / name).is_file()}


def files_of_zip(data: bytes) -> dict[str, bytes]:
    """The tariff plan's files in a zip, at its top or in one folder."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise RatingError("rating.not_a_zip", field="file") from None
    found: dict[str, bytes] = {}
    total = 0
    for info in archive.infolist():
        base = info.filename.rsplit("/", 1)[-1]
        if base in FILES and not info.is_dir():
            total += info.file_size
            if total > MAX_BYTES:
                raise RatingError("rating.too_large", field="file", detail="over 64 MB")
            found.setdefault(base, archive.read(info))
    if not found:
        raise RatingError("rating.not_a_zip", field="file")
    return found
