"""The queue port: the domain and the web ask for jobs by actor name; the workers run them.

The domain and the web never import `workers`. Each area declares the jobs it sends (`job`); the
worker side declares an actor of that name on that queue. A job asked for with `enqueue` is sent
when the transaction that asked for it commits, so it never runs before the rows it is about are
committed; a job asked for in a transaction (or savepoint) that rolls back is never sent.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

import dramatiq
from dramatiq.brokers.stub import StubBroker
from dramatiq.errors import QueueNotFound, Retry
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction, scoped_session

from saas.db import DbSession, db

TENANT_OPTION = "tenant_id"
# Every area that declares jobs: loaded at start, so any process can name any job.
AREAS = (
    "saas.notifications.jobs",
    "saas.subscriptions.jobs",
    "saas.network.provisioning.jobs",
    "saas.customers.privacy.jobs",
    "saas.usage.jobs",
)
# No jobs of their own, but what follows the jobs' outcomes: loaded wherever jobs may run.
LISTENERS = ("saas.network.follow", "saas.customers.onboarding.services")
_PENDING = "saas.jobs.pending"  # session.info: transaction -> messages waiting for its commit
_COMMITTED = "saas.jobs.committed"  # session.info: transactions seen committing, until they end
_queues: dict[str, str] = {}
_broker: dramatiq.Broker | None = None


class TryAgain(Retry):
    """Raised by a job whose work so far stands (it commits) but that must run again later.

    The workers commit the job's unit of work and retry the message with back-off, without
    logging it as an error; after its last retry it is dead-lettered as any failing job is.
    """


def job(actor_name: str, queue_name: str) -> str:
    """Declare a job an area sends: its actor's name and queue. Returns the name."""
    if _queues.setdefault(actor_name, queue_name) != queue_name:
        raise ValueError(f"job {actor_name!r} is declared on two queues")
    return actor_name


def queue_of(actor_name: str) -> str:
    """The queue a declared job travels on."""
    try:
        return _queues[actor_name]
    except KeyError:
        raise LookupError(f"no job {actor_name!r} is declared") from None


def declared() -> dict[str, str]:
    """Every declared job: actor name to queue name."""
    for area in AREAS + LISTENERS:
        import_module(area)
    return dict(_queues)


def build_broker(kind: str, redis_url: str = "") -> dramatiq.Broker:
    """A bare broker of the given kind: Redis in production, the in-memory stub otherwise."""
    if kind == "redis":
        from dramatiq.brokers.redis import RedisBroker

        return RedisBroker(url=redis_url)
    broker = StubBroker()
    broker.emit_after("process_boot")
    return broker


def process_broker(kind: str = "stub", redis_url: str = "") -> dramatiq.Broker:
    """This process's one broker: built by whoever asks first, the same object for everyone after.

    The web app and an in-process worker must share it (the stub broker is in memory), so it is
    also Dramatiq's global broker, and the worker side adds its middleware to it.
    """
    global _broker
    if _broker is None:
        use_broker(build_broker(kind, redis_url))
    assert _broker is not None
    return _broker


def use_broker(broker: dramatiq.Broker) -> dramatiq.Broker | None:
    """Send on this broker from now on; returns the one used before (for tests)."""
    global _broker
    previous, _broker = _broker, broker
    dramatiq.set_broker(broker)
    return previous


def message(actor_name: str, tenant_id: int, *ids: int) -> dramatiq.Message[Any]:
    """The Dramatiq message of a job for a brand: the tenant first, then the ids."""
    return dramatiq.Message(
        queue_name=queue_of(actor_name),
        actor_name=actor_name,
        args=(tenant_id, *ids),
        kwargs={},
        options={TENANT_OPTION: tenant_id},
    )


def send(msg: dramatiq.Message[Any]) -> None:
    """Put a message on its queue now."""
    broker = process_broker()
    broker.declare_queue(msg.queue_name)
    broker.enqueue(msg)


def enqueue(actor_name: str, tenant_id: int, *ids: int, session: DbSession | None = None) -> None:
    """Send a job for a brand once the session's transaction commits; never if it rolls back."""
    msg = message(actor_name, tenant_id, *ids)
    real = _session(session)
    if not real.in_transaction():
        real.begin()  # the job belongs to the work about to happen, not to none at all
    transaction = real.get_nested_transaction() or real.get_transaction()
    real.info.setdefault(_PENDING, {}).setdefault(transaction, []).append(msg)


def _session(session: DbSession | None) -> Session:
    if session is None:
        return db.session()
    return session() if isinstance(session, scoped_session) else session


def resend(
    tenant_id: int, queue_name: str, actor_name: str, args: list[Any], kwargs: dict[str, Any]
) -> None:
    """Send a dead letter again at once, as a new message with its retries reset.

    Not held for the commit: the letter's data was committed long ago, and a re-send lost to a
    broker failure after the commit would hide a job nobody ran; a duplicate only runs an
    idempotent actor twice.
    """
    if declared().get(actor_name) != queue_name:
        raise QueueNotFound(queue_name)  # no actor of that name listens there: it stays dead
    send(
        dramatiq.Message(
            queue_name=queue_name,
            actor_name=actor_name,
            args=tuple(args),
            kwargs=kwargs,
            options={TENANT_OPTION: tenant_id},
        )
    )


def _real(transaction: SessionTransaction | None) -> SessionTransaction | None:
    """The transaction or savepoint a commit or rollback acts on (skipping inner bookkeeping)."""
    while transaction is not None and not (transaction.nested or transaction.parent is None):
        transaction = transaction.parent
    return transaction


def _after_commit(session: Session) -> None:
    pending = session.info.get(_PENDING)
    transaction = session.get_nested_transaction() or session.get_transaction()
    if pending and transaction in pending:
        session.info.setdefault(_COMMITTED, set()).add(transaction)


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    pending = session.info.get(_PENDING)
    if not pending or transaction not in pending:
        return
    messages = pending.pop(transaction)
    committed = session.info.get(_COMMITTED, set())
    if transaction not in committed:
        return  # rolled back, or closed without a commit: its jobs go with it
    committed.discard(transaction)
    outer = _real(transaction.parent)
    if outer is not None:
        pending.setdefault(outer, []).extend(
            messages
        )  # a savepoint's jobs wait for the outer commit
        return
    for msg in messages:
        send(msg)


_installed = False


def install(kind: str, redis_url: str = "") -> None:
    """Build the process's broker (if nobody did) and send jobs when their transaction commits."""
    global _installed
    process_broker(kind, redis_url)
    declared()
    if _installed:
        return
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_transaction_end", _after_transaction_end)
    _installed = True
