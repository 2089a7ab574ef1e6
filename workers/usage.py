"""Usage files worked in chunks (thousands of records a message), re-processed, and collected."""

from __future__ import annotations

import dramatiq

import workers.broker  # noqa: F401  (the broker is set before any actor exists)
from saas.db import db
from saas.jobs.queue import queue_of
from saas.tenancy.context import TenantMismatch, require_tenant_id
from saas.usage import files, pipeline
from saas.usage.jobs import REPROCESS, SCAN_DROP, WORK_CHUNK
from saas.usage.models import UsageFile


def _check(tenant_id: int) -> None:
    if require_tenant_id() != tenant_id:
        raise TenantMismatch(f"a usage job for tenant {tenant_id} ran in another")


@dramatiq.actor(actor_name=WORK_CHUNK, queue_name=queue_of(WORK_CHUNK))
def work_usage_chunk(tenant_id: int, chunk_id: int) -> None:
    """Read, match, rate, charge and store one chunk; a redelivery finds it done."""
    _check(tenant_id)
    pipeline.work_chunk(db.session, chunk_id)


@dramatiq.actor(actor_name=REPROCESS, queue_name=queue_of(REPROCESS))
def reprocess_usage_file(tenant_id: int, file_id: int) -> None:
    """Try a file's quarantined records again; those that pass leave quarantine."""
    _check(tenant_id)
    file = db.session.get(UsageFile, file_id)
    if file is None or file.tenant_id != tenant_id:
        raise LookupError(f"usage file {file_id} not found")
    pipeline.reprocess(db.session, file)


@dramatiq.actor(actor_name=SCAN_DROP, queue_name=queue_of(SCAN_DROP))
def scan_usage_drop_folders(tenant_id: int) -> None:
    """Take the files waiting in the brand's drop folders."""
    _check(tenant_id)
    files.scan(db.session)
