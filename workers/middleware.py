"""Per-message context: the Flask app, the tenant, the actor, and dead letters."""

from __future__ import annotations

import logging
from typing import Any

import dramatiq
from dramatiq.middleware import Middleware

from saas.identity.actor import Actor
from saas.identity.actor import enter as enter_actor
from saas.identity.actor import leave as leave_actor
from saas.tenancy import context

log = logging.getLogger(__name__)
TENANT_OPTION = "tenant_id"


class TenantStamp(Middleware):
    """Carry the tenant in scope when a message is sent into the message's options."""

    @property
    def actor_options(self) -> set[str]:
        return {TENANT_OPTION}

    def before_enqueue(self, broker: Any, message: Any, delay: int) -> None:
        if TENANT_OPTION not in message.options and context.current_tenant_id() is not None:
            message.options[TENANT_OPTION] = context.current_tenant_id()


class AppContext(Middleware):
    """Run each message inside an app context and a transaction of its own tenant."""

    _app: Any = None

    @classmethod
    def bind(cls, app: Any) -> None:
        cls._app = app

    @classmethod
    def app(cls) -> Any:
        if cls._app is None:
            from saas import create_app

            cls._app = create_app()
        return cls._app

    def before_process_message(self, broker: Any, message: Any) -> None:
        ctx = self.app().app_context()
        ctx.push()
        tenant_id = message.options.get(TENANT_OPTION)
        message._saas = (
            ctx,
            context.enter(tenant_id),
            enter_actor(Actor(f"job:{message.actor_name}")),
        )

    def after_process_message(
        self,
        broker: Any,
        message: Any,
        *,
        result: Any = None,
        exception: BaseException | None = None,
    ) -> None:
        from saas.db import db

        state = getattr(message, "_saas", None)
        if state is None:
            return
        ctx, tenant_token, actor_token = state
        try:
            if exception is None:
                db.session.commit()
            else:
                db.session.rollback()
        finally:
            db.session.remove()
            leave_actor(actor_token)
            context.leave(tenant_token)
            ctx.pop()
            del message._saas

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
    from saas.db import db
    from saas.jobs.services import record_dead_letter

    with AppContext.app().app_context(), context.tenant_scope(tenant_id):
        record_dead_letter(
            db.session,
            message_id=message.message_id,
            queue_name=message.queue_name,
            actor_name=message.actor_name,
            args=list(message.args),
            kwargs=dict(message.kwargs),
            retries=message.options.get("retries", 0),
            error=f"{type(exception).__name__}: {exception}",
            traceback=message.options.get("traceback", ""),
        )
        db.session.commit()
        db.session.remove()


def resend(
    broker: dramatiq.Broker,
    tenant_id: int,
    queue_name: str,
    actor_name: str,
    args: list[Any],
    kwargs: dict[str, Any],
) -> None:
    """Send a dead letter again as a new message with its retries reset."""
    message: dramatiq.Message[Any] = dramatiq.Message(
        queue_name=queue_name,
        actor_name=actor_name,
        args=tuple(args),
        kwargs=kwargs,
        options={TENANT_OPTION: tenant_id},
    )
    broker.enqueue(message)
