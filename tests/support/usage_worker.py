"""A usage worker process for the scale-out tests: the real actors on Redis, the fake stages.

    python -m tests.support.usage_worker        (its settings from the environment)

`USAGE_RATED_LOG` names a file each batch's record count is appended to, as this process rated
it; `USAGE_STALL_FILE` makes the process stop, forever, inside the transaction of the batch that
carries a record whose key ends in "-stall", after its rows were written and before the commit,
writing that file first, so a test can kill it there.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import dramatiq


def _stalling(store: Any, stall: Path) -> Any:
    def store_then_stall(session: Any, file_id: int, charged: Any) -> int:
        stored = store(session, file_id, charged)
        if not stall.exists() and charged["record_key"].str.ends_with("-stall").any():
            stall.write_text(str(os.getpid()))
            time.sleep(3600)
        return int(stored)

    return store_then_stall


def main() -> None:
    import workers.actors  # noqa: F401  (the actors, on the broker the environment names)
    from saas.usage import pipeline, stages
    from tests.support.usage_stages import FakeCharger, FakeRater
    from workers.broker import broker

    # Another worker's messages are taken over soon after it stops beating, at every fetch.
    broker.heartbeat_timeout, broker.maintenance_chance = 1_500, 1_000_000  # type: ignore[attr-defined]
    rater, log = FakeRater(), os.environ.get("USAGE_RATED_LOG")

    def rate(session: Any, found: Any) -> Any:
        if log:
            with open(log, "a") as out:
                out.write(f"{len(found)}\n")
        return rater.rate(session, found)

    stages.register("rate", rate)
    stages.register("charge", FakeCharger().charge)
    if stall := os.environ.get("USAGE_STALL_FILE"):
        pipeline.storage.store = _stalling(pipeline.storage.store, Path(stall))  # type: ignore[method-assign]
    worker = dramatiq.Worker(broker, worker_threads=2, worker_timeout=100)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    worker.start()
    stopped.wait()
    worker.stop()


if __name__ == "__main__":
    main()
