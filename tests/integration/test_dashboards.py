"""The console's and the platform's dashboards, read off a known subscription history."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from babel.dates import format_skeleton

from saas.platform_setup import DEMO_OPERATOR
from tests.conftest import counted, get, in_brand, logged_in, login, page, text
from tests.support.months import ZONE, local, month

PLATFORM = "http://localhost"


def _plans(make: Any, brand: Any) -> dict[str, Any]:
    def plan(name: str, amount: str, interval: str = "monthly", **fields: Any) -> Any:
        components = [{"code": "base", "name": "Fee", "kind": "recurring", "amount": amount}]
        return make.plan(
            brand, name=name, billing_interval=interval, components=components, **fields
        )

    return {
        "basic": plan("Basic", "10.00"),
        "plus": plan("Plus", "25.00"),
        "year": plan("Yearly", "120.00", "yearly"),
        "week": plan("Weekly", "3.00", "weekly"),
        "quarter": plan("Quarterly", "10.00", "quarterly"),
        "addon": plan("Extra data", "5.00", kind="addon"),
    }


def _promotions(session: Any, basic_code: str) -> None:
    from saas.catalog import services as catalog
    from saas.catalog.specs import PromotionSpec

    for data in (
        {
            "code": "ewig",
            "kind": "percent",
            "value": "10",
            "duration": "forever",
            "plan": basic_code,
        },
        {"code": "drei", "kind": "percent", "value": "50", "duration": "repeating", "cycles": 3},
        {"code": "einmal", "kind": "fixed", "value": "5", "currency": "EUR", "duration": "once"},
    ):
        catalog.create_promotion(
            session, PromotionSpec.parse(data | {"name": data["code"], "promo_code": data["code"]})
        )


def _history(app: Any, make: Any, brand: Any) -> dict[str, Any]:
    """Ten subscriptions over fourteen months: the dashboard's numbers are worked out by hand."""
    from saas.catalog.models import PlanVersion
    from saas.identity.models import User
    from saas.subscriptions import services as subs

    plans = _plans(make, brand)
    people = [make.user(brand, "subscriber") for _ in range(10)]
    with in_brand(app, brand.id) as session:
        _promotions(session, plans["basic"].code)
        version = {k: session.get(PlanVersion, p.version_id) for k, p in plans.items()}
        user = [session.get(User, p.id) for p in people]

        def sub(i: int, plan: str, at: datetime, promo: str | None = None) -> Any:
            return subs.subscribe(session, user[i], version[plan], at, promo_code=promo)

        sub(0, "basic", local(11, 5))
        old = sub(1, "basic", local(13, 5))  # before the window: its start is not counted
        subs.cancel(session, old, local(6, 10))
        upgraded = sub(2, "basic", local(5, 10), "ewig")
        subs.change_plan(session, upgraded, version["plus"], local(3, 12))  # upgrade, at once
        downgraded = sub(3, "plus", local(4, 3))
        subs.change_plan(session, downgraded, version["basic"], local(4, 8))  # due local(3, 3)
        # Just after local midnight: the month before in UTC, this month in the brand's zone.
        yearly = sub(4, "year", local(2, 1, 0, 30))
        subs.cancel(session, yearly, local(1, 10), when="period_end")  # due in ten months
        sub(5, "week", local(1, 4), "drei")  # three weeks at half price: over by now
        sub(6, "quarter", local(1, 6), "drei")  # three quarters at half price: still running
        suspended = sub(7, "basic", local(2, 15), "einmal")  # once: no lasting discount
        subs.add_addon(session, suspended, version["addon"], local(2, 16))
        subs.suspend(session, suspended, local(1, 2))
        called_off = sub(8, "plus", local(2, 20))
        downgrade = subs.change_plan(session, called_off, version["basic"], local(2, 22))
        subs.revoke(session, downgrade, local(2, 23))  # called off before it fell due
        sub(9, "basic", local(7, 1), "ewig")  # forever 10 % off: 9.00
        subs.apply_due(session, datetime.now(UTC))
    return plans


EXPECTED_MOVES = {
    11: {"new": 1},
    7: {"new": 1},
    6: {"cancelled": 1},
    5: {"new": 1},
    4: {"new": 1},
    3: {"upgraded": 1, "downgraded": 1},
    2: {"new": 3},
    1: {"new": 2},
}


@pytest.fixture(scope="module")
def history(app: Any) -> Any:
    from tests.conftest import Factory

    make = Factory(app)
    brand = make.brand(timezone=ZONE, currency="EUR", default_locale="en", locales=["en"])
    plans = _history(app, make, brand)
    return brand, plans


