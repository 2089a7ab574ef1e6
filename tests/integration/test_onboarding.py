"""Sign-up: steps saved in order, resumed by link, personal data sealed, then a subscriber."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy import text as sql

from saas.customers.kyc import services as kyc
from saas.customers.kyc.models import KycCase
from saas.customers.models import COMPANY, Account
from saas.customers.onboarding import services as onboarding
from saas.customers.onboarding.models import (
    ACTIVE,
    APPROVED,
    DRAFT,
    REJECTED,
    REVIEW,
    Application,
)
from saas.customers.onboarding.steps import OnboardingError
from saas.db import utcnow
from saas.identity.services import IdentityError
from saas.network import lines
from saas.network.models import Line
from saas.network.provisioning import porting
from saas.network.provisioning.models import PortIn
from saas.subscriptions.models import Subscription
from tests.conftest import in_brand, recurring
from tests.support import mno as sim
from tests.support.kyc import td3
from tests.support.network import stock
from tests.support.provisioning import run_jobs

PERSON = {
    "kind": "individual",
    "first_name": "Erika",
    "last_name": "Mustermann",
    "birth_date": date(1984, 8, 12),
}
ADDRESS = {"street": "Heidestr. 17", "postcode": "51147", "city": "Köln", "country": "DE"}


def ZONE_OF(surname: str, given: str, born: date) -> str:
    """A passport's machine-readable zone for the person, valid until 2034."""
    return "\n".join(td3(surname, given, born, date(2034, 1, 31)))


ZONE = ZONE_OF("Mustermann", "Erika", date(1984, 8, 12))
DOCUMENT = {"document_kind": "passport", "mrz": ZONE, "national_id": ""}
SIM = {"sim_kind": "esim"}
NUMBER = {"number_choice": "new"}
CONSENTS = {"payment": "card", "terms": True, "privacy": True, "marketing": False}


@pytest.fixture
def brand(app: Any, make: Any, credit_bureau: str, sanctions_lists: None) -> Any:
    brand = make.brand(currency="EUR", timezone="Europe/Berlin", locales=["en", "de"], country="DE")
    brand["plan"] = make.plan(brand, name="Smart S", components=recurring("9.99"))
    with in_brand(app, brand.id) as session:
        stock(session)
    return brand


def fill_in(session: Any, application: Application, plan_version_id: int, **changed: Any) -> None:
    """Save every step with good answers, some of them changed."""
    answers = {
        "person": PERSON,
        "address": ADDRESS,
        "document": DOCUMENT,
        "plan": {"plan_version_id": plan_version_id},
        "sim": SIM,
        "number": NUMBER,
        "consents": CONSENTS,
    }
    for name, values in answers.items():
        onboarding.save(session, application, name, values | changed.get(name, {}))


def test_a_sign_up_is_resumed_by_its_link_and_becomes_a_subscriber_with_a_line(
    app: Any, brand: Any
) -> None:
    with in_brand(app, brand.id) as session:
        application, token = onboarding.start(session, "erika@example.com", "de")
        onboarding.save(session, application, "person", PERSON)
        opened = application.id
    with in_brand(app, brand.id) as session:
        application = onboarding.resume(session, token)
        assert application is not None and application.id == opened
        assert onboarding.answers(application, "person") == PERSON | {"birth_date": "1984-08-12"}
        fill_in(session, application, brand.plan.version_id)
        onboarding.submit(session, application)
        assert application.status == APPROVED, (
            application.reasons,
            application.outcome,
            _case(session, application),
        )
        subscription = session.get(Subscription, application.outcome["subscription"])
        assert subscription.subscriber.email == "erika@example.com"
        assert subscription.subscriber.full_name == "Erika Mustermann"
        assert subscription.plan_version_id == brand.plan.version_id
    with in_brand(app, brand.id) as session:
        assert onboarding.resume(session, "not-the-link") is None


def test_a_company_signs_up_with_an_account_of_its_own(app: Any, brand: Any) -> None:
    company = {"kind": COMPANY, "company_name": "Muster GmbH"}
    with in_brand(app, brand.id) as session:
        application, _ = onboarding.start(session, "it@muster.example", "de")
        fill_in(session, application, brand.plan.version_id, person=company)
        onboarding.submit(session, application)
        subscription = session.get(Subscription, application.outcome["subscription"])
        account = session.get(Account, subscription.account_id)
        assert (account.kind, account.name) == (COMPANY, "Muster GmbH")


