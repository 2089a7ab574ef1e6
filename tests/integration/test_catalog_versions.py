"""Plan versions, grandfathering and the demo catalogue."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from saas.catalog import models as M
from saas.catalog import services as catalog
from saas.catalog.specs import CatalogError, ComponentSpec
from saas.identity.audit import AuditEvent
from saas.identity.models import User
from saas.subscriptions import migrations
from saas.subscriptions import services as subs
from saas.subscriptions.models import SCHEDULED, Subscription, SubscriptionEvent
from saas.tenancy.brands import by_slug
from tests.conftest import in_brand, in_platform


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _reprice(session: Any, plan_id: int, amount: str, at: datetime) -> M.PlanVersion:
    plan = session.get(M.Plan, plan_id)
    draft = catalog.new_draft(session, plan)
    base = ComponentSpec.parse({"code": "base", "kind": "recurring", "amount": amount})
    catalog.set_contents(session, draft, [base], [])
    return catalog.publish(session, draft, at)


@pytest.fixture
def grandfathered(app: Any, make: Any) -> Any:
    """Two subscribers on v1 at 10.00 when v2 at 12.00 is published."""
    brand = make.brand(currency="EUR", timezone="Europe/Berlin")
    plan = make.plan(brand)
    people = [make.user(brand, "subscriber") for _ in range(2)]
    first = make.subscription(brand, people[0], plan.version_id, t("2026-03-05T10:00:00"))
    second = make.subscription(brand, people[1], plan.version_id, t("2026-03-20T10:00:00"))
    with in_brand(app, brand.id) as session:
        v2 = _reprice(session, plan.id, "12.00", t("2026-03-25T10:00:00"))
        v2_id = v2.id
    return brand, plan, v2_id, (first.id, second.id)


def test_publishing_a_new_price_leaves_existing_subscribers_on_theirs(app, make, grandfathered):  # type: ignore[no-untyped-def]
    brand, plan, v2_id, sub_ids = grandfathered
    newcomer = make.user(brand, "subscriber")
    with in_brand(app, brand.id) as session:
        v1 = session.get(M.PlanVersion, plan.version_id)
        assert v1.status == M.ARCHIVED
        assert [session.get(Subscription, i).plan_version_id for i in sub_ids] == [v1.id, v1.id]
        new = subs.subscribe(
            session, session.get(User, newcomer.id), session.get(M.Plan, plan.id).published
        )
        assert new.plan_version_id == v2_id


def test_a_migration_is_previewed_with_each_subscribers_date_and_prices(app, grandfathered):  # type: ignore[no-untyped-def]
    brand, plan, v2_id, sub_ids = grandfathered
    with in_brand(app, brand.id) as session:
        rows = migrations.preview(
            session,
            session.get(M.PlanVersion, plan.version_id),
            session.get(M.PlanVersion, v2_id),
            t("2026-03-26T10:00:00"),
        )
        assert [(r.subscription.id, r.effective_at, r.current, r.new) for r in rows] == [
            # Each moves at the start of their own next period, local midnight in Berlin.
            (sub_ids[0], t("2026-04-04T22:00:00"), Decimal("10.00"), Decimal("12.00")),
            (sub_ids[1], t("2026-04-19T22:00:00"), Decimal("10.00"), Decimal("12.00")),
        ]
        assert session.scalars(select(SubscriptionEvent).filter_by(kind="migrated")).all() == []


def test_a_scheduled_migration_moves_each_subscriber_at_their_period_end_and_is_audited(
    app, grandfathered
):  # type: ignore[no-untyped-def]
    brand, plan, v2_id, sub_ids = grandfathered
    with in_brand(app, brand.id) as session:
        v1 = session.get(M.PlanVersion, plan.version_id)
        migration = migrations.schedule(
            session, v1, session.get(M.PlanVersion, v2_id), t("2026-03-26T10:00:00")
        )
        assert migration.affected == 2
        audit = session.scalar(select(AuditEvent).filter_by(action="plan.migration.schedule"))
        assert audit is not None and audit.changes["subscriptions"] == 2
        first, second = (session.get(Subscription, i) for i in sub_ids)
        assert subs.apply_due(session, t("2026-04-10T00:00:00")) == 1
        assert (first.plan_version_id, second.plan_version_id) == (v2_id, v1.id)
        state = subs.state_at(session, second, t("2026-04-20T00:00:00"))
        assert state is not None and state.plan_version_id == v2_id


def test_a_cancelled_migration_moves_nobody(app, grandfathered):  # type: ignore[no-untyped-def]
    brand, plan, v2_id, sub_ids = grandfathered
    with in_brand(app, brand.id) as session:
        v1 = session.get(M.PlanVersion, plan.version_id)
        migration = migrations.schedule(
            session, v1, session.get(M.PlanVersion, v2_id), t("2026-03-26T10:00:00")
        )
        assert migrations.cancel(session, migration, t("2026-03-27T10:00:00")) == 2
        assert subs.apply_due(session, t("2026-06-01T00:00:00")) == 0
        assert {session.get(Subscription, i).plan_version_id for i in sub_ids} == {v1.id}
        events = session.scalars(select(SubscriptionEvent).filter_by(kind="migrated")).all()
        assert {e.state for e in events} == {"revoked"}
        assert SCHEDULED not in {e.state for e in events}


def test_a_second_migration_from_the_same_version_waits_for_the_first_to_be_cancelled(
    app, grandfathered
):  # type: ignore[no-untyped-def]
    brand, plan, v2_id, _ = grandfathered
    with in_brand(app, brand.id) as session:
        v1, v2 = session.get(M.PlanVersion, plan.version_id), session.get(M.PlanVersion, v2_id)
        first = migrations.schedule(session, v1, v2, t("2026-03-26T10:00:00"))
        with pytest.raises(subs.SubscriptionError, match="scheduled already"):
            migrations.schedule(session, v1, v2, t("2026-03-27T10:00:00"))
        migrations.cancel(session, first, t("2026-03-27T09:00:00"))
        assert migrations.schedule(session, v1, v2, t("2026-03-27T10:00:00")).affected == 2


def test_a_holder_with_their_own_change_coming_is_left_out_of_a_migration(app, make, grandfathered):  # type: ignore[no-untyped-def]
    brand, plan, v2_id, sub_ids = grandfathered
    cheaper = make.plan(
        brand, name="Cheaper", components=[{"code": "base", "kind": "recurring", "amount": "5.00"}]
    )
    with in_brand(app, brand.id) as session:
        first = session.get(Subscription, sub_ids[0])
        downgrade = subs.change_plan(
            session, first, session.get(M.PlanVersion, cheaper.version_id), t("2026-03-26T09:00:00")
        )
        assert downgrade.state == SCHEDULED
        v1, v2 = session.get(M.PlanVersion, plan.version_id), session.get(M.PlanVersion, v2_id)
        rows = migrations.preview(session, v1, v2, t("2026-03-26T10:00:00"))
        assert [r.subscription.id for r in rows] == [sub_ids[1]]


def test_an_upgrade_after_a_scheduled_migration_calls_off_the_brands_move(app, make, grandfathered):  # type: ignore[no-untyped-def]
    brand, plan, v2_id, sub_ids = grandfathered
    dearer = make.plan(
        brand, name="Dearer", components=[{"code": "base", "kind": "recurring", "amount": "30.00"}]
    )
    with in_brand(app, brand.id) as session:
        v1, v2 = session.get(M.PlanVersion, plan.version_id), session.get(M.PlanVersion, v2_id)
        migrations.schedule(session, v1, v2, t("2026-03-26T10:00:00"))
        first = session.get(Subscription, sub_ids[0])
        subs.change_plan(
            session, first, session.get(M.PlanVersion, dearer.version_id), t("2026-03-28T10:00:00")
        )
        subs.apply_due(session, t("2026-06-01T00:00:00"))
        assert first.plan_version_id == dearer.version_id
        moves = [e for e in subs.history(session, first) if e.kind == "migrated"]
        assert [e.state for e in moves] == ["revoked"]


def test_published_versions_are_frozen_and_one_draft_at_a_time(app, make):  # type: ignore[no-untyped-def]
    brand = make.brand()
    plan = make.plan(brand, code="frozen")
    with in_brand(app, brand.id) as session:
        published = session.get(M.PlanVersion, plan.version_id)
        with pytest.raises(CatalogError, match='plan "frozen" version 1: is published'):
            catalog.set_contents(session, published, [], [])
        draft = catalog.new_draft(session, published.plan)
        assert (draft.number, [c.code for c in draft.components]) == (2, ["base"])
        with pytest.raises(CatalogError, match="version 2 is a draft already"):
            catalog.new_draft(session, published.plan)


def test_amounts_are_stored_and_read_back_exactly(app, make):  # type: ignore[no-untyped-def]
    brand = make.brand()
    plan = make.plan(
        brand,
        components=[{"code": "base", "kind": "recurring", "amount": "0.1234567891"}],
        allowances=[{"metric": "data_mb", "quantity": "10240", "rollover": True}],
    )
    with in_brand(app, brand.id) as session:
        version = session.get(M.PlanVersion, plan.version_id)
        assert version.components[0].amount == Decimal("0.1234567891")
        assert version.allowances[0].quantity == Decimal("10240")


def test_the_demo_brands_sell_their_own_catalogue_in_their_currency(app):  # type: ignore[no-untyped-def]
    with in_platform(app) as session:
        ids = {slug: by_slug(session, slug).id for slug in ("spreewelle", "wislafon")}
    seen = {}
    for slug, tenant_id in ids.items():
        with in_brand(app, tenant_id) as session:
            plans = catalog.sellable(session)
            addons = catalog.sellable(session, kind=M.ADDON)
            seen[slug] = (
                {v.plan.currency for v in plans + addons},
                {v.plan.payment for v in plans},
                len(addons),
                len(catalog.promotions(session)),
            )
    assert seen["spreewelle"] == ({"EUR"}, {"prepaid", "postpaid"}, 2, 2)
    assert seen["wislafon"] == ({"PLN"}, {"prepaid", "postpaid"}, 2, 1)


def test_the_demo_brands_name_the_standard_metrics_in_their_own_language(app):  # type: ignore[no-untyped-def]
    with in_platform(app) as session:
        ids = {slug: by_slug(session, slug).id for slug in ("spreewelle", "wislafon")}
    names = {}
    for slug, tenant_id in ids.items():
        with in_brand(app, tenant_id) as session:
            names[slug] = {m.code: (m.name, m.aggregation) for m in catalog.metrics(session)}
    assert names["spreewelle"]["voice_minutes"] == ("Minuten", "sum")
    assert names["wislafon"]["data_mb"] == ("Dane", "sum")
    # SMS are counted, not summed, whoever names them.
    assert {names[slug]["sms"][1] for slug in names} == {"count"}


def test_a_metric_aggregates_by_sum_or_count_only(app, make):  # type: ignore[no-untyped-def]
    brand = make.brand()
    with in_brand(app, brand.id) as session, pytest.raises(CatalogError, match="aggregation"):
        catalog.create_metric(session, "api_calls", "API calls", "call", "average")


def test_syncing_the_brand_files_again_creates_nothing(app, settings):  # type: ignore[no-untyped-def]
    from pathlib import Path

    from saas.platform_setup import sync_brands

    with app.app_context():
        outcomes = sync_brands(Path(settings.tenants_dir), settings)
    assert [o for o in outcomes if o[1].startswith("created")] == []
