"""Many subscribers and subscriptions made at once, for tests of long lists."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from tests.conftest import in_brand

STARTED = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)  # 2 July, 00:30 in Berlin


def add_people(app: Any, brand: Any, count: int, name: str = "Person") -> list[int]:
    """Subscribers made in one go, oldest first; returns their ids."""
    from saas.identity.services import create_user

    with in_brand(app, brand.id) as session:
        tag = uuid.uuid4().hex[:6]
        made = [
            create_user(
                session,
                kind="subscriber",
                email=f"{name.lower()}-{tag}-{n}@example.com",
                full_name=f"{name} {n}",
                password=None,
            )
            for n in range(count)
        ]
        session.flush()
        return [user.id for user in made]


def subscribe_all(
    app: Any, brand: Any, people: list[int], version_id: int, **set: Any
) -> list[int]:
    """Subscribe each person to a version, started at STARTED; `set` overrides columns."""
    from saas.catalog.models import PlanVersion
    from saas.identity.models import User
    from saas.subscriptions import services as subs

    with in_brand(app, brand.id) as session:
        version = session.get(PlanVersion, version_id)
        made = [subs.subscribe(session, session.get(User, p), version, STARTED) for p in people]
        for sub in made:
            for column, value in set.items():
                setattr(sub, column, value)
        session.flush()
        return [sub.id for sub in made]
