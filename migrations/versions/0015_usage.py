"""usage: sources, files by content hash, chunks of work, rated records, quarantine, corrections

Revision ID: 0015_usage
Revises: 0013
Create Date: 2026-12-02 12:00:00.000000
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from saas.db import base, rls

revision: str = "0015_usage"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "usage_sources",
    "usage_files",
    "usage_chunks",
    "usage_records",
    "usage_quarantine",
    "usage_corrections",
)
WHEN = base.UTCDateTime(timezone=True)
BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _owned(
    table: str, *columns: Any, refs: Sequence[tuple[str, str, str]] = (), bulk: bool = False
) -> None:
    """A tenant-owned table: its columns, its tenant, (tenant_id, id) unique, its references.

    A `bulk` table's tenant is pinned by its composite references alone (no key to `tenants`,
    no index of its own), which each of its millions of inserted rows would pay for.
    """
    keys = [
        sa.ForeignKeyConstraint(
            ["tenant_id", column],
            [f"{target}.tenant_id", f"{target}.id"],
            name=op.f(f"fk_{table}_tenant_id_{column}_{target}"),
            ondelete=ondelete,
        )
        for column, target, ondelete in refs
    ]
    op.create_table(
        table,
        *columns,
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        *([] if bulk else [_tenant_key(table)]),
        *keys,
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f(f"uq_{table}_tenant_id_id")),
    )
    if not bulk:
        op.create_index(op.f(f"ix_{table}_tenant_id"), table, ["tenant_id"])


def _tenant_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id"],
        ["tenants.id"],
        name=op.f(f"fk_{table}_tenant_id_tenants"),
        ondelete="RESTRICT",
    )


def _col(name: str, kind: sa.types.TypeEngine | type, nullable: bool = False) -> sa.Column:
    return sa.Column(name, kind, nullable=nullable)


def _unique(table: str, *columns: str) -> sa.UniqueConstraint:
    """(tenant_id, columns...) unique, named as the models' naming convention names it."""
    return sa.UniqueConstraint(
        "tenant_id", *columns, name=op.f(f"uq_{table}_tenant_id_{'_'.join(columns)}")
    )


def _sources_and_files() -> None:
    _owned(
        "usage_sources",
        _col("id", sa.Integer()),
        _col("name", sa.String(64)),
        _col("format", sa.String(16)),
        _col("mapping", sa.JSON()),
        _col("drop_folder", sa.String(500)),
        _col("created_at", WHEN),
        _unique("usage_sources", "name"),
    )
    _owned(
        "usage_files",
        _col("id", sa.Integer()),
        _col("source_id", sa.Integer()),
        _col("filename", sa.String(255)),
        _col("digest", sa.String(64)),
        _col("size", sa.BigInteger()),
        _col("arrived_by", sa.String(8)),
        _col("state", sa.String(16)),
        _col("duplicate_of_id", sa.Integer(), nullable=True),
        _col("header", sa.Text()),
        _col("chunks", sa.Integer()),
        _col("chunks_done", sa.Integer()),
        _col("records", sa.Integer()),
        _col("rated", sa.Integer()),
        _col("quarantined", sa.Integer()),
        _col("duplicates", sa.Integer()),
        _col("received_at", WHEN),
        _col("finished_at", WHEN, nullable=True),
        refs=[
            ("source_id", "usage_sources", "RESTRICT"),
            ("duplicate_of_id", "usage_files", "RESTRICT"),
        ],
    )
    once = sa.text("duplicate_of_id IS NULL")
    op.create_index(
        "ix_usage_files_digest",
        "usage_files",
        ["tenant_id", "digest"],
        unique=True,
        postgresql_where=once,
        sqlite_where=once,
    )
    op.create_index("ix_usage_files_received", "usage_files", ["tenant_id", "received_at"])


