"""Retention: identity numbers, documents and bureau answers go once kept for the brand's period.

Erasure empties the sealed fields and keeps the records with their ids, dates and decisions;
each erasure is recorded with its rule and written into the audit log; running again erases
nothing more.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy import text as sql

from saas.customers.credit.models import CreditDecision
from saas.customers.kyc.models import KycCase
from saas.customers.onboarding import services as onboarding
from saas.customers.onboarding.models import REJECTED
from saas.customers.privacy import retention, settings
from saas.customers.privacy.models import Erasure
from saas.db import utcnow
from saas.identity.audit import AuditEvent
from tests.conftest import JOIN_MS, in_brand
from tests.support import privacy as P
from workers.broker import broker
from workers.notifications import deliver_email
from workers.privacy import erase_due_personal_data
from workers.provisioning import run_provisioning_order

DAY = timedelta(days=1)


@pytest.fixture
def brand(app: Any, make: Any, credit_bureau: str, sanctions_lists: None) -> Any:
    return P.shop(app, make)


def _erase(app: Any, brand: Any, later: timedelta) -> list[tuple[str, Any, Any]]:
    with in_brand(app, brand.id) as session:
        done = retention.erase_due(session, utcnow() + later)
        return [(e.rule, e.subscriber_id, e.application_id) for e in done]


def _case(app: Any, brand: Any, case_id: int) -> dict[str, Any]:
    with in_brand(app, brand.id) as session:
        case = session.get(KycCase, case_id)
        return {
            "status": case.status,
            "surname": case.surname,
            "birth_date": case.birth_date,
            "document_number": case.document_number,
            "document_digest": case.document_digest,
            "mrz": case.mrz,
        }


def _decision(app: Any, brand: Any, decision_id: int) -> tuple[Any, ...]:
    with in_brand(app, brand.id) as session:
        row = session.get(CreditDecision, decision_id)
        return row.class_code, row.applicant, row.report, row.decided_at


def test_a_person_whose_line_ended_181_days_ago_loses_their_identity_data_and_keeps_the_rest(
    app: Any, brand: Any
) -> None:
    gone = P.sign_up(app, brand, "erika@example.com", "Erika", "Mustermann")
    assert gone.status == "approved", gone
    P.end_line(app, brand, gone)
    class_code, applicant, report, decided = _decision(app, brand, gone.decision)
    assert applicant and report and _case(app, brand, gone.case)["document_number"]
    assert _erase(app, brand, 179 * DAY) == []
    assert _erase(app, brand, 181 * DAY) == [("line_ended", gone.user_id, None)]
    assert _case(app, brand, gone.case) == {
        "status": "approved",
        "surname": "Mustermann",
        "birth_date": "",
        "document_number": None,
        "document_digest": None,
        "mrz": None,
    }
    assert _decision(app, brand, gone.decision) == (class_code, None, None, decided)
    signed = P.application(app, brand, gone.id)
    assert onboarding.personal(signed) == {} and signed.status == "approved"
    assert onboarding.answers(signed, "person")["last_name"] == "Mustermann"


def test_a_person_whose_line_is_still_active_keeps_everything(app: Any, brand: Any) -> None:
    staying = P.sign_up(app, brand, "max@example.com", "Max", "Mueller", date(1979, 2, 23))
    gone = P.sign_up(app, brand, "erika@example.com", "Erika", "Mustermann")
    P.end_line(app, brand, gone)
    assert _erase(app, brand, 400 * DAY) == [("line_ended", gone.user_id, None)]
    kept = _case(app, brand, staying.case)
    assert kept["birth_date"] == "1979-02-23" and kept["document_number"]
    assert _decision(app, brand, staying.decision)[1] is not None
    assert onboarding.personal(P.application(app, brand, staying.id))["city"] == "Köln"


def test_a_cancelled_subscription_whose_line_still_runs_keeps_everything(
    app: Any, brand: Any
) -> None:
    from saas.network import lines
    from saas.network.models import Line
    from saas.subscriptions import services as subs
    from saas.subscriptions.models import Subscription

    person = P.sign_up(app, brand, "erika@example.com", "Erika", "Mustermann")
    with in_brand(app, brand.id) as session:
        lines.activate(session, session.get(Line, person.line))  # the network put it on
        subs.cancel(session, session.get(Subscription, person.subscription), when="now")
        assert session.get(Line, person.line).state == "active"  # until the network ends it
    assert _erase(app, brand, 400 * DAY) == []
    assert _case(app, brand, person.case)["mrz"]


def test_a_person_whose_first_line_ended_but_who_took_another_keeps_everything(
    app: Any, brand: Any
) -> None:
    from saas.catalog.models import PlanVersion
    from saas.identity.models import User
    from saas.subscriptions import services as subs

    person = P.sign_up(app, brand, "erika@example.com", "Erika", "Mustermann")
    P.end_line(app, brand, person)
    with in_brand(app, brand.id) as session:
        version = session.get(PlanVersion, brand.plan.version_id)
        subs.subscribe(session, session.get(User, person.user_id), version)
    assert _erase(app, brand, 400 * DAY) == []
    assert _case(app, brand, person.case)["mrz"]


def test_a_rejected_sign_up_past_the_period_loses_its_personal_answers(
    app: Any, brand: Any
) -> None:
    minor = P.sign_up(
        app, brand, "kind@example.com", "Erika", "Klein", date(utcnow().year - 15, 1, 1)
    )
    assert minor.status == REJECTED and minor.user_id is None
    assert _erase(app, brand, 179 * DAY) == []
    assert _erase(app, brand, 181 * DAY) == [("signup_rejected", None, minor.id)]
    assert onboarding.personal(P.application(app, brand, minor.id)) == {}
    case = _case(app, brand, minor.case)
    assert (case["status"], case["birth_date"], case["mrz"]) == ("rejected", "", None)


def test_an_abandoned_draft_loses_its_answers_a_period_after_its_30_days_and_its_link_dies(
    app: Any, brand: Any
) -> None:
    with in_brand(app, brand.id) as session:
        draft, token = onboarding.start(session, "halb@example.com", "de")
        onboarding.save(session, draft, "person", P.answers("Ida", "Halb", P.BORN, 0)["person"])
        opened = draft.id
    assert _erase(app, brand, (30 + 179) * DAY) == []
    assert _erase(app, brand, (30 + 181) * DAY) == [("signup_abandoned", None, opened)]
    assert onboarding.personal(P.application(app, brand, opened)) == {}
    with in_brand(app, brand.id) as session:
        assert onboarding.resume(session, token) is None


def test_erasing_twice_erases_nothing_more_and_writes_nothing_more(app: Any, brand: Any) -> None:
    gone = P.sign_up(app, brand, "erika@example.com", "Erika", "Mustermann")
    P.end_line(app, brand, gone)
    assert len(_erase(app, brand, 200 * DAY)) == 1
    with in_brand(app, brand.id) as session:
        counts = (
            len(session.scalars(select(Erasure)).all()),
            len(session.scalars(select(AuditEvent)).all()),
        )
    assert _erase(app, brand, 200 * DAY) == []
    assert _erase(app, brand, 900 * DAY) == []
    with in_brand(app, brand.id) as session:
        assert counts == (
            len(session.scalars(select(Erasure)).all()),
            len(session.scalars(select(AuditEvent)).all()),
        )


def test_each_erasure_is_recorded_and_audited_with_what_went_and_why(app: Any, brand: Any) -> None:
    gone = P.sign_up(app, brand, "erika@example.com", "Erika", "Mustermann")
    P.end_line(app, brand, gone)
    _erase(app, brand, 181 * DAY)
    with in_brand(app, brand.id) as session:
        (erasure,) = session.scalars(select(Erasure)).all()
        erased = {(i["record"], i["id"]): i["fields"] for i in erasure.erased}
        assert erased[("kyc_cases", gone.case)] == [
            "birth_date",
            "document_number",
            "document_expires",
            "mrz",
        ]
        assert erased[("credit_decisions", gone.decision)] == ["applicant", "report"]
        assert erased[("applications", gone.id)] == ["personal"]
        assert erasure.due_since is not None and erasure.rule == "line_ended"
        (line,) = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "personal_data.erase")
        ).all()
        assert (line.object_type, line.object_id) == ("users", str(gone.user_id))
        assert line.changes["rule"] == "line_ended" and line.changes["erasure_id"] == erasure.id
        assert line.actor_label == "system"


def test_the_brands_own_period_counts(app: Any, brand: Any) -> None:
    gone = P.sign_up(app, brand, "erika@example.com", "Erika", "Mustermann")
    P.end_line(app, brand, gone)
    with in_brand(app, brand.id) as session:
        settings.save(session, 10)
    assert _erase(app, brand, 9 * DAY) == []
    assert _erase(app, brand, 11 * DAY) == [("line_ended", gone.user_id, None)]


def test_another_brands_people_are_left_alone(app: Any, brand: Any, make: Any) -> None:
    gone = P.sign_up(app, brand, "erika@example.com", "Erika", "Mustermann")
    P.end_line(app, brand, gone)
    other = P.shop(app, make)
    assert _erase(app, other, 400 * DAY) == []
    assert _case(app, brand, gone.case)["mrz"]


def test_the_erased_values_are_empty_at_rest_too(app: Any, brand: Any, owner_engine: Any) -> None:
    gone = P.sign_up(app, brand, "erika@example.com", "Erika", "Mustermann")
    P.end_line(app, brand, gone)
    _erase(app, brand, 181 * DAY)
    with owner_engine.connect() as conn:
        row = conn.execute(
            sql("SELECT mrz, document_number, national_id_digest FROM kyc_cases WHERE id = :id"),
            {"id": gone.case},
        ).one()
    assert tuple(row) == (None, None, None)


@pytest.mark.parametrize("days", [0, 3651, True])
def test_a_retention_period_out_of_bounds_is_refused(app: Any, make: Any, days: Any) -> None:
    from saas.customers.privacy.errors import PrivacyError

    with in_brand(app, make.brand().id) as session, pytest.raises(PrivacyError) as refused:
        settings.save(session, days)
    assert (refused.value.code, refused.value.field) == (
        "privacy.settings.retention_days",
        "retention_days",
    )


def _ended_long_ago(app: Any, brand: Any, signed: Any, days: int = 181) -> None:
    """The person's line ended `days` ago: what the clock would say by now."""
    from saas.network.models import Line
    from saas.subscriptions.models import Subscription

    P.end_line(app, brand, signed)
    with in_brand(app, brand.id) as session:
        then = utcnow() - timedelta(days=days)
        session.get(Subscription, signed.subscription).ended_at = then
        session.get(Line, signed.line).changed_at = then


