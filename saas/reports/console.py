"""What the console home reads on every view: dead-lettered jobs and the newest audit event."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import func, select

from saas.db import DbSession, read
from saas.identity.audit import AuditEvent
from saas.jobs.models import DEAD, FailedJob


@dataclass(frozen=True)
class Activity:
    """The brand's dead-lettered jobs nobody has acted on, and its newest audit event's id."""

    dead_jobs: int
    newest_event: int | None


def activity(session: DbSession) -> Activity:
    """Count the dead-lettered jobs and find the newest event, in one statement.

    The newest event's id tells whether a list of recent events drawn before is still the list.
    """
    return Activity(*read(session, _activity()).one())


@cache
def _activity() -> Any:
    # Built once per process: a statement is immutable; the tenant goes in as a parameter.
    dead = select(func.count(FailedJob.id)).where(FailedJob.status == DEAD).scalar_subquery()
    return select(dead, select(func.max(AuditEvent.id)).scalar_subquery())
