"""What the API shows of each row: named fields only, never secrets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from saas.identity.audit import AuditEvent
from saas.identity.models import User
from saas.jobs.models import FailedJob
from saas.tenancy.models import Tenant


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def brand(tenant: Tenant) -> dict[str, Any]:
    """Describe the brand a host serves."""
    return {
        "slug": tenant.slug,
        "name": tenant.name,
        "currency": tenant.currency,
        "default_locale": tenant.default_locale,
        "locales": list(tenant.locales),
        "timezone": tenant.timezone,
        "country": tenant.country,
    }


def subscriber(user: User) -> dict[str, Any]:
    """Describe a subscriber; the password hash and log-in tokens stay out."""
    return {
        "id": user.id,
        "email": user.email,
        "full_name": user.full_name,
        "locale": user.locale,
        "active": user.active,
        "created_at": _when(user.created_at),
    }


def audit_event(event: AuditEvent) -> dict[str, Any]:
    """Describe one audit event; secret values were redacted when it was written."""
    return {
        "id": event.id,
        "at": _when(event.at),
        "actor": event.actor_label,
        "actor_user_id": event.actor_user_id,
        "ip": event.ip,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "changes": event.changes,
    }


def failed_job(job: FailedJob) -> dict[str, Any]:
    """Describe a dead-lettered job; the traceback stays in the console."""
    return {
        "id": job.id,
        "message_id": job.message_id,
        "queue": job.queue_name,
        "actor": job.actor_name,
        "args": job.args,
        "kwargs": job.kwargs,
        "retries": job.retries,
        "error": job.error,
        "status": job.status,
        "failed_at": _when(job.failed_at),
    }
