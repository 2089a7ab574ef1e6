"""Privacy tests: people who signed up for real, lines that end, the records that name them."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from saas.customers.onboarding import services as onboarding
from saas.customers.onboarding.models import Application
from saas.network import lines
from saas.network.models import TERMINATED, Line
from saas.subscriptions import services as subs
from saas.subscriptions.models import Subscription
from tests.conftest import Snapshot, in_brand, recurring
from tests.support.kyc import td3
from tests.support.network import stock

ADDRESS = {"street": "Heidestr. 17", "postcode": "51147", "city": "Köln", "country": "DE"}
SIM = {"sim_kind": "esim"}
NUMBER = {"number_choice": "new"}
CONSENTS = {"payment": "card", "terms": True, "privacy": True, "marketing": True}
BORN = date(1984, 8, 12)


def shop(app: Any, make: Any, **fields: Any) -> Any:
    """A German brand with numbers and SIMs in stock and a plan on sale."""
    wanted = {"currency": "EUR", "timezone": "Europe/Berlin", "locales": ["de", "en"]}
    brand = make.brand(**(wanted | {"country": "DE"} | fields))
    brand["plan"] = make.plan(brand, name="Smart S", components=recurring("9.99"))
    with in_brand(app, brand.id) as session:
        stock(session)
    return brand


def answers(given: str, surname: str, born: date, plan_version_id: int) -> dict[str, Any]:
    """Good answers to every step for a person with a passport of their own."""
    number = "C" + uuid.uuid4().hex[:8].upper()
    zone = "\n".join(td3(surname, given, born, date(2034, 1, 31), number=number))
    person = {"kind": "individual", "first_name": given, "last_name": surname, "birth_date": born}
    return {
        "person": person,
        "address": ADDRESS,
        "document": {"document_kind": "passport", "mrz": zone, "national_id": ""},
        "plan": {"plan_version_id": plan_version_id},
        "sim": SIM,
        "number": NUMBER,
        "consents": CONSENTS,
    }


def sign_up(
    app: Any, brand: Any, email: str, given: str, surname: str, born: date = BORN
) -> Snapshot:
    """A sign-up filled in and sent; the ids of what it made (or the reasons it stopped)."""
    with in_brand(app, brand.id) as session:
        application, token = onboarding.start(session, email, "de")
        for name, told in answers(given, surname, born, brand.plan.version_id).items():
            onboarding.save(session, application, name, told)
        onboarding.submit(session, application)
        made = dict(application.outcome)
        return Snapshot(
            id=application.id,
            token=token,
            status=application.status,
            user_id=application.user_id,
            case=made.get("kyc_case"),
            decision=made.get("credit_decision"),
            subscription=made.get("subscription"),
            line=made.get("line"),
        )


def end_line(app: Any, brand: Any, signed: Any, at: datetime | None = None) -> None:
    """Cancel the person's subscription now and terminate its line (as the network would)."""
    with in_brand(app, brand.id) as session:
        sub = session.get(Subscription, signed.subscription)
        subs.cancel(session, sub, at=at, when="now")
        line = session.get(Line, signed.line)
        if line.state != TERMINATED:  # a line not yet on the network ends with the cancellation
            lines.terminate(session, line, at=at)


def application(app: Any, brand: Any, application_id: int) -> Application:
    """A sign-up's row, read in its brand (its sealed answers opened)."""
    with in_brand(app, brand.id) as session:
        row = session.get(Application, application_id)
        session.expunge(row)
        return row
