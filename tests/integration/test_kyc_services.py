"""The KYC entry point against PostgreSQL: each check with valid and invalid input, stored."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import text

from saas.customers.kyc import sanctions, simulator
from saas.customers.kyc import services as kyc
from saas.customers.kyc.applicant import Applicant
from saas.customers.kyc.models import KycCase
from saas.customers.kyc.outcome import APPROVED, MANUAL_REVIEW, REJECTED
from saas.customers.kyc.vendor import http_vendor
from saas.outside import serve
from tests.conftest import in_brand, in_platform
from tests.support.kyc import EU_FILE, OPENSANCTIONS_FILE, TD3, td3

CREDITOR = "DE98ZZZ09999999999"
LATER = date(2031, 1, 1)


@pytest.fixture(scope="module")
def lists(app: Any) -> None:
    """The fixture lists loaded (once per file, whoever asks)."""
    with in_platform(app) as session:
        sanctions.load(session, OPENSANCTIONS_FILE.read_bytes(), "opensanctions", "os.csv")
        sanctions.load(session, EU_FILE.read_bytes(), "eu", "eu.csv")


@pytest.fixture
def brand(make: Any, lists: None) -> Any:
    brand = make.brand(country="DE", timezone="Europe/Berlin")
    with in_brand(make.app, brand.id) as session:
        kyc.save_rules(session, 18, False, CREDITOR)
    return brand


def applicant(**fields: Any) -> Applicant:
    born = fields.get("birth_date", date(1985, 6, 7))
    surname = fields.get("surname", "Schmidt")
    given = fields.get("given_names", "Lena")
    data = {
        "given_names": given,
        "surname": surname,
        "birth_date": born,
        "mrz": td3(surname, given, born, LATER, number=fields.pop("number", "C01X00T47")),
    }
    return Applicant(**(data | fields))


def checked(app: Any, brand: Any, person: Applicant, **options: Any) -> dict[str, Any]:
    with in_brand(app, brand.id) as session:
        case = kyc.check(session, person, **options)
        return {
            "id": case.id,
            "status": case.status,
            "checks": {c["check"]: c for c in case.checks},
            "reasons": [r["code"] for r in case.reasons],
            "lists": case.lists,
            "mandate": case.mandate and (case.mandate.reference, case.mandate.status),
        }


def verdicts(case: dict[str, Any]) -> dict[str, str]:
    return {name: c["verdict"] for name, c in case["checks"].items()}


def codes(case: dict[str, Any], check: str) -> list[str]:
    return [r["code"] for r in case["checks"][check]["reasons"]]


def test_a_person_who_passes_every_check_is_approved_with_the_list_versions(
    app: Any, brand: Any
) -> None:
    case = checked(app, brand, applicant())
    assert case["status"] == APPROVED and case["reasons"] == ["kyc.decision.all_passed"]
    assert set(verdicts(case).values()) == {"pass"}
    assert {v["source"] for v in case["lists"]} == {"opensanctions", "eu"}
    assert all(len(v["file_hash"]) == 64 and v["entry_count"] > 0 for v in case["lists"])


def test_a_sanctions_hit_goes_to_manual_review(app: Any, brand: Any) -> None:
    case = checked(
        app, brand, applicant(given_names="Hans", surname="Müller", birth_date=date(1961, 3, 4))
    )
    assert case["status"] == MANUAL_REVIEW
    assert codes(case, "sanctions") == ["kyc.sanctions.hit"]
    assert case["checks"]["sanctions"]["reasons"][0]["params"]["name"] == "Hans Müller"


@pytest.mark.parametrize("surname", ["MUELLER", "Muller", "Mueller"])
def test_a_transliterated_name_hits_as_well(app: Any, brand: Any, surname: str) -> None:
    case = checked(
        app, brand, applicant(given_names="Hans", surname=surname, birth_date=date(1961, 3, 4))
    )
    assert (case["status"], codes(case, "sanctions")) == (MANUAL_REVIEW, ["kyc.sanctions.hit"])


def test_a_namesake_born_on_another_day_is_no_hit(app: Any, brand: Any) -> None:
    case = checked(
        app, brand, applicant(given_names="Hans", surname="Müller", birth_date=date(1975, 3, 4))
    )
    assert case["status"] == APPROVED
    assert codes(case, "sanctions") == ["kyc.sanctions.clear", "kyc.sanctions.namesake"]


def test_a_listed_name_without_birth_dates_is_a_hit_whatever_the_birth_date(
    app: Any, brand: Any
) -> None:
    case = checked(app, brand, applicant(given_names="Zbigniew", surname="Kowalczyk"))
    assert codes(case, "sanctions") == ["kyc.sanctions.hit"]


def test_the_eu_lists_people_are_screened_too(app: Any, brand: Any) -> None:
    case = checked(
        app,
        brand,
        applicant(given_names="Wieslaw", surname="Grzybowski", birth_date=date(1965, 2, 3)),
    )
    assert case["status"] == MANUAL_REVIEW
    assert case["checks"]["sanctions"]["reasons"][0]["params"]["source"]["term"] == "kyc.source.eu"


def test_a_minor_is_rejected(app: Any, brand: Any) -> None:
    case = checked(
        app, brand, applicant(birth_date=date.today().replace(year=date.today().year - 17))
    )
    assert (case["status"], case["reasons"]) == (REJECTED, ["kyc.age.minor"])


def test_the_brands_minimum_age_is_its_own(app: Any, make: Any, lists: None) -> None:
    brand = make.brand(country="DE")
    with in_brand(app, brand.id) as session:
        kyc.save_rules(session, 21, False, "")
    case = checked(
        app, brand, applicant(birth_date=date.today().replace(year=date.today().year - 20))
    )
    assert case["reasons"] == ["kyc.age.minor"]


def test_an_expired_passport_is_rejected(app: Any, brand: Any) -> None:
    case = checked(app, brand, Applicant("Anna Maria", "Eriksson", date(1974, 8, 12), mrz=TD3))
    assert case["status"] == REJECTED and codes(case, "document") == ["kyc.document.expired"]


def test_a_pesel_of_another_birth_date_is_rejected_at_a_polish_brand(
    app: Any, make: Any, lists: None
) -> None:
    brand = make.brand(country="PL", timezone="Europe/Warsaw")
    wrong = checked(
        app, brand, applicant(birth_date=date(1944, 5, 15), sex="M", national_id="44051401458")
    )
    assert (wrong["status"], codes(wrong, "national_id")) == (
        REJECTED,
        ["kyc.national_id.birth_date_differs"],
    )
    right = checked(
        app, brand, applicant(birth_date=date(1944, 5, 14), sex="M", national_id="44051401458")
    )
    assert verdicts(right)["national_id"] == "pass"


def test_a_bad_iban_for_direct_debit_is_rejected_and_takes_no_mandate(app: Any, brand: Any) -> None:
    case = checked(app, brand, applicant(direct_debit=True, iban="DE89 3704 0044 0532 0130 01"))
    assert (case["status"], case["mandate"]) == (REJECTED, None)


def test_direct_debit_records_a_sepa_mandate_with_the_iban_sealed(
    app: Any, brand: Any, owner_engine: Any
) -> None:
    case = checked(app, brand, applicant(direct_debit=True, iban="DE89 3704 0044 0532 0130 00"))
    assert case["status"] == APPROVED
    assert case["mandate"] == (f"KYC-{case['id']:010d}", "active")
    with owner_engine.connect() as conn:
        stored = conn.execute(
            text("SELECT iban, creditor_id FROM sepa_mandates WHERE case_id = :c"),
            {"c": case["id"]},
        ).one()
    assert "DE89370400440532013000" not in stored.iban and stored.creditor_id == CREDITOR


def test_personal_data_is_sealed_at_rest(app: Any, brand: Any, owner_engine: Any) -> None:
    case = checked(app, brand, applicant(number="SEALED123"))
    with owner_engine.connect() as conn:
        row = conn.execute(
            text("SELECT document_number, birth_date, mrz FROM kyc_cases WHERE id = :c"),
            {"c": case["id"]},
        ).one()
    assert "SEALED123" not in row.document_number and "1985" not in row.birth_date
    assert "SCHMIDT" not in row.mrz


def test_the_same_document_on_another_subscribers_approved_case_goes_to_review(
    app: Any, make: Any, brand: Any
) -> None:
    first, second = make.user(brand, "subscriber"), make.user(brand, "subscriber")
    number = f"D{first.id:08d}"[:9]
    assert (
        checked(app, brand, applicant(subscriber_id=first.id, number=number))["status"] == APPROVED
    )
    again = checked(app, brand, applicant(subscriber_id=first.id, number=number))
    assert again["status"] == APPROVED  # the same subscriber checked again
    other = checked(app, brand, applicant(subscriber_id=second.id, number=number))
    assert (other["status"], codes(other, "duplicate")) == (
        MANUAL_REVIEW,
        ["kyc.duplicate.document"],
    )


def test_another_brand_may_hold_the_same_document(
    app: Any, make: Any, brand: Any, lists: None
) -> None:
    number = "DUPX00042"
    assert checked(app, brand, applicant(number=number))["status"] == APPROVED
    elsewhere = make.brand(country="DE")
    assert checked(app, elsewhere, applicant(number=number))["status"] == APPROVED


def test_the_same_national_id_is_found_as_a_duplicate(app: Any, make: Any, lists: None) -> None:
    brand = make.brand(country="DE")
    checked(app, brand, applicant(number="NID000001", national_id="36574261809"))
    other = checked(app, brand, applicant(number="NID000002", national_id="36 574 261 809"))
    assert codes(other, "duplicate") == ["kyc.duplicate.national_id"]


@pytest.fixture
def vendor_brand(make: Any, lists: None) -> Any:
    brand = make.brand(country="DE")
    with in_brand(make.app, brand.id) as session:
        kyc.save_rules(session, 18, True, CREDITOR)
    return brand


@pytest.fixture(scope="module")
def vendor_url() -> Iterator[str]:
    with serve(simulator.app("t0ken")) as url:
        yield url


def test_the_vendor_joins_the_chain_where_the_brand_uses_it(
    app: Any, vendor_brand: Any, vendor_url: str
) -> None:
    vendor = http_vendor(vendor_url, "t0ken", timeout=5)
    case = checked(app, vendor_brand, applicant(), vendor=vendor)
    assert (case["status"], verdicts(case)["vendor"]) == (APPROVED, "pass")


def test_a_vendors_rejection_rejects(app: Any, vendor_brand: Any, vendor_url: str) -> None:
    vendor = http_vendor(vendor_url, "t0ken", timeout=5)
    case = checked(app, vendor_brand, applicant(surname="Reject"), vendor=vendor)
    assert (case["status"], codes(case, "vendor")) == (REJECTED, ["kyc.vendor.rejected"])


def test_a_vendor_that_is_down_sends_the_case_to_review_never_approval(
    app: Any, vendor_brand: Any, vendor_url: str
) -> None:
    vendor = http_vendor(vendor_url, "t0ken", timeout=5)
    case = checked(app, vendor_brand, applicant(surname="Down"), vendor=vendor)
    assert (case["status"], codes(case, "vendor")) == (MANUAL_REVIEW, ["kyc.vendor.unavailable"])
    with in_brand(app, vendor_brand.id) as session:
        stored = session.get(KycCase, case["id"])
        assert '"retryable": true' in stored.vendor_answer


def test_a_brand_using_a_vendor_that_is_not_set_up_reviews_every_case(
    app: Any, vendor_brand: Any
) -> None:
    case = checked(app, vendor_brand, applicant())
    assert (case["status"], codes(case, "vendor")) == (MANUAL_REVIEW, ["kyc.vendor.not_configured"])


def test_a_brand_without_the_vendor_never_asks_it(app: Any, brand: Any) -> None:
    assert "vendor" not in checked(app, brand, applicant(surname="Reject"))["checks"]


@pytest.mark.postgres
def test_a_brand_reads_the_sanctions_lists_but_cannot_change_them(
    app: Any, brand: Any, runtime_engine: Any
) -> None:
    from sqlalchemy.exc import DBAPIError

    def as_brand(conn: Any) -> None:
        conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(brand.id)})

    with runtime_engine.begin() as conn:
        as_brand(conn)
        assert conn.execute(text("SELECT count(*) FROM sanctions_entries")).scalar_one() > 0
    for statement in (
        "UPDATE sanctions_entries SET name = 'nobody'",
        "DELETE FROM sanctions_lists",
        "INSERT INTO sanctions_lists (source, file_name, file_hash, loaded_at, entry_count) "
        "VALUES ('eu', 'x', 'x', now(), 0)",
    ):
        refused = pytest.raises(DBAPIError, match="only the platform may change")
        with refused, runtime_engine.begin() as conn:
            as_brand(conn)
            conn.execute(text(statement))


@pytest.mark.postgres
def test_a_brand_sees_none_of_another_brands_cases_in_the_database(
    app: Any, make: Any, brand: Any, runtime_engine: Any
) -> None:
    ident = checked(app, brand, applicant())["id"]
    other = make.brand()
    with runtime_engine.begin() as conn:
        conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(other.id)})
        assert (
            conn.execute(
                text("SELECT count(*) FROM kyc_cases WHERE id = :i"), {"i": ident}
            ).scalar_one()
            == 0
        )
    with in_brand(app, other.id) as session, pytest.raises(LookupError):
        kyc.get(session, ident)
