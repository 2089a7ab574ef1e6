"""An external KYC vendor: the adapter interface and its HTTP implementation.

The vendor is sent who the applicant says they are and their document, and answers approved,
rejected or review with its reasons. `saas.customers.kyc.simulator` plays one for the demo and
the tests; its answers are decided by documented test inputs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Protocol

from saas.outside import JsonClient, OutsideError

PARTY = "kyc-vendor"
APPROVED, REJECTED, REVIEW = "approved", "rejected", "review"
ANSWERS = (APPROVED, REJECTED, REVIEW)
PATH = "/v1/verifications"


@dataclass(frozen=True)
class VendorRequest:
    """What the vendor is asked to verify."""

    reference: str
    given_names: str
    surname: str
    birth_date: str
    nationality: str = ""
    document_number: str = ""
    document_country: str = ""
    document_expires: str = ""


@dataclass(frozen=True)
class VendorAnswer:
    """The vendor's decision, its own reference and reasons, and the whole answer as sent."""

    reference: str
    decision: str
    reasons: tuple[str, ...]
    raw: dict[str, Any]


class KycVendor(Protocol):
    """Anything that verifies an applicant; raises OutsideError when it cannot answer."""

    def verify(self, request: VendorRequest) -> VendorAnswer:
        """Ask for a decision on the applicant."""
        ...


def read_answer(raw: dict[str, Any]) -> VendorAnswer:
    """Read the vendor's JSON answer, or raise OutsideError for one we cannot understand."""
    decision = raw.get("decision")
    reasons = raw.get("reasons", [])
    if decision not in ANSWERS or not isinstance(reasons, list):
        # A garbled answer may pass on a later try, like a server error.
        raise OutsideError(PARTY, "the answer has no decision we know", status=502)
    return VendorAnswer(str(raw.get("id", "")), decision, tuple(str(r) for r in reasons), raw)


@dataclass(frozen=True)
class HttpVendor:
    """The vendor over HTTP: POST /v1/verifications with the applicant, JSON back."""

    client: JsonClient

    def verify(self, request: VendorRequest) -> VendorAnswer:
        """Ask the vendor; its errors come as OutsideError (retryable or not)."""
        return read_answer(self.client.post(PATH, asdict(request)))


def http_vendor(url: str, token: str = "", timeout: float = 10.0) -> HttpVendor:
    """The HTTP vendor at a base URL."""
    return HttpVendor(JsonClient(PARTY, url, token, timeout))