def _company_with(session: Any, brand: Any, count: int) -> Application:
    """A company whose contact, born on the 31st, the bureau scores best (5 lines at most)."""
    application, _ = onboarding.start(session, "it@muster.example", "de")
    born = date(1984, 8, 31)
    company = {"kind": COMPANY, "company_name": "Muster GmbH", "birth_date": born}
    document = {"mrz": ZONE_OF("Mustermann", "Erika", born)}
    plan = {"plan_version_id": brand.plan.version_id, "lines": count}
    fill_in(
        session, application, brand.plan.version_id, person=company, document=document, plan=plan
    )
    onboarding.submit(session, application)
    return application


def test_a_company_signs_up_for_several_lines_under_one_paying_account(
    app: Any, brand: Any, mno: Any, worker: Any
) -> None:
    with in_brand(app, brand.id) as session:
        application = _company_with(session, brand, 3)
        made = application.outcome
        assert application.status == APPROVED, application.reasons
        assert len(made["subscriptions"]) == len(made["lines"]) == len(made["orders"]) == 3
        accounts = {session.get(Subscription, s).account_id for s in made["subscriptions"]}
        held = [lines.current_msisdn(session, session.get(Line, i)) for i in made["lines"]]
        assert held[0] == application.details["reserved_msisdn"].lstrip("+")
        assert len(accounts) == 1 and len(set(held)) == 3
        assert application.status == APPROVED
        ident = application.id
    run_jobs()
    with in_brand(app, brand.id) as session:
        assert session.get(Application, ident).status == ACTIVE
        assert {session.get(Line, i).state for i in made["lines"]} == {"active"}
    assert {f"+{n}" for n in held} <= set(mno.lines())


def test_a_company_asking_more_lines_than_its_credit_class_allows_makes_none(
    app: Any, brand: Any
) -> None:
    with in_brand(app, brand.id) as session:
        application = _company_with(session, brand, 12)
        assert application.status == REVIEW
        assert [r["code"] for r in application.reasons] == ["onboarding.credit_refused"]
        assert "subscriptions" not in application.outcome
        mine = select(Subscription).filter_by(subscriber_id=application.user_id)
        assert session.scalars(mine).all() == []


@pytest.mark.parametrize(
    ("kind", "count", "code"),
    [
        ("individual", 2, "onboarding.lines_company_only"),
        (COMPANY, 0, "onboarding.lines_range"),
        (COMPANY, 21, "onboarding.lines_range"),
    ],
)
def test_the_number_of_lines_is_refused_beside_its_field(
    app: Any, brand: Any, kind: str, count: int, code: str
) -> None:
    with in_brand(app, brand.id) as session:
        application, _ = onboarding.start(session, "it@muster.example", "de")
        person = PERSON | {"kind": kind, "company_name": "Muster GmbH"}
        onboarding.save(session, application, "person", person)
        for step, values in (("address", ADDRESS), ("document", DOCUMENT)):
            onboarding.save(session, application, step, values)
        with pytest.raises(OnboardingError) as refused:
            plan = {"plan_version_id": brand.plan.version_id, "lines": count}
            onboarding.save(session, application, "plan", plan)
        assert (refused.value.code, refused.value.field) == (code, "lines")


@pytest.mark.parametrize(
    ("step", "values", "code", "field"),
    [
        (
            "person",
            PERSON | {"birth_date": date(2999, 1, 1)},
            "onboarding.born_later",
            "birth_date",
        ),
        ("person", PERSON | {"kind": COMPANY}, "onboarding.company_name_missing", "company_name"),
        ("person", PERSON | {"shoe_size": 44}, "onboarding.unknown_answer", None),
        ("address", ADDRESS, "onboarding.step_first", None),
    ],
)
def test_answers_that_break_a_rule_are_refused_by_field(
    app: Any, brand: Any, step: str, values: dict[str, Any], code: str, field: str | None
) -> None:
    with in_brand(app, brand.id) as session:
        application, _ = onboarding.start(session, "otto@example.com", "en")
        with pytest.raises(OnboardingError) as refused:
            onboarding.save(session, application, step, values)
        assert (refused.value.code, refused.value.field) == (code, field)
        assert application.steps_done == []


