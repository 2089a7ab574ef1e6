"""The e-mails a brand writes to a person: its name, its look, the person's language.

Each kind of mail is a pair of templates in the themes folder, `email/<kind>.txt` (its `subject`
block is the subject) and `email/<kind>.html`; a brand's theme may override either. They are
rendered here, with an environment of their own: the domain asks for a mail without a request.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from email.headerregistry import Address
from email.utils import parseaddr
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import dates
from babel.support import Translations
from flask import current_app
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from saas.catalog.periods import last_local_day
from saas.db import DbSession
from saas.i18n_locales import SUPPORTED_LOCALES
from saas.identity.models import User
from saas.money import format_money
from saas.notifications import services as outbox
from saas.notifications.models import OutboundEmail
from saas.tenancy.models import Tenant
from saas.tenancy.themes import BASE, read_theme, theme_name

TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"
KINDS = (
    "subscribed",
    "plan_upgraded",
    "plan_downgrade_scheduled",
    "cancelled",
    "cancel_scheduled",
    "migration_scheduled",
    "owner_invite",
    "signup_resume",
    "signup_welcome",
    "prepaid_empty",
)


def recipient_locale(person: User | None, tenant: Tenant) -> str:
    """The person's own language if the brand offers it, else the brand's default."""
    offered = [loc for loc in tenant.locales or [] if loc in SUPPORTED_LOCALES]
    own = person.locale if person is not None else None
    if own in offered:
        return str(own)
    return tenant.default_locale if tenant.default_locale in SUPPORTED_LOCALES else "en"


def reader_locale(session: DbSession, person: User) -> str:
    """The language a mail to a person of the brand is written in."""
    tenant = session.get(Tenant, person.tenant_id)
    assert tenant is not None
    return recipient_locale(person, tenant)


def sender(tenant: Tenant, no_reply: str) -> str:
    """The From of a brand's mail: its name, with its support address or the platform's no-reply."""
    address = tenant.support_email or parseaddr(no_reply)[1]
    # Kept readable in the outbox; the message encodes a name beyond ASCII when it is sent.
    return str(Address(display_name=tenant.name, addr_spec=address))


@lru_cache(maxsize=32)
def environment(root: str, theme: str, locale: str) -> Environment:
    """Templates of one theme over the base theme, speaking one language."""
    folders = dict.fromkeys([theme, BASE])
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(Path(root) / t / "templates")) for t in folders]),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    translations = Translations.load(str(TRANSLATIONS), [locale], "messages")
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    return env


class Formats:
    """Amounts and dates the way a locale writes them, days in the brand's zone."""

    def __init__(self, locale: str, zone: str, currency: str):
        self.locale, self.zone, self.currency = locale, ZoneInfo(zone), currency

    def money(self, amount: Decimal, currency: str | None = None) -> str:
        return format_money(amount, currency or self.currency, self.locale)

    def day(self, moment: datetime) -> str:
        return dates.format_date(moment.astimezone(self.zone).date(), "medium", locale=self.locale)

    def last_day(self, until: datetime) -> str:
        """The last local day before an instant: a plan ending at midnight is used that day last."""
        last = last_local_day(until, str(self.zone))
        return dates.format_date(last, "medium", locale=self.locale)


def render(tenant: Tenant, kind: str, locale: str, **facts: Any) -> tuple[str, str, str]:
    """Subject, plain text and HTML of one kind of mail for the brand."""
    settings = current_app.config["SAAS"]
    theme = theme_name(tenant.theme)
    env = environment(str(settings.themes_dir), theme, locale)
    look = read_theme(str(settings.themes_dir), theme)
    context = {
        "brand": tenant,
        "tokens": look["tokens"],
        "locale": locale,
        "fmt": Formats(locale, tenant.timezone, facts.pop("currency", None) or tenant.currency),
        **facts,
    }
    text = env.get_template(f"email/{kind}.txt")
    subject = "".join(text.blocks["subject"](text.new_context(context))).strip()
    html = env.get_template(f"email/{kind}.html").render(context)
    return subject, text.render(context).strip() + "\n", html


def notify(session: DbSession, person: User, kind: str, **facts: Any) -> OutboundEmail:
    """Write one kind of mail to a person of the brand in scope and have a worker send it."""
    tenant = session.get(Tenant, person.tenant_id)
    assert tenant is not None
    locale = recipient_locale(person, tenant)
    return _send(session, tenant, person.email, kind, locale, person=person, **facts)


def notify_address(
    session: DbSession, tenant: Tenant, email: str, locale: str, kind: str, **facts: Any
) -> OutboundEmail:
    """Write one kind of mail to an address that is nobody's account yet (an applicant)."""
    offered = locale in (tenant.locales or []) and locale in SUPPORTED_LOCALES
    written = locale if offered else recipient_locale(None, tenant)
    return _send(session, tenant, email, kind, written, person=None, **facts)


def _send(
    session: DbSession, tenant: Tenant, email: str, kind: str, locale: str, **facts: Any
) -> OutboundEmail:
    subject, text, html = render(tenant, kind, locale, **facts)
    return outbox.send(
        session,
        template=kind,
        sender=sender(tenant, current_app.config["SAAS"].mail_sender),
        recipient=email,
        subject=subject,
        body_text=text,
        body_html=html,
    )
