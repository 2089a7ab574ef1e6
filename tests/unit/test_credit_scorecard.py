"""The scorecard: each rule's points, the class a total reaches, and the checks of its data."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from saas.customers.credit import spec
from saas.customers.credit.errors import CreditError
from saas.customers.credit.reports import Applicant, BureauReport, Negative, applicant
from saas.customers.credit.scorecard import Facts, Line, evaluate

CARD = spec.parse(spec.DEFAULT, "EUR", "de")
FOUND = BureauReport("R-1", True, 650)


def scored(report: BureauReport = FOUND, age: int = 30, lines: int = 0, dd: bool = False) -> Any:
    return evaluate(CARD, Facts(report, age, lines, dd))


def line(scoring: Any, rule: str) -> Line:
    (found,) = [x for x in scoring.lines if x.rule == rule]
    return found


@pytest.mark.parametrize(
    ("score", "points", "band"),
    [
        (0, 0, (0, 399)),
        (399, 0, (0, 399)),
        (400, 20, (400, 599)),
        (799, 40, (600, 799)),
        (800, 60, (800, None)),
        (1000, 60, (800, None)),
    ],
)
def test_the_bureau_score_gives_the_points_of_its_band(score: int, points: int, band: Any) -> None:
    got = line(scored(BureauReport("R", True, score)), "bureau_score")
    assert (got.points, (got.start, got.end)) == (points, band)


def test_no_record_gives_its_own_points_and_no_score_line() -> None:
    result = scored(BureauReport("R", False))
    assert line(result, "no_record").points == 25
    assert not [x for x in result.lines if x.rule == "bureau_score"]


def test_each_kind_of_negative_entry_counts_once_with_how_many_there_are() -> None:
    entries = (Negative("default"), Negative("default"), Negative("insolvency"))
    result = scored(BureauReport("R", True, 650, entries))
    negatives = [(x.kind, x.count, x.points) for x in result.lines if x.rule == "negative"]
    assert negatives == [("default", 2, -40), ("insolvency", 1, -100)]
    assert result.total == 40 - 40 - 100 + 10


@pytest.mark.parametrize(
    ("age", "points"), [(18, 0), (24, 0), (25, 10), (39, 10), (40, 20), (90, 20)]
)
def test_age_gives_the_points_of_its_band(age: int, points: int) -> None:
    assert line(scored(age=age), "age").points == points


def test_an_age_counts_whole_years_to_the_birthday() -> None:
    person = Applicant("Anna", "Schmidt", date(2000, 6, 15))
    assert (person.age_on(date(2025, 6, 14)), person.age_on(date(2025, 6, 15))) == (24, 25)


@pytest.mark.parametrize(("lines", "points", "end"), [(0, 0, 0), (1, 10, None), (4, 10, None)])
def test_lines_held_with_the_brand_give_the_points_of_their_band(
    lines: int, points: int, end: Any
) -> None:
    got = line(scored(lines=lines), "lines")
    assert (got.points, got.end) == (points, end)


def test_paying_by_direct_debit_adds_its_points_and_says_so_either_way() -> None:
    yes, no = line(scored(dd=True), "direct_debit"), line(scored(dd=False), "direct_debit")
    assert (yes.points, yes.kind, no.points, no.kind) == (10, "yes", 0, "no")


@pytest.mark.parametrize(
    ("total", "code"),
    [
        (200, "A"),
        (80, "A"),
        (79, "B"),
        (50, "B"),
        (49, "C"),
        (30, "C"),
        (29, "D"),
        (0, "D"),
        (-140, "D"),
    ],
)
def test_a_total_reaches_the_class_with_the_highest_minimum_and_the_lowest_takes_the_rest(
    total: int, code: str
) -> None:
    assert CARD.class_for(total).code == code


def test_a_whole_scoring_adds_up_its_lines() -> None:
    result = scored(BureauReport("R", True, 820), age=45, lines=1, dd=True)
    assert [x.points for x in result.lines] == [60, 20, 10, 10]
    assert (result.total, result.klass.code) == (100, "A")


def test_deposits_and_limits_are_exact_decimals_in_the_brands_currency() -> None:
    data = copy.deepcopy(spec.DEFAULT)
    data["classes"][2]["deposit"] = "49.99"
    card = spec.parse(data, "EUR", "de")
    klass = card.class_named("C")
    assert klass is not None and klass.deposit == Decimal("49.99")
    assert isinstance(klass.deposit, Decimal)
    assert spec.to_json(card, "EUR")["classes"][2]["deposit"] == "49.99"
    assert spec.parse(spec.to_json(card, "EUR"), "EUR", "de") == card


def refusals(data: dict[str, Any], currency: str = "EUR") -> set[tuple[str, str | None]]:
    with pytest.raises(CreditError) as caught:
        spec.parse(data, currency, "de")
    return {(r.code, r.field) for r in caught.value.each()}


def changed(**members: Any) -> dict[str, Any]:
    return copy.deepcopy(spec.DEFAULT) | members


def test_bands_start_at_zero_and_go_up() -> None:
    bands = [{"start": 5, "points": 0}, {"start": 5, "points": 1}]
    assert refusals(changed(age_bands=bands)) == {
        ("credit.bands_first", "age_bands[0].start"),
        ("credit.bands_order", "age_bands[1].start"),
    }


def test_an_amount_must_be_exact_text_with_the_currencys_places() -> None:
    data = changed()
    data["classes"][0]["deposit"] = 19.99
    data["classes"][1]["deposit"] = "19.999"
    data["classes"][2]["credit_limit"] = "-1"
    assert refusals(data) == {
        ("credit.not_an_amount", "classes[0].deposit"),
        ("credit.amount_places", "classes[1].deposit"),
        ("credit.amount_negative", "classes[2].credit_limit"),
    }
    data = changed()
    data["classes"][1]["deposit"] = "10.5"
    assert refusals(data, "JPY") == {("credit.amount_places", "classes[1].deposit")}


def test_the_fallback_class_must_allow_prepaid_plans_only() -> None:
    assert refusals(changed(fallback="A")) == {("credit.fallback_postpaid", "fallback")}
    assert refusals(changed(fallback="Z")) == {("credit.fallback_unknown", "fallback")}


def test_classes_have_unique_codes_minimums_and_a_name_in_the_default_language() -> None:
    data = changed()
    data["classes"][1] |= {"code": "A", "min_points": 80, "names": {"en": "Good"}}
    assert refusals(data) == {
        ("credit.class_twice", "classes[1].code"),
        ("credit.class_minimum_twice", "classes[1].min_points"),
        ("credit.class_name_missing", "classes[1].name_de"),
    }


def test_unknown_members_and_wrong_types_are_named() -> None:
    found = refusals(changed(bonus=5, no_record="viel", required="ja"))
    assert found == {
        ("credit.unknown_fields", None),
        ("credit.not_whole", "no_record"),
        ("credit.not_yes_no", "required"),
    }


def test_a_brand_file_problem_names_where_it_is() -> None:
    with pytest.raises(CreditError) as caught:
        spec.parse(changed(fallback="A"), "EUR", "de")
    assert str(caught.value) == (
        "[credit] fallback: The class used while the bureau cannot be reached must allow "
        "prepaid plans only."
    )


def test_an_applicant_is_refused_by_field_with_every_problem() -> None:
    typed = {"given_names": " ", "surname": "x" * 101, "birth_date": date(2030, 1, 1)}
    with pytest.raises(CreditError) as caught:
        applicant(typed | {"country": "XX"}, date(2026, 1, 1))
    assert {(r.code, r.field) for r in caught.value.each()} == {
        ("credit.given_names_missing", "given_names"),
        ("credit.text_too_long", "surname"),
        ("credit.born_in_future", "birth_date"),
        ("credit.country_unknown", "country"),
    }


def test_an_applicant_is_trimmed_and_kept_whole() -> None:
    typed = {"given_names": " Anna  Maria ", "surname": "Schmidt", "birth_date": date(1990, 5, 15)}
    person = applicant(typed | {"country": "de", "direct_debit": True}, date(2026, 1, 1))
    assert person == Applicant(
        "Anna Maria", "Schmidt", date(1990, 5, 15), country="DE", direct_debit=True
    )
    assert Applicant.from_json(person.to_json()) == person
