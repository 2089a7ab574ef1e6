"""The console's subscriber and subscription lists: pages by key, filters, totals and CSV files."""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

from saas.subscriptions.models import CANCELLED, SUSPENDED
from saas.web.admin import exports, paging
from tests.conftest import counted, get, in_brand, logged_in, recurring, text
from tests.support.forms import field_errors
from tests.support.lists import add_people, subscribe_all

ROW_ID = re.compile(r'data-testid="(?:subscriber|subscription)-row" data-id="(\d+)"')


@pytest.fixture
def brand(make: Any) -> Any:
    return make.brand(
        currency="EUR", timezone="Europe/Berlin", default_locale="en", locales=["en", "de", "pl"]
    )


def promotion(app: Any, brand: Any, name: str) -> int:
    from saas.catalog import services as catalog
    from saas.catalog.specs import PromotionSpec

    spec = {"code": f"p{uuid.uuid4().hex[:6]}", "name": name, "kind": "percent", "value": "10"}
    with in_brand(app, brand.id) as session:
        return catalog.create_promotion(session, PromotionSpec.parse(spec)).id


def shown_ids(response: Any) -> list[int]:
    return [int(i) for i in ROW_ID.findall(response.get_data(as_text=True))]


def link(response: Any, testid: str) -> tuple[str, dict[str, str]]:
    """The path and query of a link on the page, found by its test id."""
    found = re.search(
        rf'href="([^"]+)"[^>]*data-testid="{testid}"', response.get_data(as_text=True)
    )
    assert found is not None, testid
    parts = urlsplit(found.group(1).replace("&amp;", "&"))
    return parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}


def follow(c: Any, response: Any, testid: str) -> Any:
    path, query = link(response, testid)
    return get(c, path, **query)


def has_link(response: Any, testid: str) -> bool:
    return f'data-testid="{testid}"' in response.get_data(as_text=True)


def read_csv(response: Any) -> tuple[str, list[list[str]]]:
    """The separator a CSV download uses and its rows, after checking it starts with a BOM."""
    body = response.get_data(as_text=True)
    assert body.startswith(exports.BOM)
    separator = ";" if body.split("\r\n", 1)[0].count(";") else ","
    return separator, list(csv.reader(io.StringIO(body[1:]), delimiter=separator))


# Paging


def test_a_row_link_built_once_is_the_link_url_for_builds(app: Any) -> None:
    from flask import url_for

    from saas.web.routing import row_link

    with app.test_request_context("/admin/subscriptions", base_url="http://x.localhost:5000"):
        detail = row_link("admin.subscription_detail", "sub_id")
        for ident in (1, 42, 2147483647):
            assert detail(ident) == url_for("admin.subscription_detail", sub_id=ident)
        preview = row_link("portal.change_preview", "item", sub_id=7, action="remove-addon")
        assert preview(9) == url_for(
            "portal.change_preview", sub_id=7, action="remove-addon", item=9
        )


def test_subscribers_are_paged_fifty_at_a_time_newest_first_with_page_two_reachable(
    app: Any, make: Any, brand: Any
) -> None:
    people = add_people(app, brand, 57)
    c = logged_in(app, make, brand, roles=("read_only",))
    first = get(c, "/admin/subscribers")
    assert first.status_code == 200
    assert shown_ids(first) == sorted(people, reverse=True)[:50]
    assert not has_link(first, "subscriber-newer")
    assert 'data-total="57"' in first.get_data(as_text=True) and "Found: 57" in text(first)
    second = follow(c, first, "subscriber-older")
    assert shown_ids(second) == sorted(people, reverse=True)[50:]
    assert not has_link(second, "subscriber-older")
    assert shown_ids(follow(c, second, "subscriber-newer")) == shown_ids(first)