def test_moves_per_local_month_come_from_the_history(app: Any, history: Any) -> None:
    from saas.reports import subscriptions as figures

    brand, _ = history
    with in_brand(app, brand.id) as session:
        months = figures.moves(session, datetime.now(UTC), ZONE)
    assert [m.month for m in months] == [month(back) for back in range(11, -1, -1)]
    for back, m in zip(range(11, -1, -1), months, strict=True):
        expected = dict.fromkeys(figures.MOVES, 0) | EXPECTED_MOVES.get(back, {})
        assert {move: m.count(move) for move in figures.MOVES} == expected, m.month


def test_mrr_normalises_intervals_takes_off_lasting_discounts_and_adds_add_ons(
    app: Any, history: Any
) -> None:
    from saas.reports import subscriptions as figures

    brand, plans = history
    with in_brand(app, brand.id) as session:
        held = figures.holdings(session, datetime.now(UTC), ZONE)
    by_code = {line.code: (line.active, line.suspended, line.mrr) for line in held.plans}
    assert by_code == {
        plans["basic"].code: (3, 1, Decimal("39.00")),  # 10 + 10 + 9 active, 10 suspended
        plans["plus"].code: (2, 0, Decimal("50.00")),  # the basic-only discount left on upgrade
        plans["year"].code: (1, 0, Decimal("10.00")),  # 120 / 12; its cancellation is ahead
        plans["week"].code: (1, 0, Decimal("13.00")),  # 3 x 52 / 12, the discount over
        plans["quarter"].code: (1, 0, Decimal("1.67")),  # 10 x 50 % / 3 = 1.666...
    }
    assert [(a.code, a.active, a.suspended, a.mrr) for a in held.addons] == [
        (plans["addon"].code, 0, 1, Decimal("5.00"))
    ]
    # The exact sum rounded once: 113 + 5 / 3 + 5 = 118.666...
    assert held.mrr == {"EUR": Decimal("118.67")}


def test_the_console_shows_the_figures_and_the_chart(app: Any, make: Any, history: Any) -> None:
    brand, plans = history
    owner = logged_in(app, make, brand)
    body = text(get(owner, "/admin/"))
    assert 'data-testid="mrr-EUR">€118.67<' in body
    assert re.search(
        r'<svg[^>]*role="img" aria-labelledby="moves-title moves-desc" data-testid="moves-chart"',
        body,
    )
    assert '<title id="moves-title">New, upgraded, downgraded and cancelled' in body
    label = f"New in {month(2):%B %Y}: 3"
    assert f'aria-label="{label}"><title>{label}</title>' in body
    assert re.search(rf'data-testid="bar-new-9" data-value="3" aria-label="{label}"', body)
    row = re.search(rf'data-testid="moves-{month(3):%Y-%m}">(.*?)</tr>', body, re.S)
    assert row is not None
    cells = dict(re.findall(r'data-testid="(\w+)">(\d+)<', row.group(1)))
    assert cells == {"new": "0", "upgraded": "1", "downgraded": "1", "cancelled": "0"}
    basic = re.search(rf'plan-figures-{plans["basic"].code}">(.*?)</tr>', body, re.S)
    assert basic is not None and "€39.00" in basic.group(1)


