"""A subscriber's number porting, as the plan page shows it: where the request stands, in words."""

from __future__ import annotations

from typing import Any

from saas.db import db
from saas.network.provisioning import porting
from saas.network.provisioning.models import PortIn
from saas.subscriptions.models import Subscription
from saas.web import provisioning_labels as labels
from saas.web.portal import bp
from saas.web.portal.lines import held


def number_moves(sub: Subscription) -> list[PortIn]:
    """The port-ins of one of the subscriber's own subscriptions, newest first."""
    if not held(sub)[1]:
        return []  # the line's read says there is none to read
    return porting.of_subscription(db.session, sub.id)


@bp.context_processor
def _porting() -> dict[str, Any]:
    return labels.helpers() | {"number_moves": number_moves}
