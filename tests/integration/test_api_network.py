"""The network API: ranges, numbers, SIM imports, lines and the line at an instant."""

from __future__ import annotations

from typing import Any

from saas.network import lines, numbers, sims
from saas.subscriptions.models import Subscription
from tests.conftest import api_post, call, in_brand, issue_key
from tests.support import network as files

SCOPES = ("network.read", "network.write")


def _key(app: Any, brand: Any, scopes: tuple[str, ...] = SCOPES) -> str:
    return str(issue_key(app, brand, scopes)[0])


def test_a_range_is_created_and_listed_with_its_counts(app: Any, make: Any, client: Any) -> None:
    brand = make.brand()
    token = _key(app, brand)
    body = {"first": "+49 1520 0000000", "last": "+49 1520 0000099"}
    made = api_post(client, brand, "/network/number-ranges", token, body)
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["first"] == "+4915200000000"
    listed = call(client, brand, "/network/number-ranges", token).get_json()["data"]
    assert listed[0]["counts"]["available"] == 100 and listed[0]["size"] == 100
    again = api_post(client, brand, "/network/number-ranges", token, body)
    assert (again.status_code, again.get_json()["code"]) == (409, "network.range_overlaps")
    page = call(client, brand, "/network/numbers?state=available&limit=5", token).get_json()
    assert len(page["data"]) == 5 and page["next_cursor"]


def test_sims_import_as_json_and_the_keys_are_never_answered(
    app: Any, make: Any, client: Any
) -> None:
    brand = make.brand()
    token = _key(app, brand)
    rows = files.sims(700, 2)
    made = api_post(client, brand, "/network/sims/import", token, {"sims": rows})
    assert made.status_code == 201, made.get_json()
    listed = call(client, brand, "/network/sims", token)
    body = listed.get_data(as_text=True)
    assert rows[0]["iccid"] in body
    assert all(r["ki"] not in body and r["opc"] not in body for r in rows)
    again = api_post(client, brand, "/network/sims/import", token, {"sims": rows})
    assert again.get_json()["code"] == "network.sim_file_again"


def test_a_wrong_sim_is_named_by_its_pointer_and_nothing_is_imported(
    app: Any, make: Any, client: Any
) -> None:
    brand = make.brand()
    token = _key(app, brand)
    rows = files.sims(800, 3)
    rows[1]["imsi"] = "123"
    refused = api_post(client, brand, "/network/sims/import", token, {"sims": rows})
    assert refused.status_code == 422
    assert [(e["pointer"], e["code"]) for e in refused.get_json()["errors"]] == [
        ("/sims/1/imsi", "network.imsi_format")
    ]
    assert call(client, brand, "/network/sims", token).get_json()["data"] == []


def _line(app: Any, make: Any, brand: Any) -> tuple[int, str]:
    plan = make.plan(brand)
    sub = make.subscription(brand, make.user(brand, "subscriber"), plan.version_id)
    with in_brand(app, brand.id) as session:
        numbers.add_range(session, "+49 1520 0000100", "+49 1520 0000109")
        sims.import_rows(session, files.sims(900, 2))
        held = numbers.reserve(session, "+49 1520 0000101")
        line = lines.create(session, session.get(Subscription, sub.id), held.token)
        return int(line.id), line.created_at.isoformat()


def test_a_line_and_the_line_at_an_instant_are_answered(app: Any, make: Any, client: Any) -> None:
    brand = make.brand()
    token = _key(app, brand, ("network.read",))
    line_id, created = _line(app, make, brand)
    line = call(client, brand, f"/network/lines/{line_id}", token).get_json()
    assert line["state"] == "pending" and line["numbers"][0]["msisdn"] == "+4915200000101"
    assert [e["kind"] for e in line["events"]] == ["created"]
    at = call(
        client,
        brand,
        "/network/lines/at",
        token,
        query_string={"msisdn": "+4915200000101", "at": created},
    )
    assert at.status_code == 200 and at.get_json()["line_id"] == line_id
    imsi = line["sims"][0]["imsi"]
    by_imsi = call(
        client, brand, "/network/lines/at", token, query_string={"imsi": imsi, "at": created}
    )
    assert by_imsi.get_json()["msisdn"] == "+4915200000101"
    before = call(
        client,
        brand,
        "/network/lines/at",
        token,
        query_string={"msisdn": "4915200000101", "at": "2020-01-01T00:00:00Z"},
    )
    assert before.status_code == 404
    both = call(client, brand, "/network/lines/at", token, query_string={"at": created})
    assert both.status_code == 422


def test_another_brands_line_is_not_found_and_scopes_are_checked(
    app: Any, make: Any, client: Any
) -> None:
    mine, other = make.brand(), make.brand()
    line_id, created = _line(app, make, other)
    token = _key(app, mine)
    assert call(client, mine, f"/network/lines/{line_id}", token).status_code == 404
    at = call(
        client,
        mine,
        "/network/lines/at",
        token,
        query_string={"msisdn": "+4915200000101", "at": created},
    )
    assert at.status_code == 404
    assert call(client, mine, "/network/number-ranges", token).get_json()["data"] == []
    reader = _key(app, mine, ("network.read",))
    body = {"first": "+49 1520 0000000", "last": "+49 1520 0000099"}
    assert api_post(client, mine, "/network/number-ranges", reader, body).status_code == 403
