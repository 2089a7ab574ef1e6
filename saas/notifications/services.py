"""Queue e-mails in the outbox and deliver them over SMTP."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from saas.db import DbSession, get_scoped, utcnow
from saas.jobs import queue as jobs
from saas.notifications.jobs import DELIVER_EMAIL
from saas.notifications.models import SENT, OutboundEmail


@dataclass(frozen=True)
class SmtpSettings:
    """Where to hand mail over."""

    host: str
    port: int
    timeout: float = 10.0


def queue(
    session: DbSession,
    *,
    template: str,
    sender: str,
    recipient: str,
    subject: str,
    body_text: str,
    body_html: str = "",
) -> OutboundEmail:
    """Store an e-mail for the tenant in scope, to be delivered by whoever asks (see `send`)."""
    mail = OutboundEmail(
        template=template,
        sender=sender,
        recipient=recipient,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
    )
    session.add(mail)
    session.flush()
    return mail


def send(session: DbSession, **fields: str) -> OutboundEmail:
    """Store an e-mail (the fields of `queue`) and have a worker deliver it after the commit."""
    mail = queue(session, **fields)
    jobs.enqueue(DELIVER_EMAIL, mail.tenant_id, mail.id, session=session)
    return mail


def _message(mail: OutboundEmail) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = mail.sender, mail.recipient, mail.subject
    msg["Message-ID"] = f"<outbox-{mail.tenant_id}-{mail.id}@saas-mvno>"
    msg.set_content(mail.body_text)
    if mail.body_html:
        msg.add_alternative(mail.body_html, subtype="html")
    return msg


def deliver(session: DbSession, email_id: int, smtp: SmtpSettings) -> OutboundEmail:
    """Send one queued e-mail; an e-mail already sent is not sent again."""
    mail = get_scoped(session, OutboundEmail, email_id)
    if mail is None:
        raise LookupError(f"outbound e-mail {email_id} not found")
    if mail.status == SENT:
        return mail
    mail.attempts += 1
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout) as client:
            client.send_message(_message(mail))
    except (OSError, smtplib.SMTPException) as exc:
        mail.last_error = f"{type(exc).__name__}: {exc}"
        session.commit()
        raise
    mail.status, mail.sent_at, mail.last_error = SENT, utcnow(), ""
    return mail
