"""An MNO simulator: a real HTTP service that plays the host network for the demo and the tests.

It speaks the API `saas.network.provisioning.mno` describes, keeps its own lines and SIMs
(`sim_network`) and refuses what a network refuses: 404 for a line it does not know, 409 for a
move the line's state does not allow (suspending a suspended line), 422 for malformed data. An
idempotency key it has carried out answers again as it did then, changing nothing; a refused
request is not remembered, so it may be sent again under the same key.

Answers go wrong on purpose, by these rules on the SIM a request names (or the line's SIM):

- an ICCID ending in 9 fails with 503 the first `flaky_times` times (default 2), then works;
- an ICCID ending in 8 is answered after `slow_seconds` (default 3): a client that waits less
  sees a time-out;
- an ICCID ending in 7 is accepted with 202 "in_progress" and carried out when its status is
  asked for (GET /v1/requests/<ref>).

Port-in requests are decided by the number and the holder data: a number ending in 1 is
rejected `holder_mismatch`, in 2 `number_not_active`; a donor customer number ending in 0 is
rejected `account_mismatch`; any other is confirmed for the wished date, or the first working
day at least one day after the request if that is later. Tests steer it further:

    POST /control/faults  {"iccid" | "msisdn": ..., "status": 503, "times": 1}  next answers
    POST /control/reset   forget every line, key, fault and request
    GET  /control/lines   the lines as the network holds them
    GET  /control/applied every move carried out, with its idempotency key
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from werkzeug.wrappers import Request, Response

from saas.network.provisioning.sim_network import Network, Refused, decide_port_in

FLAKY, SLOW, LATER = "9", "8", "7"
MOVES = ("activate", "suspend", "restore", "terminate", "profile", "sim")


def _today() -> date:
    return datetime.now(UTC).date()


@dataclass
class Fault:
    """Answer the next `times` requests naming this SIM or number with `status`."""

    status: int
    times: int
    iccid: str = ""
    msisdn: str = ""

    def matches(self, iccid: str, msisdn: str) -> bool:
        return bool((self.iccid and self.iccid == iccid) or (self.msisdn and self.msisdn == msisdn))


@dataclass
class State:
    """Everything the simulator remembers."""

    network: Network = field(default_factory=Network)
    keys: dict[str, tuple[str, int, dict[str, Any]]] = field(default_factory=dict)
    later: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    applied: list[dict[str, str]] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    seen: Counter[str] = field(default_factory=Counter)


def _json(body: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def _problem(status: int, detail: str) -> Response:
    return _json({"detail": detail}, status)


class MnoSimulator:
    """The WSGI app of the simulated host network."""

    def __init__(
        self,
        token: str = "",
        *,
        flaky_times: int = 2,
        slow_seconds: float = 3.0,
        today: Callable[[], date] = _today,
    ) -> None:
        self.token, self.flaky_times, self.slow_seconds = token, flaky_times, slow_seconds
        self.today = today
        self.state = State()
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        return self.answer(Request(environ))(environ, start_response)

    def reset(self) -> None:
        """Forget everything, as a fresh network."""
        with self._lock:
            self.state = State()

    def answer(self, request: Request) -> Response:
        """Route one request."""
        if self.token and request.headers.get("Authorization") != f"Bearer {self.token}":
            return _problem(401, "unknown credentials")
        body = request.get_json(silent=True) if request.method == "POST" else {}
        if not isinstance(body, dict):
            return _problem(400, "the body is not a JSON object")
        if request.path.startswith("/control/"):
            return self._control(request.path, body)
        return self._network(request.method, request.path, body)

    def _network(self, method: str, path: str, body: dict[str, Any]) -> Response:
        if method == "GET" and path.startswith("/v1/requests/"):
            return self._status(path.removeprefix("/v1/requests/"))
        action = path.removeprefix("/v1/lines/") if path.startswith("/v1/lines/") else ""
        if method == "POST" and (action in MOVES or path == "/v1/port-ins"):
            return self._request(action or "port_in", body)
        return _problem(404, "no such endpoint")

    def _request(self, action: str, body: dict[str, Any]) -> Response:
        key = body.pop("idempotency_key", None)
        if not isinstance(key, str) or not key:
            return _problem(422, "idempotency_key is missing")
        iccid = self._iccid(body)
        if iccid.endswith(SLOW):
            time.sleep(self.slow_seconds)
        with self._lock:
            return self._once(action, key, body, iccid)

    def _iccid(self, body: dict[str, Any]) -> str:
        with self._lock:
            return self.state.network.iccid_of(body)

    def _once(self, action: str, key: str, body: dict[str, Any], iccid: str) -> Response:
        fingerprint = json.dumps([action, body], sort_keys=True)
        kept = self.state.keys.get(key)
        if kept is not None:
            if kept[0] != fingerprint:
                return _problem(422, "this idempotency key was used for another request")
            return _json(kept[2], kept[1])
        failed = self._fault(iccid, str(body.get("msisdn", "")))
        if failed is not None:
            return failed
        try:
            status, said = self._carry_out(action, key, body, iccid)
        except Refused as exc:
            return _problem(exc.status, exc.detail)
        self.state.keys[key] = (fingerprint, status, said)
        return _json(said, status)

    def _fault(self, iccid: str, msisdn: str) -> Response | None:
        for fault in self.state.faults:
            if fault.times > 0 and fault.matches(iccid, msisdn):
                fault.times -= 1
                return _problem(fault.status, "failure injected for this test")
        if iccid.endswith(FLAKY):
            self.state.seen[iccid] += 1
            if self.state.seen[iccid] <= self.flaky_times:
                return _problem(503, "temporarily unavailable")
        return None

    def _carry_out(
        self, action: str, key: str, body: dict[str, Any], iccid: str
    ) -> tuple[int, dict[str, Any]]:
        ref = uuid.uuid4().hex
        if action == "port_in":
            return 200, {"ref": ref, **decide_port_in(body, self.today())}
        self.state.network.check(action, body)
        if iccid.endswith(LATER):
            self.state.later[ref] = (action, body | {"key": key})
            return 202, {"ref": ref, "status": "in_progress"}
        self._apply(action, body, key)
        return 200, {"ref": ref, "status": "completed"}

    def _apply(self, action: str, body: dict[str, Any], key: str) -> None:
        self.state.network.apply(action, body)
        self.state.applied.append({"action": action, "msisdn": body["msisdn"], "key": key})

    def _status(self, ref: str) -> Response:
        with self._lock:
            waiting = self.state.later.pop(ref, None)
            if waiting is not None:
                action, body = waiting
                try:
                    self._apply(action, body, body.pop("key"))
                except Refused as exc:
                    return _json({"ref": ref, "status": "failed", "detail": exc.detail})
            elif not any(said.get("ref") == ref for _, _, said in self.state.keys.values()):
                return _problem(404, "no request with this reference")
        return _json({"ref": ref, "status": "completed"})

    def _control(self, path: str, body: dict[str, Any]) -> Response:
        if path == "/control/reset":
            self.reset()
            return _json({"reset": True})
        with self._lock:
            if path == "/control/faults":
                return self._add_fault(body)
            if path == "/control/lines":
                return _json({"lines": [x.view() for x in self.state.network.lines.values()]})
            if path == "/control/applied":
                return _json({"applied": list(self.state.applied)})
        return _problem(404, "no such control")

    def _add_fault(self, body: dict[str, Any]) -> Response:
        try:
            fault = Fault(
                int(body.get("status", 503)),
                int(body.get("times", 1)),
                str(body.get("iccid", "")),
                str(body.get("msisdn", "")),
            )
        except (TypeError, ValueError):
            return _problem(422, "status and times are whole numbers")
        if not (fault.iccid or fault.msisdn) or not 400 <= fault.status <= 599:
            return _problem(422, "name an iccid or msisdn and an error status")
        self.state.faults.append(fault)
        return _json({"faults": len(self.state.faults)})
