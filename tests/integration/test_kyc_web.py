"""KYC in the console and the API: the queue, a case, a decision, personal data, MRZ checks."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from saas.customers.kyc import sanctions
from saas.customers.kyc import services as kyc
from saas.customers.kyc.applicant import Applicant
from saas.identity.audit import AuditEvent
from tests.conftest import (
    api_post,
    call,
    get,
    in_brand,
    in_platform,
    issue_key,
    logged_in,
    post,
    text,
)
from tests.integration.test_api import assert_problem
from tests.support.forms import field_errors
from tests.support.kyc import OPENSANCTIONS_FILE, SPECIMENS, TD3, td3

HIT = {"given_names": "Hans", "surname": "Müller", "birth_date": date(1961, 3, 4)}


@pytest.fixture(scope="module")
def lists(app: Any) -> None:
    with in_platform(app) as session:
        sanctions.load(session, OPENSANCTIONS_FILE.read_bytes(), "opensanctions", "os.csv")


@pytest.fixture
def brand(make: Any, lists: None) -> Any:
    return make.brand(
        country="DE", default_locale="de", locales=["de", "en"], timezone="Europe/Berlin"
    )


def case_of(app: Any, brand: Any, **person: Any) -> int:
    """A stored case; by default one of a sanctions hit, waiting for review."""
    data = HIT | person
    lines = td3(data["surname"], data["given_names"], data["birth_date"], date(2031, 1, 1))
    with in_brand(app, brand.id) as session:
        return kyc.check(session, Applicant(**data, mrz=lines)).id


def events(app: Any, brand: Any, action: str) -> list[tuple[Any, ...]]:
    """The audit events of an action: (object id, actor's user id, changes)."""
    with in_brand(app, brand.id) as session:
        found = session.scalars(select(AuditEvent).where(AuditEvent.action == action))
        return [(e.object_id, e.actor_user_id, e.changes) for e in found]


# The console


def test_the_queue_lists_cases_waiting_for_review_oldest_first(
    app: Any, make: Any, brand: Any
) -> None:
    first, second = case_of(app, brand), case_of(app, brand)
    approved = case_of(
        app, brand, given_names="Lena", surname="Schmidt", birth_date=date(1990, 1, 1)
    )
    staff = logged_in(app, make, brand, ("agent",))
    page = get(staff, "/admin/kyc")
    assert page.status_code == 200
    shown = text(page)
    assert shown.index(f'data-id="{first}"') < shown.index(f'data-id="{second}"')
    assert f'data-id="{approved}"' not in shown
    assert "Hans Müller" in shown and "OpenSanctions" in shown


def test_the_queue_goes_on_page_by_page(app: Any, make: Any, brand: Any, monkeypatch: Any) -> None:
    from saas.web.admin import kyc as views

    cases = [case_of(app, brand) for _ in range(3)]
    monkeypatch.setattr(views, "PAGE", 2)
    staff = logged_in(app, make, brand, ("agent",))
    first = text(get(staff, "/admin/kyc"))
    assert f'data-id="{cases[2]}"' not in first and f"after={cases[1]}" in first
    second = text(get(staff, "/admin/kyc", after=cases[1]))
    assert f'data-id="{cases[2]}"' in second and f'data-id="{cases[0]}"' not in second


def test_the_case_page_says_each_verdict_in_german_with_personal_data_masked(
    app: Any, make: Any, brand: Any
) -> None:
    ident = case_of(app, brand)
    staff = logged_in(app, make, brand, ("agent",), locale="de")
    shown = text(get(staff, f"/admin/kyc/cases/{ident}"))
    assert "Wartet auf Prüfung" in shown and "Bestanden" in shown and "Zu prüfen" in shown
    assert "Sanktions- und PEP-Listen" in shown
    assert "C01X00T47" not in shown and "1961-••-••" in shown
    assert "kyc." not in shown.replace("kyc-", "").replace("/kyc", "")


def test_a_decision_needs_a_reason_beside_its_field(app: Any, make: Any, brand: Any) -> None:
    ident = case_of(app, brand)
    staff = logged_in(app, make, brand, ("agent",), locale="de")
    refused = post(
        staff, f"/admin/kyc/cases/{ident}/decision", {"decision": "approved", "reason": " "}
    )
    assert refused.status_code == 400
    assert field_errors(refused)["reason"] == ["Bitte füllen Sie dieses Feld aus."]
    with in_brand(app, brand.id) as session:
        assert kyc.get(session, ident).status == "manual_review"


def test_a_reviewer_approves_a_case_recording_who_when_and_why(
    app: Any, make: Any, brand: Any
) -> None:
    ident = case_of(app, brand)
    staff = logged_in(app, make, brand, ("agent",), full_name="Jonas Service")
    done = post(
        staff,
        f"/admin/kyc/cases/{ident}/decision",
        {"decision": "approved", "reason": "Other person: passport seen"},
    )
    assert done.status_code == 302
    with in_brand(app, brand.id) as session:
        case = kyc.get(session, ident)
        assert (case.status, case.decided_by, case.decided_by_user_id) == (
            "approved",
            "staff",
            staff.user.id,
        )
        assert (
            case.decision_note == "Other person: passport seen"
            and case.system_decision == "manual_review"
        )
    page = text(get(staff, f"/admin/kyc/cases/{ident}"))
    assert "Jonas Service" in page and "Other person: passport seen" in page
    again = post(
        staff,
        f"/admin/kyc/cases/{ident}/decision",
        {"decision": "rejected", "reason": "changed my mind"},
    )
    assert again.status_code == 400


def test_only_reviewers_decide(app: Any, make: Any, brand: Any) -> None:
    ident = case_of(app, brand)
    finance = logged_in(app, make, brand, ("finance",))
    assert get(finance, f"/admin/kyc/cases/{ident}").status_code == 200
    assert (
        post(
            finance, f"/admin/kyc/cases/{ident}/decision", {"decision": "approved", "reason": "x"}
        ).status_code
        == 403
    )


def test_personal_data_is_opened_by_compliance_not_agents_and_each_view_is_audited(
    app: Any, make: Any, brand: Any
) -> None:
    ident = case_of(app, brand)
    agent = logged_in(app, make, brand, ("agent",))
    assert "kyc-show-personal-data" not in text(get(agent, f"/admin/kyc/cases/{ident}"))
    assert post(agent, f"/admin/kyc/cases/{ident}/personal-data").status_code == 403
    officer = logged_in(
        app, make, brand, ("compliance",), full_name="Clara Compliance", locale="de"
    )
    shown = text(post(officer, f"/admin/kyc/cases/{ident}/personal-data"))
    assert "C01X00T47" in shown and "04.03.1961" in shown
    viewed = [e for e in events(app, brand, kyc.PERSONAL_VIEW) if e[0] == str(ident)]
    assert [(user, changes["fields"]) for _, user, changes in viewed] == [
        (officer.user.id, ["birth_date", "document_number", "mrz"])
    ]
    log = text(get(logged_in(app, make, brand, ("owner",), locale="de"), "/admin/audit"))
    assert f"Clara Compliance hat die persönlichen Daten der KYC-Prüfung {ident} angesehen" in log


def test_another_brands_case_is_not_found_in_the_console(
    app: Any, make: Any, brand: Any, lists: None
) -> None:
    ident = case_of(app, brand)
    other = logged_in(app, make, make.brand(), ("owner",))
    assert get(other, f"/admin/kyc/cases/{ident}").status_code == 404
    assert (
        post(
            other, f"/admin/kyc/cases/{ident}/decision", {"decision": "approved", "reason": "x"}
        ).status_code
        == 404
    )
    assert post(other, f"/admin/kyc/cases/{ident}/personal-data").status_code == 404
    assert f'data-id="{ident}"' not in text(get(other, "/admin/kyc"))


def test_the_mrz_form_shows_each_check_digits_verdict(app: Any, make: Any, brand: Any) -> None:
    staff = logged_in(app, make, brand, ("agent",), locale="de")
    fine = text(post(staff, "/admin/kyc/mrz", {"lines": "\n".join(SPECIMENS["TD1"])}))
    assert 'data-testid="kyc-mrz-valid"' in fine and fine.count('data-valid="yes"') == 4
    bad = text(post(staff, "/admin/kyc/mrz", {"lines": TD3[0] + "\n" + TD3[1][:-1] + "1"}))
    assert 'data-name="composite" data-valid="no"' in bad and "stimmt nicht" in bad
    refused = post(staff, "/admin/kyc/mrz", {"lines": TD3[0]})
    assert refused.status_code == 400 and field_errors(refused)["lines"]


def test_the_brands_kyc_settings_are_changed_by_its_admins(app: Any, make: Any, brand: Any) -> None:
    admin = logged_in(app, make, brand, ("admin",))
    bad = post(admin, "/admin/kyc/settings", {"min_age": "12", "creditor_id": "DE00"})
    assert bad.status_code == 400 and set(field_errors(bad)) >= {"min_age"}
    done = post(
        admin, "/admin/kyc/settings", {"min_age": "21", "creditor_id": "de98 zzz0 9999 9999 99"}
    )
    assert done.status_code == 302
    with in_brand(app, brand.id) as session:
        rules = kyc.rules(session)
        assert (rules.min_age, rules.creditor_id, rules.vendor_enabled) == (
            21,
            "DE98ZZZ09999999999",
            False,
        )
    agent = logged_in(app, make, brand, ("agent",))
    assert post(agent, "/admin/kyc/settings", {"min_age": "18"}).status_code == 403


# The API


def test_the_api_checks_a_zone_and_names_the_failing_check_digit(
    app: Any, client: Any, brand: Any
) -> None:
    token, _, _ = issue_key(app, brand, ("kyc.read",))
    for form, lines in SPECIMENS.items():
        answer = api_post(client, brand, "/kyc/mrz-check", token, {"lines": list(lines)})
        assert answer.status_code == 200 and answer.get_json()["document_type"] == form
        assert answer.get_json()["valid"] is True
    bad = api_post(client, brand, "/kyc/mrz-check", token, {"lines": [TD3[0], TD3[1][:-1] + "1"]})
    assert bad.get_json()["failing"] == ["composite"]
    refused = assert_problem(
        api_post(client, brand, "/kyc/mrz-check", token, {"lines": [TD3[0]]}), 422
    )
    assert refused["errors"][0]["code"] == "kyc.mrz.lines"


def test_the_api_lists_reads_and_decides_cases(app: Any, client: Any, brand: Any) -> None:
    ident = case_of(app, brand)
    reader, _, _ = issue_key(app, brand, ("kyc.read",))
    writer, _, _ = issue_key(app, brand, ("kyc.read", "kyc.write"))
    listed = call(client, brand, "/kyc/cases?status=manual_review", reader).get_json()
    assert ident in [c["id"] for c in listed["data"]]
    case = call(client, brand, f"/kyc/cases/{ident}", reader).get_json()
    assert case["document_number_masked"].endswith("T47") and "C01X00T47" not in str(case)
    assert case["checks"][3]["check"] == "sanctions" and case["checks"][3]["verdict"] == "review"
    body = {"decision": "rejected", "reason": "Listed person"}
    assert api_post(client, brand, f"/kyc/cases/{ident}/decision", reader, body).status_code == 403
    decided = api_post(client, brand, f"/kyc/cases/{ident}/decision", writer, body)
    assert decided.status_code == 200 and decided.get_json()["status"] == "rejected"
    assert decided.get_json()["decided_by"] == "api"
    again = assert_problem(
        api_post(client, brand, f"/kyc/cases/{ident}/decision", writer, body), 409
    )
    assert again["code"] == "kyc.case.decided"


def test_another_brands_case_is_not_found_in_the_api(
    app: Any, client: Any, make: Any, brand: Any
) -> None:
    ident = case_of(app, brand)
    other = make.brand()
    token, _, _ = issue_key(app, other, ("kyc.read", "kyc.write"))
    assert_problem(call(client, other, f"/kyc/cases/{ident}", token), 404)
    body = {"decision": "approved", "reason": "x"}
    assert_problem(api_post(client, other, f"/kyc/cases/{ident}/decision", token, body), 404)
    assert ident not in [
        c["id"] for c in call(client, other, "/kyc/cases", token).get_json()["data"]
    ]
