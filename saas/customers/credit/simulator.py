"""A credit bureau to test against: a real WSGI app answering the bureau's API deterministically.

`POST /v1/inquiries` with `{"given_names", "surname", "birth_date", "address"}` answers
`{"inquiry_id", "found", "score", "entries"}`. What it answers is chosen by the test inputs:

| surname (any case) | answer |
| --- | --- |
| `Unbekannt` or `Unknown` | no record found |
| `Ausfall` or `Default` | a record with a payment default of 412.50 EUR |
| `Insolvenz` or `Insolvent` | a record with an insolvency |
| `Inkasso` or `Collection` | a record with a debt in collection of 89.90 EUR |
| `Langsam` or `Slow` | the usual record, after `slow_seconds` (default 5) |
| `Wartung` or `Unavailable` | 503, the bureau is down |
| anyone else | a record without negative entries |

A record's score is 300 + 20 x the day of the month of the birth date: born on the 1st scores
320, on the 15th 600, on the 31st 920. With a `token`, a request without it answers 401.
`saas credit simulator` serves it on its own.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from werkzeug.exceptions import BadRequest, HTTPException, NotFound, Unauthorized
from werkzeug.wrappers import Request, Response

from saas.customers.credit.bureau import INQUIRIES

NO_RECORD = {"unbekannt", "unknown"}
SLOW = {"langsam", "slow"}
DOWN = {"wartung", "unavailable"}
ENTRIES: dict[str, list[dict[str, Any]]] = {
    "ausfall": [{"kind": "default", "amount": "412.50", "currency": "EUR"}],
    "insolvenz": [{"kind": "insolvency"}],
    "inkasso": [{"kind": "collection", "amount": "89.90", "currency": "EUR"}],
}
ENTRIES |= {"default": ENTRIES["ausfall"], "insolvent": ENTRIES["insolvenz"]}
ENTRIES |= {"collection": ENTRIES["inkasso"]}
REPORTED_ON = "2024-03-15"


def score_for(born: date) -> int:
    """The score of a record: 300 + 20 x the day of the month the person was born."""
    return 300 + 20 * born.day


def _inquiry_id(person: dict[str, Any]) -> str:
    key = "|".join(str(person.get(k, "")) for k in ("surname", "given_names", "birth_date"))
    return "SIM-" + hashlib.sha256(key.encode()).hexdigest()[:12].upper()


def _read(request: Request) -> tuple[str, date, dict[str, Any]]:
    try:
        person = json.loads(request.get_data() or b"{}")
        surname = str(person["surname"]).strip().casefold()
        born = date.fromisoformat(person["birth_date"])
    except (ValueError, KeyError, TypeError, AttributeError):
        raise BadRequest("send surname and birth_date (YYYY-MM-DD)") from None
    if not surname:
        raise BadRequest("send surname and birth_date (YYYY-MM-DD)")
    return surname, born, person


def answer(surname: str, born: date, person: dict[str, Any]) -> dict[str, Any]:
    """The bureau's answer about a person, by the rules of the test inputs."""
    reference = _inquiry_id(person)
    if surname in NO_RECORD:
        return {"inquiry_id": reference, "found": False}
    entries = [e | {"reported_on": REPORTED_ON} for e in ENTRIES.get(surname, [])]
    return {"inquiry_id": reference, "found": True, "score": score_for(born), "entries": entries}


class Simulator:
    """The bureau's API as a WSGI app."""

    def __init__(self, token: str = "", slow_seconds: float = 5.0) -> None:
        self.token, self.slow_seconds = token, slow_seconds

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        request = Request(environ)
        try:
            response = self._route(request)
        except HTTPException as exc:
            response = _json({"detail": exc.description}, exc.code or 500)
        return response(environ, start_response)

    def _route(self, request: Request) -> Response:
        if request.path == "/health":
            return _json({"status": "ok"})
        if request.path != INQUIRIES or request.method != "POST":
            raise NotFound("POST /v1/inquiries")
        if self.token and request.headers.get("Authorization") != f"Bearer {self.token}":
            raise Unauthorized("a bearer token is required")
        surname, born, person = _read(request)
        if surname in DOWN:
            return _json({"detail": "the bureau is down for maintenance"}, 503)
        if surname in SLOW:
            time.sleep(self.slow_seconds)
        return _json(answer(surname, born, person))


def _json(body: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")
