"""promotion end: the local date a subscription's promotion stops discounting

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 07:00:00.000000
"""

from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from datetime import date

import sqlalchemy as sa
from alembic import op

from saas.db import rls
from saas.subscriptions.cycles import ends_on

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

READ = ("subscriptions", "promotions", "plan_versions", "subscription_events")

subscriptions = sa.table(
    "subscriptions",
    sa.column("id", sa.Integer()),
    sa.column("tenant_id", sa.Integer()),
    sa.column("plan_version_id", sa.Integer()),
    sa.column("promotion_id", sa.Integer()),
    sa.column("anchor_date", sa.Date()),
    sa.column("promotion_ends_on", sa.Date()),
)
promotions = sa.table(
    "promotions",
    sa.column("id", sa.Integer()),
    sa.column("tenant_id", sa.Integer()),
    sa.column("duration", sa.String()),
    sa.column("cycles", sa.Integer()),
)
versions = sa.table(
    "plan_versions",
    sa.column("id", sa.Integer()),
    sa.column("tenant_id", sa.Integer()),
    sa.column("billing_interval", sa.String()),
)
events = sa.table(
    "subscription_events",
    sa.column("id", sa.Integer()),
    sa.column("subscription_id", sa.Integer()),
    sa.column("kind", sa.String()),
    sa.column("data", sa.JSON()),
)


def upgrade() -> None:
    op.add_column("subscriptions", sa.Column("promotion_ends_on", sa.Date(), nullable=True))
    with ExitStack() as stack:
        for table in READ:
            stack.enter_context(rls.unforced(table))
        conn = op.get_bind()
        for sub_id, ends in _ends(conn):
            conn.execute(
                subscriptions.update()
                .where(subscriptions.c.id == sub_id)
                .values(promotion_ends_on=ends)
            )


def _ends(conn: sa.Connection) -> Iterator[tuple[int, date]]:
    """Each promoted subscription's end date, counted on the version it subscribed to."""
    interval = {row.id: row.billing_interval for row in conn.execute(sa.select(versions))}
    first = _subscribed_versions(conn)
    query = sa.select(
        subscriptions.c.id,
        subscriptions.c.plan_version_id,
        subscriptions.c.anchor_date,
        promotions.c.duration,
        promotions.c.cycles,
    ).join(
        promotions,
        sa.and_(
            promotions.c.id == subscriptions.c.promotion_id,
            promotions.c.tenant_id == subscriptions.c.tenant_id,
        ),
    )
    for row in conn.execute(query):
        version_id = first.get(row.id, row.plan_version_id)
        on = interval.get(version_id) or interval[row.plan_version_id]
        ends = ends_on(row.duration, row.cycles, row.anchor_date, on)
        if ends is not None:
            yield row.id, ends


def _subscribed_versions(conn: sa.Connection) -> dict[int, int]:
    """The version each subscription took at subscribe, from its first event."""
    query = sa.select(events.c.subscription_id, events.c.data).where(events.c.kind == "subscribed")
    first: dict[int, int] = {}
    for row in conn.execute(query.order_by(events.c.id)):
        version_id = (row.data or {}).get("plan_version_id")
        if isinstance(version_id, int):
            first.setdefault(row.subscription_id, version_id)
    return first


def downgrade() -> None:
    with op.batch_alter_table("subscriptions") as batch:
        batch.drop_column("promotion_ends_on")
