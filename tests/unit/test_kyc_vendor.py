"""The KYC vendor's HTTP adapter against the simulator, served for real."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from saas.customers.kyc import simulator
from saas.customers.kyc.vendor import APPROVED, REJECTED, REVIEW, VendorRequest, http_vendor
from saas.outside import OutsideError, serve

TOKEN = "sim-token"


@pytest.fixture(scope="module")
def vendor_url() -> Iterator[str]:
    with serve(simulator.app(TOKEN)) as url:
        yield url


def ask(url: str, surname: str, number: str = "C01X00T47", token: str = TOKEN) -> object:
    request = VendorRequest("case-1", "Anna", surname, "1980-01-01", "D", number, "D")
    return http_vendor(url, token, timeout=5).verify(request)


@pytest.mark.parametrize(
    ("surname", "number", "decision", "reasons"),
    [
        ("Schmidt", "C01X00T47", APPROVED, ()),
        ("Reject", "C01X00T47", REJECTED, ("document_not_genuine",)),
        ("REVIEW", "C01X00T47", REVIEW, ("document_unclear",)),
        ("Schmidt", "X1234", REJECTED, ("document_reported_lost",)),
    ],
)
def test_the_simulator_decides_by_its_documented_test_inputs(
    vendor_url: str, surname: str, number: str, decision: str, reasons: tuple[str, ...]
) -> None:
    answer = ask(vendor_url, surname, number)
    assert (answer.decision, answer.reasons) == (decision, reasons)  # type: ignore[attr-defined]
    assert answer.reference.startswith("sim-")  # type: ignore[attr-defined]


def test_a_vendor_that_is_down_is_worth_asking_again(vendor_url: str) -> None:
    with pytest.raises(OutsideError) as down:
        ask(vendor_url, "Down")
    assert (down.value.status, down.value.retryable) == (503, True)


def test_an_answer_without_a_decision_is_an_error_worth_retrying(vendor_url: str) -> None:
    with pytest.raises(OutsideError) as broken:
        ask(vendor_url, "Broken")
    assert broken.value.retryable


def test_a_wrong_token_is_refused_and_not_worth_retrying(vendor_url: str) -> None:
    with pytest.raises(OutsideError) as refused:
        ask(vendor_url, "Schmidt", token="wrong")
    assert (refused.value.status, refused.value.retryable) == (401, False)