def test_an_add_on_or_a_plan_of_another_brand_cannot_be_chosen(
    app: Any, brand: Any, make: Any
) -> None:
    other = make.brand()
    foreign = make.plan(other, components=recurring("1.00"))
    addon = make.plan(brand, kind="addon", components=recurring("2.00"))
    with in_brand(app, brand.id) as session:
        application, _ = onboarding.start(session, "otto@example.com", "en")
        for version_id in (foreign.version_id, addon.version_id):
            with pytest.raises(OnboardingError) as refused:
                fill_in(session, application, version_id)
            assert refused.value.code == "onboarding.plan_not_on_sale"


def test_an_incomplete_sign_up_cannot_be_sent_and_a_sent_one_cannot_change(
    app: Any, brand: Any
) -> None:
    with in_brand(app, brand.id) as session:
        application, _ = onboarding.start(session, "otto@example.com", "en")
        onboarding.save(session, application, "person", PERSON)
        with pytest.raises(OnboardingError, match="not filled in"):
            onboarding.submit(session, application)
        fill_in(session, application, brand.plan.version_id)
        onboarding.submit(session, application)
        with pytest.raises(OnboardingError) as refused:
            onboarding.save(session, application, "person", PERSON)
        assert refused.value.code == "onboarding.not_a_draft"


def test_a_known_address_or_a_language_the_brand_does_not_speak_is_refused_at_the_start(
    app: Any, brand: Any, make: Any
) -> None:
    known = make.user(brand, "subscriber")
    with in_brand(app, brand.id) as session:
        for email, locale, code in (
            (known.email, "en", "identity.email_taken"),
            ("not an address", "en", "identity.email_invalid"),
            ("new@example.com", "pl", "identity.locale_not_offered"),
        ):
            with pytest.raises(IdentityError) as refused:
                onboarding.start(session, email, locale)
            assert refused.value.code == code


def test_terms_and_privacy_must_be_accepted(app: Any, brand: Any) -> None:
    with in_brand(app, brand.id) as session:
        application, _ = onboarding.start(session, "otto@example.com", "en")
        with pytest.raises(OnboardingError) as refused:
            fill_in(session, application, brand.plan.version_id, consents={"privacy": False})
        assert (refused.value.code, refused.value.field) == ("onboarding.terms_needed", "privacy")
        assert application.status == DRAFT and "consents" not in application.steps_done


def test_personal_data_is_sealed_in_the_table_and_kept_out_of_the_audit_log(
    app: Any, brand: Any, owner_engine: Any
) -> None:
    with in_brand(app, brand.id) as session:
        application, _ = onboarding.start(session, "erika@example.com", "de")
        fill_in(session, application, brand.plan.version_id)
        opened = application.id
    with owner_engine.connect() as conn:
        stored = conn.execute(sql(f"SELECT personal FROM applications WHERE id = {opened}"))
        sealed = stored.scalar_one()
        logged = conn.execute(
            sql("SELECT changes FROM audit_events WHERE object_type = 'applications'")
        ).scalars()
        log = " ".join(str(c) for c in logged)
    for secret in ("12345678995", "Heidestr", "1984-08-12", "51147"):
        assert secret not in sealed and secret not in log
    assert "personal" in log  # the change is logged, its content is not


def _case(session: Any, application: Application) -> Any:
    case = session.get(KycCase, application.outcome.get("kyc_case", 0))
    return case and (case.status, case.reasons, case.checks)


def test_the_new_line_has_the_number_held_during_sign_up_and_an_esim(app: Any, brand: Any) -> None:
    with in_brand(app, brand.id) as session:
        application, _ = onboarding.start(session, "erika@example.com", "de")
        fill_in(session, application, brand.plan.version_id)
        held = application.details["reserved_msisdn"]
        assert held.startswith("491520")
        onboarding.submit(session, application)
        line = session.get(Line, application.outcome["line"])
        assert (line.state, lines.current_msisdn(session, line)) == ("pending", held)
        assert lines.current_sim(session, line).kind == "esim"