def test_rows_added_between_page_views_cause_no_duplicates_or_gaps(
    app: Any, make: Any, brand: Any
) -> None:
    plan = make.plan(brand, name="Basis", components=recurring("10.00"))
    older = subscribe_all(app, brand, add_people(app, brand, 60), plan.version_id)
    c = logged_in(app, make, brand)
    first = get(c, "/admin/subscriptions")
    newer = subscribe_all(app, brand, add_people(app, brand, 4), plan.version_id)
    second = follow(c, first, "subscription-older")
    assert shown_ids(first) + shown_ids(second) == sorted(older, reverse=True)
    back = follow(c, second, "subscription-newer")
    assert shown_ids(back) == shown_ids(first)  # the page before, as it was, not shifted by 4
    assert shown_ids(follow(c, back, "subscription-newer")) == sorted(newer, reverse=True)


def test_filters_are_kept_on_the_links_to_other_pages_and_to_the_export(
    app: Any, make: Any, brand: Any
) -> None:
    add_people(app, brand, 53, name="Findme")
    add_people(app, brand, 5, name="Other")
    c = logged_in(app, make, brand)
    first = get(c, "/admin/subscribers", q="findme")
    assert link(first, "subscriber-older")[1]["q"] == "findme"
    assert link(first, "subscriber-export") == ("/admin/subscribers/export", {"q": "findme"})
    second = follow(c, first, "subscriber-older")
    assert len(shown_ids(second)) == 3 and "Other" not in text(second)
    assert link(second, "subscriber-newer")[1]["q"] == "findme"


def test_past_the_counted_rows_the_total_says_more_than(
    app: Any, make: Any, brand: Any, monkeypatch: Any
) -> None:
    add_people(app, brand, 12)
    monkeypatch.setattr(paging, "PAGE", 5)
    monkeypatch.setattr(paging, "COUNTED", 10)
    c = logged_in(app, make, brand)
    response = get(c, "/admin/subscribers")
    assert 'data-total="10+"' in page_of(response) and "Found: more than 10" in text(response)


def test_a_brand_past_the_counted_subscriptions_is_not_counted_again_unless_filtered(
    app: Any, make: Any, brand: Any, monkeypatch: Any
) -> None:
    plan = make.plan(brand, name="Basis", components=recurring("10.00"))
    subscribe_all(app, brand, add_people(app, brand, 12), plan.version_id)
    monkeypatch.setattr(paging, "PAGE", 5)
    monkeypatch.setattr(paging, "COUNTED", 10)
    c = logged_in(app, make, brand)
    views = []
    for query in ({}, {}, {"status": "active"}, {"status": "active"}):
        with counted() as statements:
            response = get(c, "/admin/subscriptions", **query)
        views.append((sum("count(" in s for s in statements), text(response)))
    # No subscription is ever deleted: past 10 once, the brand's list stays past 10.
    assert [counts for counts, _ in views] == [1, 0, 1, 1]
    assert all("Found: more than 10" in shown for _, shown in views)


def page_of(response: Any) -> str:
    return str(response.get_data(as_text=True))


def test_a_page_key_someone_changed_starts_over_at_the_newest(
    app: Any, make: Any, brand: Any
) -> None:
    people = add_people(app, brand, 3)
    c = logged_in(app, make, brand)
    response = get(c, "/admin/subscribers", before="x'; --", after="-1")
    assert response.status_code == 200
    assert shown_ids(response) == sorted(people, reverse=True)


# Filters


@pytest.fixture
def shop(app: Any, make: Any, brand: Any) -> Any:
    """Two plans, a promotion, and subscriptions of each kind, in a Berlin brand."""
    basis = make.plan(brand, name="Basis", components=recurring("9.99"))
    plus = make.plan(brand, name="Plus Max", components=recurring("24.50"))
    sommer = promotion(app, brand, "Sommerrabatt")
    ids = {
        "basis": subscribe_all(app, brand, add_people(app, brand, 2, "Anna"), basis.version_id),
        "plus": subscribe_all(app, brand, add_people(app, brand, 1, "Bert"), plus.version_id),
        "promoted": subscribe_all(
            app, brand, add_people(app, brand, 1, "Carla"), plus.version_id, promotion_id=sommer
        ),
        "suspended": subscribe_all(
            app, brand, add_people(app, brand, 1, "Dora"), basis.version_id, status=SUSPENDED
        ),
        "cancelled": subscribe_all(
            app, brand, add_people(app, brand, 1, "Emil"), plus.version_id, status=CANCELLED
        ),
    }
    return {"basis": basis, "plus": plus, "sommer": sommer, "ids": ids}


