"""Per-message context: the Flask app, the tenant, the actor, one unit of work, and dead letters."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from dramatiq.middleware import Middleware

from saas.db import db, unit_of_work
from saas.identity.actor import Actor, acting_as
from saas.jobs.queue import TENANT_OPTION, TryAgain
from saas.tenancy import context

log = logging.getLogger(__name__)


class TenantStamp(Middleware):
    """Carry the tenant in scope when a message is sent into the message's options."""

    @property
    def actor_options(self) -> set[str]:
        return {TENANT_OPTION}

    def before_enqueue(self, broker: Any, message: Any, delay: int) -> None:
        if TENANT_OPTION not in message.options and context.current_tenant_id() is not None:
            message.options[TENANT_OPTION] = context.current_tenant_id()


class AppContext(Middleware):
    """Run each message inside an app context, its tenant's scope and one unit of work."""

    _app: Any = None
    _factory: Callable[[], Any] | None = None

    @classmethod
    def bind(cls, app: Any) -> None:
        """Run messages against this app."""
        cls._app = app

    @classmethod
    def build_with(cls, factory: Callable[[], Any]) -> None:
        """Build the app with this when a worker boots with none bound (the worker entry point)."""
        cls._factory = factory

    @classmethod
    def app(cls) -> Any:
        if cls._app is None:
            if cls._factory is None:
                raise RuntimeError("no app bound to the workers: import workers.actors to run")
            cls._app = cls._factory()
        return cls._app

    def before_worker_boot(self, broker: Any, worker: Any) -> None:
        self.app()

    def before_process_message(self, broker: Any, message: Any) -> None:
        stack = ExitStack()
        stack.enter_context(self.app().app_context())
        stack.enter_context(context.tenant_scope(message.options.get(TENANT_OPTION)))
        stack.enter_context(acting_as(Actor(f"job:{message.actor_name}")))
        stack.enter_context(unit_of_work())
        message._saas = stack

    def after_process_message(
        self,
        broker: Any,
        message: Any,
        *,
        result: Any = None,
        exception: BaseException | None = None,
    ) -> None:
        stack = getattr(message, "_saas", None)
        if stack is None:
            return
        del message._saas
        # The unit of work commits, or rolls back with the job's exception (except a TryAgain,
        # whose work so far stands); then the scopes close.
        if exception is None or isinstance(exception, TryAgain):
            stack.close()
        else:
            stack.__exit__(type(exception), exception, exception.__traceback__)

    after_skip_message = after_process_message


class DeadLetters(Middleware):
    """Keep a message that failed its last retry where the brand's staff can see it."""

    def after_process_message(
        self,
        broker: Any,
        message: Any,
        *,
        result: Any = None,
        exception: BaseException | None = None,
    ) -> None:
        if exception is None or not message.failed:
            return
        tenant_id = message.options.get(TENANT_OPTION)
        if tenant_id is None:
            log.error(
                "message %s of %s failed with no tenant", message.message_id, message.actor_name
            )
            return
        try:
            _record(message, tenant_id, exception)
        except Exception:  # the broker keeps its own dead-letter copy either way
            log.exception("could not record dead letter %s", message.message_id)


def _record(message: Any, tenant_id: int, exception: BaseException) -> None:
    from saas.jobs.services import record_dead_letter

    with (
        AppContext.app().app_context(),
        context.tenant_scope(tenant_id),
        unit_of_work(db.session) as session,
    ):
        record_dead_letter(
            session,
            message_id=message.message_id,
            queue_name=message.queue_name,
            actor_name=message.actor_name,
            args=list(message.args),
            kwargs=dict(message.kwargs),
            retries=message.options.get("retries", 0),
            error=f"{type(exception).__name__}: {exception}",
            traceback=message.options.get("traceback", ""),
        )
