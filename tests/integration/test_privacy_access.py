"""A subscriber's own data: the portal's "My data" page in their language, and the download.

The page says in words what the brand holds, identity numbers masked; the file and the API's
answer are the same document, the person's own data unmasked; nobody gets another's; every
download and read is written to the audit log.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from saas.identity.audit import AuditEvent
from tests.conftest import (
    DEFAULT_PASSWORD,
    call,
    get,
    in_brand,
    issue_key,
    logged_in,
    login,
    post,
    text,
)
from tests.support import privacy as P


@pytest.fixture
def brand(app: Any, make: Any, credit_bureau: str, sanctions_lists: None) -> Any:
    return P.shop(app, make, default_locale="de", locales=["de"])


def _portal(app: Any, brand: Any, email: str) -> Any:
    """The person logged in to the portal, with a password set for them."""
    from flask_security.utils import hash_password

    from saas.identity.services import find_by_email

    with in_brand(app, brand.id) as session:
        find_by_email(session, email).password = hash_password(DEFAULT_PASSWORD)
    client = app.test_client()
    assert login(client, brand.host, email).status_code == 302
    client.brand = brand
    return client


def _events(app: Any, brand: Any, action: str) -> list[tuple[str, Any, dict[str, Any]]]:
    with in_brand(app, brand.id) as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.action == action))
        return [(e.object_id, e.actor_user_id, e.changes) for e in rows]


def _download(client: Any) -> Any:
    response = post(client, "/my-data/download")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    return json.loads(response.get_data(as_text=True))


def test_my_data_says_in_german_what_the_brand_holds_with_the_document_masked(
    app: Any, brand: Any
) -> None:
    erika = P.sign_up(app, brand, "erika@example.com", "Erika", "Mustermann")
    client = _portal(app, brand, "erika@example.com")
    shown = text(get(client, "/my-data"))
    assert "<h1>Meine Daten</h1>" in shown
    for words in (
        "Mustermann",
        "Heidestr. 17",
        f"Anmeldung {erika.id}: Angenommen",
        "Bestätigt",
        "Bonitätsklasse",
        "Angebote per E-Mail: ja",
        "+49 1520",
    ):
        assert words in shown, words
    number = _download(client)["kyc_cases"][0]["document_number"]
    assert number not in shown and f"••••••{number[-3:]}" in shown


def test_the_download_holds_the_persons_own_data_unmasked_and_is_audited(
    app: Any, brand: Any
) -> None:
    erika = P.sign_up(app, brand, "erika@example.com", "Erika", "Mustermann")
    client = _portal(app, brand, "erika@example.com")
    data = _download(client)
    assert data["profile"]["email"] == "erika@example.com"
    (signed,) = data["sign_ups"]
    assert signed["answers"]["person"]["birth_date"] == "1984-08-12"
    assert signed["answers"]["address"]["street"] == "Heidestr. 17"
    (case,) = data["kyc_cases"]
    assert case["birth_date"] == "1984-08-12" and len(case["mrz"]) == 2
    assert case["document_number"].startswith("C") and len(case["document_number"]) == 9
    (decision,) = data["credit_decisions"]
    assert decision["applicant"]["surname"] == "Mustermann"
    assert decision["bureau_answer"]["found"] is True
    (line,) = data["lines"]
    assert line["numbers"][0]["msisdn"].startswith("+491520")
    assert data["consents"][0]["marketing"] is True
    assert _events(app, brand, "personal_data.export") == [
        (str(erika.user_id), erika.user_id, {"via": "portal"})
    ]


def test_the_download_never_holds_another_persons_data(app: Any, brand: Any) -> None:
    P.sign_up(app, brand, "erika@example.com", "Erika", "Mustermann")
    P.sign_up(app, brand, "max@example.com", "Max", "Mueller")
    written = json.dumps(_download(_portal(app, brand, "erika@example.com")))
    assert "Mustermann" in written
    assert "Mueller" not in written and "max@example.com" not in written
    shown = text(get(_portal(app, brand, "max@example.com"), "/my-data"))
    assert "Mueller" in shown and "Mustermann" not in shown


def test_visitors_are_sent_to_log_in_and_staff_to_the_console(
    app: Any, brand: Any, make: Any
) -> None:
    anonymous = app.test_client()
    anonymous.brand = brand
    for answer in (get(anonymous, "/my-data"), post(anonymous, "/my-data/download")):
        assert answer.status_code == 302 and "/account/login" in answer.headers["Location"]
    staff = logged_in(app, make, brand, ("owner",))
    answer = post(staff, "/my-data/download")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/admin/")
    assert _events(app, brand, "personal_data.export") == []


def test_the_api_answers_the_same_document_as_the_download_and_is_audited(
    app: Any, client: Any, brand: Any
) -> None:
    erika = P.sign_up(app, brand, "erika@example.com", "Erika", "Mustermann")
    downloaded = _download(_portal(app, brand, "erika@example.com"))
    token, _, _ = issue_key(app, brand, ("personal_data.read",))
    response = call(client, brand, f"/subscribers/{erika.user_id}/personal-data", token)
    assert response.status_code == 200, response.json
    answered = response.json
    assert answered.pop("exported_at") and downloaded.pop("exported_at")
    assert answered == downloaded
    reads = [e for e in _events(app, brand, "personal_data.export") if e[2]["via"] == "api"]
    assert reads == [(str(erika.user_id), None, {"via": "api"})]


def test_the_api_needs_its_scope_and_finds_no_other_brands_subscriber(
    app: Any, client: Any, brand: Any, make: Any
) -> None:
    erika = P.sign_up(app, brand, "erika@example.com", "Erika", "Mustermann")
    path = f"/subscribers/{erika.user_id}/personal-data"
    lacking, _, _ = issue_key(app, brand, ("subscribers.read",))
    assert call(client, brand, path, lacking).status_code == 403
    other = make.brand()
    foreign, _, _ = issue_key(app, other, ("personal_data.read",))
    assert call(client, other, path, foreign).status_code == 404
    assert _events(app, brand, "personal_data.export") == []
