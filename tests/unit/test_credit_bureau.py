"""The bureau adapter over HTTP, against the simulator served for real, by its test inputs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from saas.customers.credit.bureau import BureauUnavailable, HttpBureau, read_report
from saas.customers.credit.reports import Applicant
from saas.customers.credit.simulator import Simulator
from saas.outside import JsonClient, serve

BORN_15TH = date(1990, 5, 15)


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with serve(Simulator(token="s3cret", slow_seconds=3)) as served:
        yield served


def bureau(url: str, token: str = "s3cret", timeout: float = 2.0) -> HttpBureau:
    return HttpBureau(JsonClient("credit bureau", url, token, timeout))


def person(surname: str, born: date = BORN_15TH) -> Applicant:
    return Applicant("Anna", surname, born, "Hauptstr. 1", "10115", "Berlin", "DE")


def test_a_person_with_a_clean_record_scores_by_the_day_they_were_born(url: str) -> None:
    report = bureau(url).score(person("Schmidt"))
    assert (report.found, report.score, report.negatives) == (True, 600, ())
    assert bureau(url).score(person("Schmidt", date(1990, 5, 31))).score == 920
    assert report.reference.startswith("SIM-")
    assert bureau(url).score(person("Schmidt")).reference == report.reference


def test_a_default_is_reported_with_its_amount_and_day(url: str) -> None:
    (entry,) = bureau(url).score(person("Ausfall")).negatives
    assert (entry.kind, entry.amount, entry.currency) == ("default", Decimal("412.50"), "EUR")
    assert entry.reported_on == date(2024, 3, 15)


@pytest.mark.parametrize(
    ("surname", "kind"), [("Insolvent", "insolvency"), ("inkasso", "collection")]
)
def test_other_negative_entries_by_surname(url: str, surname: str, kind: str) -> None:
    assert [e.kind for e in bureau(url).score(person(surname)).negatives] == [kind]


def test_no_record_is_found_for_an_unknown_person(url: str) -> None:
    report = bureau(url).score(person("Unbekannt"))
    assert (report.found, report.score, report.negatives) == (False, None, ())


def test_a_bureau_down_for_maintenance_is_unavailable(url: str) -> None:
    with pytest.raises(BureauUnavailable, match="503"):
        bureau(url).score(person("Wartung"))


def test_a_slow_answer_past_the_timeout_is_unavailable(url: str) -> None:
    with pytest.raises(BureauUnavailable, match="no answer"):
        bureau(url, timeout=0.5).score(person("Langsam"))


def test_without_the_token_the_bureau_refuses(url: str) -> None:
    with pytest.raises(BureauUnavailable, match="401"):
        bureau(url, token="wrong").score(person("Schmidt"))


def test_nobody_listening_is_unavailable() -> None:
    with pytest.raises(BureauUnavailable, match="no answer"):
        bureau("http://127.0.0.1:9", timeout=0.5).score(person("Schmidt"))


@pytest.mark.parametrize(
    "answer",
    [
        {"found": True, "score": 500},
        {"inquiry_id": "X", "found": True},
        {"inquiry_id": "X", "found": True, "score": 1001},
        {"inquiry_id": "X", "found": True, "score": "600"},
        {
            "inquiry_id": "X",
            "found": True,
            "score": 600,
            "entries": [{"kind": "default", "amount": 12.5}],
        },
        {"inquiry_id": "X", "found": "yes"},
    ],
)
def test_an_answer_that_breaks_the_contract_is_unavailable_not_a_report(answer: dict) -> None:
    with pytest.raises(BureauUnavailable, match="unreadable"):
        read_report(answer)


def test_an_entry_of_a_kind_not_known_reads_as_other() -> None:
    report = read_report(
        {"inquiry_id": "X", "found": True, "score": 1, "entries": [{"kind": "fraud"}]}
    )
    assert [e.kind for e in report.negatives] == ["other"]
