"""Numbers and SIM files for network tests: valid ICCIDs (Luhn), IMSIs and keys."""

from __future__ import annotations

import hashlib
from typing import Any

from stdnum import luhn

HEADER = "iccid,imsi,ki,opc,kind,matching_id"


def iccid(serial: int, issuer: str = "894901") -> str:
    """A 19-digit ICCID with its Luhn check digit."""
    body = f"{issuer}{serial:012d}"
    return body + luhn.calc_check_digit(body)


def key(seed: str) -> str:
    """A 32-character hexadecimal key, distinct per seed."""
    return hashlib.md5(seed.encode()).hexdigest().upper()


def sim(serial: int, kind: str = "physical", issuer: str = "894901") -> dict[str, Any]:
    """One SIM's columns as a file or the API gives them."""
    row = {
        "iccid": iccid(serial, issuer),
        "imsi": f"26201{serial:010d}",
        "ki": key(f"ki{issuer}{serial}"),
        "opc": key(f"opc{issuer}{serial}"),
        "kind": kind,
        "matching_id": f"MATCH-{issuer}-{serial}" if kind == "esim" else "",
    }
    return row


def csv_of(rows: list[dict[str, Any]]) -> bytes:
    """A SIM file of these rows, with its header."""
    lines = [HEADER] + [",".join(str(r.get(c, "")) for c in HEADER.split(",")) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def sims(first: int, count: int, kind: str = "physical", issuer: str = "894901") -> list[dict]:
    """`count` SIMs from serial `first` on."""
    return [sim(n, kind, issuer) for n in range(first, first + count)]


def stock(session: Any, first: str = "+49 1520 0000000", last: str = "+49 1520 0000199") -> None:
    """A brand's stock for sign-ups: a range of numbers, SIM cards and eSIMs, an SM-DP+ address."""
    from saas.network import numbers
    from saas.network import settings as network_settings
    from saas.network import sims as sim_stock

    network_settings.save(session, smdp_address="smdp.example.com")
    numbers.add_range(session, first, last)
    # ICCIDs ending in 7, 8 or 9 make the MNO simulator fail on purpose: stock has none.
    calm = [row for row in sims(1, 12) if row["iccid"][-1] not in "789"][:5]
    calm_esims = [row for row in sims(100, 12, "esim") if row["iccid"][-1] not in "789"][:5]
    sim_stock.import_rows(session, calm + calm_esims)
