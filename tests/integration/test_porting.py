"""Porting a number in: decided by the MNO simulator, live on its porting date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from saas.catalog.periods import start_of_local_day
from saas.network.provisioning import models as M
from saas.network.provisioning import porting
from saas.network.provisioning.errors import ProvisioningError
from tests.conftest import in_brand
from tests.support import mno as sim
from tests.support.provisioning import heard, run_jobs, subscription

# Subscribing mails the subscriber: a real SMTP server takes the mail, so no delivery job
# is left retrying on the stub broker for the next test's worker.
pytestmark = pytest.mark.usefixtures("smtp")

ZONE = "Europe/Berlin"


def a_weekday_ahead(days: int = 10) -> date:
    """A Wednesday some days from now: the simulator confirms it as wished."""
    day = datetime.now(UTC).date() + timedelta(days=days)
    return day + timedelta(days=(2 - day.weekday()) % 7)


def asked(number: str, **fields: Any) -> porting.PortInRequest:
    values = {"donor": "vodafone", "holder_name": "Anna Schmidt", "wished_date": a_weekday_ahead()}
    return porting.PortInRequest(number=number, **(values | fields))


@pytest.fixture
def german(make: Any) -> tuple[Any, Any]:
    return subscription(make, country="DE", timezone=ZONE)


def _file(app: Any, brand: Any, sub_id: int, request: porting.PortInRequest) -> int:
    with in_brand(app, brand.id) as session:
        return porting.file_port_in(session, sub_id, request, "DE").id


def _port(app: Any, brand: Any, port_in_id: int) -> M.PortIn:
    with in_brand(app, brand.id) as session:
        row = porting.get(session, port_in_id)
        session.expunge(row)
        return row


def test_a_confirmed_port_in_completes_on_its_porting_date_in_the_brands_zone(
    app: Any, german: Any, mno: Any, worker: Any
) -> None:
    brand, sub = german
    wished = a_weekday_ahead()
    with heard() as told:
        port_id = _file(app, brand, sub.id, asked("0151 12345675", wished_date=wished))
        run_jobs()
        confirmed = _port(app, brand, port_id)
        assert (confirmed.state, confirmed.porting_date) == (M.CONFIRMED, wished)
        assert confirmed.msisdn == "+4915112345675"
        midnight = start_of_local_day(wished, ZONE)  # 22:00 or 23:00 UTC the day before
        with in_brand(app, brand.id) as session:
            assert porting.complete_due(session, midnight - timedelta(minutes=1)) == []
        with in_brand(app, brand.id) as session:
            assert [p.id for p in porting.complete_due(session, midnight)] == [port_id]
        with in_brand(app, brand.id) as session:
            assert porting.complete_due(session, midnight + timedelta(hours=1)) == []
    assert _port(app, brand, port_id).state == M.PORTED
    assert told["ported"] == [port_id] and told["rejected"] == []


def test_a_port_in_the_donor_rejects_keeps_its_reason(
    app: Any, german: Any, mno: Any, worker: Any
) -> None:
    brand, sub = german
    with heard() as told:
        port_id = _file(app, brand, sub.id, asked(sim.msisdn("1")))
        run_jobs()
    rejected = _port(app, brand, port_id)
    assert (rejected.state, rejected.rejection, rejected.porting_date) == (
        M.REJECTED,
        "holder_mismatch",
        None,
    )
    assert told["rejected"] == [port_id]


def test_the_holder_data_are_sealed_at_rest(
    app: Any, german: Any, mno: Any, owner_engine: Any
) -> None:
    from sqlalchemy import text

    brand, sub = german
    port_id = _file(app, brand, sub.id, asked(sim.msisdn(), donor_account="K-4711"))
    with owner_engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(
                text("SELECT set_config('app.tenant_id', :t, false)"), {"t": str(brand.id)}
            )
        stored = conn.execute(
            text("SELECT holder_name, donor_account FROM port_ins WHERE id = :i"), {"i": port_id}
        ).one()
    assert "Anna" not in stored.holder_name and "4711" not in stored.donor_account
    assert _port(app, brand, port_id).holder_name == "Anna Schmidt"


@pytest.mark.parametrize(
    ("fields", "refused"),
    [
        ({"number": "12345"}, {"number": "porting.bad_number"}),
        ({"number": "+48 512 345 675"}, {"number": "porting.other_country"}),
        ({"number": "030 1234567"}, {"number": "porting.not_mobile"}),
        (
            {"donor": "orange", "holder_name": " ", "wished_date": date(2020, 1, 1)},
            {
                "donor": "porting.unknown_donor",
                "holder_name": "porting.holder_missing",
                "wished_date": "porting.date_past",
            },
        ),
        ({"wished_date": date.today() + timedelta(days=400)}, {"wished_date": "porting.date_far"}),
        ({"donor_account": "9" * 65}, {"donor_account": "porting.too_long"}),
    ],
)
def test_a_wrong_request_is_refused_beside_each_field(
    app: Any, german: Any, fields: dict[str, Any], refused: dict[str, str]
) -> None:
    brand, sub = german
    request = asked(fields.pop("number", "0151 12345675"), **fields)
    with in_brand(app, brand.id) as session, pytest.raises(ProvisioningError) as caught:
        porting.file_port_in(session, sub.id, request, "DE")
    assert {r.field: r.code for r in caught.value.each()} == refused


def test_a_number_being_ported_in_cannot_be_asked_for_again(
    app: Any, german: Any, mno: Any
) -> None:
    brand, sub = german
    number = sim.msisdn()
    _file(app, brand, sub.id, asked(number))
    with in_brand(app, brand.id) as session, pytest.raises(ProvisioningError) as caught:
        porting.file_port_in(session, sub.id, asked(number), "DE")
    assert (caught.value.code, caught.value.field) == ("porting.under_way", "number")
