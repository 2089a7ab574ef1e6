"""`saas network`: the simulator served on its own, and port-ins completed across brands."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from saas.network.provisioning import models as M
from saas.network.provisioning import porting
from saas.network.provisioning.mno import DONE, HttpHostNetwork
from saas.outside import JsonClient
from tests.conftest import in_brand
from tests.support import mno as sim
from tests.support.backends import free_port
from tests.support.provisioning import subscription

# Subscribing mails the subscriber: a real SMTP server takes the mail, so no delivery job
# is left retrying on the stub broker for the next test's worker.
pytestmark = pytest.mark.usefixtures("smtp")


def _answering(network: HttpHostNetwork, line: dict[str, str]) -> Any:
    for _ in range(100):
        answer = network.activate("k", **line)
        if answer.error != "network.no_answer":
            return answer
        time.sleep(0.1)
    raise AssertionError("the simulator never answered")


def test_the_simulator_command_serves_the_host_network_with_the_configured_token() -> None:
    port = free_port()
    env = os.environ | {"SAAS_MNO_TOKEN": "cli-token", "SAAS_ENV": "development"}
    saas = str(Path(sys.executable).parent / "saas")
    command = [saas, "network", "mno-simulator", "--port", str(port)]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        url = f"http://127.0.0.1:{port}"
        answer = _answering(HttpHostNetwork(JsonClient("mno", url, "cli-token", 1)), sim.line())
        assert answer.status == DONE
        refused = HttpHostNetwork(JsonClient("mno", url, "wrong", 1)).suspend(
            "k", msisdn=sim.msisdn()
        )
        assert refused.error == "network.credentials"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_complete_port_ins_completes_each_brands_due_ports(app: Any, make: Any, mno: Any) -> None:
    brand, sub = subscription(make, country="DE")
    request = porting.PortInRequest(sim.msisdn(), "telekom", "Anna Schmidt", porting.date.today())
    with in_brand(app, brand.id) as session:
        port_in = porting.file_port_in(session, sub.id, request, "DE")
        port_in.state, port_in.porting_date = M.CONFIRMED, porting.today(session)
        port_id = port_in.id
    result = app.test_cli_runner().invoke(args=["network", "complete-port-ins"])
    assert f"{brand.slug}: 1 port-in(s) completed" in result.output.splitlines()
    with in_brand(app, brand.id) as session:
        assert porting.get(session, port_id).state == M.PORTED
    again = app.test_cli_runner().invoke(args=["network", "complete-port-ins"])
    assert f"{brand.slug}: 0 port-in(s) completed" in again.output.splitlines()
