"""API endpoints of sign-ups: begin one, answer its steps, send it, see where it stands."""

from __future__ import annotations

from typing import Any

from flask import request
from sqlalchemy import select

from saas.customers.onboarding import services as onboarding
from saas.customers.onboarding.models import Application
from saas.customers.onboarding.steps import OnboardingError
from saas.db import db
from saas.web.api.contract import route
from saas.web.api.models import Page
from saas.web.api.models import signups as models
from saas.web.api.pagination import paginate
from saas.web.api.problems import invalid
from saas.web.signup import submitted

READ, WRITE = "subscribers.read", "subscribers.write"
ONE = "/applications/<int:application_id>"


@route("GET /applications", READ, Page[models.Application])
def list_applications(query: models.ApplicationQuery) -> Any:
    """Sign-ups, newest first, optionally in one state."""
    stmt = select(Application)
    if query.status:
        stmt = stmt.where(Application.status == query.status)
    return paginate(db.session, stmt, Application.id, query, newest_first=True)


@route("POST /applications", WRITE, models.Application, created=True)
def create_application(body: models.NewApplication) -> Any:
    """Begin a sign-up for a person (a shop agent's way); no resume link is mailed."""
    application, _token = onboarding.start(db.session, body.email, body.locale)
    return application


@route(f"GET {ONE}", READ, models.Application)
def get_application(application: Application) -> Any:
    """A sign-up: its steps filled in, where it stands and why."""
    return application


def _answered(application: Application, name: str, body: Any) -> Application:
    answers = body.model_dump()
    if name == "document":
        answers["mrz"] = "\n".join(answers["mrz"])
    try:
        onboarding.save(db.session, application, name, answers)
    except OnboardingError as exc:
        if exc.field in type(body).model_fields:
            raise invalid(exc) from None
        raise
    return application


def _step_route(name: str, model: type) -> None:
    def answer(application: Application, body: Any) -> Any:
        return _answered(application, name, body)

    answer.__name__ = f"answer_{name}_step"
    answer.__doc__ = f"Answer the sign-up's {name} step; steps before it must be answered first."
    answer.__annotations__ = {"application": Application, "body": model, "return": Any}
    route(f"PUT {ONE}/{name}", WRITE, models.Application)(answer)


for _name, _model in models.STEPS.items():
    _step_route(_name, _model)


@route(f"POST {ONE}/submit", WRITE, models.Application)
def submit_application(application: Application) -> Any:
    """Send a complete sign-up to its checks and the line's set-up; approved, it is mailed."""
    return submitted(application, lambda path: request.host_url.rstrip("/") + path)
