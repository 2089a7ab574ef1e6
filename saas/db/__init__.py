"""Declarative base, the tenant-owned mixin and the database handle."""

from saas.db.base import (
    Base,
    DbSession,
    ExactDecimal,
    TenantScoped,
    UTCDateTime,
    db,
    get_scoped,
    utcnow,
)
from saas.db.session import install_session_hooks
from saas.db.uow import unit_of_work

__all__ = [
    "Base",
    "DbSession",
    "ExactDecimal",
    "TenantScoped",
    "UTCDateTime",
    "db",
    "get_scoped",
    "install_session_hooks",
    "unit_of_work",
    "utcnow",
]
