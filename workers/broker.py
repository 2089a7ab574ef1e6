"""Set the Dramatiq broker, with the workers' middleware, before any actor module is imported.

The broker is the process's one broker of the queue port (`saas.jobs.queue`): Redis in production
(`SAAS_BROKER=redis`, `REDIS_URL`), the stub broker otherwise.
"""

from __future__ import annotations

import threading
from typing import Any

import dramatiq
from dramatiq.middleware import Retries

from saas.config import load_settings
from saas.jobs import queue
from workers.middleware import AppContext, DeadLetters, TenantStamp

MAX_RETRIES = 5
MIN_BACKOFF_MS = 1_000
MAX_BACKOFF_MS = 5 * 60_000


def with_middleware(broker: dramatiq.Broker) -> dramatiq.Broker:
    """Give a broker the project's retry policy and per-message middleware."""
    for mw in broker.middleware:
        if isinstance(mw, Retries):
            mw.max_retries, mw.min_backoff, mw.max_backoff = (
                MAX_RETRIES,
                MIN_BACKOFF_MS,
                MAX_BACKOFF_MS,
            )
    # Emitted last after a message ran (Dramatiq runs "after" hooks in reverse), so the
    # dead-letter check sees the retry decision and the app context is still there.
    broker.middleware[0:0] = [AppContext(), DeadLetters()]
    broker.add_middleware(TenantStamp())
    return broker


def build_broker(kind: str, redis_url: str = "") -> dramatiq.Broker:
    """Return a new broker of the given kind with the project's middleware."""
    return with_middleware(queue.build_broker(kind, redis_url))


_settings = load_settings()
broker = with_middleware(queue.process_broker(_settings.broker, _settings.redis_url))


class InProcessWorker:
    """A worker thread pool inside the web process, for the demo."""

    def __init__(self, worker: dramatiq.Worker):
        self.worker = worker

    def stop(self) -> None:
        self.worker.stop()


def start_inprocess_worker(app: Any, threads: int = 2) -> InProcessWorker:
    """Run the actors in this process against the given app."""
    import workers.actors  # noqa: F401  (registers every actor)

    AppContext.bind(app)
    worker = dramatiq.Worker(broker, worker_timeout=200, worker_threads=threads)
    threading.Thread(target=worker.start, daemon=True).start()
    return InProcessWorker(worker)
