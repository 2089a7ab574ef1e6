"""The console home draws its figures and recent events once, and again when they change."""

from __future__ import annotations

import re
from typing import Any

from tests.conftest import counted, get, logged_in, page
from tests.integration.test_admin_console import dead_letter

# A form token carries the second it was signed in: two views a second apart differ there.
TOKEN = re.compile(r'name="csrf_token" value="[^"]*"')


def shown(response: Any) -> str:
    """The page as drawn, its form tokens left out."""
    return TOKEN.sub('name="csrf_token" value=""', page(response))


def test_a_second_view_of_the_console_home_sends_three_statements(app: Any, make: Any) -> None:
    brand = make.brand()
    make.plan(brand)
    owner = logged_in(app, make, brand)
    first = shown(get(owner, "/admin/"))
    with counted() as again:
        second = shown(get(owner, "/admin/"))
    # The tenant setting, the logged-in person, and the dead letters with the newest event.
    assert len(again) == 3, "\n".join(again)
    assert not any("audit_events.id," in s or "count(*)" in s for s in again)
    assert second == first


def test_a_new_event_is_on_the_console_home_at_the_next_view(app: Any, make: Any) -> None:
    brand = make.brand()
    owner = logged_in(app, make, brand)
    get(owner, "/admin/")
    dead_letter(app, brand)
    body = page(get(owner, "/admin/"))
    assert 'data-testid="dead-count">1<' in body
    recent = body.split('data-testid="recent-events"')[1]
    assert "set aside as a dead letter" in recent
