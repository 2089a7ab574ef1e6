"""KYC checks needing no database: identifiers, IBANs, names, lists read, the decision."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from saas.customers.kyc import identifiers, sanctions
from saas.customers.kyc.applicant import Applicant
from saas.customers.kyc.checks import (
    AgeCheck,
    BankCheck,
    Context,
    DocumentCheck,
    NationalIdCheck,
    read_zone,
)
from saas.customers.kyc.lookups import SanctionsCheck
from saas.customers.kyc.models import KycSettings
from saas.customers.kyc.names import folded, same_name
from saas.customers.kyc.outcome import (
    APPROVED,
    MANUAL_REVIEW,
    PASS,
    REJECT,
    REJECTED,
    REVIEW,
    Reason,
    Result,
    decide,
    result,
)
from saas.customers.kyc.screening import may_be_born
from saas.errors import Term
from tests.support.kyc import EU_FILE, OPENSANCTIONS_FILE, TD3, td3

TODAY = date(2026, 12, 2)
PESEL = "44051401458"  # born 14 May 1944, a man
IDNR = "36574261809"
IBAN = "DE89 3704 0044 0532 0130 00"
CREDITOR = "DE98ZZZ09999999999"


def person(**fields: Any) -> Applicant:
    data = {"given_names": "Hans", "surname": "Mueller", "birth_date": date(1980, 5, 1)} | fields
    return Applicant(**data)


def run(check: Any, applicant: Applicant, country: str = "DE", **rules: Any) -> Result:
    settings = KycSettings(
        min_age=rules.get("min_age", 18), creditor_id=rules.get("creditor_id", CREDITOR)
    )
    now = datetime(2026, 12, 2, 12, tzinfo=UTC)
    ctx = Context(None, applicant, settings, country, TODAY, now)  # type: ignore[arg-type]
    read_zone(ctx)
    return check.run(ctx)


def codes(found: Result) -> list[str]:
    return [r.code for r in found.reasons]


# National identifiers


def test_a_pesel_of_the_person_passes() -> None:
    found = run(
        NationalIdCheck(), person(birth_date=date(1944, 5, 14), sex="M", national_id=PESEL), "PL"
    )
    assert (found.verdict, codes(found)) == (PASS, ["kyc.national_id.valid"])


@pytest.mark.parametrize(
    ("birth", "sex", "wrong"),
    [
        (date(1944, 5, 15), "M", ["kyc.national_id.birth_date_differs"]),
        (date(1944, 5, 14), "F", ["kyc.national_id.sex_differs"]),
        (
            date(1984, 5, 14),
            "F",
            ["kyc.national_id.birth_date_differs", "kyc.national_id.sex_differs"],
        ),
    ],
)
def test_a_valid_pesel_of_somebody_else_is_rejected(
    birth: date, sex: str, wrong: list[str]
) -> None:
    found = run(NationalIdCheck(), person(birth_date=birth, sex=sex, national_id=PESEL), "PL")
    assert (found.verdict, codes(found)) == (REJECT, wrong)


def test_a_pesel_with_a_wrong_check_digit_is_rejected_saying_so() -> None:
    found = run(NationalIdCheck(), person(national_id="44051401459"), "PL")
    assert (found.verdict, found.reasons[0].params["why"]) == (REJECT, Term("kyc.problem.checksum"))


def test_the_brands_country_picks_the_scheme_and_another_may_be_named() -> None:
    assert run(NationalIdCheck(), person(national_id=IDNR), "DE").verdict == PASS
    assert run(NationalIdCheck(), person(national_id="36574261808"), "DE").verdict == REJECT
    # A German tax id is no PESEL: a Polish brand checks it as German only when told so.
    assert run(NationalIdCheck(), person(national_id=IDNR), "PL").verdict == REJECT
    assert (
        run(NationalIdCheck(), person(national_id=IDNR, national_id_country="DE"), "PL").verdict
        == PASS
    )


def test_an_identifier_of_a_country_without_a_scheme_goes_to_a_person() -> None:
    found = run(NationalIdCheck(), person(national_id="12345"), "US")
    assert (found.verdict, codes(found)) == (REVIEW, ["kyc.national_id.unsupported"])


def test_no_identifier_given_passes_saying_so() -> None:
    assert codes(run(NationalIdCheck(), person())) == ["kyc.national_id.none"]


# Bank account


def test_direct_debit_with_a_valid_iban_passes() -> None:
    found = run(BankCheck(), person(direct_debit=True, iban=IBAN))
    assert (found.verdict, codes(found)) == (PASS, ["kyc.bank.valid"])


@pytest.mark.parametrize(
    ("iban", "code", "why"),
    [
        ("DE89 3704 0044 0532 0130 01", "kyc.bank.iban_invalid", Term("kyc.problem.checksum")),
        ("DE89 3704 0044 0532 0130", "kyc.bank.iban_invalid", Term("kyc.problem.length")),
        ("XX89 3704 0044 0532 0130 00", "kyc.bank.iban_invalid", Term("kyc.problem.country")),
        ("BR1500000000000010932840814P2", "kyc.bank.not_sepa", None),
        ("", "kyc.bank.iban_missing", None),
    ],
)
def test_direct_debit_with_a_bad_iban_is_rejected(iban: str, code: str, why: Any) -> None:
    found = run(BankCheck(), person(direct_debit=True, iban=iban))
    assert (found.verdict, codes(found)) == (REJECT, [code])
    assert found.reasons[0].params.get("why") == why


def test_without_a_creditor_id_the_brand_cannot_take_a_mandate() -> None:
    found = run(BankCheck(), person(direct_debit=True, iban=IBAN), creditor_id="")
    assert (found.verdict, codes(found)) == (REVIEW, ["kyc.bank.no_creditor_id"])


def test_no_direct_debit_needs_no_iban() -> None:
    assert run(BankCheck(), person(iban="nonsense")).verdict == PASS


def test_a_creditor_id_is_checked_as_sepa_writes_it() -> None:
    assert identifiers.creditor_id_valid(CREDITOR)
    assert not identifiers.creditor_id_valid("DE99ZZZ09999999999")


# Age and document


def test_a_person_below_the_brands_minimum_age_is_rejected() -> None:
    minor = person(birth_date=date(2008, 12, 3))
    found = run(AgeCheck(), minor)
    assert (found.verdict, codes(found)) == (REJECT, ["kyc.age.minor"])
    assert found.reasons[0].params == {"age": 17, "min_age": 18}
    assert run(AgeCheck(), minor, min_age=16).verdict == PASS
    assert run(AgeCheck(), person(birth_date=date(2008, 12, 2))).verdict == PASS


def test_a_current_passport_of_the_person_passes() -> None:
    lines = td3("MUELLER", "HANS", date(1980, 5, 1), date(2031, 1, 1))
    found = run(DocumentCheck(), person(mrz=lines))
    assert (found.verdict, codes(found)) == (PASS, ["kyc.document.valid"])


def test_an_expired_document_is_rejected_with_its_expiry() -> None:
    lines = td3("MUELLER", "HANS", date(1980, 5, 1), date(2026, 12, 1))
    found = run(DocumentCheck(), person(mrz=lines))
    assert (found.verdict, codes(found)) == (REJECT, ["kyc.document.expired"])
    assert found.reasons[0].params == {"date": date(2026, 12, 1)}


def test_a_bad_check_digit_is_rejected_naming_it() -> None:
    line1, line2 = td3("MUELLER", "HANS", date(1980, 5, 1), date(2031, 1, 1))
    bad = line2[:19] + str((int(line2[19]) + 1) % 10) + line2[20:]
    found = run(DocumentCheck(), person(mrz=(line1, bad)))
    assert found.verdict == REJECT
    fields = [r.params["field"] for r in found.reasons]
    assert fields == [Term("kyc.digit.birth_date"), Term("kyc.digit.composite")]


def test_a_document_of_another_name_or_birth_date_goes_to_a_person() -> None:
    lines = td3("MUELLER", "HANS", date(1980, 5, 1), date(2031, 1, 1))
    found = run(DocumentCheck(), person(mrz=lines, surname="Schmidt", birth_date=date(1980, 5, 2)))
    assert (found.verdict, codes(found)) == (
        REVIEW,
        ["kyc.document.name_differs", "kyc.document.birth_date_differs"],
    )


def test_the_document_name_matches_across_transliteration() -> None:
    lines = td3("MUELLER", "HANS PETER", date(1980, 5, 1), date(2031, 1, 1))
    assert (
        run(DocumentCheck(), person(mrz=lines, given_names="Hans Peter", surname="Müller")).verdict
        == PASS
    )


def test_lines_that_are_no_zone_are_rejected_saying_why() -> None:
    found = run(DocumentCheck(), person(mrz=(TD3[0],)))
    assert (found.verdict, codes(found)) == (REJECT, ["kyc.document.unreadable"])


def test_a_typed_document_needs_a_look_unless_it_has_expired() -> None:
    typed = person(document_number="C01X00T47", document_expires=date(2030, 1, 1))
    assert run(DocumentCheck(), typed).verdict == REVIEW
    expired = person(document_number="C01X00T47", document_expires=date(2020, 1, 1))
    assert run(DocumentCheck(), expired).verdict == REJECT
    assert codes(run(DocumentCheck(), person())) == ["kyc.document.none"]


def test_with_no_sanctions_list_loaded_nobody_passes_screening() -> None:
    found = run(SanctionsCheck(), person())
    assert (found.verdict, codes(found)) == (REVIEW, ["kyc.sanctions.no_list"])


# Names and lists


@pytest.mark.parametrize("spelled", ["MUELLER", "Muller", "müller", "Müller"])
def test_a_name_matches_whatever_its_transliteration(spelled: str) -> None:
    assert same_name(f"Hans {spelled}", "Hans Müller")


def test_different_names_do_not_match() -> None:
    assert not same_name("Hans Müller", "Hans Schmidt")
    assert folded("Łukasz Wąsik-Żak") == "LUKASZ WASIK ZAK"


def test_opensanctions_simple_csv_reads_names_aliases_and_birth_dates() -> None:
    entries = list(sanctions.parse_opensanctions(OPENSANCTIONS_FILE.read_text("utf-8")))
    by_ref = {e.ref: e for e in entries}
    assert len(entries) == 5
    mueller = by_ref["NK-test-mueller"]
    assert (mueller.kind, mueller.name, mueller.birth_dates) == (
        "person",
        "Hans Müller",
        ["1961-03-04"],
    )
    assert mueller.aliases == ["Johann Müller", "Hans Mueller"]
    assert by_ref["NK-test-petrova"].birth_dates == ["1970"]
    assert by_ref["NK-test-company"].kind == "company"


def test_the_eu_list_groups_the_rows_of_each_entity() -> None:
    entries = list(sanctions.parse_eu(EU_FILE.read_text("utf-8")))
    assert [(e.kind, e.name, e.aliases) for e in entries] == [
        ("person", "Wiesław Grzybowski", ["Wieslaw Grzybowski"]),
        ("enterprise", "Example Shipping SA", []),
    ]
    assert (entries[0].birth_dates, entries[0].countries) == (["1965-02-03"], ["pl"])
    assert entries[0].ref == "9001 EU.0001.01"


def test_a_file_without_the_formats_columns_is_refused_naming_them() -> None:
    with pytest.raises(sanctions.ListError) as refused:
        list(sanctions.parse_eu(OPENSANCTIONS_FILE.read_text("utf-8")))
    assert refused.value.params["names"] == "Entity_LogicalId, NameAlias_WholeName"


@pytest.mark.parametrize(
    ("known", "fits"),
    [
        ((), True),
        (("1961-03-04",), True),
        (("1961",), True),
        (("1961-03",), True),
        (("1962",), False),
        (("1961-03-05",), False),
    ],
)
def test_a_birth_date_separates_namesakes(known: tuple[str, ...], fits: bool) -> None:
    assert may_be_born(known, date(1961, 3, 4)) is fits


# The decision


def test_the_worst_verdict_decides_and_brings_its_reasons() -> None:
    fine = result("age", PASS, Reason.of("kyc.age.old_enough", min_age=18))
    look = result("sanctions", REVIEW, Reason.of("kyc.sanctions.no_list"))
    bad = result("document", REJECT, Reason.of("kyc.document.expired", date=TODAY))
    assert decide([fine]) == (APPROVED, [Reason.of("kyc.decision.all_passed", count=1)])
    assert decide([fine, look]) == (MANUAL_REVIEW, list(look.reasons))
    assert decide([bad, look, fine]) == (REJECTED, list(bad.reasons))


def test_a_result_needs_a_reason_and_a_known_verdict() -> None:
    with pytest.raises(ValueError):
        result("age", PASS)
    with pytest.raises(ValueError):
        result("age", "maybe", Reason.of("kyc.age.unborn"))


def test_a_reason_is_stored_as_json_and_read_back_with_its_terms_and_dates() -> None:
    reason = Reason.of("kyc.document.expired", date=TODAY, field=Term("kyc.digit.composite", n=1))
    stored = reason.to_json()
    assert stored == {
        "code": "kyc.document.expired",
        "params": {
            "date": {"date": "2026-12-02"},
            "field": {"term": "kyc.digit.composite", "params": {"n": 1}},
        },
    }
    assert Reason.from_json(stored) == reason
    assert reason.english() == "the document expired on 2026-12-02"