def test_the_dashboard_sends_as_many_queries_for_many_subscriptions_as_for_few(
    app: Any, make: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from saas.web.admin import dashboard

    monkeypatch.setattr(dashboard, "FIGURES_SECONDS", 0.0)  # count them afresh each time
    monkeypatch.setattr(dashboard, "EVENTS_SECONDS", 0.0)  # and name the recent events afresh
    brand = make.brand(timezone=ZONE)
    plan = make.plan(brand)
    addon = make.plan(brand, kind="addon", name="Boost")
    owner = logged_in(app, make, brand)

    def grow(n: int) -> None:
        from saas.catalog.models import PlanVersion
        from saas.identity.models import User
        from saas.subscriptions import services as subs

        people = [make.user(brand, "subscriber") for _ in range(n)]
        with in_brand(app, brand.id) as session:
            for i, person in enumerate(people):
                sub = subs.subscribe(
                    session,
                    session.get(User, person.id),
                    session.get(PlanVersion, plan.version_id),
                    local(i % 10 + 1, 3),
                )
                subs.add_addon(
                    session, sub, session.get(PlanVersion, addon.version_id), local(i % 10 + 1, 4)
                )
                if i % 3 == 0:
                    subs.cancel(session, sub, local(i % 10 + 1, 9))

    grow(2)
    get(owner, "/admin/")
    with counted() as few:
        assert get(owner, "/admin/").status_code == 200
    grow(12)
    with counted() as many:
        assert get(owner, "/admin/").status_code == 200
    assert len(many) == len(few), "\n".join(many)
    assert len(many) <= 20
    assert any("subscription_events" in statement for statement in many)


def test_the_dashboard_keeps_its_figures_for_a_minute_and_says_when_they_were_counted(
    app: Any, make: Any
) -> None:
    brand = make.brand(timezone=ZONE)
    make.plan(brand)
    owner = logged_in(app, make, brand)
    first = page(get(owner, "/admin/"))
    assert 'data-testid="figures-as-of"' in first
    with counted() as again:
        assert get(owner, "/admin/").status_code == 200
    assert not any("subscription_events" in statement for statement in again)


def test_the_headline_counts_are_one_statement_of_counts_per_kind(app: Any, make: Any) -> None:
    from saas.reports.headcount import headcount

    brand = make.brand()
    make.user(brand, "staff")
    for _ in range(3):
        make.user(brand, "subscriber")
    with in_brand(app, brand.id) as session, counted() as statements:
        people = headcount(session)
    assert (people.staff, people.subscribers) == (1, 3)
    (statement,) = [s for s in statements if "users" in s]
    assert "GROUP BY" not in statement and statement.count("users.kind =") == 2


@pytest.mark.parametrize(
    ("lang", "currency", "amount"), [("de", "EUR", "10,00\xa0€"), ("pl", "PLN", "10,00\xa0zł")]
)
def test_the_dashboard_speaks_the_readers_language(
    app: Any, make: Any, lang: str, currency: str, amount: str
) -> None:
    brand = make.brand(timezone=ZONE, currency=currency, default_locale=lang, locales=[lang])
    plan = make.plan(brand)
    make.subscription(brand, make.user(brand, "subscriber"), plan.version_id, local(1, 14))
    owner = logged_in(app, make, brand)
    owner.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    body = text(get(owner, "/admin/"))
    assert f'data-testid="mrr-{currency}">{amount}<' in body
    name = format_skeleton("yMMMM", month(1), locale=lang)
    row = re.search(rf'data-testid="moves-{month(1):%Y-%m}">\s*<th scope="row">(.*?)</th>', body)
    assert row is not None and row.group(1) == name
    assert format_skeleton("MMM", month(1), locale=lang) in body
    assert "New in" not in body


# --- the platform ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def operator(app: Any) -> Any:
    client = app.test_client()
    assert login(client, "localhost", *DEMO_OPERATOR).status_code == 302
    return client


@pytest.fixture
def recount(monkeypatch: pytest.MonkeyPatch) -> None:
    """Count the brands afresh on each view of the platform's list."""
    from saas.web.platform import routes

    monkeypatch.setattr(routes, "FIGURES_SECONDS", 0.0)


def test_the_platform_lists_each_brands_subscribers_and_live_subscriptions(
    app: Any, make: Any, operator: Any, history: Any, recount: None
) -> None:
    brand, _ = history
    empty = make.brand()
    body = page(operator.get("/platform/", base_url=PLATFORM))
    row = re.search(rf'data-testid="brand-row-{brand.slug}">(.*?)</tr>', body, re.S)
    assert row is not None
    assert 'data-testid="brand-subscribers">10<' in row.group(1)
    assert 'data-testid="brand-subscriptions">9<' in row.group(1)  # one of ten cancelled
    other = re.search(rf'data-testid="brand-row-{empty.slug}">(.*?)</tr>', body, re.S)
    assert other is not None and 'data-testid="brand-subscriptions">0<' in other.group(1)


def test_the_platform_counts_each_brand_in_one_statement_through_the_audited_crossing(
    app: Any, make: Any, operator: Any, recount: None
) -> None:
    from saas.identity import audit

    brand = make.brand()
    operator.get("/platform/", base_url=PLATFORM)
    with counted() as before:
        operator.get("/platform/", base_url=PLATFORM)
    make.brand()
    with counted() as after:
        operator.get("/platform/", base_url=PLATFORM)
    figures = [s for s in after if "subscriptions" in s and "count" in s]
    assert len(figures) == len([s for s in before if "subscriptions" in s and "count" in s]) + 1
    with in_brand(app, brand.id) as session:
        reasons = [
            e.changes["reason"] for e in audit.recent(session, 20) if e.action == "tenant.cross"
        ]
    assert reasons and reasons[0] == "platform console: brand list"


def test_looking_at_the_platform_list_again_leaves_no_new_trace_in_each_brand(
    app: Any, make: Any, operator: Any
) -> None:
    from saas.identity import audit

    brand = make.brand()
    operator.get("/platform/", base_url=PLATFORM)  # a new brand is always counted

    def crossings() -> int:
        with in_brand(app, brand.id) as session:
            return sum(e.action == "tenant.cross" for e in audit.recent(session, 50))

    seen = crossings()
    for _ in range(3):
        assert operator.get("/platform/", base_url=PLATFORM).status_code == 200
    assert crossings() == seen
