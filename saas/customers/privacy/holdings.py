"""What the brand holds about a subscriber: every record that names them, gathered at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from saas.customers.credit.models import CreditDecision
from saas.customers.kyc.models import KycCase, SepaMandate
from saas.customers.onboarding.models import Application
from saas.customers.privacy.models import Erasure
from saas.db import DbSession
from saas.identity.models import User
from saas.network.models import Line
from saas.network.provisioning.models import PortIn
from saas.subscriptions.models import Subscription


@dataclass(frozen=True)
class Holdings:
    """A subscriber's records, each list oldest first."""

    person: User
    applications: list[Application]
    cases: list[KycCase]
    decisions: list[CreditDecision]
    subscriptions: list[Subscription]
    lines: list[Line]
    port_ins: list[PortIn]
    erasures: list[Erasure]

    @property
    def mandates(self) -> list[SepaMandate]:
        """The SEPA mandates given with the person's identity checks."""
        return [case.mandate for case in self.cases if case.mandate is not None]

    @property
    def with_personal_data(self) -> list[object]:
        """The records that may hold personal data to erase."""
        return [*self.applications, *self.cases, *self.mandates, *self.decisions, *self.port_ins]


def _cases(session: DbSession, person: User, applications: list[Application]) -> list[KycCase]:
    made = [a.outcome["kyc_case"] for a in applications if "kyc_case" in (a.outcome or {})]
    stmt = select(KycCase).where(or_(KycCase.subscriber_id == person.id, KycCase.id.in_(made)))
    return list(session.scalars(stmt.options(selectinload(KycCase.mandate)).order_by(KycCase.id)))


def _lines(session: DbSession, subscription_ids: list[int]) -> list[Line]:
    stmt = (
        select(Line)
        .where(Line.subscription_id.in_(subscription_ids))
        .options(selectinload(Line.numbers), selectinload(Line.sims))
    )
    return list(session.scalars(stmt.order_by(Line.id)))


def _erasures(session: DbSession, person: User, applications: list[Application]) -> list[Erasure]:
    ids = [a.id for a in applications]
    whose = or_(Erasure.subscriber_id == person.id, Erasure.application_id.in_(ids))
    return list(session.scalars(select(Erasure).where(whose).order_by(Erasure.id)))


def _all(session: DbSession, stmt: Select[Any]) -> list[Any]:
    """The rows a statement finds, oldest first."""
    entity = stmt.column_descriptions[0]["entity"]
    return list(session.scalars(stmt.order_by(entity.id)))


def of(session: DbSession, person: User) -> Holdings:
    """Everything the brand holds about a subscriber."""
    applications = _all(session, select(Application).filter_by(user_id=person.id))
    subscriptions = _all(session, select(Subscription).filter_by(subscriber_id=person.id))
    sub_ids = [s.id for s in subscriptions]
    return Holdings(
        person=person,
        applications=applications,
        cases=_cases(session, person, applications),
        decisions=_all(session, select(CreditDecision).filter_by(subscriber_id=person.id)),
        subscriptions=subscriptions,
        lines=_lines(session, sub_ids),
        port_ins=_all(session, select(PortIn).where(PortIn.subscription_id.in_(sub_ids))),
        erasures=_erasures(session, person, applications),
    )
