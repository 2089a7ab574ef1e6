"""Record dead letters and act on them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from saas.db import DbSession, fixed_limit, get_scoped, utcnow
from saas.errors import N_, Refusal, Term, register
from saas.jobs.models import DEAD, DISCARDED, RETRIED, FailedJob


class JobStateError(Refusal):
    """The job is not in a state that allows the action."""


REFUSALS = {
    "record.failed_job": N_("failed job %(id)s"),
    "job.retried_already": N_("was sent again already"),
    "job.discarded_already": N_("was discarded already"),
}
register(REFUSALS)
RESOLVED = {RETRIED: "job.retried_already", DISCARDED: "job.discarded_already"}


def record_dead_letter(
    session: DbSession,
    *,
    message_id: str,
    queue_name: str,
    actor_name: str,
    args: list[Any],
    kwargs: dict[str, Any],
    retries: int,
    error: str,
    traceback: str,
) -> FailedJob:
    """Keep a message that failed every retry; a redelivered dead letter is recorded once."""
    existing = session.scalar(select(FailedJob).where(FailedJob.message_id == message_id))
    if existing is not None:
        return existing
    job = FailedJob(
        message_id=message_id,
        queue_name=queue_name,
        actor_name=actor_name,
        args=args,
        kwargs=kwargs,
        retries=retries,
        error=error[:2000],
        traceback=traceback[-8000:],
    )
    session.add(job)
    session.flush()
    return job


def listing(session: DbSession, status: str | None = DEAD, limit: int = 200) -> list[FailedJob]:
    """Return the tenant's failed jobs, newest first."""
    stmt = select(FailedJob).order_by(FailedJob.id.desc()).limit(fixed_limit(limit))
    if status:
        stmt = stmt.where(FailedJob.status == status)
    return list(session.scalars(stmt))


def _dead(session: DbSession, job_id: int) -> FailedJob:
    job = get_scoped(session, FailedJob, job_id)
    if job is None:
        raise LookupError(f"failed job {job_id} not found")
    if job.status != DEAD:
        record = Term("record.failed_job", id=job_id)
        raise JobStateError(RESOLVED.get(job.status, "job.retried_already"), record=record)
    return job


def retry(session: DbSession, job_id: int, send: Callable[[FailedJob], None]) -> FailedJob:
    """Send a dead letter again through `send` and mark it retried."""
    job = _dead(session, job_id)
    send(job)
    job.status, job.resolved_at = RETRIED, utcnow()
    return job


def discard(session: DbSession, job_id: int) -> FailedJob:
    """Mark a dead letter as looked at and dropped."""
    job = _dead(session, job_id)
    job.status, job.resolved_at = DISCARDED, utcnow()
    return job
