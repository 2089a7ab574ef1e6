"""Declarative base, the tenant-owned mixin and the database handle."""

from saas.db.base import (
    MAX_ROW_ID,
    Base,
    DbSession,
    ExactDecimal,
    TenantScoped,
    UTCDateTime,
    db,
    get_scoped,
    row_id,
    utcnow,
)
from saas.db.prepared import fixed_limit
from saas.db.reads import read, scoped
from saas.db.session import install_session_hooks
from saas.db.uow import unit_of_work

__all__ = [
    "MAX_ROW_ID",
    "Base",
    "DbSession",
    "ExactDecimal",
    "TenantScoped",
    "UTCDateTime",
    "db",
    "fixed_limit",
    "get_scoped",
    "install_session_hooks",
    "read",
    "row_id",
    "scoped",
    "unit_of_work",
    "utcnow",
]
