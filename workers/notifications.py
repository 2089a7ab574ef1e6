"""Deliver e-mails from the brand outbox."""

from __future__ import annotations

import dramatiq
from flask import current_app

import workers.broker  # noqa: F401  (the broker is set before any actor exists)
from saas.db import db
from saas.jobs.queue import queue_of
from saas.notifications import services
from saas.notifications.jobs import DELIVER_EMAIL
from saas.tenancy.context import TenantMismatch, require_tenant_id


@dramatiq.actor(actor_name=DELIVER_EMAIL, queue_name=queue_of(DELIVER_EMAIL))
def deliver_email(tenant_id: int, email_id: int) -> None:
    """Send one outbox e-mail over SMTP; a redelivery of a sent e-mail sends nothing."""
    if require_tenant_id() != tenant_id:
        raise TenantMismatch(f"e-mail {email_id} sent for tenant {tenant_id} ran in another")
    settings = current_app.config["SAAS"]
    smtp = services.SmtpSettings(settings.mail_server, settings.mail_port)
    services.deliver(db.session, email_id, smtp)
