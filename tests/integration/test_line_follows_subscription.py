"""A subscription's line follows it to the host network: barred, restored and ended with it.

Cancelling ends the line at the network (a terminate order); once the network has done it the
number goes into quarantine and the SIM is retired. A line never put on the network ends at once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from saas.network.models import (
    QUARANTINED,
    RETIRED,
    TERMINATED,
    Line,
    LineNumber,
    LineSim,
    Number,
    Sim,
)
from saas.network.provisioning import models as P
from saas.subscriptions import services as subs
from saas.subscriptions.events import apply_due
from saas.subscriptions.models import Subscription
from tests.conftest import in_brand
from tests.support import privacy
from tests.support.provisioning import run_jobs

pytestmark = pytest.mark.usefixtures("smtp")


@pytest.fixture
def brand(app: Any, make: Any, credit_bureau: str, sanctions_lists: None) -> Any:
    return privacy.shop(app, make)


@pytest.fixture
def live(app: Any, brand: Any, mno: Any, worker: Any) -> Any:
    """A person signed up whose line the network has activated."""
    signed = privacy.sign_up(app, brand, "erika@example.com", "Erika", "Mustermann")
    run_jobs()
    assert _line(app, brand, signed)["state"] == "active"
    return signed


def _line(app: Any, brand: Any, signed: Any) -> dict[str, Any]:
    with in_brand(app, brand.id) as session:
        line = session.get(Line, signed.line)
        held = session.scalars(select(LineNumber).filter_by(line_id=line.id)).one()
        sim_held = session.scalars(select(LineSim).filter_by(line_id=line.id)).one()
        number = session.get(Number, held.number_id)
        return {
            "state": line.state,
            "msisdn": held.msisdn,
            "number": number.state,
            "free_from": number.free_from,
            "sim": session.get(Sim, sim_held.sim_id).state,
            "released": held.valid_to,
        }


def _orders(app: Any, brand: Any, signed: Any) -> list[tuple[str, str]]:
    with in_brand(app, brand.id) as session:
        query = select(P.ProvisioningOrder).filter_by(subscription_id=signed.subscription)
        return [
            (o.action, o.state) for o in session.scalars(query.order_by(P.ProvisioningOrder.id))
        ]


def _change(app: Any, brand: Any, signed: Any, what: str, **options: Any) -> None:
    with in_brand(app, brand.id) as session:
        getattr(subs, what)(session, session.get(Subscription, signed.subscription), **options)


def test_cancelling_ends_the_line_at_the_network_and_quarantines_its_number(
    app: Any, brand: Any, live: Any, mno: Any
) -> None:
    _change(app, brand, live, "cancel", when="now")
    assert _orders(app, brand, live)[-1] == (P.TERMINATE, P.PENDING)
    assert _line(app, brand, live)["state"] == "active"  # until the network has done it
    run_jobs()
    assert _orders(app, brand, live)[-1] == (P.TERMINATE, P.COMPLETED)
    line = _line(app, brand, live)
    assert (line["state"], line["number"], line["sim"]) == (TERMINATED, QUARANTINED, RETIRED)
    assert line["free_from"] - line["released"] == timedelta(days=90)
    assert mno.lines()["+" + line["msisdn"].lstrip("+")]["state"] == "terminated"


def test_suspending_bars_the_line_and_resuming_lifts_the_bar(
    app: Any, brand: Any, live: Any, mno: Any
) -> None:
    _change(app, brand, live, "suspend", reason="lost phone")
    run_jobs()
    assert _line(app, brand, live)["state"] == "suspended"
    _change(app, brand, live, "resume")
    run_jobs()
    assert _line(app, brand, live)["state"] == "active"
    actions = [action for action, state in _orders(app, brand, live) if state == P.COMPLETED]
    assert actions == [P.ACTIVATE, P.SUSPEND, P.RESTORE]


def test_a_cancellation_at_period_end_ends_the_line_when_it_takes_effect(
    app: Any, brand: Any, live: Any
) -> None:
    _change(app, brand, live, "cancel", when="period_end")
    assert [a for a, _ in _orders(app, brand, live)] == [P.ACTIVATE]
    with in_brand(app, brand.id) as session:
        sub = session.get(Subscription, live.subscription)
        (event,) = subs.scheduled(session, sub)
        apply_due(session, event.effective_at, sub)
    run_jobs()
    assert _line(app, brand, live)["state"] == TERMINATED


def test_a_line_never_put_on_the_network_ends_with_its_cancellation(app: Any, brand: Any) -> None:
    """No worker runs: the activation order is still waiting when the person cancels."""
    signed = privacy.sign_up(app, brand, "max@example.com", "Max", "Mustermann")
    _change(app, brand, signed, "cancel", when="now")
    line = _line(app, brand, signed)
    assert (line["state"], line["number"], line["sim"]) == (TERMINATED, QUARANTINED, RETIRED)
    assert [a for a, _ in _orders(app, brand, signed)] == [P.ACTIVATE]
