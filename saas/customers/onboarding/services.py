"""Sign-up: start, save each step, resume by link, then send it through the checks."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from saas.customers.onboarding import steps as S
from saas.customers.onboarding.models import (
    APPROVED,
    CHECKING,
    DRAFT,
    REJECTED,
    REVIEW,
    Application,
)
from saas.customers.onboarding.steps import OnboardingError
from saas.db import DbSession, utcnow
from saas.identity import services as people
from saas.identity.models import User
from saas.notifications import mails
from saas.tenancy.models import Tenant

# A draft not touched for this long can no longer be resumed.
DRAFT_LIFETIME = timedelta(days=30)
TOKEN_BYTES = 24


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(
    session: DbSession, email: str, locale: str, agent_id: int | None = None
) -> tuple[Application, str]:
    """Open a sign-up; return it and the secret of its resume link (shown once, never stored).

    An address the brand knows already is refused: that person logs in instead.
    """
    people.check_contact(session, email, locale)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    application = Application(
        token_digest=_digest(token), email=email.strip(), locale=locale, agent_id=agent_id
    )
    session.add(application)
    session.flush()
    return application, token


def resume(session: DbSession, token: str) -> Application | None:
    """The brand's sign-up a resume link opens, unless it lapsed."""
    found = session.scalar(select(Application).where(Application.token_digest == _digest(token)))
    if found is None or (found.status == DRAFT and utcnow() - found.updated_at > DRAFT_LIFETIME):
        return None
    return found


def personal(application: Application) -> dict[str, Any]:
    """The personal data told so far (opened from its seal)."""
    return dict(json.loads(application.personal or "{}"))


def answers(application: Application, name: str) -> dict[str, Any]:
    """What the applicant answered in one step, personal data included."""
    asked = S.step(name).fields
    told = application.details | personal(application)
    return {key: told[key] for key in asked if key in told}


def save(session: DbSession, application: Application, name: str, values: dict[str, Any]) -> None:
    """Keep the answers of one step; the steps before it must be filled in first."""
    step = S.step(name)
    if application.status != DRAFT:
        raise OnboardingError("onboarding.not_a_draft")
    before = S.NAMES[: S.NAMES.index(name)]
    missing = [n for n in before if n not in application.steps_done]
    if missing:
        raise OnboardingError("onboarding.step_first", step=missing[0])
    unknown = sorted(set(values) - set(step.fields))
    if unknown:
        raise OnboardingError("onboarding.unknown_answer", answer=unknown[0])
    for check in CHECKS.get(name, ()):
        check(session, application, values)
    sealed = personal(application) | {k: v for k, v in values.items() if k in step.personal}
    application.personal = json.dumps(sealed, default=str)
    application.details = application.details | {
        k: v for k, v in values.items() if k in step.open_fields
    }
    if name not in application.steps_done:
        application.steps_done = [*application.steps_done, name]
    if name == "person":
        application.kind = values.get("kind") or application.kind
    for then in AFTER_SAVE.get(name, ()):
        then(session, application)


# Rules a step's answers must keep, by step: each raises an OnboardingError keyed by field.
StepCheck = Callable[[DbSession, Application, dict[str, Any]], None]
CHECKS: dict[str, list[StepCheck]] = {}


def checks_step(name: str) -> Callable[[StepCheck], StepCheck]:
    """Register a rule for a step's answers."""

    def register(check: StepCheck) -> StepCheck:
        CHECKS.setdefault(S.step(name).name, []).append(check)
        return check

    return register


# What follows the saving of a step (holding a number for the applicant, say).
AfterSave = Callable[[DbSession, Application], None]
AFTER_SAVE: dict[str, list[AfterSave]] = {}


def after_save(name: str) -> Callable[[AfterSave], AfterSave]:
    """Register what happens once a step's answers are kept."""

    def register(then: AfterSave) -> AfterSave:
        AFTER_SAVE.setdefault(S.step(name).name, []).append(then)
        return then

    return register


@dataclass
class Verdict:
    """What one stage of the checks concluded: go on, wait for a person, or refuse; and why."""

    outcome: str = "pass"  # pass | review | reject
    reasons: list[dict[str, Any]] = field(default_factory=list)
    made: dict[str, Any] = field(default_factory=dict)  # records it made, by kind


# The stages a sent sign-up goes through, in order: checks first, then the set-up.
Stage = Callable[[DbSession, Application], Verdict]
STAGES: list[tuple[str, Stage]] = []


def stage(name: str) -> Callable[[Stage], Stage]:
    """Register a stage of the sign-up's processing, run in the order registered."""

    def register(run: Stage) -> Stage:
        STAGES[:] = [(n, s) for n, s in STAGES if n != name] + [(name, run)]
        return run

    return register


def submit(session: DbSession, application: Application) -> Application:
    """Send a complete sign-up through its stages until one refuses or waits for a person."""
    if application.status != DRAFT:
        raise OnboardingError("onboarding.not_a_draft")
    if S.next_step(application.steps_done) is not None:
        raise OnboardingError("onboarding.incomplete")
    application.status, application.submitted_at = CHECKING, utcnow()
    return proceed(session, application)


def proceed(session: DbSession, application: Application, after: str | None = None) -> Application:
    """Run the stages from the first (or those after `after`, once a person approved it)."""
    names = [n for n, _ in STAGES]
    todo = STAGES[names.index(after) + 1 :] if after in names else STAGES
    for name, run in todo:
        verdict = run(session, application)
        application.outcome = application.outcome | verdict.made
        if verdict.outcome != "pass":
            application.reasons = [{"stage": name, **reason} for reason in verdict.reasons]
            application.status = REVIEW if verdict.outcome == "review" else REJECTED
            application.decided_at = utcnow() if verdict.outcome == "reject" else None
            return application
    application.status, application.decided_at = APPROVED, utcnow()
    return application


def send_link(session: DbSession, application: Application, link: str) -> None:
    """Mail the applicant the link that resumes their sign-up."""
    tenant = session.get(Tenant, application.tenant_id)
    assert tenant is not None
    mails.notify_address(
        session, tenant, application.email, application.locale, "signup_resume", link=link
    )


def welcome(session: DbSession, application: Application, link_for: Callable[[User], str]) -> None:
    """Mail an approved applicant, now a subscriber, the link that sets their password."""
    person = session.get(User, application.user_id)
    assert person is not None
    mails.notify(session, person, "signup_welcome", link=link_for(person))


from saas.customers.onboarding import stages  # noqa: E402,F401  (registers the stages)