def test_subscriptions_are_filtered_by_plan_status_promotion_and_subscriber(
    app: Any, make: Any, brand: Any, shop: Any
) -> None:
    c = logged_in(app, make, brand)
    ids = shop["ids"]
    basis = ids["basis"] + ids["suspended"]
    assert sorted(shown_ids(get(c, "/admin/subscriptions", plan=shop["basis"].id))) == basis
    assert shown_ids(get(c, "/admin/subscriptions", status=SUSPENDED)) == ids["suspended"]
    assert shown_ids(get(c, "/admin/subscriptions", promotion=shop["sommer"])) == ids["promoted"]
    assert shown_ids(get(c, "/admin/subscriptions", q="CARLA")) == ids["promoted"]
    both = get(c, "/admin/subscriptions", plan=shop["plus"].id, status=CANCELLED)
    assert shown_ids(both) == ids["cancelled"] and "Found: 1" in text(both)
    assert shown_ids(get(c, "/admin/subscriptions", q="100%")) == []  # % is no wildcard


def test_the_filter_offers_plans_promotions_and_states_in_words_of_the_reader(
    app: Any, make: Any, brand: Any, shop: Any
) -> None:
    c = logged_in(app, make, brand, locale="de")
    body = text(get(c, "/admin/subscriptions"))
    options = dict(re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]+)</option>', body))
    assert options[str(shop["basis"].id)] == "Basis"
    assert options[str(shop["plus"].id)] == "Plus Max"
    assert options[str(shop["sommer"])] == "Sommerrabatt"
    assert options[SUSPENDED] == "gesperrt" and options[""] == "Alle"
    assert shop["basis"].code not in body


@pytest.mark.parametrize(
    ("query", "box"),
    [({"plan": "999999999"}, "plan"), ({"promotion": "abc"}, "promotion"), ({"q": "x" * 255}, "q")],
)
def test_a_filter_value_not_offered_is_refused_beside_its_box_and_everything_is_listed(
    app: Any, make: Any, brand: Any, shop: Any, query: dict[str, str], box: str
) -> None:
    c = logged_in(app, make, brand)
    response = get(c, "/admin/subscriptions", **query)
    assert response.status_code == 400
    assert list(field_errors(response)) == [box]
    assert len(shown_ids(response)) == 6
    assert get(c, "/admin/subscriptions/export", **query).status_code == 400


# CSV


def test_the_csv_in_english_holds_exactly_what_the_filter_shows_comma_separated(
    app: Any, make: Any, brand: Any, shop: Any
) -> None:
    c = logged_in(app, make, brand, locale="en")
    response = get(c, "/admin/subscriptions/export", plan=shop["plus"].id)
    assert response.status_code == 200
    assert response.content_type == "text/csv; charset=utf-8"
    today = datetime.now(UTC).astimezone(ZoneInfo("Europe/Berlin")).date()
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="{brand.slug}-subscriptions-{today}.csv"'
    separator, rows = read_csv(response)
    assert separator == ","
    assert rows[0][:3] == ["#", "Name", "E-mail"] and rows[0][-1] == "Started (Europe/Berlin)"
    plus = shop["ids"]["plus"] + shop["ids"]["promoted"] + shop["ids"]["cancelled"]
    assert [int(r[0]) for r in rows[1:]] == sorted(plus, reverse=True)
    carla = next(r for r in rows if r[1] == "Carla 0")
    assert carla[4:] == [
        "Plus Max",
        "1",
        "active",
        "Sommerrabatt",
        "24.50",
        "EUR",
        "2026-07-02 00:30",
    ]


