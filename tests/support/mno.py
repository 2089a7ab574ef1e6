"""The MNO simulator for tests: numbers and SIM cards that follow its rules, and its controls."""

from __future__ import annotations

import itertools
from typing import Any

from stdnum import luhn

from saas.outside import JsonClient

_serial = itertools.count(100_000)


def iccid(ending: str = "0") -> str:
    """A fresh 19-digit ICCID with a valid check digit that is `ending` (the rules' last digit)."""
    while True:
        body = f"8949{next(_serial):014d}"
        if luhn.calc_check_digit(body) == ending:
            return body + ending


def imsi() -> str:
    """A fresh 15-digit IMSI."""
    return f"26201{next(_serial):010d}"


def msisdn(ending: str = "5", country: str = "49") -> str:
    """A fresh mobile number in E.164 whose last digit is `ending` (port-in rules read it)."""
    prefix, width = {"49": ("151", 8), "48": ("51", 7)}[country]
    serial = next(_serial) % 10 ** (width - 1)
    return f"+{country}{prefix}{serial:0{width - 1}d}{ending}"


def line(ending: str = "0") -> dict[str, str]:
    """What an activation needs."""
    return {"msisdn": msisdn(), "iccid": iccid(ending), "imsi": imsi(), "profile": "standard"}


class Controls:
    """The simulator's control endpoints."""

    def __init__(self, url: str, token: str = "") -> None:
        self.client = JsonClient("simulator controls", url, token)

    def fault(self, **fault: Any) -> None:
        self.client.post("/control/faults", fault)

    def lines(self) -> dict[str, dict[str, str]]:
        return {x["msisdn"]: x for x in self.client.get("/control/lines")["lines"]}

    def applied(self) -> list[dict[str, str]]:
        return list(self.client.get("/control/applied")["applied"])

    def reset(self) -> None:
        self.client.post("/control/reset", {})
