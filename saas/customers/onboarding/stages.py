"""What a sent sign-up goes through, and the rules its steps keep."""

from __future__ import annotations

from datetime import date
from typing import Any

from saas.catalog import models as M
from saas.customers import services as customers
from saas.customers.onboarding.models import COMPANY, Application
from saas.customers.onboarding.services import Verdict, checks_step, stage
from saas.customers.onboarding.steps import OnboardingError
from saas.db import DbSession, get_scoped, utcnow
from saas.errors import N_, register
from saas.identity import services as people
from saas.identity.models import SUBSCRIBER
from saas.subscriptions import services as subs

register(
    {
        "onboarding.born_later": N_("a birth date must lie in the past"),
        "onboarding.company_name_missing": N_("a company signs up under its name"),
        "onboarding.plan_not_on_sale": N_("this plan is not on sale"),
        "onboarding.terms_needed": N_("the terms must be accepted to sign up"),
    }
)


@checks_step("person")
def _person(session: DbSession, application: Application, values: dict[str, Any]) -> None:
    born = values.get("birth_date")
    if isinstance(born, date) and born >= utcnow().date():
        raise OnboardingError("onboarding.born_later", field="birth_date")
    if values.get("kind") == COMPANY and not (values.get("company_name") or "").strip():
        raise OnboardingError("onboarding.company_name_missing", field="company_name")


@checks_step("plan")
def _plan(session: DbSession, application: Application, values: dict[str, Any]) -> None:
    version = get_scoped(session, M.PlanVersion, int(values.get("plan_version_id") or 0))
    if version is None or version.status != M.PUBLISHED or version.plan.kind != M.PLAN:
        raise OnboardingError("onboarding.plan_not_on_sale", field="plan_version_id")


@checks_step("consents")
def _consents(session: DbSession, application: Application, values: dict[str, Any]) -> None:
    for needed in ("terms", "privacy"):
        if not values.get(needed):
            raise OnboardingError("onboarding.terms_needed", field=needed)


@stage("account")
def open_account(session: DbSession, application: Application) -> Verdict:
    """Make the subscriber, their company account if they are one, and the subscription."""
    told = application.details
    person = people.create_user(
        session,
        kind=SUBSCRIBER,
        email=application.email,
        password=None,
        full_name=f"{told.get('first_name', '')} {told.get('last_name', '')}",
        locale=application.locale,
    )
    application.user_id = person.id
    account = None
    if application.kind == COMPANY:
        account = customers.create_company(session, told["company_name"], person)
    version = get_scoped(session, M.PlanVersion, int(told["plan_version_id"]))
    assert version is not None  # checked when the plan step was saved
    subscription = subs.subscribe(session, person, version, account=account)
    return Verdict(made={"subscription": subscription.id})
