"""KYC: check a machine-readable zone, read cases (personal data masked), decide reviews."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, Self

from pydantic import Field, PrivateAttr, StringConstraints, model_validator

from saas.customers.kyc import mrz
from saas.customers.kyc import services as kyc
from saas.customers.kyc.models import KycCase as CaseRow
from saas.customers.kyc.outcome import Reason
from saas.web.api import models as api
from saas.web.api.pagination import PageQuery
from saas.web.refusals import say

Line = Annotated[str, StringConstraints(min_length=1, max_length=60)]
Decision = Literal["approved", "manual_review", "rejected"]
Verdict = Literal["pass", "review", "reject"]


class MrzLines(api.Body):
    """The lines of a machine-readable zone, as scanned: 3 of 30 (TD1), 2 of 36 or 44."""

    lines: list[Line] = Field(min_length=1, max_length=3, examples=[["P<UTO...", "L898..."]])
    _zone: mrz.Zone = PrivateAttr()

    @model_validator(mode="after")
    def _parsed(self) -> Self:
        try:
            self._zone = mrz.parse(self.lines)
        except mrz.MrzError as exc:
            raise api.refused(exc, "lines") from None
        return self

    @property
    def zone(self) -> mrz.Zone:
        """The zone parsed, every check digit verified."""
        return self._zone


class CheckDigit(api.Out):
    """One check digit: the field it guards, where it is printed, what it is and should be."""

    name: Literal["document_number", "birth_date", "expiry_date", "optional_data", "composite"]
    line: int = Field(ge=1, le=3)
    position: int = Field(ge=1, le=44, description="The column of the check digit, from 1.")
    found: str
    expected: str
    valid: bool


class MrzFields(api.Out):
    """The fields of a zone; dates as ISO dates, null where the zone holds no date."""

    document_code: str
    issuing_state: str
    document_number: str
    surname: str
    given_names: str
    nationality: str
    birth_date: api.DateText | None
    sex: str
    expiry_date: api.DateText | None
    optional_data: str
    optional_data_2: str


class MrzProblem(api.Out):
    """A field that is not what its place holds, such as a date that is none."""

    code: str
    message: str


class MrzReport(api.Out):
    """A zone's format, fields, each check digit's verdict and the names of those that fail."""

    document_type: Literal["TD1", "TD2", "TD3"]
    valid: bool = Field(description="Every check digit matches and every date is one.")
    fields: MrzFields
    check_digits: list[CheckDigit]
    failing: list[str]
    problems: list[MrzProblem]


class KycReason(api.Out):
    """Why: a stable code, its parameters, and the sentence in the reader's language."""

    code: str
    params: dict[str, Any]
    message: str

    @classmethod
    def read(cls, stored: dict[str, Any]) -> KycReason:
        """A stored reason, said in the reader's language."""
        reason = Reason.from_json(stored)
        return cls(code=reason.code, params=stored.get("params") or {}, message=say(reason.term()))


class KycCheck(api.Out):
    """One check's verdict and its reasons."""

    check: str
    verdict: Verdict
    reasons: list[KycReason]


class ListVersion(api.Out):
    """The version of a sanctions list a case was screened against."""

    list_id: int
    source: str
    file_name: str
    file_hash: str = Field(description="SHA-256 of the file loaded.")
    loaded_at: api.TimeText
    entry_count: int


class Mandate(api.Out):
    """The SEPA mandate taken with the case; the IBAN masked."""

    reference: str
    iban_masked: str
    account_holder: str
    creditor_id: str
    signed_at: api.Instant
    status: Literal["pending", "active", "void"]


class KycCaseSummary(api.Out):
    """A case in a list: who, where it stands, when."""

    id: int
    subscriber_id: int | None
    given_names: str
    surname: str
    status: Decision
    decided_by: Literal["system", "staff", "api"]
    created_at: api.Instant
    decided_at: api.Instant


class KycCase(KycCaseSummary):
    """A case: what was checked (personal data masked), each check's result, the decision."""

    birth_date_masked: str
    document_format: str = Field(description="TD1, TD2 or TD3; empty when typed in.")
    document_country: str
    document_number_masked: str
    document_expires: date | None
    national_id_masked: str
    national_id_country: str
    system_decision: Decision
    decided_by_user_id: int | None
    decision_note: str = Field(description="A reviewer's reason, in their words.")
    checks: list[KycCheck]
    reasons: list[KycReason]
    lists: list[ListVersion]
    mandate: Mandate | None

    @classmethod
    def computed(cls, case: CaseRow) -> dict[str, Any]:
        """The masked personal data, and the reasons in the reader's language."""
        shown = kyc.masked(case)
        mandate = case.mandate
        return {
            "birth_date_masked": shown["birth_date"],
            "document_number_masked": shown["document_number"],
            "national_id_masked": shown["national_id"],
            "checks": [_check(c) for c in case.checks],
            "reasons": [KycReason.read(r) for r in case.reasons],
            "mandate": Mandate.of(mandate, iban_masked=shown["iban"]) if mandate else None,
        }


def _check(stored: dict[str, Any]) -> dict[str, Any]:
    reasons = [KycReason.read(r) for r in stored.get("reasons") or []]
    return {"check": stored["check"], "verdict": stored["verdict"], "reasons": reasons}


KycCasePage = api.Page[KycCaseSummary]


class KycCaseQuery(PageQuery):
    """Cases oldest first, optionally of one status (manual_review: the review queue)."""

    status: Decision | None = None


class KycDecision(api.Body):
    """A reviewer's decision on a case waiting for review, and why."""

    decision: Literal["approved", "rejected"]
    reason: Annotated[str, StringConstraints(min_length=1, max_length=kyc.NOTE_MAX)]