def test_the_csv_in_german_uses_semicolons_decimal_commas_and_german_headers(
    app: Any, make: Any, brand: Any, shop: Any
) -> None:
    c = logged_in(app, make, brand, locale="de")
    separator, rows = read_csv(get(c, "/admin/subscriptions/export", status=SUSPENDED))
    assert separator == ";"
    assert rows[0][1:3] == ["Name", "E-Mail"] and rows[0][-1] == "Begonnen (Europe/Berlin)"
    (dora,) = rows[1:]
    assert dora[4] == "Basis" and dora[8] == "9,99" and dora[-1] == "2026-07-02 00:30"
    assert dora[6] == "gesperrt"


def test_the_subscriber_csv_streams_every_row_in_batches_by_key(
    app: Any, make: Any, brand: Any, monkeypatch: Any
) -> None:
    people = add_people(app, brand, 7, name="Zed")
    monkeypatch.setattr(paging, "BATCH", 3)
    c = logged_in(app, make, brand, locale="pl")
    with counted() as statements:
        response = get(c, "/admin/subscribers/export", q="zed")
        separator, rows = read_csv(response)
    assert separator == ";"
    assert [int(r[0]) for r in rows[1:]] == sorted(people, reverse=True)
    assert len([s for s in statements if "FROM users" in s and "LIMIT" in s]) == 3


def test_a_name_that_looks_like_a_formula_is_written_as_text(
    app: Any, make: Any, brand: Any
) -> None:
    make.user(brand, "subscriber", full_name='=HYPERLINK("http://x")')
    c = logged_in(app, make, brand)
    _, rows = read_csv(get(c, "/admin/subscribers/export"))
    assert rows[1][1] == '\'=HYPERLINK("http://x")'


def test_the_lists_and_their_exports_need_the_lists_permission_and_show_one_brand(
    app: Any, make: Any, brand: Any, shop: Any
) -> None:
    person = logged_in(app, make, brand, kind="subscriber")
    for path in ("/admin/subscribers/export", "/admin/subscriptions/export"):
        assert get(person, path).status_code == 403
    other = make.brand()
    outsider = logged_in(app, make, other)
    _, rows = read_csv(get(outsider, "/admin/subscriptions/export"))
    assert rows[1:] == []
    _, people = read_csv(get(outsider, "/admin/subscribers/export"))
    assert people[1:] == []


# Query counts


def _cost(c: Any, path: str, **query: Any) -> tuple[int, int]:
    with counted() as statements:
        response = get(c, path, **query)
        body = response.get_data()
    assert response.status_code == 200, body
    return len(shown_ids(response)) or body.count(b"\r\n"), len(statements)


def test_a_first_page_holding_every_match_is_counted_without_a_count_query(
    app: Any, make: Any, brand: Any
) -> None:
    add_people(app, brand, 3, name="Few")
    c = logged_in(app, make, brand)
    get(c, "/admin/subscribers")
    with counted() as statements:
        response = get(c, "/admin/subscribers", q="few")
    assert "Found: 3" in text(response)
    assert not [s for s in statements if "count(" in s]


def test_a_list_page_and_an_export_cost_the_same_queries_however_many_rows(
    app: Any, make: Any, brand: Any
) -> None:
    plan = make.plan(brand, name="Basis", components=recurring("10.00"))
    sommer = promotion(app, brand, "Sommer")
    c = logged_in(app, make, brand)
    get(c, "/admin/subscriptions")  # the first request of a session records its use
    paths = [
        ("/admin/subscribers", {}),
        ("/admin/subscriptions", {}),
        ("/admin/subscriptions", {"promotion": sommer, "q": "person"}),
        ("/admin/subscriptions/export", {}),
        ("/admin/subscribers/export", {}),
    ]
    subscribe_all(app, brand, add_people(app, brand, 52), plan.version_id, promotion_id=sommer)
    few = [_cost(c, path, **query) for path, query in paths]
    subscribe_all(app, brand, add_people(app, brand, 40), plan.version_id, promotion_id=sommer)
    many = [_cost(c, path, **query) for path, query in paths]
    assert [m[1] for m in many] == [f[1] for f in few]
    assert [f[0] for f in few[:3]] == [50, 50, 50] and [m[0] for m in many[3:]] == [93, 93]