def test_the_command_erases_what_is_due_in_every_brand_once(app: Any, brand: Any) -> None:
    gone = P.sign_up(app, brand, "erika@example.com", "Erika", "Mustermann")
    _ended_long_ago(app, brand, gone)
    result = app.test_cli_runner().invoke(args=["privacy", "erase-due"])
    assert f"{brand.slug}: 1 erasure(s)" in result.output.splitlines(), result.output
    assert _case(app, brand, gone.case)["mrz"] is None
    again = app.test_cli_runner().invoke(args=["privacy", "erase-due"])
    assert f"{brand.slug}: 0 erasure(s)" in again.output.splitlines()


def test_the_command_can_send_one_job_per_brand_which_a_worker_runs(
    app: Any, brand: Any, mno: Any, smtp: Any, worker: Any
) -> None:
    gone = P.sign_up(app, brand, "erika@example.com", "Erika", "Mustermann")
    broker.join(run_provisioning_order.queue_name, fail_fast=True, timeout=JOIN_MS)
    _ended_long_ago(app, brand, gone)
    result = app.test_cli_runner().invoke(
        args=["privacy", "erase-due", "--enqueue", "--tenant", brand.slug]
    )
    assert result.output.splitlines() == [f"{brand.slug}: job sent"], result.output
    broker.join(erase_due_personal_data.queue_name, fail_fast=True, timeout=JOIN_MS)
    for actor in (run_provisioning_order, deliver_email):  # the sign-up's own jobs end too
        broker.join(actor.queue_name, fail_fast=False, timeout=JOIN_MS)
    assert _case(app, brand, gone.case)["birth_date"] == ""
    with in_brand(app, brand.id) as session:
        (erasure,) = session.scalars(select(Erasure)).all()
        assert erasure.actor_label == "job:erase_due_personal_data"


def test_the_command_names_a_brand_it_does_not_know(app: Any, brand: Any) -> None:
    result = app.test_cli_runner().invoke(args=["privacy", "erase-due", "--tenant", "no-such"])
    assert result.exit_code != 0
    assert "no brand no-such" in result.output
