"""API endpoints of credit checks: run one for a subscriber, list theirs, read one."""

from __future__ import annotations

from typing import Any

from saas.customers.credit import services as credit
from saas.customers.credit.models import CreditDecision
from saas.db import db
from saas.web.api.contract import route
from saas.web.api.models import credit as models
from saas.web.api.records import subscriber

READ, WRITE = "credit.read", "credit.write"


@route(
    "POST /subscribers/<int:subscriber_id>/credit-checks",
    WRITE,
    models.CreditDecision,
    created=True,
)
def run_credit_check(subscriber_id: int, body: models.CreditCheck) -> Any:
    """Check a subscriber with the credit bureau and the brand's scorecard; keep the decision.

    When the bureau cannot be asked, the decision gives the brand's fallback class.
    """
    return credit.check(db.session, subscriber(subscriber_id), body.applicant)


@route("GET /subscribers/<int:subscriber_id>/credit-decisions", READ, models.CreditDecisionList)
def list_credit_decisions(subscriber_id: int) -> Any:
    """A subscriber's credit decisions, newest first; the newest is the one that stands."""
    return {"data": credit.decisions(db.session, subscriber(subscriber_id))}


@route("GET /credit-decisions/<int:credit_decision_id>", READ, models.CreditDecision)
def get_credit_decision(credit_decision: CreditDecision) -> Any:
    """One credit decision of this brand, with its explanation."""
    return credit_decision
