"""Set the Dramatiq broker before any actor module is imported.

Redis in production (`SAAS_BROKER=redis`, `REDIS_URL`), the stub broker otherwise.
"""

from __future__ import annotations

import threading
from typing import Any

import dramatiq
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import Retries

from saas.config import load_settings
from workers.middleware import AppContext, DeadLetters, TenantStamp

MAX_RETRIES = 5
MIN_BACKOFF_MS = 1_000
MAX_BACKOFF_MS = 5 * 60_000


def build_broker(kind: str, redis_url: str = "") -> dramatiq.Broker:
    """Return a broker of the given kind with the project's middleware."""
    broker: dramatiq.Broker
    if kind == "redis":
        from dramatiq.brokers.redis import RedisBroker

        broker = RedisBroker(url=redis_url)
    else:
        broker = StubBroker()
        broker.emit_after("process_boot")
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


_settings = load_settings()
broker = build_broker(_settings.broker, _settings.redis_url)
dramatiq.set_broker(broker)


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
    worker = dramatiq.Worker(broker, worker_threads=threads, worker_timeout=200)
    threading.Thread(target=worker.start, daemon=True).start()
    return InProcessWorker(worker)
