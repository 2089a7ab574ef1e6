"""A page of subscriptions costs the same number of queries however many rows it holds."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from saas.identity.roles import API_SCOPES
from tests.integration.test_api import call, issue_key


@contextmanager
def counted() -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def _page_cost(app: Any, client: Any, brand: Any, token: str) -> tuple[int, int]:
    with counted() as statements:
        response = call(client, brand, "/subscriptions?limit=50", token)
    assert response.status_code == 200
    return len(response.json["data"]), len(statements)


def test_listing_subscriptions_does_not_query_once_per_row(
    app: Any, client: Any, make: Any
) -> None:
    brand = make.brand()
    token, _, _ = issue_key(app, brand, API_SCOPES)
    plan = make.plan(brand)
    for _ in range(2):
        make.subscription(brand, make.user(brand, "subscriber"), plan.version_id)
    few = _page_cost(app, client, brand, token)
    for _ in range(6):
        make.subscription(brand, make.user(brand, "subscriber"), plan.version_id)
    many = _page_cost(app, client, brand, token)
    assert (few[0], many[0]) == (2, 8)
    assert many[1] == few[1]
