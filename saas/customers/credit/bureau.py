"""The credit bureau behind a small interface: ask it about an applicant, get its report.

`HttpBureau` speaks the bureau's JSON API (the simulator in `saas.customers.credit.simulator`
answers the same); `configured()` builds the one the settings name. A bureau that does not answer,
answers with an error or answers what cannot be read raises `BureauUnavailable`: the check then
falls back to the brand's class for an unreachable bureau, never to an approval.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from flask import current_app, has_app_context
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from saas.customers.credit.reports import NEGATIVE_KINDS, OTHER, Applicant, BureauReport, Negative
from saas.outside import JsonClient, OutsideError

PARTY = "credit bureau"
INQUIRIES = "/v1/inquiries"
SCORE_MAX = 1000


class BureauUnavailable(Exception):
    """The bureau gave no report that can be used: why, in English, for the decision's record."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Bureau(Protocol):
    """A credit bureau: what it reports about an applicant."""

    def score(self, applicant: Applicant) -> BureauReport:
        """Ask about the applicant; raise BureauUnavailable when no report can be had."""
        ...


class _Entry(BaseModel):
    model_config = ConfigDict(extra="ignore")

    kind: str = Field(max_length=32)
    amount: str | None = Field(None, max_length=32)
    currency: str = Field("", max_length=3)
    reported_on: date | None = None

    @field_validator("amount")
    @classmethod
    def _exact(cls, value: str | None) -> str | None:
        try:
            if value is not None and not Decimal(value).is_finite():
                raise ValueError("not a finite amount")
        except InvalidOperation:
            raise ValueError("not an amount") from None
        return value


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")

    inquiry_id: str = Field(min_length=1, max_length=64)
    found: bool
    score: int | None = Field(None, ge=0, le=SCORE_MAX, strict=True)
    entries: list[_Entry] = Field(default_factory=list, max_length=100)


def read_report(raw: dict[str, Any]) -> BureauReport:
    """The bureau's answer as a report; an answer that breaks the contract is unavailable."""
    try:
        answer = _Answer.model_validate(raw)
    except ValidationError as exc:
        raise BureauUnavailable(f"unreadable answer ({exc.error_count()} problem(s))") from None
    if answer.found and answer.score is None:
        raise BureauUnavailable("unreadable answer (a record without a score)")
    negatives = tuple(_negative(e) for e in answer.entries) if answer.found else ()
    return BureauReport(answer.inquiry_id, answer.found, answer.score, negatives, raw)


def _negative(entry: _Entry) -> Negative:
    kind = entry.kind if entry.kind in NEGATIVE_KINDS else OTHER
    amount = Decimal(entry.amount) if entry.amount is not None else None
    return Negative(kind, amount, entry.currency.upper(), entry.reported_on)


def inquiry(applicant: Applicant) -> dict[str, Any]:
    """What the bureau is asked: the person, never how they pay."""
    return {
        "given_names": applicant.given_names,
        "surname": applicant.surname,
        "birth_date": applicant.birth_date.isoformat(),
        "address": {
            "street": applicant.street,
            "postcode": applicant.postcode,
            "city": applicant.city,
            "country": applicant.country,
        },
    }


class HttpBureau:
    """The bureau's JSON API over HTTP."""

    def __init__(self, client: JsonClient) -> None:
        self.client = client

    def score(self, applicant: Applicant) -> BureauReport:
        """POST the inquiry and read the report."""
        try:
            answer = self.client.post(INQUIRIES, inquiry(applicant))
        except OutsideError as exc:
            raise BureauUnavailable(exc.reason) from None
        return read_report(answer)


class Unconfigured:
    """No bureau is set up (SAAS_CREDIT_BUREAU_URL is empty): every check falls back."""

    def score(self, applicant: Applicant) -> BureauReport:
        """Never a report."""
        raise BureauUnavailable("no credit bureau is configured")


def configured() -> Bureau:
    """The bureau the settings name, or one that is never available."""
    settings = current_app.config["SAAS"] if has_app_context() else None
    if settings is None or not settings.credit_bureau_url:
        return Unconfigured()
    client = JsonClient(
        PARTY,
        settings.credit_bureau_url,
        settings.credit_bureau_token,
        float(settings.credit_bureau_timeout_seconds),
    )
    return HttpBureau(client)
