"""No English on a German or Polish screen: every console, portal and platform page and form.

A brand speaking only German (and one speaking only Polish) gets a record of every kind; every GET
route of the console, the portal and the platform is rendered with its path filled from those
records, then every form found on those pages is sent empty and with letters in its fields. The
visible text of each answer (text, labels, button values, placeholders, titles, messages kept for
scripts) must hold no English: no text that is exactly an English message of the catalogues whose
translation differs, no stored value that has a translated name (a raw status, kind or interval),
and no English function word ("the", "must", "is not") anywhere.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from werkzeug.routing import Rule

import saas
from tests.conftest import ROOT, Factory, in_brand, login
from tests.support.kyc import td3

TRANSLATIONS = Path(saas.__file__).parent / "translations"
SECURITY = Path(__import__("flask_security").__file__).parent / "translations"
PLATFORM = "localhost"
THEMES = {"de": ("spreewelle", "EUR", "Europe/Berlin"), "pl": ("wislafon", "PLN", "Europe/Warsaw")}
BLUEPRINTS = ("admin", "portal", "platform")
# Flask-Security's own pages that a brand's people see; the rest need tokens or second factors.
SECURITY_PAGES = ("security.login", "security.forgot_password", "security.change_password")
# Words English sentences cannot do without and German and Polish text never holds.
ENGLISH_WORDS = re.compile(
    r"\b(the|The|is|are|not|must|cannot|has|have|been|with|and|of|this|This|that|your|Your|you"
    r"|You|please|Please|should|which|than|for|from|yet|already|does|doesn't|isn't|or|at|were"
    r"|into|there|their|its|it's|only|each|every|none|any"
    # and the kinds of record refusals name, which German and Polish name otherwise.
    r"|product|metric|component|allowance|subscription|promotion|version|account|brand)\b"
)
PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[sdr]|%[sd]")
# Forms that leave the page, or the language: not what a refusal test sends.
NOT_SENT = ("/account/logout", "/locale")
TEXT_INPUTS = ("text", "number", "email", "password", "search", "tel", "url", "datetime-local")
SHOWN_ATTRIBUTES = ("placeholder", "title", "alt", "aria-label")


# --- what a screen shows ----------------------------------------------------------------------


@dataclass
class Form:
    """A form of a page, with the values it would send as it stands."""

    action: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (name, type, value)
    choices: dict[str, str] = field(default_factory=dict)  # select name -> chosen value

    def filled(self, typed: str) -> dict[str, list[str]]:
        """The form's values with every field a person types into set to `typed`."""
        data: dict[str, list[str]] = {}
        for name, kind, value in self.fields:
            if kind in ("checkbox", "radio", "submit", "button"):
                continue
            data.setdefault(name, []).append(typed if kind in (*TEXT_INPUTS, "textarea") else value)
        for name, value in self.choices.items():
            data.setdefault(name, []).append(value)
        return data


