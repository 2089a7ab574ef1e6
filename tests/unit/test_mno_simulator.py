"""The MNO simulator over real HTTP, through the platform's own HTTP adapter."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from saas.network.provisioning.mno import DONE, REFUSED, UNAVAILABLE, WORKING, HttpHostNetwork
from saas.network.provisioning.simulator import MnoSimulator
from saas.outside import JsonClient, serve
from tests.support.mno import Controls, iccid, imsi, line, msisdn

TOKEN = "sim-token"
MONDAY = date(2026, 3, 2)


@pytest.fixture
def sim() -> Iterator[tuple[HttpHostNetwork, Controls, str]]:
    app = MnoSimulator(TOKEN, slow_seconds=1.5, today=lambda: MONDAY)
    with serve(app) as url:
        yield HttpHostNetwork(JsonClient("mno", url, TOKEN, timeout=1)), Controls(url, TOKEN), url


def _activated(network: HttpHostNetwork, ending: str = "0") -> dict[str, str]:
    new = line(ending)
    assert network.activate("k-" + new["iccid"], **new).status == DONE
    return new


def test_a_line_goes_through_every_move_a_network_allows(sim: Any) -> None:
    network, controls, _ = sim
    new = _activated(network)
    number = new["msisdn"]
    other_sim, other_imsi = iccid(), imsi()
    assert network.suspend("k2", msisdn=number).status == DONE
    assert controls.lines()[number]["state"] == "suspended"
    assert network.restore("k3", msisdn=number).status == DONE
    assert network.change_profile("k4", msisdn=number, profile="data_only").status == DONE
    assert network.swap_sim("k5", msisdn=number, iccid=other_sim, imsi=other_imsi).status == DONE
    held = controls.lines()[number]
    assert (held["state"], held["profile"], held["iccid"]) == ("active", "data_only", other_sim)
    assert network.terminate("k6", msisdn=number).status == DONE
    assert controls.lines()[number]["state"] == "terminated"
    assert [a["action"] for a in controls.applied()] == [
        "activate",
        "suspend",
        "restore",
        "profile",
        "sim",
        "terminate",
    ]


def test_moves_a_line_does_not_allow_are_refused_for_good(sim: Any) -> None:
    network, controls, _ = sim
    unknown = network.suspend("k1", msisdn=msisdn())
    assert (unknown.status, unknown.error, unknown.retryable) == (REFUSED, "network.unknown", False)
    new = _activated(network)
    assert network.restore("k2", msisdn=new["msisdn"]).error == "network.conflict"
    taken = network.activate("k3", **(line() | {"iccid": new["iccid"]}))
    assert (taken.status, taken.error) == (REFUSED, "network.conflict")
    bad = network.activate("k4", **(line() | {"iccid": new["iccid"][:-1] + "1"}))
    assert (bad.status, bad.error) == (REFUSED, "network.refused")
    assert len(controls.applied()) == 1


def test_a_sim_ending_in_9_fails_twice_with_503_then_works(sim: Any) -> None:
    network, _, _ = sim
    new = line("9")
    first, second, third = (network.activate(f"k{n}", **new) for n in range(3))
    assert (first.status, first.error, first.retryable) == (
        UNAVAILABLE,
        "network.unavailable",
        True,
    )
    assert second.status == UNAVAILABLE and third.status == DONE


def test_a_sim_ending_in_8_answers_too_slowly_for_a_client_that_will_not_wait(sim: Any) -> None:
    network, _, _ = sim
    new = line("8")
    answer = network.activate("k1", **new)
    assert (answer.status, answer.error, answer.retryable) == (
        UNAVAILABLE,
        "network.no_answer",
        True,
    )


def test_a_sim_ending_in_7_is_carried_out_when_its_status_is_asked(sim: Any) -> None:
    network, controls, _ = sim
    new = line("7")
    accepted = network.activate("k1", **new)
    assert (accepted.status, accepted.retryable) == (WORKING, True)
    assert new["msisdn"] not in controls.lines()
    assert network.status(accepted.ref).status == DONE
    assert controls.lines()[new["msisdn"]]["state"] == "active"
    assert network.status("nothing-of-ours").error == "network.unknown"


def test_a_key_carried_out_answers_again_without_doing_it_twice(sim: Any) -> None:
    network, controls, _ = sim
    new = line()
    first, again = network.activate("same", **new), network.activate("same", **new)
    assert (first.status, again.status, again.ref) == (DONE, DONE, first.ref)
    assert len(controls.applied()) == 1
    reused = network.activate("same", **line())
    assert (reused.status, reused.error) == (REFUSED, "network.refused")


def test_a_refused_request_may_be_sent_again_under_its_key(sim: Any) -> None:
    network, controls, _ = sim
    new = line()
    controls.fault(iccid=new["iccid"], status=422, times=1)
    assert network.activate("k", **new).status == REFUSED
    assert network.activate("k", **new).status == DONE


def test_a_client_without_the_token_is_not_let_in(sim: Any) -> None:
    _, _, url = sim
    stranger = HttpHostNetwork(JsonClient("mno", url, "wrong"))
    assert stranger.suspend("k", msisdn=msisdn()).error == "network.credentials"


def _port(network: HttpHostNetwork, number: str, **fields: str) -> Any:
    data = {"donor": "vodafone", "holder_name": "Anna Schmidt", "donor_account": ""}
    data |= {"wished_date": "2026-03-07"} | fields
    return network.request_port_in("k-" + number + str(fields), msisdn=number, **data)


def test_port_in_requests_are_decided_by_the_documented_rules(sim: Any) -> None:
    network, _, _ = sim
    saturday = _port(network, msisdn("5"))
    assert (saturday.status, saturday.data["status"]) == (DONE, "confirmed")
    assert saturday.data["porting_date"] == "2026-03-09"  # moved to the Monday after
    soon = _port(network, msisdn("5"), wished_date="2026-03-01")
    assert soon.data["porting_date"] == "2026-03-03"  # a day's notice at least
    mismatch = _port(network, msisdn("1")).data
    assert (mismatch["status"], mismatch["reason"]) == ("rejected", "holder_mismatch")
    assert _port(network, msisdn("2")).data["reason"] == "number_not_active"
    assert _port(network, msisdn("5"), donor_account="K-10").data["reason"] == "account_mismatch"
    unknown = _port(network, msisdn("5"), donor="nobody")
    assert (unknown.status, unknown.error) == (REFUSED, "network.refused")
