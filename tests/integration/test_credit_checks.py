"""Credit checks through the services: decisions kept sealed, fallbacks, overrides, enforcement."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text

from saas.customers.credit import policy
from saas.customers.credit import services as credit
from saas.customers.credit.errors import CreditError
from saas.customers.credit.models import CreditDecision
from saas.customers.credit.reports import Applicant
from saas.identity.models import User
from tests.conftest import in_brand

BORN_15TH = date(1990, 5, 15)  # the simulator scores 600: 40 points, age 10: class B


def person(surname: str = "Schmidt", born: date = BORN_15TH, dd: bool = False) -> Applicant:
    return Applicant("Anna", surname, born, "Hauptstr. 1", "10115", "Berlin", "DE", dd)


@pytest.fixture
def brand(make: Any) -> Any:
    return make.brand(default_locale="de", locales=["de", "en"], timezone="Europe/Berlin")


@pytest.fixture
def plans(make: Any, brand: Any) -> Any:
    return {
        "prepaid": make.plan(brand, payment="prepaid"),
        "postpaid": make.plan(brand, payment="postpaid"),
    }


def check(app: Any, brand: Any, who: Any, applicant: Applicant) -> dict[str, Any]:
    with in_brand(app, brand.id) as session:
        decision = credit.check(session, session.get(User, who.id), applicant)
        session.flush()
        return {
            "id": decision.id,
            "outcome": decision.outcome,
            "class": decision.class_code,
            "total": decision.total,
            "lines": decision.lines,
            "postpaid": decision.postpaid,
            "deposit": decision.deposit,
            "reference": decision.bureau_reference,
        }


def test_a_check_keeps_the_class_and_each_line_of_the_explanation(
    app: Any, make: Any, brand: Any, credit_bureau: str
) -> None:
    who = make.user(brand, "subscriber")
    decided = check(app, brand, who, person(dd=True))
    assert (decided["outcome"], decided["class"], decided["total"]) == ("scored", "B", 60)
    assert [(x["rule"], x["points"]) for x in decided["lines"]] == [
        ("bureau_score", 40),
        ("age", 10),
        ("lines", 0),
        ("direct_debit", 10),
    ]
    assert decided["reference"].startswith("SIM-")


def test_what_the_person_gave_and_the_bureau_answered_is_sealed_at_rest(
    app: Any, make: Any, brand: Any, credit_bureau: str, owner_engine: Any
) -> None:
    who = make.user(brand, "subscriber")
    decided = check(app, brand, who, person("Ausfall"))
    with owner_engine.connect() as conn:
        row = conn.execute(
            text("SELECT applicant, report FROM credit_decisions WHERE id = :i"),
            {"i": decided["id"]},
        ).one()
    assert "Ausfall" not in row.applicant and "1990" not in row.applicant
    assert "default" not in row.report and "412.50" not in row.report
    with in_brand(app, brand.id) as session:
        shown = credit.disclose(session, session.get(CreditDecision, decided["id"]))
        assert shown.applicant == person("Ausfall")
        assert shown.report is not None and shown.report.negatives[0].amount == Decimal("412.50")


def test_a_negative_entry_costs_its_points(
    app: Any, make: Any, brand: Any, credit_bureau: str
) -> None:
    decided = check(app, brand, make.user(brand, "subscriber"), person("Ausfall"))
    negative = [x for x in decided["lines"] if x["rule"] == "negative"]
    assert negative == [{"rule": "negative", "points": -40, "kind": "default", "count": 1}]
    assert (decided["total"], decided["class"], decided["postpaid"]) == (10, "D", False)


def test_no_record_is_scored_with_its_own_points(
    app: Any, make: Any, brand: Any, credit_bureau: str
) -> None:
    decided = check(app, brand, make.user(brand, "subscriber"), person("Unbekannt"))
    assert (decided["outcome"], decided["total"], decided["class"]) == ("no_record", 35, "C")
    assert decided["deposit"] == Decimal("50")


@pytest.mark.parametrize("surname", ["Wartung", "Langsam"])
def test_a_bureau_down_or_too_slow_gives_the_fallback_class_never_an_approval(
    app: Any, make: Any, brand: Any, credit_bureau: str, surname: str
) -> None:
    decided = check(app, brand, make.user(brand, "subscriber"), person(surname, date(1960, 1, 31)))
    assert (decided["outcome"], decided["class"], decided["postpaid"]) == (
        "bureau_unavailable",
        "D",
        False,
    )
    assert (decided["total"], decided["lines"], decided["reference"]) == (None, [], "")


def test_without_a_bureau_configured_every_check_falls_back(
    app: Any, make: Any, brand: Any
) -> None:
    decided = check(app, brand, make.user(brand, "subscriber"), person())
    assert (decided["outcome"], decided["class"]) == ("bureau_unavailable", "D")


def test_the_deposit_is_the_brands_exact_decimal(app: Any, make: Any, credit_bureau: str) -> None:
    brand = make.brand(default_locale="de", locales=["de"])
    with in_brand(app, brand.id) as session:
        data = policy.scorecard(session)
        from saas.customers.credit import spec

        raw = spec.to_json(data, "EUR")
        raw["classes"][2]["deposit"] = "49.99"
        policy.save(session, raw)
    decided = check(app, brand, make.user(brand, "subscriber"), person("Unbekannt"))
    assert decided["deposit"] == Decimal("49.99") and isinstance(decided["deposit"], Decimal)


def subscribe(app: Any, brand: Any, who: Any, version_id: int) -> Any:
    from saas.catalog.models import PlanVersion
    from saas.subscriptions import services as subs

    with in_brand(app, brand.id) as session:
        return subs.subscribe(
            session, session.get(User, who.id), session.get(PlanVersion, version_id)
        ).id


def refused(app: Any, brand: Any, who: Any, version_id: int) -> CreditError:
    with pytest.raises(CreditError) as caught:
        subscribe(app, brand, who, version_id)
    return caught.value


def test_a_prepaid_only_class_may_take_a_prepaid_plan_but_not_a_postpaid_one(
    app: Any, make: Any, brand: Any, plans: Any, credit_bureau: str
) -> None:
    who = make.user(brand, "subscriber")
    check(app, brand, who, person("Insolvent"))
    refusal = refused(app, brand, who, plans["postpaid"].version_id)
    assert (refusal.code, refusal.field, refusal.params) == (
        "credit.prepaid_only",
        "plan",
        {"klass": "D"},
    )
    assert subscribe(app, brand, who, plans["prepaid"].version_id)


def test_a_class_allows_no_more_lines_than_its_maximum(
    app: Any, make: Any, brand: Any, plans: Any, credit_bureau: str
) -> None:
    who = make.user(brand, "subscriber")
    check(app, brand, who, person("Unbekannt"))  # class C: one line
    subscribe(app, brand, who, plans["postpaid"].version_id)
    refusal = refused(app, brand, who, plans["prepaid"].version_id)
    assert (refusal.code, refusal.params) == (
        "credit.max_lines",
        {"klass": "C", "limit": 1, "held": 1},
    )


def test_a_cancelled_line_no_longer_counts_against_the_maximum(
    app: Any, make: Any, brand: Any, plans: Any, credit_bureau: str
) -> None:
    from saas.subscriptions import services as subs
    from saas.subscriptions.models import Subscription

    who = make.user(brand, "subscriber")
    check(app, brand, who, person("Unbekannt"))
    first = subscribe(app, brand, who, plans["prepaid"].version_id)
    with in_brand(app, brand.id) as session:
        subs.cancel(session, session.get(Subscription, first))
    assert subscribe(app, brand, who, plans["prepaid"].version_id)


def test_a_person_without_a_decision_is_not_held_back(
    app: Any, make: Any, brand: Any, plans: Any
) -> None:
    who = make.user(brand, "subscriber")
    for _ in range(3):
        assert subscribe(app, brand, who, plans["postpaid"].version_id)


def test_a_brand_requiring_a_check_sells_nothing_before_one(
    app: Any, make: Any, brand: Any, plans: Any, credit_bureau: str
) -> None:
    from saas.customers.credit import spec

    with in_brand(app, brand.id) as session:
        policy.save(session, spec.DEFAULT | {"required": True})
    who = make.user(brand, "subscriber")
    assert refused(app, brand, who, plans["prepaid"].version_id).code == "credit.check_required"
    check(app, brand, who, person())
    assert subscribe(app, brand, who, plans["postpaid"].version_id)


def test_a_prepaid_only_person_cannot_change_to_a_postpaid_plan(
    app: Any, make: Any, brand: Any, plans: Any, credit_bureau: str
) -> None:
    from saas.catalog.models import PlanVersion
    from saas.subscriptions import services as subs
    from saas.subscriptions.models import Subscription

    who = make.user(brand, "subscriber")
    check(app, brand, who, person("Insolvent"))
    sub = subscribe(app, brand, who, plans["prepaid"].version_id)
    with pytest.raises(CreditError, match="prepaid plans only"), in_brand(app, brand.id) as session:
        version = session.get(PlanVersion, plans["postpaid"].version_id)
        subs.change_plan(session, session.get(Subscription, sub), version)


def override(app: Any, brand: Any, who: Any, by: Any, code: str, reason: str) -> tuple[Any, ...]:
    with in_brand(app, brand.id) as session:
        made = credit.override(
            session, session.get(User, who.id), code, reason, session.get(User, by.id)
        )
        return made.id, made.class_code, made.postpaid, made.based_on_id, made.reason


def test_an_override_needs_a_reason_and_then_decides_what_may_be_sold(
    app: Any, make: Any, brand: Any, plans: Any, credit_bureau: str
) -> None:
    who, staff = make.user(brand, "subscriber"), make.user(brand, "staff", ("finance",))
    first = check(app, brand, who, person("Insolvent"))
    with pytest.raises(CreditError) as caught:
        override(app, brand, who, staff, "A", "   ")
    assert (caught.value.code, caught.value.field) == ("credit.reason_missing", "reason")
    made = override(app, brand, who, staff, "A", "Known business customer, paid for ten years")
    assert made[1:] == ("A", True, first["id"], "Known business customer, paid for ten years")
    assert subscribe(app, brand, who, plans["postpaid"].version_id)


def test_an_override_names_a_class_of_the_scorecard_and_a_decision_to_override(
    app: Any, make: Any, brand: Any, credit_bureau: str
) -> None:
    who, staff = make.user(brand, "subscriber"), make.user(brand, "staff")
    with pytest.raises(CreditError, match="Run a credit check first"):
        override(app, brand, who, staff, "A", "trusted")
    check(app, brand, who, person())
    with pytest.raises(CreditError, match="no credit class Z"):
        override(app, brand, who, staff, "Z", "trusted")
    with pytest.raises(CreditError, match="Only staff"):
        override(app, brand, who, who, "A", "trusted")


def test_another_brands_decisions_are_invisible(
    app: Any, make: Any, brand: Any, credit_bureau: str
) -> None:
    decided = check(app, brand, make.user(brand, "subscriber"), person())
    other = make.brand()
    with in_brand(app, other.id) as session:
        assert credit.get(session, decided["id"]) is None
        assert session.execute(text("SELECT count(*) FROM credit_decisions")).scalar_one() == 0


def test_an_override_of_an_override_still_discloses_the_check_it_began_with(
    app: Any, make: Any, brand: Any, credit_bureau: str
) -> None:
    who, staff = make.user(brand, "subscriber"), make.user(brand, "staff")
    check(app, brand, who, person("Ausfall"))
    override(app, brand, who, staff, "A", "first look")
    latest = override(app, brand, who, staff, "C", "second look")[0]
    with in_brand(app, brand.id) as session:
        shown = credit.disclose(session, session.get(CreditDecision, latest))
        assert shown.applicant is not None and shown.applicant.surname == "Ausfall"
        assert shown.report is not None and [e.kind for e in shown.report.negatives] == ["default"]
        assert credit.allowance(session, session.get(User, who.id)).decision.class_code == "C"
