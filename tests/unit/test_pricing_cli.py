"""`saas pricing quote` prints a quote as JSON and turns bad input into a clear error."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from saas.cli.pricing import pricing_group

PACKAGE = json.dumps(
    {
        "charge_model": "package",
        "properties": {"amount": "5", "package_size": 100, "free_units": 100},
    }
)
PERCENTAGE = json.dumps(
    {
        "charge_model": "percentage",
        "properties": {
            "rate": "1.2",
            "fixed_amount": "0.10",
            "free_units_per_events": 3,
            "free_units_per_total_aggregation": "500",
        },
    }
)


def run(*args: str) -> Result:
    return CliRunner().invoke(pricing_group, ["quote", *args])


def test_quote_prints_the_exact_and_rounded_amount() -> None:
    result = run("--charge", PACKAGE, "--units", "201", "--currency", "EUR")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert (out["charge_model"], out["amount"], out["amount_rounded"]) == ("package", "10", "10.00")
    assert [line["kind"] for line in out["lines"]] == ["free_units", "package"]
    assert result.stdout.startswith('{\n  "charge_model"')


def test_quote_reads_the_charge_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "charge.json"
    path.write_text(PACKAGE, encoding="utf-8")
    result = run("--charge", f"@{path}", "--units", "100")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["amount"] == "0"
    assert "currency" not in json.loads(result.stdout)


def test_quote_prices_percentage_transactions() -> None:
    result = run("--charge", PERCENTAGE, "--units", "450", "--transactions", "200, 100,100,50")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["amount"] == "0.7"


def test_quote_takes_a_count_of_events() -> None:
    result = run("--charge", PERCENTAGE, "--units", "400", "--events", "3")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["amount"] == "0"


def test_quote_prices_a_clamped_percentage_without_usage_and_without_transactions() -> None:
    charge = {
        "charge_model": "percentage",
        "properties": {"rate": "1", "per_transaction_max_amount": "2"},
    }
    result = run("--charge", json.dumps(charge), "--units", "0")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["amount"] == "0"


def test_quote_prices_decimal_bounds_and_the_first_flat_fee_without_usage() -> None:
    ranges = [
        {"from_value": 0, "to_value": "0.1", "per_unit_amount": "0", "flat_amount": "2"},
        {"from_value": "0.1", "to_value": None, "per_unit_amount": "10", "flat_amount": "0"},
    ]
    charge = json.dumps({"charge_model": "volume", "properties": {"volume_ranges": ranges}})
    amounts = [
        json.loads(run("--charge", charge, "--units", u).stdout)["amount"] for u in ("0", "0.2")
    ]
    assert amounts == ["2", "2"]


def test_bad_json_exits_with_an_error_and_no_output() -> None:
    result = run("--charge", "{not json", "--units", "1")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "--charge: not valid JSON" in result.stderr


def test_an_invalid_charge_prints_the_field_and_the_reason() -> None:
    charge = '{"charge_model": "standard", "properties": {"amount": 0.05}}'
    result = run("--charge", charge, "--units", "1")
    assert result.exit_code == 1
    assert 'Error: properties.amount: write amounts as strings, e.g. "0.05"' in result.stderr


def test_bad_units_are_refused() -> None:
    result = run("--charge", PACKAGE, "--units", "-3")
    assert result.exit_code == 1
    assert "units: must not be negative" in result.stderr


def test_transactions_that_do_not_add_up_are_refused() -> None:
    result = run("--charge", PERCENTAGE, "--units", "10", "--transactions", "1,2")
    assert result.exit_code == 1
    assert "transactions: must add up to units (10), got 3" in result.stderr


def test_a_missing_charge_file_is_reported() -> None:
    result = run("--charge", "@/nonexistent/charge.json", "--units", "1")
    assert result.exit_code == 1
    assert "cannot read /nonexistent/charge.json" in result.stderr


def test_unknown_currency_and_missing_options_are_usage_errors() -> None:
    assert run("--charge", PACKAGE, "--units", "1", "--currency", "XXQ").exit_code == 2
    assert run("--units", "1").exit_code == 2
    assert run("--charge", PACKAGE, "--units", "1", "--events", "-1").exit_code == 2
