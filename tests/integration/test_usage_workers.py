"""Usage workers scale out: two processes on one file, and a worker killed half-way through."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from saas.jobs import queue
from saas.usage.jobs import WORK_CHUNK
from tests.conftest import ROOT, in_brand
from tests.support import usage as U
from tests.support.backends import REDIS_URL

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture
def redis_broker() -> Iterator[Any]:
    from workers.broker import build_broker

    broker = build_broker("redis", REDIS_URL)
    broker.flush_all()
    yield broker
    broker.flush_all()
    broker.close()


def _environment(settings: Any, **extra: str) -> dict[str, str]:
    return os.environ | {
        "SAAS_ENV": "test",
        "DATABASE_URL": settings.database_url,
        "MIGRATION_DATABASE_URL": settings.migration_database_url,
        "SAAS_BROKER": "redis",
        "REDIS_URL": REDIS_URL,
        "SAAS_TENANTS_DIR": settings.tenants_dir,
        "SAAS_THEMES_DIR": settings.themes_dir,
        **extra,
    }


def _worker(settings: Any, **extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.usage_worker"],
        cwd=ROOT,
        env=_environment(settings, **extra),
    )


def _file(
    app: Any, make: Any, records: int, chunk_size: int, stall_at: int | None = None
) -> tuple[Any, Any]:
    """A brand with a line and a file of `records` calls cut into chunks; its chunk ids."""
    from saas.usage import files as usage_files

    brand = make.brand()
    U.stock(app, brand)
    U.line(app, make, brand)
    U.source(app, brand, "csv")
    keys = [f"k{n}" + ("-stall" if n == stall_at else "") for n in range(records)]
    content = U.csv_file(
        *(U.call(k, at=f"2026-11-15T10:{n % 60:02d}:00Z") for n, k in enumerate(keys))
    )
    import io

    with in_brand(app, brand.id) as session:
        got = usage_files.receive(
            session,
            usage_files.source_named(session, "csv"),
            io.BytesIO(content),
            "big.csv",
            chunk_size=chunk_size,
        )
        file_id = got.id
    with in_brand(app, brand.id) as session:
        chunks = usage_files.pending_chunks(session, file_id)
    return brand, (file_id, chunks)


def _send(broker: Any, tenant_id: int, chunks: list[int], times: int = 1) -> None:
    broker.declare_queue(queue.queue_of(WORK_CHUNK))
    for _ in range(times):
        for chunk_id in chunks:
            broker.enqueue(queue.message(WORK_CHUNK, tenant_id, chunk_id))


def _wait_done(app: Any, brand: Any, file_id: int, seconds: float = 60) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        row = U.file_row(app, brand, file_id)
        if row.state == "done":
            return row
        time.sleep(0.3)
    raise AssertionError(f"file {file_id} not done: {U.file_row(app, brand, file_id)}")


def _stop(*workers: subprocess.Popen[bytes]) -> None:
    for w in workers:
        if w.poll() is None:
            w.send_signal(signal.SIGTERM)
    for w in workers:
        try:
            w.wait(20)
        except subprocess.TimeoutExpired:
            w.kill()


def test_two_worker_processes_rate_every_record_of_one_file_exactly_once(
    app: Any, make: Any, settings: Any, redis_broker: Any, tmp_path: Path
) -> None:
    brand, (file_id, chunks) = _file(app, make, 3_000, 150)
    _send(redis_broker, brand.id, chunks, times=2)  # and every message delivered twice
    logs = [tmp_path / "rated-a.log", tmp_path / "rated-b.log"]
    workers = [_worker(settings, USAGE_RATED_LOG=str(log)) for log in logs]
    try:
        done = _wait_done(app, brand, file_id)
    finally:
        _stop(*workers)
    rated_by_each = [
        sum(int(n) for n in log.read_text().split()) if log.exists() else 0 for log in logs
    ]
    assert sum(rated_by_each) == 3_000  # no record rated twice, however often it was sent
    assert (done.records, done.rated, done.duplicates, done.quarantined) == (3_000, 3_000, 0, 0)
    keys = [r.record_key for r in U.stored(app, brand)]
    assert len(keys) == len(set(keys)) == 3_000


def test_a_worker_killed_in_the_middle_of_a_batch_loses_and_doubles_nothing(
    app: Any, make: Any, settings: Any, redis_broker: Any, tmp_path: Path
) -> None:
    brand, (file_id, chunks) = _file(app, make, 1_000, 100, stall_at=450)
    stall = tmp_path / "stalled"
    _send(redis_broker, brand.id, chunks)
    doomed = _worker(settings, USAGE_STALL_FILE=str(stall))
    deadline = time.monotonic() + 60
    while not stall.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert stall.exists(), "the worker never reached the batch"
    doomed.send_signal(signal.SIGKILL)  # inside the batch's transaction, its rows written
    doomed.wait(10)
    survivor = _worker(settings)
    try:
        done = _wait_done(app, brand, file_id)
    finally:
        _stop(survivor)
    assert (done.records, done.rated, done.duplicates) == (1_000, 1_000, 0)
    keys = [r.record_key for r in U.stored(app, brand)]
    assert len(keys) == len(set(keys)) == 1_000 and "csv:k450-stall" in keys
