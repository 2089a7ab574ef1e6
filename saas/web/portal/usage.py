"""The subscriber's usage in the portal: rated records up to the last rated batch, in words."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_login import current_user
from sqlalchemy import select

from saas.db import db
from saas.subscriptions.models import Subscription
from saas.usage import listing
from saas.web import usage_labels as labels
from saas.web.auth import brand_only, subscriber_required
from saas.web.portal import bp


@bp.context_processor
def _usage_words() -> dict[str, Any]:
    return labels.helpers()


@bp.get("/usage")
@brand_only
@subscriber_required
def my_usage() -> Any:
    """My calls, messages and data as rated, newest first, called numbers partly hidden."""
    mine = select(Subscription.id).filter_by(subscriber_id=current_user.id)
    records = listing.of_subscriptions(db.session, list(db.session.scalars(mine)))
    return render_template(
        "portal/usage.html", records=records, rated_until=listing.last_rated_at(db.session)
    )
