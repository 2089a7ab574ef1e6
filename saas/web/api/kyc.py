"""API endpoints of KYC: check a zone, list and read cases, decide the ones waiting for review."""

from __future__ import annotations

from typing import Any

from saas.customers.kyc import services as kyc
from saas.customers.kyc.models import KycCase
from saas.db import db
from saas.web.api.contract import route
from saas.web.api.models import kyc as models
from saas.web.api.pagination import paginate

READ, WRITE = "kyc.read", "kyc.write"


@route("POST /kyc/mrz-check", READ, models.MrzReport)
def check_mrz(body: models.MrzLines) -> Any:
    """Parse a TD1, TD2 or TD3 zone and verify each check digit; nothing is stored."""
    return body.zone.to_json()


@route("GET /kyc/cases", READ, models.KycCasePage)
def list_kyc_cases(query: models.KycCaseQuery) -> Any:
    """The brand's KYC cases, oldest first; with status=manual_review, the review queue."""
    return paginate(db.session, kyc.cases_query(query.status), KycCase.id, query)


@route("GET /kyc/cases/<int:case_id>", READ, models.KycCase)
def get_kyc_case(case: KycCase) -> Any:
    """One case, its personal data masked; another brand's id is not found."""
    return case


@route("POST /kyc/cases/<int:case_id>/decision", WRITE, models.KycCase)
def decide_kyc_case(case: KycCase, body: models.KycDecision) -> Any:
    """Approve or reject a case waiting for review, with the reason; a decided one is refused."""
    return kyc.decide(db.session, case, body.decision, body.reason, None)