def test_a_sanctions_hit_waits_for_a_reviewer_whose_approval_lets_the_sign_up_go_on(
    app: Any, brand: Any, make: Any
) -> None:
    reviewer = make.user(brand, "staff", ("compliance",))
    listed = ZONE_OF("Müller", "Hans", date(1961, 3, 4))
    # His credit class allows prepaid only: he takes a prepaid plan.
    prepaid = make.plan(brand, payment="prepaid", components=recurring("5.00"))
    with in_brand(app, brand.id) as session:
        application, _ = onboarding.start(session, "hans@example.com", "de")
        person = PERSON | {
            "first_name": "Hans",
            "last_name": "Müller",
            "birth_date": date(1961, 3, 4),
        }
        fill_in(session, application, prepaid.version_id, person=person, document={"mrz": listed})
        onboarding.submit(session, application)
        assert application.status == REVIEW and application.user_id is None
        assert application.reasons == [{"stage": "kyc", "code": "onboarding.identity_review"}]
        case = session.get(KycCase, application.outcome["kyc_case"])
        kyc.decide(session, case, "approved", "Namensvetter, anderer Geburtsort", reviewer.id)
        assert (application.status, application.reasons) == (APPROVED, [])
        assert "line" in application.outcome and application.user_id is not None


def test_a_reviewer_who_rejects_the_case_rejects_the_sign_up(
    app: Any, brand: Any, make: Any
) -> None:
    reviewer = make.user(brand, "staff", ("compliance",))
    with in_brand(app, brand.id) as session:
        application, _ = onboarding.start(session, "hans@example.com", "de")
        person = PERSON | {
            "first_name": "Hans",
            "last_name": "Müller",
            "birth_date": date(1961, 3, 4),
        }
        zone = ZONE_OF("Müller", "Hans", date(1961, 3, 4))
        fill_in(session, application, brand.plan.version_id, person=person, document={"mrz": zone})
        onboarding.submit(session, application)
        case = session.get(KycCase, application.outcome["kyc_case"])
        kyc.decide(session, case, "rejected", "Treffer bestätigt", reviewer.id)
        assert application.status == REJECTED and application.user_id is None


def test_a_minor_is_refused_by_the_identity_checks(app: Any, brand: Any) -> None:
    young = date(utcnow().year - 15, 1, 1)
    with in_brand(app, brand.id) as session:
        application, _ = onboarding.start(session, "kind@example.com", "de")
        zone = ZONE_OF("Mustermann", "Erika", young)
        fill_in(
            session,
            application,
            brand.plan.version_id,
            person=PERSON | {"birth_date": young},
            document={"mrz": zone},
        )
        onboarding.submit(session, application)
        assert application.status == REJECTED
        assert application.reasons == [{"stage": "kyc", "code": "onboarding.identity_refused"}]


def test_a_class_that_allows_prepaid_only_holds_a_postpaid_sign_up_for_review(
    app: Any, brand: Any
) -> None:
    zone = ZONE_OF("Insolvenz", "Erika", date(1984, 8, 12))
    with in_brand(app, brand.id) as session:
        application, _ = onboarding.start(session, "pleite@example.com", "de")
        person = PERSON | {"last_name": "Insolvenz"}
        fill_in(session, application, brand.plan.version_id, person=person, document={"mrz": zone})
        onboarding.submit(session, application)
        assert application.status == REVIEW, application.reasons
        (reason,) = application.reasons
        assert (reason["stage"], reason["code"]) == ("subscription", "onboarding.credit_refused")
        assert (
            "credit_decision" in application.outcome and "subscription" not in application.outcome
        )


def _status(app: Any, brand: Any, application_id: int) -> tuple[str, str]:
    with in_brand(app, brand.id) as session:
        application = session.get(Application, application_id)
        line = session.get(Line, application.outcome["line"])
        return application.status, line.state


