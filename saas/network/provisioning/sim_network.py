"""The host network the simulator plays: its lines and SIMs, and the moves a network allows.

A line is known by its number (MSISDN) and holds one SIM (ICCID, IMSI) and a profile; it is
active, suspended or terminated. A refused move raises `Refused` with the HTTP status the
simulator answers: 404 for a line it does not know, 409 for a move its state does not allow,
422 for data it cannot take.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from stdnum import luhn

ACTIVE, SUSPENDED, TERMINATED = "active", "suspended", "terminated"
MSISDN = re.compile(r"\+[1-9]\d{6,14}")
ICCID = re.compile(r"89\d{17,18}")
IMSI = re.compile(r"\d{15}")
PROFILE = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
# Operators numbers are ported from, by code, in the countries the simulator plays.
DONORS = frozenset(
    {"telekom", "vodafone", "telefonica", "1und1", "orange", "play", "plus", "tmobile"}
)
# The earliest porting date is this many days after the request, on a working day.
PORTING_NOTICE_DAYS = 1


class Refused(Exception):
    """The network will not do it: the HTTP status and what it says."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail


@dataclass
class Line:
    """One line on the network."""

    msisdn: str
    iccid: str
    imsi: str
    profile: str
    state: str = ACTIVE

    def view(self) -> dict[str, str]:
        """The line as the control endpoint lists it."""
        return dict(vars(self))


def _field(body: dict[str, Any], name: str, pattern: re.Pattern[str]) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise Refused(422, f"{name} is missing or malformed")
    return value


def _iccid(body: dict[str, Any]) -> str:
    value = _field(body, "iccid", ICCID)
    if not luhn.is_valid(value):
        raise Refused(422, "iccid has a wrong check digit")
    return value


class Network:
    """Lines and SIMs of the host network, changed only by moves the network allows."""

    def __init__(self) -> None:
        self.lines: dict[str, Line] = {}
        self.sims: dict[str, str] = {}  # ICCID -> the number of the line holding it

    def line(self, body: dict[str, Any]) -> Line:
        """The line a request names by its number."""
        line = self.lines.get(_field(body, "msisdn", MSISDN))
        if line is None:
            raise Refused(404, "no line with this number")
        return line

    def iccid_of(self, body: dict[str, Any]) -> str:
        """The SIM a request concerns: the one it names, else the line's (for fault rules)."""
        if isinstance(body.get("iccid"), str):
            return str(body["iccid"])
        line = self.lines.get(str(body.get("msisdn", "")))
        return line.iccid if line else ""

    def check(self, action: str, body: dict[str, Any]) -> None:
        """Refuse a move the network does not allow, changing nothing."""
        CHECKS[action](self, body)

    def apply(self, action: str, body: dict[str, Any]) -> None:
        """Make a move checked before."""
        MOVES[action](self, body)

    def _free_sim(self, body: dict[str, Any]) -> str:
        iccid = _iccid(body)
        if iccid in self.sims:
            raise Refused(409, "this SIM card is in use")
        _field(body, "imsi", IMSI)
        return iccid

    def _check_activate(self, body: dict[str, Any]) -> None:
        held = self.lines.get(_field(body, "msisdn", MSISDN))
        if held is not None and held.state != TERMINATED:
            raise Refused(409, "this number is in use")
        self._free_sim(body)
        _field(body, "profile", PROFILE)

    def _activate(self, body: dict[str, Any]) -> None:
        line = Line(body["msisdn"], body["iccid"], body["imsi"], body["profile"])
        self.lines[line.msisdn], self.sims[line.iccid] = line, line.msisdn

    def _in(self, body: dict[str, Any], *states: str) -> Line:
        line = self.line(body)
        if line.state not in states:
            raise Refused(409, f"the line is {line.state}")
        return line

    def _check_swap(self, body: dict[str, Any]) -> None:
        self._in(body, ACTIVE, SUSPENDED)
        self._free_sim(body)

    def _swap(self, body: dict[str, Any]) -> None:
        line = self.line(body)
        self.sims.pop(line.iccid, None)
        line.iccid, line.imsi = body["iccid"], body["imsi"]
        self.sims[line.iccid] = line.msisdn

    def _terminate(self, body: dict[str, Any]) -> None:
        line = self.line(body)
        line.state = TERMINATED
        self.sims.pop(line.iccid, None)

    def _profile(self, body: dict[str, Any]) -> None:
        self.line(body).profile = body["profile"]

    def _set(self, state: str) -> Any:
        return lambda body: setattr(self.line(body), "state", state)


CHECKS: dict[str, Any] = {
    "activate": Network._check_activate,
    "suspend": lambda n, b: n._in(b, ACTIVE),
    "restore": lambda n, b: n._in(b, SUSPENDED),
    "terminate": lambda n, b: n._in(b, ACTIVE, SUSPENDED),
    "profile": lambda n, b: (n._in(b, ACTIVE, SUSPENDED), _field(b, "profile", PROFILE)),
    "sim": Network._check_swap,
}
MOVES: dict[str, Any] = {
    "activate": Network._activate,
    "suspend": lambda n, b: n._set(SUSPENDED)(b),
    "restore": lambda n, b: n._set(ACTIVE)(b),
    "terminate": Network._terminate,
    "profile": Network._profile,
    "sim": Network._swap,
}


def working_day_from(day: date) -> date:
    """The day itself if it is a weekday, else the Monday after."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def decide_port_in(body: dict[str, Any], today: date) -> dict[str, Any]:
    """The donor's answer to a port-in request, by the simulator's documented rules."""
    msisdn = _field(body, "msisdn", MSISDN)
    if body.get("donor") not in DONORS:
        raise Refused(422, "donor is not an operator known here")
    if not str(body.get("holder_name", "")).strip():
        raise Refused(422, "holder_name is missing")
    try:
        wished = date.fromisoformat(str(body.get("wished_date")))
    except ValueError:
        raise Refused(422, "wished_date is not a date") from None
    account = str(body.get("donor_account", ""))
    if msisdn.endswith("1"):
        return {"status": "rejected", "reason": "holder_mismatch"}
    if msisdn.endswith("2"):
        return {"status": "rejected", "reason": "number_not_active"}
    if account.endswith("0"):
        return {"status": "rejected", "reason": "account_mismatch"}
    earliest = today + timedelta(days=PORTING_NOTICE_DAYS)
    return {
        "status": "confirmed",
        "porting_date": working_day_from(max(wished, earliest)).isoformat(),
    }