class Screen(HTMLParser):
    """The text a person sees on a page, and the forms it holds."""

    SKIPPED = ("script", "style", "code", "pre", "textarea", "template")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.forms: list[Form] = []
        self._skipping: list[str] = []
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in self.SKIPPED:
            self._skipping.append(tag)
        self._shown_attributes(tag, a)
        self._form_part(tag, a)

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()
        if tag == "textarea" and self._textarea and self.forms:
            name, parts = self._textarea
            self.forms[-1].fields.append((name, "textarea", "".join(parts)))
            self._textarea = None
        if tag == "select" and self._select is not None and self.forms:
            self.forms[-1].choices.setdefault(self._select, self._first_option or "")
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)
        if not self._skipping:
            self._add(data)

    def _add(self, text: str) -> None:
        text = " ".join(text.split())
        if text:
            self.texts.append(text)

    def _shown_attributes(self, tag: str, a: dict[str, str]) -> None:
        for name in SHOWN_ATTRIBUTES:
            self._add(a.get(name, ""))
        if tag == "input" and a.get("type") in ("submit", "button", "reset"):
            self._add(a.get("value", ""))
        # Messages kept for scripts, such as the designer's "not valid JSON".
        for name, value in a.items():
            if name.startswith("data-") and name != "data-testid" and " " in value.strip():
                self._add(value)

    def _form_part(self, tag: str, a: dict[str, str]) -> None:
        if tag == "form" and a.get("method", "get").lower() == "post":
            self.forms.append(Form(a.get("action", "")))
        if not self.forms:
            return
        form = self.forms[-1]
        if tag == "input" and a.get("name"):
            form.fields.append((a["name"], a.get("type", "text"), a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = (a["name"], [])
        elif tag == "select" and a.get("name"):
            self._select, self._first_option = a["name"], None
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                form.choices[self._select] = value


def shown_texts(response: Any) -> list[str]:
    """The texts an answer shows a person; a JSON file to keep (my data) is data, not a screen."""
    if response.mimetype == "application/json":
        return []
    return screen(response.get_data(as_text=True)).texts


def screen(body: str) -> Screen:
    parsed = Screen()
    parsed.feed(body)
    parsed.close()
    return parsed


# --- what counts as English -------------------------------------------------------------------


def _messages(path: Path, lang: str) -> dict[str, str]:
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    return {
        m.id: m.string
        for m in catalog
        if isinstance(m.id, str) and isinstance(m.string, str) and m.id and m.string
    }


def _pattern(msgid: str) -> re.Pattern[str] | None:
    literal = PLACEHOLDER.sub("", msgid)
    if len(re.findall(r"[A-Za-z]", literal)) < 2:
        return None  # only placeholders and punctuation: any text would match
    parts = PLACEHOLDER.split(" ".join(msgid.replace("%%", "%").split()))
    return re.compile(".+?".join(re.escape(part) for part in parts))


def translated_messages(lang: str) -> list[re.Pattern[str]]:
    """Our messages as `lang` writes them, as whole-text patterns."""
    found = _messages(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", lang)
    patterns = (_pattern(text) for text in found.values())
    return [p for p in patterns if p is not None]


def english_messages(lang: str) -> list[tuple[str, re.Pattern[str]]]:
    """The catalogues' English messages that read differently in `lang`, as whole-text patterns."""
    found = _messages(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", lang)
    # Flask-Security's pages and messages: its own catalogue, and ours where it has gaps.
    security = SECURITY / {"de": "de_DE", "pl": "pl_PL"}[lang] / "LC_MESSAGES" / "flask_security.po"
    found |= _messages(security, lang)
    found |= _messages(TRANSLATIONS / lang / "LC_MESSAGES" / "flask_security.po", lang)
    patterns = []
    for msgid, translated in found.items():
        pattern = _pattern(msgid)
        if pattern is not None and " ".join(translated.split()) != " ".join(msgid.split()):
            patterns.append((msgid, pattern))
    return patterns


def stored_values(lang: str) -> set[str]:
    """Values the code stores and screens must name in words: statuses, kinds, intervals."""
    from saas.catalog import models as M
    from saas.catalog.periods import INTERVALS
    from saas.catalog.pricing import CHARGE_MODELS
    from saas.catalog.services import AGGREGATIONS
    from saas.identity import roles as R
    from saas.jobs import models as J
    from saas.network import lines as L
    from saas.network import models as N
    from saas.network.provisioning import models as P
    from saas.network.provisioning.errors import REJECTIONS
    from saas.subscriptions import models as S

    values = {
        *M.COMPONENT_KINDS,
        *M.FEE_TYPES,
        *M.TAX_CATEGORIES,
        *INTERVALS,
        *CHARGE_MODELS,
        *AGGREGATIONS,
        M.DRAFT,
        M.PUBLISHED,
        M.ARCHIVED,
        M.PLAN,
        M.ADDON,
        M.PREPAID,
        M.POSTPAID,
        M.ADVANCE,
        M.ARREARS,
        S.ACTIVE,
        S.SUSPENDED,
        S.CANCELLED,
        S.APPLIED,
        S.SCHEDULED,
        S.REVOKED,
        J.DEAD,
        J.RETRIED,
        J.DISCARDED,
        R.OWNER,
        R.ADMIN,
        R.AGENT,
        R.FINANCE,
        R.READ_ONLY,
        "percent",
        "fixed",
        "once",
        "repeating",
        "forever",
        "individual",
        "company",
        "subscribed",
        "plan_changed",
        "migrated",
        "addon_added",
        "addon_removed",
        *N.NUMBER_STATES,
        *N.SIM_STATES,
        *N.SIM_KINDS,
        *N.LINE_STATES,
        *L.EVENT_KINDS,
        *L.SWAP_REASONS,
        *P.ORDER_STATES,
        *P.PORT_STATES,
        *P.ACTIONS,
        *REJECTIONS,
    }
    return {v for v in values if re.search("[a-z]{3}", v)}


@dataclass
class Reader:
    """Finds English in what a German or Polish screen shows."""

    lang: str
    messages: list[tuple[str, re.Pattern[str]]]
    values: set[str]
    codes: set[str]
    # A sentence that one of the language's own messages reads is not English, whatever
    # English message it happens to fit too ("X in Y: Z").
    translated: list[re.Pattern[str]] = field(default_factory=list)

    def english(self, text: str) -> str | None:
        """Why the text is English, or None."""
        # A code the brand gave one of its records (a component "sim") is its name, not a value.
        if text in self.values and text not in self.codes:
            return "a stored value shown as it is stored"
        for msgid, pattern in self.messages:
            if pattern.fullmatch(text):
                if any(own.fullmatch(text) for own in self.translated):
                    break
                return f"the untranslated message {msgid!r}"
        word = ENGLISH_WORDS.search(text)
        if word:
            return f"the English word {word.group(0)!r}"
        return None


# --- a brand with a record of every kind ------------------------------------------------------


@dataclass
class World:
    """A brand speaking one language, its records, and its people logged in."""

    lang: str
    host: str
    ids: dict[str, Any]
    clients: dict[str, Any]


def _catalogue(theme: str) -> dict[str, Any]:
    with (ROOT / "tenants" / f"{theme}.toml").open("rb") as fh:
        return tomllib.load(fh)["catalog"]


def _records(session: Any, currency: str, theme: str, people: dict[str, Any]) -> dict[str, Any]:
    """A catalogue with drafts, archived holders and a migration, subscriptions and the rest."""
    from saas.catalog import models as M
    from saas.catalog import services as catalog
    from saas.customers import services as customers
    from saas.db import utcnow
    from saas.identity.api_keys import issue
    from saas.identity.models import User
    from saas.jobs.services import record_dead_letter
    from saas.subscriptions import migrations
    from saas.subscriptions import services as subs

    catalog.load_catalog(session, _catalogue(theme), currency)
    cheap, mid, dear = catalog.sellable(session, M.PLAN, currency)[:3]
    addons = catalog.sellable(session, M.ADDON, currency)
    person = {name: session.get(User, ident) for name, ident in people.items()}
    started = utcnow() - timedelta(days=9)
    sub = subs.subscribe(session, person["holder"], mid, started)
    held = subs.add_addon(session, sub, addons[0], started)
    subs.change_plan(session, sub, cheap, started)  # a downgrade waits for the period's end
    company = customers.create_company(session, "Nordlicht", person["holder"])
    subs.subscribe(session, person["line"], dear, started, account=company, line_label="Büro")
    subs.subscribe(session, person["third"], mid, started)
    # New prices for two plans: the dear plan's holders get a migration, the middle one's wait.
    for version in (mid, dear):
        catalog.publish(session, catalog.new_draft(session, version.plan))
        catalog.new_draft(session, version.plan)
    migration = migrations.schedule(session, dear, dear.plan.published)
    dead = record_dead_letter(
        session,
        message_id="m-1",
        queue_name="default",
        actor_name="deliver_email",
        args=[1],
        kwargs={},
        retries=3,
        error="SMTPServerDisconnected",
        traceback="Traceback (most recent call last): ...",
    )
    key = issue(session, "Buchhaltung", ["subscribers.read"], people["owner"])
    line = _line(session, sub)
    decision = _credit_decisions(session, person["holder"], person["owner"])
    order, port_in = _network_records(session, sub.id)
    usage_source, usage_file = _usage_records(session)
    promotion = catalog.promotions(session)[0]
    case = _kyc_case(session, person["holder"])
    _charging_records(session, sub, line, currency, started)
    rating_version = _rating_version(session)
    session.flush()
    codes = {c.code for p in catalog.plans(session) for v in p.versions for c in v.components}
    codes |= {m.code for m in catalog.metrics(session)} | {
        p.code for p in catalog.products(session)
    }
    return {
        "codes": codes,
        "plan": dear.plan_id,
        "waiting_plan": mid.plan_id,
        "from": mid.id,
        "to": mid.plan.published.id,
        "sub": sub.id,
        "addon": held.id,
        "other_plan": dear.plan.code,
        "addon_code": addons[-1].plan.code,
        "plan_code": cheap.plan.code,
        "account": company.id,
        "migration": migration.id,
        "job": dead.id,
        "key": key.key.id,
        "promotion": promotion.id,
        "case": case.id,
        "network_line": line.id,
        "decision": decision,
        "order": order,
        "port_in": port_in,
        "usage_source": usage_source,
        "usage_file": usage_file,
        "rating_version": rating_version,
    }


def _usage_records(session: Any) -> tuple[int, int]:
    """A usage source and a file from it, one record waiting in quarantine for want of a line."""
    import io

    from saas.usage import files, quarantine
    from saas.usage.records import NO_LINE

    source = files.save_source(session, "Vermittlung", "csv")
    content = (
        b"record_id,service,msisdn,destination,started_at,usage\n"
        b"x1,voice,4915299999999,4930123456,2026-11-15T10:00:00Z,61\n"
    )
    got = files.receive(session, source, io.BytesIO(content), "tag.csv")
    row = {"row": 1, "record_key": "csv:x1", "reason": NO_LINE, "detail": "", "raw": "x1"}
    quarantine.keep(session, got.id, [row])
    return source.id, got.id


def _charging_records(session: Any, sub: Any, line: Any, currency: str, started: Any) -> None:
    """A wholesale agreement, and usage charged on the line: allowances drawn on."""
    from saas.db import utcnow
    from saas.usage import wholesale
    from saas.usage.charging import charge
    from saas.usage.wholesale import GroupSpec, RateSpec
    from tests.support.charging import batch, record

    wholesale.create_version(
        session,
        name="Gastnetz",
        currency=currency,
        valid_from=started,
        line_fee=Decimal("0.50"),
        groups=[GroupSpec("mobil", "Mobil", ("4915", "4916"))],
        rates=[
            RateSpec("voice", Decimal("0.01")),
            RateSpec("voice", Decimal("0.008"), group="mobil", from_volume=Decimal("1000")),
            RateSpec("data", Decimal("0.0004"), zone="eu"),
        ],
    )
    shown = {"id": line.id, "subscription_id": sub.id, "msisdn": "4915200000011"}
    now = utcnow()
    rows = [
        record(_Shown(shown), usage=300, started_at=now),
        record(_Shown(shown), service="data", usage=700 * 1024 * 1024, started_at=now),
    ]
    charge(session, batch(rows))


class _Shown(dict):  # type: ignore[type-arg]
    __getattr__ = dict.__getitem__


def _rating_version(session: Any) -> int:
    """A rate deck from the CGRateS tariff plan the rating tests use."""
    from saas.usage.rating import cgrates, services

    files = cgrates.files_of_directory(ROOT / "tests" / "data" / "cgrates" / "spreewelle")
    return services.import_cgrates(session, files, "retail", "Europe/Berlin").id


def _kyc_case(session: Any, holder: Any) -> Any:
    """A KYC case waiting for review: a document typed in, a mandate the brand cannot take."""
    from datetime import date

    from saas.customers.kyc import services as kyc
    from saas.customers.kyc.applicant import Applicant

    person = Applicant(
        "Anna",
        "Schmidt",
        date(1990, 1, 2),
        subscriber_id=holder.id,
        document_number="C01X00T47",
        document_country="D",
        document_expires=date(2031, 1, 1),
        direct_debit=True,
        iban="DE89 3704 0044 0532 0130 00",
    )
    return kyc.check(session, person)


def _line(session: Any, sub: Any) -> Any:
    """Numbers and SIMs in stock, and a line that went live and swapped its card for an eSIM."""
    from saas.network import lines, numbers, sims
    from saas.network import settings as network_settings
    from tests.support import network as files

    network_settings.save(session, smdp_address="smdp.example.com")
    numbers.add_range(session, "+49 1520 0000000", "+49 1520 0000099")
    sims.import_rows(session, files.sims(1, 3) + files.sims(4, 1, "esim"))
    held = numbers.reserve(session, "+49 1520 0000011", golden=True)
    line = lines.create(session, sub, held.token)
    lines.activate(session, line)
    lines.swap_sim(session, line, lines.REPLACED, kind="esim")
    return line


class _Bureau:
    """A bureau reporting a score and a payment default, so every kind of line is shown."""

    def score(self, applicant: Any) -> Any:
        from saas.customers.credit.reports import BureauReport, Negative

        entry = Negative("default", Decimal("412.50"), "EUR", date(2024, 3, 15))
        raw = {
            "kind": "default",
            "amount": "412.50",
            "currency": "EUR",
            "reported_on": "2024-03-15",
        }
        answer = {"inquiry_id": "SIM-1", "found": True, "score": 640, "entries": [raw]}
        return BureauReport("SIM-1", True, 640, (entry,), answer)


def _credit_decisions(session: Any, holder: Any, owner: Any) -> int:
    """A credit check of the holder, overridden by the owner; the check's id."""
    from saas.customers.credit import services as credit
    from saas.customers.credit.reports import Applicant

    person = Applicant("Anna", "Schmidt", date(1990, 5, 15), "Hauptstr. 1", "10115", "Berlin")
    checked = credit.check(session, holder, person, bureau=_Bureau())
    credit.override(session, holder, "B", "Langjährige Kundin", owner)
    return checked.id


class _RefusingNetwork:
    """A host network that refuses whatever it is asked."""

    def activate(self, key: str, **_: Any) -> Any:
        from saas.network.provisioning.mno import REFUSED, Answer

        return Answer(REFUSED, error="network.refused", detail="iccid has a wrong check digit")


def _network_records(session: Any, sub_id: int) -> tuple[int, int]:
    """A provisioning order the network refused, and a port-in the donor rejected."""
    from saas.db import utcnow
    from saas.network.provisioning import decisions, orders, porting

    line = {"msisdn": "+4915112345675", "iccid": "8949000000001000090", "imsi": "262010000100010"}
    order = orders.activate(session, sub_id, profile="standard", **line)
    orders.advance(session, order.id, _RefusingNetwork())  # type: ignore[arg-type]
    asked = porting.PortInRequest("+4915112345671", "vodafone", "Anna Schmidt", utcnow().date())
    port_in = porting.file_port_in(session, sub_id, asked, "")
    decisions.decided(
        session, port_in, {"status": "rejected", "reason": "holder_mismatch"}, utcnow()
    )
    return order.id, port_in.id


def _client(app: Flask, lang: str, host: str, email: str | None, password: str = "") -> Any:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    if email is not None:
        assert login(client, host, email, password).status_code == 302
    return client


def _application(session: Any, lang: str, plan_id: int) -> int:
    """A sign-up waiting for review, with every step filled in."""
    from datetime import date

    from saas.catalog.models import Plan
    from saas.customers.onboarding import services as onboarding

    application, _ = onboarding.start(session, f"antrag-{lang}@example.com", lang)
    version = session.get(Plan, plan_id).published
    answers = {
        "person": {
            "kind": "company",
            "first_name": "Jan",
            "last_name": "Kowal",
            "birth_date": date(1980, 1, 2),
            "company_name": "Kowal sp. z o.o.",
        },
        "address": {"street": "Długa 1", "postcode": "00-001", "city": "Warszawa", "country": "PL"},
        "document": {
            "document_kind": "passport",
            "mrz": "\n".join(td3("Kowal", "Jan", date(1980, 1, 2), date(2034, 1, 1))),
            "national_id": "",
        },
        "plan": {"plan_version_id": version.id},
        "sim": {"sim_kind": "esim"},
        "number": {"number_choice": "keep", "msisdn": "+48600100200", "donor": "Orange"},
        "consents": {
            "payment": "direct_debit",
            "iban": "PL61109010140000071219812874",
            "terms": True,
            "privacy": True,
        },
    }
    for name, told in answers.items():
        onboarding.save(session, application, name, told)
    application.status = "review"
    application.reasons = [{"stage": "kyc", "code": "onboarding.incomplete"}]
    return application.id


def _applicant(app: Flask, lang: str, host: str) -> Any:
    """A visitor who has begun to sign up."""
    client = _client(app, lang, host, None)
    begun = client.post(
        "/signup",
        data={"email": f"neu-{lang}@example.com", "locale": lang},
        base_url=f"http://{host}",
    )
    assert begun.status_code == 302, begun.get_data(as_text=True)
    return client


@pytest.fixture(scope="module", autouse=True)
def usage_stages() -> Iterator[None]:
    """The fakes of the rating and charging ports, for the usage forms that re-process."""
    from tests.support.usage_stages import fake_stages

    with fake_stages():
        yield


@pytest.fixture(scope="module", params=["de", "pl"])
def world(request: Any, app: Flask) -> World:
    from saas.platform_setup import DEMO_OPERATOR

    lang = request.param
    theme, currency, zone = THEMES[lang]
    make = Factory(app)
    brand = make.brand(
        name=f"{theme.title()} Test",
        default_locale=lang,
        locales=[lang],
        theme=theme,
        currency=currency,
        timezone=zone,
    )
    people = {
        "owner": make.user(brand, "staff", ("owner",), full_name="Greta Inhaber"),
        "agent": make.user(brand, "staff", ("agent",), full_name="Jonas Service"),
        "holder": make.user(brand, "subscriber", full_name="Anna Schmidt"),
        "line": make.user(brand, "subscriber", full_name="Max Müller"),
        "third": make.user(brand, "subscriber", full_name="Ola Trzecia"),
        "newcomer": make.user(brand, "subscriber", full_name="Ida Neu"),
    }
    with in_brand(app, brand.id) as session:
        ids = _records(session, currency, theme, {k: p.id for k, p in people.items()})
    ids |= {k: p.id for k, p in people.items()} | {"slug": brand.slug}
    with in_brand(app, brand.id) as session:
        ids["application"] = _application(session, lang, ids["plan"])
    clients = {
        "anonymous": _client(app, lang, brand.host, None),
        "owner": _client(app, lang, brand.host, people["owner"].email, people["owner"].password),
        "holder": _client(app, lang, brand.host, people["holder"].email, people["holder"].password),
        "newcomer": _client(
            app, lang, brand.host, people["newcomer"].email, people["newcomer"].password
        ),
        "operator": _client(app, lang, PLATFORM, *DEMO_OPERATOR),
        "applicant": _applicant(app, lang, brand.host),
    }
    return World(lang, brand.host, ids, clients)


# --- every page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    """A page to render: who asks, where, and the status its answer has."""

    who: str
    host: str
    url: str
    status: int = 200


def _who(rule: Rule) -> str:
    if rule.endpoint.startswith("platform."):
        return "operator"
    if rule.endpoint.startswith("admin."):
        return "owner"
    if rule.endpoint in ("security.login", "security.forgot_password"):
        return "anonymous"
    if rule.endpoint.startswith("portal.signup"):
        return "applicant"
    return "holder"


def _values(world: World, rule: Rule) -> dict[str, Any]:
    """Path values from the brand's records, by argument name (and page, where it matters)."""
    ids = world.ids
    user = ids["agent"] if rule.endpoint.startswith("admin.staff") else ids["holder"]
    known = {
        "plan_id": ids["plan"],
        "account_id": ids["account"],
        "job_id": ids["job"],
        "sub_id": ids["sub"],
        "user_id": user,
        "slug": ids["slug"],
        "promotion_id": ids["promotion"],
        "token": "not-a-link-we-sent",
        "application_id": ids["application"],
        "name": "person",
        "case_id": ids["case"],
        "line_id": ids["network_line"],
        "decision_id": ids["decision"],
        "order_id": ids["order"],
        "port_in_id": ids["port_in"],
        "file_id": ids["usage_file"],
        "source_id": ids["usage_source"],
        "number": 1,
        "version_id": ids["rating_version"],
    }
    missing = set(rule.arguments) - set(known) - {"action"}
    assert not missing, f"{rule.rule}: give the test a record for {sorted(missing)}"
    return {name: known[name] for name in rule.arguments if name != "action"}


def _actions(world: World, endpoint: str) -> list[tuple[str, dict[str, Any], int]]:
    ids = world.ids
    portal = [
        ("change", {"plan": ids["other_plan"]}, 200),
        ("cancel", {"when": "now"}, 200),
        ("cancel", {"when": "period_end"}, 200),
        ("addon", {"addon": ids["addon_code"]}, 200),
        ("remove-addon", {"item": ids["addon"]}, 200),
        ("addon", {"addon": "keine"}, 400),
    ]
    if endpoint.startswith("portal."):
        return portal
    return [*portal, ("suspend", {"reason": "Verlust"}, 200), ("resume", {}, 400)]


# Query strings that open other states of a page (and the status those answer with).
EXTRA_QUERIES: dict[str, list[tuple[dict[str, Any], int]]] = {
    "admin.subscriptions_list": [({"status": "active"}, 200)],
    "admin.jobs_list": [({"status": "retried"}, 200)],
    "admin.provisioning_orders": [({"state": "failed"}, 200), ({"state": "kaputt"}, 400)],
    "admin.port_ins": [({"state": "rejected"}, 200)],
    "admin.port_in_new": [({"subscription": "1"}, 200)],
    "admin.subscribers_list": [({"q": "Anna"}, 200), ({"q": "niemand"}, 200)],
    "admin.subscription_detail": [({"at": "2026-01-31T14:00"}, 200), ({"at": "gestern"}, 400)],
    "admin.numbers_list": [({"state": "assigned"}, 200), ({"q": "4915200000"}, 200)],
    "admin.lines_lookup": [({"q": "+49 1520 0000011"}, 200), ({"q": "1", "at": "morgen"}, 400)],
}


def _query(world: World, endpoint: str) -> list[tuple[dict[str, Any], int]]:
    ids = world.ids
    if endpoint == "admin.catalog_migration_preview":
        plan = {"plan_id": ids["waiting_plan"]}
        return [
            ({"from": ids["from"], "to": ids["to"]} | plan, 200),
            ({"from": ids["from"], "to": ids["from"]} | plan, 400),
        ]
    if endpoint == "admin.subscriber_subscribe":
        return [
            ({}, 200),
            ({"plan": ids["plan_code"]}, 200),
            ({"plan": ids["plan_code"], "promo_code": "FALSCH"}, 400),
        ]
    if endpoint == "portal.subscribe_preview":
        return [({"plan": ids["plan_code"]}, 200), ({"plan": "keiner"}, 200)]
    return [({}, 200), *EXTRA_QUERIES.get(endpoint, [])]


SIGNUP_STEPS = ("person", "address", "document", "plan", "sim", "number", "consents")


def visits(app: Flask, world: World) -> Iterator[Visit]:
    """Every GET page of the console, the portal and the platform, with its states."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        area = rule.endpoint.split(".")[0]
        if "GET" not in (rule.methods or ()):
            continue
        if area not in BLUEPRINTS and rule.endpoint not in SECURITY_PAGES:
            continue
        who = _who(rule)
        host = PLATFORM if who == "operator" else world.host
        if rule.endpoint == "portal.subscribe_preview":
            who = "newcomer"
        values = _values(world, rule)
        with app.test_request_context(base_url=f"http://{host}"):
            from flask import url_for

            if "action" in rule.arguments:
                for action, query, status in _actions(world, rule.endpoint):
                    yield Visit(
                        who, host, url_for(rule.endpoint, action=action, **values, **query), status
                    )
                continue
            for query, status in _query(world, rule.endpoint):
                path = values | query
                yield Visit(who, host, url_for(rule.endpoint, **path), status)
            if rule.endpoint == "portal.signup_step":
                for name in SIGNUP_STEPS[1:]:
                    yield Visit(who, host, url_for(rule.endpoint, name=name), 200)
        if rule.endpoint == "portal.index":
            yield Visit("anonymous", host, "/", 200)
            yield Visit("holder", host, "/nirgends", 404)
            yield Visit("holder", host, "/admin/", 403)


def _get(world: World, visit: Visit) -> Any:
    client = world.clients[visit.who]
    return client.get(visit.url, base_url=f"http://{visit.host}", follow_redirects=True)


def findings(reader: Reader, where: str, texts: list[str]) -> list[str]:
    found = []
    for text in texts:
        why = reader.english(text)
        if why:
            found.append(f"{where}: {text!r} ({why})")
    return found


@pytest.fixture(scope="module")
def reader(world: World) -> Reader:
    messages, values = english_messages(world.lang), stored_values(world.lang)
    translated = translated_messages(world.lang)
    return Reader(world.lang, messages, values, world.ids["codes"], translated)


@pytest.fixture(scope="module")
def pages(app: Flask, world: World) -> list[tuple[Visit, Any, Screen]]:
    rendered = []
    for visit in visits(app, world):
        response = _get(world, visit)
        rendered.append((visit, response, screen(response.get_data(as_text=True))))
    return rendered


def test_every_page_answers_as_expected(pages: list[tuple[Visit, Any, Screen]]) -> None:
    wrong = [
        f"{v.url}: {r.status_code}, expected {v.status}"
        for v, r, _ in pages
        if r.status_code != v.status
    ]
    assert wrong == []
    assert len(pages) > 40


def test_no_page_shows_english(reader: Reader, pages: list[tuple[Visit, Any, Screen]]) -> None:
    found = [f for v, _, s in pages for f in findings(reader, f"GET {v.url}", s.texts)]
    assert found == [], "\n".join(found)


def _forms(world: World, pages: list[tuple[Visit, Any, Screen]]) -> list[tuple[str, str, Form]]:
    seen, forms = set(), []
    for visit, _response, parsed in pages:
        for form in parsed.forms:
            action = urlsplit(form.action).path or urlsplit(visit.url).path
            key = (visit.who, action, tuple(sorted(n for n, _, _ in form.fields)))
            if action.startswith(NOT_SENT) or key in seen:
                continue
            seen.add(key)
            forms.append((visit.who, visit.host, Form(action, form.fields, form.choices)))
    return forms


def test_every_forms_errors_are_translated(
    world: World, reader: Reader, pages: list[tuple[Visit, Any, Screen]]
) -> None:
    found, sent = [], 0
    for who, host, form in _forms(world, pages):
        for typed in ("", "abc"):
            client = world.clients[who]
            response = client.post(
                form.action,
                data=form.filled(typed),
                base_url=f"http://{host}",
                follow_redirects=True,
            )
            sent += 1
            where = f"POST {form.action} with {typed!r}"
            assert response.status_code < 500, where
            found += findings(reader, where, shown_texts(response))
    assert found == [], "\n".join(found)
    assert sent > 30


@pytest.mark.parametrize(
    "body",
    ["{", '{"units": "abc", "charge": {"charge_model": "standard"}}', "[1]"],
    ids=["not JSON", "bad units", "not an object"],
)
def test_the_designers_live_quote_refuses_in_the_readers_language(
    world: World, reader: Reader, body: str
) -> None:
    response = world.clients["owner"].post(
        "/admin/catalog/quote",
        data=body,
        content_type="application/json",
        base_url=f"http://{world.host}",
    )
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert findings(reader, "quote", [error]) == []
    assert error.split(": ", 1)[0] in ("body", "units", "charge_model", "properties")
