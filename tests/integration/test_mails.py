"""Mails to subscribers and to a new brand's owner arrive over real SMTP, in the brand's name."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

import pytest
from sqlalchemy import select

from saas.catalog import models as M
from saas.identity.models import User
from saas.notifications.models import OutboundEmail
from saas.platform_setup import DEMO_OPERATOR
from saas.subscriptions import migrations
from saas.subscriptions import services as subs
from saas.subscriptions.models import Subscription
from saas.tenancy.brands import by_slug
from tests.conftest import JOIN_MS, in_brand, in_platform, login, recurring
from tests.integration.test_catalog_versions import _reprice
from workers.broker import broker
from workers.notifications import deliver_email

PLATFORM = "http://localhost"
PLAN = "Spree Allnet 30 GB"
GREEN = "#0b6e4f"  # Spreewelle's primary colour (themes/spreewelle/theme.toml)
LINK = re.compile(r"(http://[^\s]+/account/reset/[^\s]+)")


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def delivered(smtp: Any, worker: Any) -> list[EmailMessage]:
    """Let the worker send what the outbox holds; return what the SMTP server received."""
    broker.join(deliver_email.queue_name, fail_fast=True, timeout=JOIN_MS)
    worker.join()
    return smtp.mails()


def text_of(mail: EmailMessage) -> str:
    body = mail.get_body(("plain",))
    assert body is not None
    return " ".join(body.get_content().split())  # Babel's no-break spaces read as spaces


def html_of(mail: EmailMessage) -> str:
    body = mail.get_body(("html",))
    assert body is not None
    return str(body.get_content())


@pytest.fixture
def german(make: Any) -> Any:
    """A German brand in the Spreewelle look, with a 19.99 and a 24.99 plan."""
    brand = make.brand(
        name="Spree Mobil",
        default_locale="de",
        locales=["de", "pl"],
        timezone="Europe/Berlin",
        theme="spreewelle",
        support_email="hilfe@spree.example",
    )
    small = make.plan(brand, name="Spree Basis", components=recurring("19.99"))
    big = make.plan(brand, name=PLAN, components=recurring("24.99"))
    return brand, small, big


def test_subscribing_mails_the_holder_in_german_from_the_brand_with_the_price(
    make: Any, german: Any, smtp: Any, worker: Any
) -> None:
    brand, _, big = german
    anna = make.user(brand, "subscriber", full_name="Anna Schmidt")
    make.subscription(brand, anna, big.version_id, t("2026-12-20T09:00:00"))
    [mail] = delivered(smtp, worker)
    assert mail["From"] == "Spree Mobil <hilfe@spree.example>"
    assert mail["To"] == anna.email
    assert mail["Subject"] == f"Ihr Tarif {PLAN} bei Spree Mobil"
    body = text_of(mail)
    assert "Hallo Anna Schmidt," in body
    assert f"Ihr Tarif {PLAN} ist gebucht: 24,99 € pro Monat ab 20.12.2026." in body
    assert "Fragen? Schreiben Sie an hilfe@spree.example." in body
    html = html_of(mail)
    assert GREEN in html and "Spree Mobil</td>" in html  # the brand's colour and name, no image
    assert "http" not in html  # nothing the mail client would fetch


def test_a_person_reads_the_mail_in_their_own_language_when_the_brand_offers_it(
    make: Any, german: Any, smtp: Any, worker: Any
) -> None:
    brand, _, big = german
    jan = make.user(brand, "subscriber", locale="pl")
    make.subscription(brand, jan, big.version_id, t("2026-12-20T09:00:00"))
    [mail] = delivered(smtp, worker)
    assert f"Twoja taryfa {PLAN} jest zamówiona: 24,99 € miesięcznie od 20 gru 2026." in text_of(
        mail
    )


def _subscribed(make: Any, inbox: Any, brand: Any, version_id: int, at: datetime) -> Any:
    """A holder's subscription, its own mail delivered and put aside (another test reads it)."""
    smtp, worker = inbox
    sub = make.subscription(brand, make.user(brand, "subscriber"), version_id, at)
    delivered(smtp, worker)
    smtp.messages.clear()
    return sub


def test_an_upgrade_mails_the_new_plan_its_price_and_today(
    app: Any, make: Any, german: Any, smtp: Any, worker: Any
) -> None:
    brand, small, big = german
    sub = _subscribed(make, (smtp, worker), brand, small.version_id, t("2026-12-01T09:00:00"))
    with in_brand(app, brand.id) as session:
        version = session.get(M.PlanVersion, big.version_id)
        subs.change_plan(session, session.get(Subscription, sub.id), version, t("2026-12-10T09:00"))
    [mail] = delivered(smtp, worker)
    assert mail["Subject"] == f"Ihr Tarif wechselt zu {PLAN}"
    assert f"Ihr Tarif wechselt zu {PLAN}: 24,99 € pro Monat ab 10.12.2026." in text_of(mail)