def _chunks() -> None:
    _owned(
        "usage_chunks",
        _col("id", sa.Integer()),
        _col("file_id", sa.Integer()),
        _col("seq", sa.Integer()),
        _col("first_row", sa.Integer()),
        _col("count", sa.Integer()),
        _col("content", sa.LargeBinary()),
        _col("done_at", WHEN, nullable=True),
        _col("millis", sa.Integer()),
        _unique("usage_chunks", "file_id", "seq"),
        refs=[("file_id", "usage_files", "CASCADE")],
    )
    op.create_index("ix_usage_chunks_pending", "usage_chunks", ["tenant_id", "done_at", "id"])


def _records() -> None:
    _owned(
        "usage_records",
        _col("id", BIG),
        _col("file_id", sa.Integer()),
        _col("record_key", sa.String(128)),
        _col("row", sa.Integer()),
        _col("service", sa.String(8)),
        _col("direction", sa.String(4)),
        _col("msisdn", sa.String(15), nullable=True),
        _col("imsi", sa.String(15), nullable=True),
        _col("destination", sa.String(100)),
        _col("started_at", WHEN),
        _col("usage", sa.BigInteger()),
        _col("visited_network", sa.String(6)),
        _col("line_id", sa.Integer()),
        _col("subscription_id", sa.Integer()),
        _col("deck_version_id", sa.Integer(), nullable=True),
        _col("rate_id", sa.Integer(), nullable=True),
        _col("prefix", sa.String(32)),
        _col("zone", sa.String(32)),
        _col("rated_usage", sa.BigInteger()),
        _col("retail_micros", sa.BigInteger()),
        _col("wholesale_agreement_id", sa.Integer(), nullable=True),
        # The host MNO's price: null where no wholesale agreement priced it (counted, not zero).
        _col("wholesale_micros", sa.BigInteger(), nullable=True),
        _col("allowance_id", sa.Integer(), nullable=True),
        _col("allowance_used", sa.BigInteger()),
        _col("charged_micros", sa.BigInteger()),
        _col("rated_at", WHEN),
        _unique("usage_records", "record_key"),
        refs=[("file_id", "usage_files", "RESTRICT"), ("line_id", "lines", "RESTRICT")],
        bulk=True,
    )
    op.create_index(
        "ix_usage_records_subscription",
        "usage_records",
        ["tenant_id", "subscription_id", "started_at"],
    )
    op.create_index("ix_usage_records_started", "usage_records", ["tenant_id", "started_at"])


def _quarantine_and_corrections() -> None:
    _owned(
        "usage_quarantine",
        _col("id", sa.Integer()),
        _col("file_id", sa.Integer()),
        _col("row", sa.Integer()),
        _col("record_key", sa.String(128), nullable=True),
        _col("reason", sa.String(64)),
        _col("detail", sa.Text()),
        _col("raw", sa.Text()),
        _col("attempts", sa.Integer()),
        _col("quarantined_at", WHEN),
        _col("tried_at", WHEN),
        _col("released_at", WHEN, nullable=True),
        _unique("usage_quarantine", "file_id", "row"),
        refs=[("file_id", "usage_files", "CASCADE")],
    )
    op.create_index(
        "ix_usage_quarantine_open", "usage_quarantine", ["tenant_id", "file_id", "released_at"]
    )
    _owned(
        "usage_corrections",
        _col("id", sa.Integer()),
        _col("record_id", BIG),
        *[
            _col(f"{age}_{what}_micros", sa.BigInteger(), nullable=what == "wholesale")
            for what in ("retail", "charged", "wholesale")
            for age in ("old", "new")
        ],
        _col("old_rate_id", sa.Integer(), nullable=True),
        _col("new_rate_id", sa.Integer(), nullable=True),
        _col("reason", sa.Text()),
        _col("actor_label", sa.String(254)),
        _col("booked_at", WHEN),
        refs=[("record_id", "usage_records", "CASCADE")],
    )
    op.create_index("ix_usage_corrections_record", "usage_corrections", ["tenant_id", "record_id"])


def upgrade() -> None:
    _sources_and_files()
    _chunks()
    _records()
    _quarantine_and_corrections()
    for table in TABLES:
        rls.tenant_table(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
