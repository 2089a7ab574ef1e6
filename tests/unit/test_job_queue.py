"""The queue port: a job is sent once the work that asked for it commits, never if it fails."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dramatiq
import pytest
from dramatiq.brokers.stub import StubBroker
from dramatiq.errors import QueueNotFound
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from saas.db import unit_of_work
from saas.jobs import queue
from saas.notifications.jobs import DELIVER_EMAIL

SAAS = Path(__file__).resolve().parents[2] / "saas"
QUEUE = queue.queue_of(DELIVER_EMAIL)


@pytest.fixture
def broker() -> Iterator[StubBroker]:
    """A broker of this test's own, put back to the process's one afterwards."""
    queue.install("stub")
    own = StubBroker()
    previous = queue.use_broker(own)
    yield own
    if previous is not None:
        queue.use_broker(previous)


@pytest.fixture
def session() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    with Session(engine) as session:
        yield session
    engine.dispose()


def sent(broker: StubBroker) -> list[dramatiq.Message[Any]]:
    if QUEUE not in broker.queues:
        return []
    return [dramatiq.Message.decode(m) for m in list(broker.queues[QUEUE].queue)]


def test_a_job_is_on_its_queue_only_once_the_work_that_asked_for_it_commits(
    broker: StubBroker, session: Session
) -> None:
    with unit_of_work(session):
        session.execute(text("SELECT 1"))
        queue.enqueue(DELIVER_EMAIL, 7, 42, session=session)
        assert sent(broker) == []
    [message] = sent(broker)
    assert (message.actor_name, message.queue_name) == (DELIVER_EMAIL, QUEUE)
    assert list(message.args) == [7, 42]
    assert message.options["tenant_id"] == 7


def test_a_job_asked_for_by_work_that_fails_is_never_sent(
    broker: StubBroker, session: Session
) -> None:
    with pytest.raises(RuntimeError), unit_of_work(session):
        queue.enqueue(DELIVER_EMAIL, 7, 42, session=session)
        raise RuntimeError("the work failed")
    session.commit()
    assert sent(broker) == []


def test_a_failed_inner_unit_of_work_drops_its_own_jobs_and_keeps_the_outer_ones(
    broker: StubBroker, session: Session
) -> None:
    with unit_of_work(session):
        queue.enqueue(DELIVER_EMAIL, 7, 1, session=session)
        with pytest.raises(RuntimeError), unit_of_work(session):
            queue.enqueue(DELIVER_EMAIL, 7, 2, session=session)
            raise RuntimeError("the inner work failed")
        with unit_of_work(session):
            queue.enqueue(DELIVER_EMAIL, 7, 3, session=session)
        assert sent(broker) == []  # the inner work that succeeded waits for the outer commit
    assert [list(m.args)[1] for m in sent(broker)] == [1, 3]


def test_a_session_closed_without_a_commit_sends_nothing(broker: StubBroker) -> None:
    engine = create_engine("sqlite://")
    with Session(engine) as session:
        queue.enqueue(DELIVER_EMAIL, 7, 42, session=session)
    engine.dispose()
    assert sent(broker) == []


def test_a_job_nobody_declared_is_refused_when_asked_for(session: Session) -> None:
    with pytest.raises(LookupError, match="no job 'send_fax' is declared"):
        queue.enqueue("send_fax", 7, 42, session=session)


def test_a_dead_letter_is_resent_at_once_but_only_to_a_declared_jobs_queue(
    broker: StubBroker,
) -> None:
    queue.resend(7, QUEUE, DELIVER_EMAIL, [7, 42], {})
    assert [list(m.args) for m in sent(broker)] == [[7, 42]]
    with pytest.raises(QueueNotFound):
        queue.resend(7, "no-such-queue", DELIVER_EMAIL, [7, 42], {})


def test_every_declared_job_has_a_worker_actor_on_its_queue_and_every_actor_is_declared() -> None:
    import workers.actors  # noqa: F401  (declares every actor)
    from workers.broker import broker

    actors = {name: broker.get_actor(name).queue_name for name in broker.get_declared_actors()}
    assert actors == queue.declared()


def test_every_area_that_declares_jobs_is_loaded_at_start() -> None:
    declaring = set()
    for path in SAAS.rglob("*.py"):
        source = path.read_text("utf-8")
        if "job(" not in source:
            continue
        calls = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call)]
        if any(getattr(c.func, "id", "") == "job" for c in calls):
            declaring.add(".".join(path.relative_to(SAAS.parent).with_suffix("").parts))
    assert declaring == set(queue.AREAS)