def test_a_downgrade_mails_the_day_it_takes_effect(
    app: Any, make: Any, german: Any, smtp: Any, worker: Any
) -> None:
    brand, small, big = german
    sub = _subscribed(make, (smtp, worker), brand, big.version_id, t("2026-11-20T09:00:00"))
    with in_brand(app, brand.id) as session:
        version = session.get(M.PlanVersion, small.version_id)
        subs.change_plan(session, session.get(Subscription, sub.id), version, t("2026-12-10T09:00"))
    [mail] = delivered(smtp, worker)
    assert mail["Subject"] == "Ihr Tarif wechselt am 20.12.2026 zu Spree Basis"
    body = text_of(mail)
    assert "Ihr Tarif wechselt zu Spree Basis: 19,99 € pro Monat ab 20.12.2026." in body
    assert f"Bis dahin behalten Sie {PLAN}." in body


def test_cancelling_now_mails_the_credit_and_at_period_end_the_last_day(
    app: Any, make: Any, german: Any, smtp: Any, worker: Any
) -> None:
    brand, _, big = german
    now = _subscribed(make, (smtp, worker), brand, big.version_id, t("2026-12-01T09:00:00"))
    later = _subscribed(make, (smtp, worker), brand, big.version_id, t("2026-12-01T09:00:00"))
    with in_brand(app, brand.id) as session:
        subs.cancel(session, session.get(Subscription, now.id), t("2026-12-16T09:00:00"))
        subs.cancel(
            session, session.get(Subscription, later.id), t("2026-12-16T09:00:00"), "period_end"
        )
    first, second = delivered(smtp, worker)
    assert f"Ihr Tarif {PLAN} ist zum 16.12.2026 gekündigt." in text_of(first)
    assert re.search(r"gut: \d+,\d\d €\.", text_of(first))
    # The period runs 1 December to 1 January (exclusive): 31 December is its last day.
    assert second["Subject"] == f"Ihr Tarif {PLAN} endet am 31.12.2026"
    assert "Bis dahin kostet er wie bisher 24,99 € pro Monat." in text_of(second)


def test_a_scheduled_migration_mails_each_holder_the_new_price_and_their_date(
    app: Any, make: Any, smtp: Any, worker: Any
) -> None:
    brand = make.brand(default_locale="de", locales=["de"], timezone="Europe/Berlin")
    plan = make.plan(brand, name=PLAN, components=recurring("19.99"))
    first = _subscribed(make, (smtp, worker), brand, plan.version_id, t("2026-03-05T10:00:00"))
    second = _subscribed(make, (smtp, worker), brand, plan.version_id, t("2026-03-20T10:00:00"))
    with in_brand(app, brand.id) as session:
        v2 = _reprice(session, plan.id, "24.99", t("2026-03-25T10:00:00"))
        migrations.schedule(
            session, session.get(M.PlanVersion, plan.version_id), v2, t("2026-03-26")
        )
        holders = [session.get(Subscription, s.id).subscriber.email for s in (first, second)]
    mails = sorted(delivered(smtp, worker), key=lambda m: holders.index(m["To"]))
    assert [m["To"] for m in mails] == holders
    said = "Ihr Tarif {} wechselt am {} zum neuen Preis: 24,99 € pro Monat (bis dahin 19,99 €)."
    assert said.format(PLAN, "05.04.2026") in text_of(mails[0])
    assert said.format(PLAN, "20.04.2026") in text_of(mails[1])


def test_a_change_that_is_rolled_back_mails_nobody(
    app: Any, make: Any, german: Any, smtp: Any, worker: Any
) -> None:
    brand, _, big = german
    holder = make.user(brand, "subscriber")
    with in_brand(app, brand.id) as session:
        subs.subscribe(
            session, session.get(User, holder.id), session.get(M.PlanVersion, big.version_id)
        )
        session.rollback()
        assert session.scalars(select(OutboundEmail)).all() == []
    assert delivered(smtp, worker) == []


# --- the first owner of a new brand ---------------------------------------------------------


@pytest.fixture(scope="module")
def operator(app: Any) -> Any:
    client = app.test_client()
    email, password = DEMO_OPERATOR
    assert login(client, "localhost", email, password).status_code == 302
    return client


def _new_brand(slug: str, owner_email: str) -> dict[str, Any]:
    return {
        "slug": slug,
        "name": "Neu Mobil",
        "default_locale": "de",
        "locales": ["de", "en"],
        "currency": "EUR",
        "timezone": "Europe/Berlin",
        "theme": "spreewelle",
        "support_email": f"hilfe@{slug}.example",
        "active": "on",
        "owner_email": owner_email,
        "owner_name": "Olga Inhaberin",
    }