def test_the_host_network_activates_the_line_and_the_sign_up_is_done(
    app: Any, brand: Any, mno: Any, worker: Any, smtp: Any
) -> None:
    with in_brand(app, brand.id) as session:
        application, _ = onboarding.start(session, "erika@example.com", "de")
        fill_in(session, application, brand.plan.version_id)
        onboarding.submit(session, application)
        opened, held = application.id, application.details["reserved_msisdn"]
    assert _status(app, brand, opened) == (APPROVED, "pending")
    run_jobs()
    assert _status(app, brand, opened) == (ACTIVE, "active")
    assert mno.lines()[f"+{held}"]["state"] == "active"


def test_a_kept_number_is_ported_in_and_goes_live_on_its_porting_date(
    app: Any, brand: Any, mno: Any, worker: Any, smtp: Any
) -> None:
    kept = sim.msisdn("5")
    number = {"number_choice": "keep", "msisdn": kept, "donor": "vodafone"}
    with in_brand(app, brand.id) as session:
        application, _ = onboarding.start(session, "otto@example.com", "de")
        fill_in(session, application, brand.plan.version_id, number=number)
        onboarding.submit(session, application)
        opened, port_in_id = application.id, application.outcome["port_in"]
    run_jobs()  # the donor confirms a porting date
    with in_brand(app, brand.id) as session:
        port_in = session.get(PortIn, port_in_id)
        assert port_in.state == "confirmed"
        due = datetime.combine(port_in.porting_date, time(12), UTC)
        porting.complete_due(session, now=due)
    run_jobs()  # the SIM goes on the network with the ported number
    assert _status(app, brand, opened) == (ACTIVE, "active")


def test_a_number_to_keep_that_is_not_a_mobile_number_is_refused_beside_its_field(
    app: Any, brand: Any
) -> None:
    with in_brand(app, brand.id) as session:
        application, _ = onboarding.start(session, "otto@example.com", "de")
        keep = {"number_choice": "keep", "msisdn": "+49 30 1234567", "donor": "vodafone"}
        with pytest.raises(OnboardingError) as refused:
            fill_in(session, application, brand.plan.version_id, number=keep)
        assert (refused.value.code, refused.value.field) == ("porting.not_mobile", "msisdn")


def _corrupted(zone: str) -> str:
    """The zone with the check digit of its document number one off."""
    first, second = zone.splitlines()
    digit = str((int(second[9]) + 1) % 10)
    return first + "\n" + second[:9] + digit + second[10:]


@pytest.mark.parametrize(
    ("step", "values", "code", "field"),
    [
        ("document", {"mrz": "P<UTO\nNOTAZONE"}, "kyc.document.unreadable", "mrz"),
        ("document", {"mrz": _corrupted(ZONE)}, "onboarding.mrz_digit", "mrz"),
        (
            "document",
            {"mrz": "\n".join(td3("Mustermann", "Erika", date(1984, 8, 12), date(2020, 1, 31)))},
            "kyc.document.expired",
            "mrz",
        ),
        (
            "consents",
            {"payment": "direct_debit", "iban": "DE00 1234"},
            "kyc.bank.iban_invalid",
            "iban",
        ),
    ],
)
def test_a_document_or_an_account_that_does_not_check_out_is_refused_at_its_step(
    app: Any, brand: Any, step: str, values: dict[str, Any], code: str, field: str
) -> None:
    with in_brand(app, brand.id) as session:
        application, _ = onboarding.start(session, "otto@example.com", "de")
        with pytest.raises(OnboardingError) as refused:
            fill_in(session, application, brand.plan.version_id, **{step: values})
        assert (refused.value.code, refused.value.field) == (code, field)
        assert step not in application.steps_done


def test_a_pesel_that_is_not_the_persons_is_refused_beside_it(app: Any, make: Any) -> None:
    brand = make.brand(currency="PLN", timezone="Europe/Warsaw", country="PL", locales=["pl"])
    plan = make.plan(brand, components=recurring("25.00"))
    with in_brand(app, brand.id) as session:
        application, _ = onboarding.start(session, "ola@example.com", "pl")
        with pytest.raises(OnboardingError) as refused:
            fill_in(session, application, plan.version_id, document={"national_id": "90051512345"})
        assert (refused.value.field, refused.value.code.startswith("kyc.national_id")) == (
            "national_id",
            True,
        )
