"""API: usage files sent as base64, read back, their quarantine; other brands' files are 404."""

from __future__ import annotations

import base64
from typing import Any

from tests.conftest import api_post, call, issue_key
from tests.support import usage as U
from tests.support.usage_stages import fake_stages

SCOPES = ("usage.read", "usage.write")


def _body(content: bytes, source: str = "csv") -> dict[str, Any]:
    return {"source": source, "filename": "day.csv", "content": base64.b64encode(content).decode()}


def test_a_file_sent_by_the_api_is_worked_and_read_back_with_its_quarantine(app, client, make):  # type: ignore[no-untyped-def]
    brand = make.brand()
    U.stock(app, brand)
    U.line(app, make, brand)
    U.source(app, brand, "csv")
    token, _, _ = issue_key(app, brand, SCOPES)
    content = U.csv_file(U.call("a"), U.call("b", msisdn="4915200000109"))
    sent = api_post(client, brand, "/usage/files", token, _body(content))
    assert sent.status_code == 201, sent.get_json()
    made = sent.get_json()
    assert made["state"] == "received" and made["chunks"] == 1
    assert sent.headers["Location"].endswith(f"/api/v1/usage/files/{made['id']}")
    with fake_stages():
        U.work(app, brand, made["id"])
    read = call(client, brand, f"/usage/files/{made['id']}", token).get_json()
    assert (read["state"], read["rated"], read["quarantined"]) == ("done", 1, 1)
    [waiting] = call(client, brand, f"/usage/files/{made['id']}/quarantine", token).get_json()[
        "data"
    ]
    assert (waiting["row"], waiting["reason"]) == (2, "usage.no_line")
    again = api_post(client, brand, "/usage/files", token, _body(content)).get_json()
    assert (again["state"], again["duplicate_of_id"]) == ("duplicate", made["id"])


def test_another_brands_usage_file_is_not_found(app, client, make):  # type: ignore[no-untyped-def]
    mine, theirs = make.brand(), make.brand()
    U.source(app, theirs, "csv")
    their_token, _, _ = issue_key(app, theirs, SCOPES)
    sent = api_post(client, theirs, "/usage/files", their_token, _body(U.csv_file(U.call("x"))))
    their_id = sent.get_json()["id"]
    token, _, _ = issue_key(app, mine, SCOPES)
    assert call(client, mine, f"/usage/files/{their_id}", token).status_code == 404
    assert call(client, mine, f"/usage/files/{their_id}/quarantine", token).status_code == 404
    assert call(client, mine, "/usage/files", token).get_json()["data"] == []


def test_a_file_needs_the_write_scope_a_known_source_and_base64(app, client, make):  # type: ignore[no-untyped-def]
    brand = make.brand()
    U.source(app, brand, "csv")
    reader, _, _ = issue_key(app, brand, ("usage.read",))
    assert api_post(client, brand, "/usage/files", reader, _body(b"x")).status_code == 403
    token, _, _ = issue_key(app, brand, SCOPES)
    unknown = api_post(client, brand, "/usage/files", token, _body(b"x", source="nowhere"))
    assert unknown.status_code == 409 and unknown.get_json()["code"] == "usage.no_source"
    broken = api_post(client, brand, "/usage/files", token, {"source": "csv", "content": "%%%"})
    assert broken.status_code == 422
