"""The console's provisioning screens: orders needing a person first, retry, number porting."""

from __future__ import annotations

import re
from typing import Any

import pytest

from saas.network.provisioning import models as M
from tests.conftest import get, logged_in, page, post, text
from tests.integration.test_porting import a_weekday_ahead
from tests.support import mno as sim
from tests.support.forms import field_errors
from tests.support.provisioning import order, place, run_jobs, subscription

# Subscribing mails the subscriber: a real SMTP server takes the mail, so no delivery job
# is left retrying on the stub broker for the next test's worker.
pytestmark = pytest.mark.usefixtures("smtp")

ROW = re.compile(r'data-testid="(?:order|port-in)-row" data-id="(\d+)"')


def _rows(response: Any) -> list[int]:
    return [int(i) for i in ROW.findall(page(response))]


@pytest.fixture
def german(app: Any, make: Any) -> tuple[Any, Any, Any]:
    brand, sub = subscription(
        make, country="DE", default_locale="de", locales=["de"], timezone="Europe/Berlin"
    )
    return brand, sub, logged_in(app, make, brand, ("agent",), locale="de")


def test_a_refused_order_is_listed_first_in_words_and_a_retry_sends_it_again(
    app: Any, german: Any, mno: Any, worker: Any
) -> None:
    brand, sub, staff = german
    live = sim.line()
    done_id = place(app, brand, sub.id, M.ACTIVATE, **live)
    refused = sim.line()
    mno.fault(iccid=refused["iccid"], status=422, times=1)
    failed_id = place(app, brand, sub.id, M.ACTIVATE, **refused)
    later_id = place(app, brand, sub.id, M.SUSPEND, msisdn=live["msisdn"])
    run_jobs()
    listing = get(staff, "/admin/provisioning")
    assert _rows(listing) == [failed_id, later_id, done_id]
    assert "1 Auftrag braucht Aufmerksamkeit." in text(listing)
    assert _rows(get(staff, "/admin/provisioning", state="failed")) == [failed_id]
    shown = text(get(staff, f"/admin/provisioning/{failed_id}"))
    assert "Vom Netz abgelehnt" in shown
    assert "Das Netz hat den Auftrag als unvollständig oder ungültig abgelehnt." in shown
    assert post(staff, f"/admin/provisioning/{failed_id}/retry").status_code == 302
    run_jobs()
    assert order(app, brand, failed_id).state == M.COMPLETED
    post(staff, f"/admin/provisioning/{failed_id}/retry")
    after = text(get(staff, f"/admin/provisioning/{failed_id}"))
    assert "kann nur nach einem Fehler" in after


def test_a_filter_value_not_offered_falls_back_to_every_order(
    app: Any, german: Any, mno: Any
) -> None:
    brand, sub, staff = german
    order_id = place(app, brand, sub.id, M.SUSPEND, msisdn=sim.msisdn())
    listing = get(staff, "/admin/provisioning", state="broken")
    assert listing.status_code == 400 and _rows(listing) == [order_id]


def test_staff_file_a_port_in_and_read_the_decision_in_words(
    app: Any, german: Any, mno: Any, worker: Any
) -> None:
    _, sub, staff = german
    wished = a_weekday_ahead()
    form = {
        "subscription": str(sub.id),
        "number": "0" + sim.msisdn("1").removeprefix("+49"),  # the donor knows another holder
        "donor": "telekom",
        "holder_name": "Anna Schmidt",
        "donor_account": "",
        "wished_date": wished.isoformat(),
    }
    filed = post(staff, "/admin/port-ins/new", form)
    assert filed.status_code == 302, field_errors(filed)
    run_jobs()
    detail = text(get(staff, filed.headers["Location"]))
    assert "Abgelehnt" in detail
    assert (
        "Der Name stimmt nicht mit dem Vertragsinhaber beim abgebenden Anbieter überein." in detail
    )
    listing = get(staff, "/admin/port-ins")
    assert len(_rows(listing)) == 1


def test_a_wrong_port_in_is_refused_beside_each_field_in_german(app: Any, german: Any) -> None:
    _, sub, staff = german
    form = {
        "subscription": str(sub.id),
        "number": "+48 512 345 675",
        "donor": "telekom",
        "holder_name": "Anna",
        "wished_date": "2020-01-01",
    }
    refused = post(staff, "/admin/port-ins/new", form)
    assert refused.status_code == 400
    assert field_errors(refused) == {
        "number": ["ist eine Nummer eines anderen Landes"],
        "wished_date": ["muss heute oder später sein"],
    }
    empty = post(staff, "/admin/port-ins/new", {"subscription": "x", "wished_date": "gestern"})
    errors = field_errors(empty)
    assert set(errors) == {"subscription", "number", "donor", "holder_name", "wished_date"}


def test_another_brands_orders_and_port_ins_are_not_found(
    app: Any, make: Any, german: Any, mno: Any
) -> None:
    brand, sub, _ = german
    order_id = place(app, brand, sub.id, M.SUSPEND, msisdn=sim.msisdn())
    other, _ = subscription(make)
    stranger = logged_in(app, make, other, ("owner",))
    assert get(stranger, f"/admin/provisioning/{order_id}").status_code == 404
    assert post(stranger, f"/admin/provisioning/{order_id}/retry").status_code == 404
    assert _rows(get(stranger, "/admin/provisioning")) == []
    refused = post(
        stranger,
        "/admin/port-ins/new",
        {
            "subscription": str(sub.id),
            "number": sim.msisdn(),
            "donor": "telekom",
            "holder_name": "Anna",
            "wished_date": a_weekday_ahead().isoformat(),
        },
    )
    assert refused.status_code == 400 and "subscription" in field_errors(refused)