def _invite_link(mail: EmailMessage) -> str:
    match = LINK.search(text_of(mail))
    assert match, text_of(mail)
    return match.group(1)


def test_a_new_brand_invites_its_owner_who_sets_a_password_and_logs_in_at_the_brand(
    app: Any, operator: Any, smtp: Any, worker: Any
) -> None:
    slug, owner = f"n{uuid.uuid4().hex[:8]}", f"olga-{uuid.uuid4().hex[:6]}@neu.example"
    response = operator.post(
        "/platform/brands/new", data=_new_brand(slug, owner), base_url=PLATFORM
    )
    assert response.status_code == 302
    [mail] = delivered(smtp, worker)
    assert mail["From"] == f"Neu Mobil <hilfe@{slug}.example>" and mail["To"] == owner
    assert mail["Subject"] == "Neu Mobil ist bereit: Legen Sie Ihr Passwort fest"
    assert "Sie sind Inhaber von Neu Mobil." in text_of(mail)
    link = _invite_link(mail)
    host = f"{slug}.localhost"
    assert link.startswith(f"http://{host}/account/reset/")
    assert f'href="{link}"' in html_of(mail)

    client = app.test_client()
    path = link.removeprefix(f"http://{host}")
    assert client.get(path, base_url=f"http://{host}").status_code == 200
    chosen = {"password": "ein-neues-passwort", "password_confirm": "ein-neues-passwort"}
    set_password = client.post(path, data=chosen, base_url=f"http://{host}")
    assert set_password.status_code == 302
    assert login(client, host, owner, chosen["password"]).status_code == 302
    assert client.get("/admin/", base_url=f"http://{host}").status_code == 200
    # The link worked once: the password it set ended it.
    again = app.test_client().post(path, data=chosen, base_url=f"http://{host}")
    assert again.headers["Location"] == "/account/reset"  # asked to request a new link
    assert set_password.headers["Location"] != again.headers["Location"]
    with in_platform(app) as session:
        tenant = by_slug(session, slug)
        assert tenant is not None
        tenant_id = tenant.id
    with in_brand(app, tenant_id) as session:
        [person] = session.scalars(select(User)).all()
        assert person.role_names == ["owner"] and person.password is not None


def test_an_invalid_owner_address_is_refused_beside_its_field_and_creates_no_brand(
    app: Any, operator: Any
) -> None:
    slug = f"n{uuid.uuid4().hex[:8]}"
    response = operator.post(
        "/platform/brands/new", data=_new_brand(slug, "not-an-address"), base_url=PLATFORM
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    field = re.search(r'<input [^>]*id="owner_email"[^>]*>', page)
    assert field and 'aria-invalid="true"' in field.group(0)
    assert 'aria-describedby="owner_email-error"' in field.group(0)
    assert re.search(r'id="owner_email-error"[^>]*>Enter an address like name@example.com', page)
    assert 'value="not-an-address"' in page
    with in_platform(app) as session:
        assert by_slug(session, slug) is None


def test_a_bad_brand_and_a_bad_owner_address_are_refused_in_one_answer(operator: Any) -> None:
    data = _new_brand(f"n{uuid.uuid4().hex[:8]}", "") | {"currency": "ZZZ"}
    page = operator.post("/platform/brands/new", data=data, base_url=PLATFORM).get_data(
        as_text=True
    )
    assert "ZZZ" in page and "address like name@example.com" in page


def test_an_address_with_an_account_at_the_brand_is_refused_and_a_pending_one_invited_again(
    app: Any, make: Any, operator: Any, smtp: Any, worker: Any
) -> None:
    brand = make.brand(default_locale="de", locales=["de"])
    staff = make.user(brand, "staff", ("owner",))
    page = f"/platform/brands/{brand.slug}/owners"
    taken = operator.post(page, data={"owner_email": staff.email}, base_url=PLATFORM)
    assert taken.status_code == 422
    assert 'data-testid="error-owner_email"' in taken.get_data(as_text=True)
    assert f"{staff.email} already has an account at this brand." in taken.get_data(as_text=True)

    new = f"zweit-{uuid.uuid4().hex[:6]}@example.com"
    assert operator.post(page, data={"owner_email": new}, base_url=PLATFORM).status_code == 302
    shown = operator.get(f"/platform/brands/{brand.slug}", base_url=PLATFORM).get_data(as_text=True)
    assert new in shown and 'data-testid="resend-invite"' in shown
    assert operator.post(page, data={"owner_email": new}, base_url=PLATFORM).status_code == 302
    first, second = delivered(smtp, worker)
    assert first["To"] == second["To"] == new
    with in_brand(app, brand.id) as session:
        assert len(session.scalars(select(User).where(User.email == new)).all()) == 1
