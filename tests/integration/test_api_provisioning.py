"""The provisioning API: orders and port-ins of the key's brand only, typed and documented."""

from __future__ import annotations

from typing import Any

import pytest

from saas.network.provisioning import models as M
from tests.conftest import api_post, call, issue_key
from tests.integration.test_porting import a_weekday_ahead
from tests.support import mno as sim
from tests.support.provisioning import place, run_jobs, subscription

# Subscribing mails the subscriber: a real SMTP server takes the mail, so no delivery job
# is left retrying on the stub broker for the next test's worker.
pytestmark = pytest.mark.usefixtures("smtp")

SCOPES = ("provisioning.read", "provisioning.write")


def _brand(app: Any, make: Any) -> tuple[Any, Any, str]:
    brand, sub = subscription(make, country="DE", locales=["en", "de"])
    return brand, sub, issue_key(app, brand, SCOPES)[0]


def test_orders_are_listed_read_and_a_refused_one_retried(
    app: Any, make: Any, client: Any, mno: Any, worker: Any
) -> None:
    brand, sub, token = _brand(app, make)
    new = sim.line()
    mno.fault(iccid=new["iccid"], status=422, times=1)
    order_id = place(app, brand, sub.id, M.ACTIVATE, **new)
    run_jobs()
    listed = call(client, brand, "/provisioning-orders?state=failed", token).get_json()
    assert [o["id"] for o in listed["data"]] == [order_id]
    got = call(client, brand, f"/provisioning-orders/{order_id}", token).get_json()
    assert (got["state"], got["last_error"], got["attempts"]) == ("failed", "network.refused", 1)
    assert got["last_error_text"] == "The network refused the request as incomplete or invalid."
    assert [e["to_state"] for e in got["events"]] == ["pending", "failed"]
    retried = api_post(client, brand, f"/provisioning-orders/{order_id}/retry", token)
    assert retried.status_code == 200 and retried.get_json()["state"] == "pending"
    run_jobs()
    again = api_post(client, brand, f"/provisioning-orders/{order_id}/retry", token)
    assert again.status_code == 409
    assert again.get_json()["code"] == "provisioning.not_retryable"


def test_a_port_in_is_filed_and_read_with_the_donors_decision(
    app: Any, make: Any, client: Any, mno: Any, worker: Any
) -> None:
    brand, sub, token = _brand(app, make)
    body = {
        "subscription_id": sub.id,
        "number": "0" + sim.msisdn("2").removeprefix("+49"),
        "donor": "vodafone",
        "holder_name": "Anna Schmidt",
        "wished_date": a_weekday_ahead().isoformat(),
    }
    made = api_post(client, brand, "/port-ins", token, body)
    assert made.status_code == 201, made.get_json()
    assert "holder_name" not in made.get_json()
    run_jobs()
    got = call(client, brand, f"/port-ins/{made.get_json()['id']}", token).get_json()
    assert (got["state"], got["rejection"]) == ("rejected", "number_not_active")
    german = call(
        client, brand, f"/port-ins/{got['id']}", token, headers={"Accept-Language": "de"}
    ).get_json()
    assert german["rejection_text"] == (
        "Für die Nummer besteht beim abgebenden Anbieter kein aktiver Vertrag."
    )
    assert [p["id"] for p in call(client, brand, "/port-ins", token).get_json()["data"]] == [
        got["id"]
    ]


def test_a_bad_number_and_date_are_refused_beside_their_members(
    app: Any, make: Any, client: Any
) -> None:
    brand, sub, token = _brand(app, make)
    body = {
        "subscription_id": sub.id,
        "number": "12345",
        "donor": "vodafone",
        "holder_name": "Anna Schmidt",
        "wished_date": "2020-01-01",
    }
    refused = api_post(client, brand, "/port-ins", token, body)
    assert refused.status_code == 422
    errors = {e["pointer"]: e["code"] for e in refused.get_json()["errors"]}
    assert errors == {"/number": "porting.bad_number", "/wished_date": "porting.date_past"}
    garbled = api_post(client, brand, "/port-ins", token, body | {"wished_date": "morgen"})
    assert {e["pointer"] for e in garbled.get_json()["errors"]} == {"/wished_date"}


def test_another_brands_orders_and_port_ins_are_not_found(
    app: Any, make: Any, client: Any, mno: Any
) -> None:
    brand, sub, _ = _brand(app, make)
    order_id = place(app, brand, sub.id, M.SUSPEND, msisdn=sim.msisdn())
    other, _, token = _brand(app, make)
    assert call(client, other, f"/provisioning-orders/{order_id}", token).status_code == 404
    retry = api_post(client, other, f"/provisioning-orders/{order_id}/retry", token)
    assert retry.status_code == 404
    assert call(client, other, "/provisioning-orders", token).get_json()["data"] == []
    body = {
        "subscription_id": sub.id,
        "number": sim.msisdn(),
        "donor": "vodafone",
        "holder_name": "Anna",
        "wished_date": a_weekday_ahead().isoformat(),
    }
    foreign = api_post(client, other, "/port-ins", token, body)
    assert foreign.status_code == 422
    assert foreign.get_json()["errors"][0]["pointer"] == "/subscription_id"


def test_a_key_without_the_scope_is_refused(app: Any, make: Any, client: Any) -> None:
    brand, _, _ = _brand(app, make)
    reader = issue_key(app, brand, ("provisioning.read",))[0]
    assert call(client, brand, "/provisioning-orders", reader).status_code == 200
    body = {
        "subscription_id": 1,
        "number": "x",
        "donor": "x",
        "holder_name": "x",
        "wished_date": "x",
    }
    assert api_post(client, brand, "/port-ins", reader, body).status_code == 403
