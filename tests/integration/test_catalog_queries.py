"""Plans on sale and a migration's preview cost the same number of queries however many rows."""

from __future__ import annotations

from typing import Any

from saas.catalog import models as M
from saas.catalog import services as catalog
from saas.subscriptions import migrations
from tests.conftest import in_brand
from tests.integration.test_api_listing_queries import counted


def _sellable_cost(app: Any, brand: Any) -> tuple[int, int]:
    with in_brand(app, brand.id) as session, counted() as statements:
        names = [v.plan.name for v in catalog.sellable(session)]
    return len(names), len(statements)


def test_the_plans_on_sale_load_their_plans_in_one_query(app: Any, make: Any) -> None:
    brand = make.brand()
    make.plan(brand, name="First")
    few = _sellable_cost(app, brand)
    for name in ("Second", "Third", "Fourth"):
        make.plan(brand, name=name)
    many = _sellable_cost(app, brand)
    assert (few[0], many[0]) == (1, 4)
    assert many[1] == few[1]


def _preview_cost(app: Any, brand: Any, from_id: int, to_id: int) -> tuple[int, int]:
    with in_brand(app, brand.id) as session:
        v1, v2 = session.get(M.PlanVersion, from_id), session.get(M.PlanVersion, to_id)
        session.expire_all()
        with counted() as statements:
            rows = migrations.preview(session, v1, v2)
            shown = [r.subscription.subscriber.email for r in rows]
    return len(shown), len(statements)


def _grandfathered(app: Any, make: Any, brand: Any, holders: int) -> tuple[int, int]:
    """A plan whose v1 has some holders when v2 is published; returns both version ids."""
    from saas.catalog.specs import ComponentSpec

    plan = make.plan(brand)
    for _ in range(holders):
        make.subscription(brand, make.user(brand, "subscriber"), plan.version_id)
    with in_brand(app, brand.id) as session:
        draft = catalog.new_draft(session, session.get(M.Plan, plan.id))
        fee = ComponentSpec.parse({"code": "base", "kind": "recurring", "amount": "12.00"})
        catalog.set_contents(session, draft, [fee], [])
        return plan.version_id, catalog.publish(session, draft).id


def test_a_migration_preview_does_not_query_once_per_holder(app: Any, make: Any) -> None:
    brand = make.brand()
    few = _preview_cost(app, brand, *_grandfathered(app, make, brand, 1))
    many = _preview_cost(app, brand, *_grandfathered(app, make, brand, 5))
    assert (few[0], many[0]) == (1, 5)
    assert many[1] == few[1]
