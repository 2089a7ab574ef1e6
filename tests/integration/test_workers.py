"""Workers: tenant carried into each message, e-mail over real SMTP, retries and dead letters."""

from __future__ import annotations

import pytest
from dramatiq import Worker
from sqlalchemy import select

from saas.jobs.models import FailedJob
from saas.jobs.services import listing
from saas.notifications import services as outbox
from saas.notifications.models import SENT, OutboundEmail
from tests.conftest import JOIN_MS, in_brand
from workers.broker import broker
from workers.notifications import deliver_email


def _queue_mail(app, brand, recipient="someone@example.com"):  # type: ignore[no-untyped-def]
    with in_brand(app, brand.id) as session:
        mail = outbox.queue(
            session,
            template="test",
            sender="brand@example.com",
            recipient=recipient,
            subject="Hello",
            body_text="Body",
        )
        return mail.id


def test_an_email_is_delivered_over_smtp_within_its_brand(app, make, smtp, worker):  # type: ignore[no-untyped-def]
    brand = make.brand()
    email_id = _queue_mail(app, brand, "anna@example.com")
    with in_brand(app, brand.id):
        deliver_email.send(brand.id, email_id)
    broker.join(deliver_email.queue_name, fail_fast=True, timeout=JOIN_MS)
    worker.join()
    assert [m[1] for m in smtp.messages] == [["anna@example.com"]]
    with in_brand(app, brand.id) as session:
        assert session.get(OutboundEmail, email_id).status == SENT


def test_a_redelivered_message_does_not_send_the_email_twice(app, make, smtp, worker):  # type: ignore[no-untyped-def]
    brand = make.brand()
    email_id = _queue_mail(app, brand)
    with in_brand(app, brand.id):
        deliver_email.send(brand.id, email_id)
        deliver_email.send(brand.id, email_id)
    broker.join(deliver_email.queue_name, fail_fast=True, timeout=JOIN_MS)
    worker.join()
    assert len(smtp.messages) == 1


def test_a_job_for_one_brand_cannot_reach_another_brands_rows(app, make, worker):  # type: ignore[no-untyped-def]
    a, b = make.brand(), make.brand()
    email_of_b = _queue_mail(app, b)
    with in_brand(app, a.id):
        deliver_email.send_with_options(args=(a.id, email_of_b), max_retries=0)
    broker.join(deliver_email.queue_name, fail_fast=False, timeout=JOIN_MS)
    worker.join()
    with in_brand(app, a.id) as session:
        [job] = listing(session)
        assert "not found" in job.error
    with in_brand(app, b.id) as session:
        assert session.get(OutboundEmail, email_of_b).attempts == 0


def test_a_job_failing_every_retry_is_dead_lettered_for_its_brand_staff(
    app, make, settings, worker
):  # type: ignore[no-untyped-def]
    brand, other = make.brand(), make.brand()
    email_id = _queue_mail(app, brand)  # nothing listens on the SMTP port: delivery fails
    with in_brand(app, brand.id):
        deliver_email.send_with_options(
            args=(brand.id, email_id), max_retries=2, min_backoff=10, max_backoff=20
        )
    broker.join(deliver_email.queue_name, fail_fast=False, timeout=JOIN_MS)
    worker.join()
    with in_brand(app, brand.id) as session:
        [job] = session.scalars(select(FailedJob)).all()
        assert job.actor_name == "deliver_email" and job.retries == 3
        assert "ConnectionRefusedError" in job.error
        mail = session.get(OutboundEmail, email_id)
        assert mail.attempts == 3 and mail.status != SENT and mail.last_error
    with in_brand(app, other.id) as session:
        assert session.scalars(select(FailedJob)).all() == []


@pytest.mark.redis
def test_the_redis_broker_carries_the_tenant_to_a_worker(app, make, smtp):  # type: ignore[no-untyped-def]
    import dramatiq

    from tests.support.backends import REDIS_URL
    from workers.broker import build_broker

    redis_broker = build_broker("redis", REDIS_URL)
    redis_broker.flush_all()
    actor = dramatiq.actor(
        deliver_email.fn,
        actor_name="deliver_email",
        queue_name="notifications",
        broker=redis_broker,
    )
    brand = make.brand()
    email_id = _queue_mail(app, brand, "redis@example.com")
    with in_brand(app, brand.id):
        message = actor.send(brand.id, email_id)
    assert message.options["tenant_id"] == brand.id
    w = Worker(redis_broker, worker_timeout=100, worker_threads=1)
    w.start()
    try:
        redis_broker.join("notifications", timeout=20_000)
        w.join()
    finally:
        w.stop()
        redis_broker.flush_all()
        redis_broker.close()
    assert [m[1] for m in smtp.messages] == [["redis@example.com"]]


def test_a_password_reset_mail_goes_out_through_the_outbox_in_the_brand_language(
    app, client, make, smtp, worker
):  # type: ignore[no-untyped-def]
    brand = make.brand(default_locale="de", locales=["de"])
    user = make.user(brand, "subscriber")
    response = client.post(
        "/account/reset", data={"email": user.email}, base_url=f"http://{brand.host}"
    )
    assert response.status_code == 200
    broker.join(deliver_email.queue_name, fail_fast=True, timeout=JOIN_MS)
    worker.join()
    [(_, recipients, content)] = smtp.messages
    assert recipients == [user.email]
    assert b"Passwort" in content and brand.host.encode() in content
    with in_brand(app, brand.id) as session:
        [mail] = session.scalars(select(OutboundEmail)).all()
        assert mail.status == SENT and mail.template.endswith("reset_instructions")
