"""`saas kyc check-mrz`: JSON for the ICAO specimens, the failing check digit named, exit codes."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from saas.cli.kyc import kyc_group
from tests.support.kyc import SPECIMENS, TD3


def check(*lines: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    result = CliRunner().invoke(kyc_group, ["check-mrz", *lines])
    return result.exit_code, json.loads(result.stdout), result.stderr


@pytest.mark.parametrize("form", ["TD1", "TD2", "TD3"])
def test_each_specimen_prints_its_type_fields_and_verdicts_and_exits_zero(form: str) -> None:
    status, report, _ = check(*SPECIMENS[form])
    assert (status, report["document_type"], report["valid"], report["failing"]) == (
        0,
        form,
        True,
        [],
    )
    assert (
        report["fields"]["surname"] == "ERIKSSON" and report["fields"]["birth_date"] == "1974-08-12"
    )
    assert all(d["valid"] for d in report["check_digits"])


def test_a_corrupted_line_names_the_failing_check_digit_and_exits_one() -> None:
    corrupted = (
        TD3[1][:9] + "7" + TD3[1][10:]
    )  # the document number's check digit, 6 in the specimen
    status, report, said = check(TD3[0], corrupted)
    assert (status, report["valid"], report["failing"]) == (
        1,
        False,
        ["document_number", "composite"],
    )
    digit = report["check_digits"][0]
    assert (digit["name"], digit["line"], digit["position"], digit["found"], digit["expected"]) == (
        "document_number",
        2,
        10,
        "7",
        "6",
    )
    assert "document_number" in said


def test_lines_that_are_no_zone_exit_two_saying_why() -> None:
    status, report, _ = check(TD3[0])
    assert status == 2 and report["error"]["code"] == "kyc.mrz.lines"


def test_lines_may_come_in_one_argument() -> None:
    assert check("\n".join(SPECIMENS["TD1"]))[0] == 0
