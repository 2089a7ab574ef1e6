"""A subscriber reads on their plan page where their number port stands, in their language."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Factory, get, in_brand, logged_in, text
from tests.integration.test_porting import a_weekday_ahead
from tests.support import mno as sim
from tests.support.provisioning import run_jobs

# Subscribing mails the subscriber: a real SMTP server takes the mail, so no delivery job
# is left retrying on the stub broker for the next test's worker.
pytestmark = pytest.mark.usefixtures("smtp")


def _subscriber(app: Any, make: Factory, **brand: Any) -> tuple[Any, Any, Any]:
    made = make.brand(country="DE", **brand)
    plan = make.plan(made)
    client = logged_in(app, make, made, kind="subscriber")
    return made, make.subscription(made, client.user, plan.version_id), client


def _file(app: Any, brand: Any, sub_id: int, number: str) -> int:
    from saas.network.provisioning import porting

    asked = porting.PortInRequest(number, "telekom", "Anna Schmidt", a_weekday_ahead())
    with in_brand(app, brand.id) as session:
        return porting.file_port_in(session, sub_id, asked, "DE").id


def test_a_german_subscriber_reads_that_the_port_was_asked_for(app: Any, make: Factory) -> None:
    # No worker runs here: the request stays asked for, as it is until the donor answers.
    brand, sub, client = _subscriber(app, make, default_locale="de", locales=["de"])
    assert "Ihre Rufnummer mitnehmen" not in text(get(client, "/plan"))
    _file(app, brand, sub.id, sim.msisdn("5"))
    assert "Wir haben Telekom Deutschland um die Freigabe" in text(get(client, "/plan"))


def test_a_german_subscriber_reads_that_the_port_is_confirmed_for_its_day(
    app: Any, make: Factory, mno: Any, worker: Any
) -> None:
    brand, sub, client = _subscriber(app, make, default_locale="de", locales=["de"])
    _file(app, brand, sub.id, sim.msisdn("5"))
    run_jobs()
    shown = text(get(client, "/plan"))
    day = a_weekday_ahead()
    assert f"Bestätigt: Ihre Nummer wechselt am {day.day:02d}.{day.month:02d}.{day.year}" in shown


def test_a_rejected_port_names_the_donors_reason(
    app: Any, make: Factory, mno: Any, worker: Any
) -> None:
    brand, sub, client = _subscriber(app, make)
    _file(app, brand, sub.id, sim.msisdn("1"))
    run_jobs()
    assert (
        "Telekom Deutschland did not release your number: The name does not match the account "
        "holder at the donor."
    ) in text(get(client, "/plan"))


def test_someone_elses_port_is_not_on_my_page(app: Any, make: Factory, mno: Any) -> None:
    brand, sub, _ = _subscriber(app, make)
    number = sim.msisdn("5")
    _file(app, brand, sub.id, number)
    plan = make.plan(brand)
    neighbour = logged_in(app, make, brand, kind="subscriber")
    make.subscription(brand, neighbour.user, plan.version_id)
    assert number not in text(get(neighbour, "/plan"))
