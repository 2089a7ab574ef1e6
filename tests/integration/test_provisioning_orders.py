"""Provisioning orders carried to the MNO simulator by the workers, over real HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from saas.db import unit_of_work
from saas.jobs.models import FailedJob
from saas.network.provisioning import mno as network
from saas.network.provisioning import models as M
from saas.network.provisioning import orders
from saas.network.provisioning.errors import ProvisioningError
from tests.conftest import in_brand
from tests.support import mno as sim
from tests.support.provisioning import heard, order, place, quick_retries, run_jobs, subscription

# Subscribing mails the subscriber: a real SMTP server takes the mail, so no delivery job
# is left retrying on the stub broker for the next test's worker.
pytestmark = pytest.mark.usefixtures("smtp")


@pytest.fixture
def line_sub(make: Any) -> tuple[Any, Any]:
    return subscription(make)


def test_an_activation_is_carried_out_by_its_job_and_heard_by_the_line_code(
    app: Any, line_sub: Any, mno: Any, worker: Any
) -> None:
    brand, sub = line_sub
    new = sim.line()
    with heard() as told:
        order_id = place(app, brand, sub.id, M.ACTIVATE, **new)
        run_jobs()
    done = order(app, brand, order_id)
    assert (done.state, done.attempts) == (M.COMPLETED, 1)
    assert done.events == [("", M.PENDING, 0, ""), (M.PENDING, M.COMPLETED, 1, "")]
    assert told == {"completed": [order_id], "failed": [], "ported": [], "rejected": []}
    assert mno.lines()[new["msisdn"]]["state"] == "active"


def test_each_action_reaches_the_network_in_turn(
    app: Any, line_sub: Any, mno: Any, worker: Any
) -> None:
    brand, sub = line_sub
    new = sim.line()
    number, fresh = new["msisdn"], {"iccid": sim.iccid(), "imsi": sim.imsi()}
    steps: list[tuple[str, dict[str, str]]] = [
        (M.ACTIVATE, new),
        (M.SUSPEND, {"msisdn": number}),
        (M.RESTORE, {"msisdn": number}),
        (M.CHANGE_PROFILE, {"msisdn": number, "profile": "roaming"}),
        (M.SWAP_SIM, {"msisdn": number, **fresh}),
        (M.TERMINATE, {"msisdn": number}),
    ]
    for action, payload in steps:
        order_id = place(app, brand, sub.id, action, **payload)
        run_jobs()
        assert order(app, brand, order_id).state == M.COMPLETED, action
    held = mno.lines()[number]
    assert (held["state"], held["profile"], held["iccid"]) == (
        "terminated",
        "roaming",
        fresh["iccid"],
    )


def test_a_network_briefly_unavailable_is_retried_until_it_works(
    app: Any, line_sub: Any, mno: Any, worker: Any
) -> None:
    brand, sub = line_sub
    with quick_retries():
        order_id = place(app, brand, sub.id, M.ACTIVATE, **sim.line("9"))  # 503 twice
        run_jobs()
    done = order(app, brand, order_id)
    assert (done.state, done.attempts) == (M.COMPLETED, 3)
    assert [e[3] for e in done.events] == ["", "network.unavailable", "network.unavailable", ""]
    assert len(mno.applied()) == 1


def test_a_refusal_is_not_retried_and_a_person_retries_it_to_success(
    app: Any, line_sub: Any, mno: Any, worker: Any
) -> None:
    brand, sub = line_sub
    new = sim.line()
    mno.fault(iccid=new["iccid"], status=422, times=1)
    with heard() as told, quick_retries():
        order_id = place(app, brand, sub.id, M.ACTIVATE, **new)
        run_jobs()
        failed = order(app, brand, order_id)
        assert (failed.state, failed.attempts, failed.last_error) == (
            M.FAILED,
            1,
            "network.refused",
        )
        assert told["failed"] == [order_id]
        with in_brand(app, brand.id) as session:
            assert session.scalars(select(FailedJob)).all() == []  # a refusal is no dead letter
            orders.retry(session, order_id)
        run_jobs()
    done = order(app, brand, order_id)
    assert (done.state, done.attempts) == (M.COMPLETED, 2)
    assert done.events[-2:] == [(M.FAILED, M.PENDING, 0, ""), (M.PENDING, M.COMPLETED, 2, "")]


def test_an_order_unanswered_after_the_last_attempt_is_stuck_and_dead_lettered(
    app: Any, line_sub: Any, mno: Any, worker: Any
) -> None:
    brand, sub = line_sub
    new = sim.line()
    mno.fault(iccid=new["iccid"], status=503, times=orders.AUTOMATIC_ATTEMPTS)
    with quick_retries():
        order_id = place(app, brand, sub.id, M.ACTIVATE, **new)
        run_jobs()
        stuck = order(app, brand, order_id)
        assert (stuck.state, stuck.attempts) == (M.STUCK, orders.AUTOMATIC_ATTEMPTS)
        with in_brand(app, brand.id) as session:
            [dead] = session.scalars(select(FailedJob)).all()
            assert (dead.actor_name, dead.args) == ("run_provisioning_order", [brand.id, order_id])
            orders.retry(session, order_id)
        run_jobs()
    assert order(app, brand, order_id).state == M.COMPLETED


def test_an_order_the_network_finishes_later_is_sent_then_completed(
    app: Any, line_sub: Any, mno: Any, worker: Any
) -> None:
    brand, sub = line_sub
    new = sim.line("7")
    with quick_retries():
        order_id = place(app, brand, sub.id, M.ACTIVATE, **new)
        run_jobs()
    done = order(app, brand, order_id)
    assert [e[1] for e in done.events] == [M.PENDING, M.SENT, M.COMPLETED]
    assert mno.lines()[new["msisdn"]]["state"] == "active"


def test_a_job_redelivered_after_its_answer_was_lost_provisions_once(
    app: Any, settings: Any, line_sub: Any, mno: Any, worker: Any
) -> None:
    brand, sub = line_sub
    with in_brand(app, brand.id) as session:
        made = orders.place(session, sub.id, M.ACTIVATE, sim.line())
        order_id = made.id
        session.commit()
        # The network carries it out, then the worker dies before its commit.
        with pytest.raises(RuntimeError), unit_of_work(session):
            orders.advance(session, order_id, network.from_settings(settings))
            raise RuntimeError("the worker died")
    run_jobs()  # the job placed with the order, as the broker delivers it again
    with in_brand(app, brand.id) as session:
        orders.advance(session, order_id, network.from_settings(settings))  # and once more
    assert order(app, brand, order_id).state == M.COMPLETED
    assert [a["action"] for a in mno.applied()] == ["activate"]


def test_the_same_key_places_one_order(app: Any, line_sub: Any, mno: Any) -> None:
    brand, sub = line_sub
    with in_brand(app, brand.id) as session:
        payload = {"msisdn": sim.msisdn()}
        first = orders.suspend(session, sub.id, **payload, key="signup-42-suspend")
        again = orders.suspend(session, sub.id, **payload, key="signup-42-suspend")
        assert first.id == again.id


def test_only_a_failed_or_stuck_order_can_be_retried(
    app: Any, line_sub: Any, mno: Any, worker: Any
) -> None:
    brand, sub = line_sub
    order_id = place(app, brand, sub.id, M.ACTIVATE, **sim.line())
    with in_brand(app, brand.id) as session, pytest.raises(ProvisioningError) as waiting:
        orders.retry(session, order_id)
    run_jobs()
    with in_brand(app, brand.id) as session, pytest.raises(ProvisioningError) as done:
        orders.retry(session, order_id)
    assert waiting.value.code == done.value.code == "provisioning.not_retryable"
    assert (
        str(done.value)
        == f"provisioning order {order_id}: can only be retried after it failed or got stuck"
    )


@pytest.mark.parametrize(
    ("action", "payload", "refused"),
    [
        (
            "activate",
            {"msisdn": "0151 1234567", "iccid": "x", "profile": "standard"},
            {
                "msisdn": "provisioning.bad_msisdn",
                "iccid": "provisioning.bad_iccid",
                "imsi": "provisioning.missing",
            },
        ),
        (
            "swap_sim",
            {"msisdn": "+4915112345678", "iccid": "8949000000000000001", "imsi": "1"},
            {
                "iccid": "provisioning.bad_iccid",
                "imsi": "provisioning.bad_imsi",
            },
        ),
        (
            "change_profile",
            {"msisdn": "+4915112345678", "profile": "Mit Leerzeichen"},
            {"profile": "provisioning.bad_profile"},
        ),
        ("reboot", {}, {"action": "provisioning.unknown_action"}),
    ],
)
def test_an_order_with_wrong_data_is_refused_naming_each_field(
    app: Any, line_sub: Any, action: str, payload: dict[str, str], refused: dict[str, str]
) -> None:
    brand, sub = line_sub
    with in_brand(app, brand.id) as session, pytest.raises(ProvisioningError) as caught:
        orders.place(session, sub.id, action, payload)
    assert {r.field: r.code for r in caught.value.each()} == refused


def test_another_brands_order_is_not_found(app: Any, make: Any, line_sub: Any, mno: Any) -> None:
    brand, sub = line_sub
    other, _ = subscription(make)
    order_id = place(app, brand, sub.id, M.SUSPEND, msisdn=sim.msisdn())
    with in_brand(app, other.id) as session:
        with pytest.raises(LookupError):
            orders.get(session, order_id)
        with pytest.raises(ProvisioningError) as foreign:
            orders.suspend(session, sub.id, msisdn=sim.msisdn())
        assert foreign.value.code == "provisioning.no_subscription"
