"""`saas catalog import-lago`: Lago exports become draft plans, all or nothing."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from saas.catalog import services as catalog
from tests.conftest import in_brand

FEE_ONLY = {"code": "basic", "name": "Basic", "interval": "monthly", "amount_cents": 999}
METERED = {
    "code": "metered",
    "name": "Metered",
    "interval": "monthly",
    "amount_cents": 0,
    "amount_currency": "PLN",
    "tax_codes": ["vat_23"],
    "charges": [
        {
            "billable_metric_code": "sms",
            "charge_model": "standard",
            "properties": {"amount": "0.09"},
        }
    ],
}


@pytest.fixture
def shop(app: Any, make: Any) -> Any:
    brand = make.brand(currency="PLN", timezone="Europe/Warsaw")
    with in_brand(app, brand.id) as session:
        catalog.ensure_standard_metrics(session)
        catalog.product(session, "mobile", "Mobile")
    return brand


def _run(app: Any, brand: Any, path: Path, *extra: str) -> Any:
    args = ["catalog", "import-lago", str(path), "--brand", brand.slug, "--product", "mobile"]
    return app.test_cli_runner().invoke(args=[*args, *extra])


def _write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "plans.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_lago_plan_list_becomes_draft_plans_with_what_was_not_carried(app, shop, tmp_path):  # type: ignore[no-untyped-def]
    result = _run(app, shop, _write(tmp_path, {"plans": [FEE_ONLY, METERED]}))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "plan basic: created (draft v1)",
        "plan metered: created (draft v1)",
        "plan metered: not carried: tax_codes",
    ]
    with in_brand(app, shop.id) as session:
        basic = catalog.plan_by_code(session, "basic")
        assert basic is not None and basic.published is None and basic.draft is not None
        assert [(c.code, c.amount) for c in basic.draft.components] == [
            ("subscription_fee", Decimal("9.99"))
        ]
        assert basic.currency == "PLN"


def test_publish_sells_the_imported_plans_at_once(app, shop, tmp_path):  # type: ignore[no-untyped-def]
    result = _run(app, shop, _write(tmp_path, {"plan": FEE_ONLY}), "--publish")
    assert result.exit_code == 0 and "published v1" in result.output
    with in_brand(app, shop.id) as session:
        plan = catalog.plan_by_code(session, "basic")
        assert plan is not None and plan.published is not None


def test_one_refused_plan_imports_nothing_and_names_the_reason(app, shop, tmp_path):  # type: ignore[no-untyped-def]
    trial = {**METERED, "trial_period": 30}
    result = _run(app, shop, _write(tmp_path, [FEE_ONLY, trial]))
    assert result.exit_code != 0
    assert "nothing imported" in result.output and "trial_period" in result.output
    with in_brand(app, shop.id) as session:
        assert catalog.plan_by_code(session, "basic") is None


def test_an_unknown_brand_or_bad_json_is_refused(app, shop, tmp_path):  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert "not valid JSON" in _run(app, shop, bad).output
    bad.write_text("[" * 100_000, encoding="utf-8")
    assert "not valid JSON: number too long or nesting too deep" in _run(app, shop, bad).output
    nobody = type(shop)(**{**shop, "slug": "no-such-brand"})
    assert "there is no brand" in _run(app, nobody, _write(tmp_path, FEE_ONLY)).output


def test_a_plan_whose_text_the_database_cannot_hold_is_refused_by_its_pointer(app, shop, tmp_path):  # type: ignore[no-untyped-def]
    result = _run(app, shop, _write(tmp_path, {"plans": [FEE_ONLY, {**METERED, "name": "M\x00"}]}))
    assert result.exit_code == 1
    assert "not valid JSON: the string at /plans/1/name holds a NUL character" in result.output
    with in_brand(app, shop.id) as session:
        assert catalog.plan_by_code(session, "basic") is None


def test_a_plan_that_is_not_an_object_is_refused_by_name(app, shop, tmp_path):  # type: ignore[no-untyped-def]
    result = _run(app, shop, _write(tmp_path, [FEE_ONLY, "basic"]))
    assert result.exit_code == 1
    assert "nothing imported: Lago plan: expected an object" in result.output
    with in_brand(app, shop.id) as session:
        assert catalog.plan_by_code(session, "basic") is None
