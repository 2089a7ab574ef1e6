"""Erasure at a person's request: staff see what would go and what stays, and confirm with a reason.

A line still in use (or a subscription not ended) refuses it, in the reader's language; once the
line ended it goes through. The request and its outcome are written to the audit log, refused
or not; the API does the same under personal_data.write; another brand's person is not found.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from saas.customers.kyc.models import KycCase
from saas.customers.privacy.models import Erasure
from saas.identity.audit import AuditEvent
from tests.conftest import api_post, get, in_brand, issue_key, logged_in, post, text
from tests.support import privacy as P
from tests.support.forms import field_errors


@pytest.fixture
def brand(app: Any, make: Any, credit_bureau: str, sanctions_lists: None) -> Any:
    return P.shop(app, make, default_locale="de", locales=["de", "pl"])


def _events(app: Any, brand: Any, action: str) -> list[tuple[str, dict[str, Any]]]:
    with in_brand(app, brand.id) as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.action == action))
        return [(e.object_id, e.changes) for e in rows]


def _case(app: Any, brand: Any, case_id: int) -> tuple[str, Any, Any]:
    with in_brand(app, brand.id) as session:
        case = session.get(KycCase, case_id)
        return case.status, case.birth_date, case.mrz


def _erasures(app: Any, brand: Any) -> list[tuple[Any, str, str]]:
    with in_brand(app, brand.id) as session:
        rows = session.scalars(select(Erasure).order_by(Erasure.id))
        return [(e.subscriber_id, e.rule, e.reason) for e in rows]


def test_the_page_says_what_would_be_erased_and_what_must_be_kept(
    app: Any, make: Any, brand: Any
) -> None:
    erika = P.sign_up(app, brand, "erika@example.com", "Erika", "Mustermann")
    officer = logged_in(app, make, brand, ("compliance",), locale="de")
    shown = text(get(officer, f"/admin/subscribers/{erika.user_id}/personal-data"))
    assert "Was gelöscht würde" in shown and "Was aufbewahrt werden muss" in shown
    assert f"KYC-Prüfung {erika.case}: Geburtsdatum, Dokumentnummer" in shown
    assert "Buchhaltungsunterlagen" in shown
    assert "noch in Gebrauch: beenden Sie zuerst den Anschluss" in shown
    assert 'data-testid="privacy-erase-form"' in shown


def test_a_person_with_an_active_line_is_refused_in_german_and_the_refusal_is_audited(
    app: Any, make: Any, brand: Any
) -> None:
    erika = P.sign_up(app, brand, "erika@example.com", "Erika", "Mustermann")
    officer = logged_in(app, make, brand, ("compliance",), locale="de")
    asked = {"reason": "E-Mail der Kundin vom 3. Mai"}
    response = post(officer, f"/admin/subscribers/{erika.user_id}/erasure", asked)
    assert response.status_code == 400
    assert "beenden Sie zuerst den Anschluss" in text(response)
    assert _case(app, brand, erika.case)[2] is not None and _erasures(app, brand) == []
    ((subject, changes),) = _events(app, brand, "personal_data.erasure_refused")
    assert subject == str(erika.user_id) and changes["code"] == "privacy.line_active"
    assert changes["reason"] == "E-Mail der Kundin vom 3. Mai"


def test_an_erasure_without_a_reason_is_refused_beside_the_field_and_not_logged(
    app: Any, make: Any, brand: Any
) -> None:
    erika = P.sign_up(app, brand, "erika@example.com", "Erika", "Mustermann")
    P.end_line(app, brand, erika)
    officer = logged_in(app, make, brand, ("compliance",), locale="pl")
    response = post(officer, f"/admin/subscribers/{erika.user_id}/erasure", {"reason": "  "})
    assert response.status_code == 400
    assert field_errors(response) == {"reason": ["Wypełnij to pole."]}
    assert (
        _erasures(app, brand) == [] and _events(app, brand, "personal_data.erasure_refused") == []
    )


def test_once_the_line_ended_the_erasure_goes_through_and_keeps_the_records(
    app: Any, make: Any, brand: Any
) -> None:
    erika = P.sign_up(app, brand, "erika@example.com", "Erika", "Mustermann")
    P.end_line(app, brand, erika)
    officer = logged_in(app, make, brand, ("compliance",), locale="de")
    path = f"/admin/subscribers/{erika.user_id}"
    done = post(officer, f"{path}/erasure", {"reason": "Brief vom 3. Mai"})
    assert done.status_code == 302
    assert _case(app, brand, erika.case) == ("approved", "", None)
    assert _erasures(app, brand) == [(erika.user_id, "request", "Brief vom 3. Mai")]
    ((subject, changes),) = _events(app, brand, "personal_data.erase")
    assert subject == str(erika.user_id) and changes["rule"] == "request"
    after = text(get(officer, f"{path}/personal-data"))
    assert "Es ist nichts mehr zu löschen." in after
    history = text(get(logged_in(app, make, brand, ("owner",), locale="de"), path))
    assert "hat die persönlichen Daten von Erika Mustermann gelöscht" in history
    again = post(officer, f"{path}/erasure", {"reason": "noch einmal"})
    assert "keine persönlichen Daten mehr" in text(again)


def test_agents_may_look_but_not_erase(app: Any, make: Any, brand: Any) -> None:
    erika = P.sign_up(app, brand, "erika@example.com", "Erika", "Mustermann")
    P.end_line(app, brand, erika)
    agent = logged_in(app, make, brand, ("agent",), locale="de")
    page = text(get(agent, f"/admin/subscribers/{erika.user_id}/personal-data"))
    assert "privacy-erase-form" not in page
    response = post(agent, f"/admin/subscribers/{erika.user_id}/erasure", {"reason": "x"})
    assert response.status_code == 403
    assert _case(app, brand, erika.case)[2] is not None


def test_another_brands_subscriber_is_not_found(app: Any, make: Any, brand: Any) -> None:
    erika = P.sign_up(app, brand, "erika@example.com", "Erika", "Mustermann")
    P.end_line(app, brand, erika)
    other = logged_in(app, make, make.brand(), ("owner",))
    assert get(other, f"/admin/subscribers/{erika.user_id}/personal-data").status_code == 404
    response = post(other, f"/admin/subscribers/{erika.user_id}/erasure", {"reason": "x"})
    assert response.status_code == 404
    assert _case(app, brand, erika.case)[2] is not None


def test_the_api_refuses_with_an_active_line_then_erases_once_it_ended(
    app: Any, client: Any, brand: Any
) -> None:
    erika = P.sign_up(app, brand, "erika@example.com", "Erika", "Mustermann")
    token, _, _ = issue_key(app, brand, ("personal_data.write",))
    path = f"/subscribers/{erika.user_id}/erasure"
    refused = api_post(client, brand, path, token, {"reason": "Anruf vom 3. Mai"})
    assert refused.status_code == 409, refused.json
    assert refused.json["code"] == "privacy.line_active"
    assert "beenden Sie zuerst den Anschluss" in refused.json["detail"]
    ((_, changes),) = _events(app, brand, "personal_data.erasure_refused")
    assert changes["reason"] == "Anruf vom 3. Mai"
    P.end_line(app, brand, erika)
    done = api_post(client, brand, path, token, {"reason": "Anruf vom 3. Mai"})
    assert done.status_code == 201, done.json
    assert done.json["rule"] == "request" and done.json["subscriber_id"] == erika.user_id
    records = {(r["record"], r["id"]) for r in done.json["erased"]}
    assert ("kyc_cases", erika.case) in records
    assert _case(app, brand, erika.case)[2] is None
    again = api_post(client, brand, path, token, {"reason": "nochmal"})
    assert (again.status_code, again.json["code"]) == (409, "privacy.nothing_left")


def test_the_api_needs_a_reason_its_scope_and_this_brands_subscriber(
    app: Any, client: Any, brand: Any, make: Any
) -> None:
    erika = P.sign_up(app, brand, "erika@example.com", "Erika", "Mustermann")
    P.end_line(app, brand, erika)
    path = f"/subscribers/{erika.user_id}/erasure"
    token, _, _ = issue_key(app, brand, ("personal_data.write",))
    assert api_post(client, brand, path, token, {"reason": ""}).status_code == 422
    assert api_post(client, brand, path, token, {}).status_code == 422
    reader, _, _ = issue_key(app, brand, ("personal_data.read",))
    assert api_post(client, brand, path, reader, {"reason": "x"}).status_code == 403
    other = make.brand()
    foreign, _, _ = issue_key(app, other, ("personal_data.write",))
    assert api_post(client, other, path, foreign, {"reason": "x"}).status_code == 404
    assert _erasures(app, brand) == []


def test_the_records_an_erasure_kept_still_open_in_the_console_and_the_api(
    app: Any, make: Any, client: Any, brand: Any
) -> None:
    erika = P.sign_up(app, brand, "erika@example.com", "Erika", "Mustermann")
    P.end_line(app, brand, erika)
    owner = logged_in(app, make, brand, ("owner",), locale="de")
    assert (
        post(owner, f"/admin/subscribers/{erika.user_id}/erasure", {"reason": "Brief"}).status_code
        == 302
    )
    case = text(get(owner, f"/admin/kyc/cases/{erika.case}"))
    assert "Mustermann" in case and "Bestätigt" in case and 'data-testid="kyc-erased"' in case
    assert "kyc-show-personal-data" not in case
    opened = post(owner, f"/admin/kyc/cases/{erika.case}/personal-data")
    assert opened.status_code == 200 and 'data-testid="kyc-mrz"' not in text(opened)
    assert get(owner, f"/admin/signups/{erika.id}").status_code == 200
    bureau = get(owner, f"/admin/subscribers/{erika.user_id}/credit/{erika.decision}/bureau")
    assert bureau.status_code == 200 and 'data-testid="credit-erased"' in text(bureau)
    assert "nicht erreichbar" not in text(bureau)
    token, _, _ = issue_key(app, brand, ("kyc.read", "credit.read", "personal_data.read"))
    from tests.conftest import call

    kyc_case = call(client, brand, f"/kyc/cases/{erika.case}", token)
    assert kyc_case.status_code == 200 and kyc_case.json["birth_date_masked"] == ""
    assert call(client, brand, f"/credit-decisions/{erika.decision}", token).status_code == 200
    data = call(client, brand, f"/subscribers/{erika.user_id}/personal-data", token).json
    assert data["kyc_cases"][0]["document_number"] is None
    assert data["credit_decisions"][0]["applicant"] is None
    assert [e["rule"] for e in data["erasures"]] == ["request"]
