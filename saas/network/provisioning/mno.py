"""The host MNO's provisioning API: the interface the orders use, and its HTTP adapter.

Every request carries the order's idempotency key: the network carries an order out once,
however often it is asked (a redelivered job, a retry after a lost answer). Paths and bodies:

    POST /v1/lines/activate        {msisdn, iccid, imsi, profile}
    POST /v1/lines/suspend         {msisdn}         (also restore, terminate)
    POST /v1/lines/profile         {msisdn, profile}
    POST /v1/lines/sim             {msisdn, iccid, imsi}
    POST /v1/port-ins              {msisdn, donor, holder_name, donor_account, wished_date}
    GET  /v1/requests/<ref>        how an accepted request stands

A request answers `{"ref", "status": "completed" | "in_progress"}` (a port-in: `"confirmed"`
with `porting_date`, or `"rejected"` with `reason`); errors are problems with a `detail`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import quote

from saas.config import Settings
from saas.outside import JsonClient, OutsideError

PARTY = "host MNO"
DONE, WORKING, REFUSED, UNAVAILABLE = "done", "working", "refused", "unavailable"


@dataclass(frozen=True)
class Answer:
    """How the network took a request: done, still working, refused for good, or not reached."""

    status: str
    ref: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    error: str = ""  # a code of saas.network.provisioning.errors.NETWORK_ERRORS
    detail: str = ""  # the network's own words, for logs and the API

    @property
    def retryable(self) -> bool:
        """Whether asking again later may go otherwise."""
        return self.status in (WORKING, UNAVAILABLE)


class HostNetwork(Protocol):
    """What the platform asks of the host network; `key` is the order's idempotency key."""

    def activate(self, key: str, *, msisdn: str, iccid: str, imsi: str, profile: str) -> Answer:
        """Put a new line on the network: number, SIM and profile."""

    def suspend(self, key: str, *, msisdn: str) -> Answer:
        """Bar an active line."""

    def restore(self, key: str, *, msisdn: str) -> Answer:
        """Lift the bar of a suspended line."""

    def terminate(self, key: str, *, msisdn: str) -> Answer:
        """End a line for good."""

    def change_profile(self, key: str, *, msisdn: str, profile: str) -> Answer:
        """Give a line another network profile."""

    def swap_sim(self, key: str, *, msisdn: str, iccid: str, imsi: str) -> Answer:
        """Move a line to a new SIM card."""

    def request_port_in(
        self,
        key: str,
        *,
        msisdn: str,
        donor: str,
        holder_name: str,
        donor_account: str,
        wished_date: str,
    ) -> Answer:
        """Ask for a number to be ported in from its donor; the answer carries the decision."""

    def status(self, ref: str) -> Answer:
        """How a request the network accepted stands now."""


FAILURES = {429: "network.busy", 401: "network.credentials", 403: "network.credentials"}
FAILURES |= {404: "network.unknown", 409: "network.conflict"}


def failure(exc: OutsideError) -> Answer:
    """A failed call as an answer: retryable or not as the error says, with its code."""
    if exc.status is None:
        code = "network.no_answer"
    elif exc.status >= 500:
        code = "network.unavailable"
    else:
        code = FAILURES.get(exc.status, "network.refused")
    return Answer(UNAVAILABLE if exc.retryable else REFUSED, error=code, detail=exc.reason)


def read(said: dict[str, Any]) -> Answer:
    """The network's answer to a request or a status query."""
    status, ref = said.get("status"), str(said.get("ref", ""))
    if status == "in_progress":
        return Answer(WORKING, ref, said, "network.working")
    if status in ("completed", "confirmed", "rejected"):
        return Answer(DONE, ref, said)
    if status == "failed":  # accepted, then found impossible by the time it was carried out
        return Answer(REFUSED, ref, said, "network.conflict", str(said.get("detail", ""))[:500])
    return Answer(UNAVAILABLE, ref, said, "network.garbled", f"unexpected answer {said!r}"[:500])


@dataclass(frozen=True)
class HttpHostNetwork:
    """The host network over its HTTP API."""

    client: JsonClient

    def _post(self, path: str, key: str, **body: str) -> Answer:
        try:
            return read(self.client.post(path, {"idempotency_key": key, **body}))
        except OutsideError as exc:
            return failure(exc)

    def activate(self, key: str, *, msisdn: str, iccid: str, imsi: str, profile: str) -> Answer:
        return self._post(
            "/v1/lines/activate", key, msisdn=msisdn, iccid=iccid, imsi=imsi, profile=profile
        )

    def suspend(self, key: str, *, msisdn: str) -> Answer:
        return self._post("/v1/lines/suspend", key, msisdn=msisdn)

    def restore(self, key: str, *, msisdn: str) -> Answer:
        return self._post("/v1/lines/restore", key, msisdn=msisdn)

    def terminate(self, key: str, *, msisdn: str) -> Answer:
        return self._post("/v1/lines/terminate", key, msisdn=msisdn)

    def change_profile(self, key: str, *, msisdn: str, profile: str) -> Answer:
        return self._post("/v1/lines/profile", key, msisdn=msisdn, profile=profile)

    def swap_sim(self, key: str, *, msisdn: str, iccid: str, imsi: str) -> Answer:
        return self._post("/v1/lines/sim", key, msisdn=msisdn, iccid=iccid, imsi=imsi)

    def request_port_in(
        self,
        key: str,
        *,
        msisdn: str,
        donor: str,
        holder_name: str,
        donor_account: str,
        wished_date: str,
    ) -> Answer:
        fields = {"donor": donor, "holder_name": holder_name, "donor_account": donor_account}
        return self._post("/v1/port-ins", key, msisdn=msisdn, wished_date=wished_date, **fields)

    def status(self, ref: str) -> Answer:
        try:
            return read(self.client.get(f"/v1/requests/{quote(ref, safe='')}"))
        except OutsideError as exc:
            return failure(exc)


def from_settings(settings: Settings) -> HttpHostNetwork:
    """The host network the settings name (SAAS_MNO_URL, SAAS_MNO_TOKEN)."""
    client = JsonClient(PARTY, settings.mno_url, settings.mno_token, settings.mno_timeout_seconds)
    return HttpHostNetwork(client)
