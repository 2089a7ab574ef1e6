"""The subscriber's plan page shows the line's number and, for an eSIM, its QR code and code."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from saas.network import lines, numbers, sims
from saas.network import settings as network_settings
from saas.subscriptions.models import Subscription
from tests.conftest import get, in_brand, login, page
from tests.support import network as files


def _subscriber_with_line(app: Any, make: Any, kind: str) -> tuple[Any, list[dict[str, Any]]]:
    brand = make.brand()
    plan = make.plan(brand)
    person = make.user(brand, "subscriber")
    sub = make.subscription(brand, person, plan.version_id)
    rows = files.sims(1200, 1, kind)
    with in_brand(app, brand.id) as session:
        network_settings.save(session, smdp_address="smdp.example.com")
        numbers.add_range(session, "+49 1520 0000100", "+49 1520 0000109")
        sims.import_rows(session, rows)
        held = numbers.reserve(session, "+49 1520 0000102")
        lines.create(session, session.get(Subscription, sub.id), held.token, kind=kind)
    client = app.test_client()
    assert login(client, brand.host, person.email).status_code == 302
    client.brand = brand
    return client, rows


def test_an_esim_subscriber_sees_the_number_the_qr_code_and_the_activation_code(
    app: Any, make: Any
) -> None:
    client, rows = _subscriber_with_line(app, make, "esim")
    shown = page(get(client, "/plan"))
    assert "+49 1520 0000102" in shown
    assert f"LPA:1$smdp.example.com${rows[0]['matching_id']}" in shown
    assert 'data-testid="esim-qr"' in shown and "<svg" in shown
    assert rows[0]["ki"] not in shown and rows[0]["opc"] not in shown


def test_a_sim_card_subscriber_sees_the_number_and_no_code(app: Any, make: Any) -> None:
    client, _rows = _subscriber_with_line(app, make, "physical")
    shown = page(get(client, "/plan"))
    assert "+49 1520 0000102" in shown and "LPA:1$" not in shown


def test_the_plan_page_reads_port_ins_only_for_a_subscription_that_has_one(
    app: Any, make: Any
) -> None:
    from saas.network.provisioning import porting
    from tests.conftest import counted
    from tests.support import mno

    client, _rows = _subscriber_with_line(app, make, "esim")
    get(client, "/plan")  # the session's first page writes its brand into it
    with counted() as statements:
        assert 'data-testid="my-porting"' not in page(get(client, "/plan"))
    assert not any(s.lstrip().startswith("SELECT port_ins.") for s in statements)
    with in_brand(app, client.brand.id) as session:
        sub = session.query(Subscription).one()
        wished = porting.today(session) + timedelta(days=7)
        asked = porting.PortInRequest(mno.msisdn(), "telekom", "Erika Mustermann", wished)
        porting.file_port_in(session, sub.id, asked, "DE")
    shown = page(get(client, "/plan"))
    assert 'data-testid="my-porting"' in shown and 'data-state="requested"' in shown
