"""Personal data: all a subscriber's records as the brand holds them, and an erasure request.

`PersonalData` is the document a subscriber downloads from the portal, member for member: their
own data unmasked. Dates and instants are ISO 8601 text; an erased value is null.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StringConstraints

from saas.customers.credit.models import CHECK, OUTCOMES, OVERRIDE
from saas.customers.kyc.outcome import APPROVED, MANUAL_REVIEW, REJECTED
from saas.customers.onboarding.models import STATUSES
from saas.customers.privacy.erasure import REASON_MAX
from saas.customers.privacy.models import RULES
from saas.network.models import LINE_STATES
from saas.network.provisioning.models import PORT_STATES
from saas.subscriptions.models import ACTIVE, CANCELLED, SUSPENDED
from saas.web.api import models as api

Told = str | int | bool | None
SignUpStatus = Annotated[str, api.OneOf(STATUSES)]
KycStatus = Annotated[str, api.OneOf((APPROVED, MANUAL_REVIEW, REJECTED))]
Stamp = api.TimeText | None
Day = api.DateText | None


class Provider(api.Out):
    """Who holds the data: the brand's legal name and support address."""

    name: str
    support_email: str


class PersonalProfile(api.Out):
    """The person's log-in and contact."""

    subscriber_id: int
    email: api.EmailText
    full_name: str
    locale: str | None
    created_at: api.TimeText
    active: bool


class PersonalSignUp(api.Out):
    """A sign-up with every answer, step by step; erased answers are missing."""

    id: int
    status: SignUpStatus
    kind: str
    email: api.EmailText
    created_at: api.TimeText
    submitted_at: Stamp
    decided_at: Stamp
    answers: dict[str, dict[str, Told]] = Field(description="Answers by step, then by question.")


class PersonalConsents(api.Out):
    """What the person agreed to when they sent a sign-up."""

    sign_up_id: int
    given_at: Stamp
    terms: bool
    privacy: bool
    marketing: bool


class PersonalMandate(api.Out):
    """A SEPA direct debit mandate."""

    reference: str
    iban: str | None
    bic: str
    account_holder: str
    creditor_id: str
    signed_at: api.TimeText
    status: str


class PersonalKycCase(api.Out):
    """An identity check: who was checked, with which document, and the decision."""

    id: int
    status: KycStatus
    created_at: api.TimeText
    decided_at: api.TimeText
    given_names: str
    surname: str
    birth_date: Day
    sex: str
    nationality: str
    document_format: str
    document_code: str
    document_country: str
    document_number: str | None
    document_expires: Day
    national_id: str | None
    national_id_country: str
    mrz: list[str]
    vendor_answer: dict[str, Any] | None
    decision_reasons: list[str] = Field(description="The codes of the reasons for the decision.")
    decision_note: str
    sepa_mandate: PersonalMandate | None


class PersonalCreditDecision(api.Out):
    """A credit decision, with what the bureau was asked and answered about the person."""

    id: int
    kind: Annotated[str, api.OneOf((CHECK, OVERRIDE))]
    outcome: Annotated[str, api.OneOf(OUTCOMES)]
    class_code: str
    class_names: dict[str, str]
    decided_at: api.TimeText
    reason: str
    applicant: dict[str, Any] | None
    bureau_answer: dict[str, Any] | None


class PersonalSubscription(api.Out):
    """A subscription: the plan, the line's name, when it ran."""

    id: int
    plan: str
    plan_version_id: int
    status: Annotated[str, api.OneOf((ACTIVE, SUSPENDED, CANCELLED))]
    line_label: str
    started_at: api.TimeText
    ended_at: Stamp


class PersonalNumber(api.Out):
    """A number a line held, and when."""

    msisdn: str
    valid_from: api.TimeText
    valid_to: Stamp


class PersonalSim(api.Out):
    """A SIM a line held, and when."""

    iccid: str
    imsi: str
    valid_from: api.TimeText
    valid_to: Stamp


class PersonalLine(api.Out):
    """A line with every number and SIM it held."""

    id: int
    subscription_id: int
    state: Annotated[str, api.OneOf(LINE_STATES)]
    created_at: api.TimeText
    numbers: list[PersonalNumber]
    sims: list[PersonalSim]


class PersonalPortIn(api.Out):
    """A number brought over from another operator."""

    id: int
    subscription_id: int
    msisdn: str
    donor: str
    holder_name: str | None
    donor_account: str | None
    state: Annotated[str, api.OneOf(PORT_STATES)]
    wished_date: api.DateText
    porting_date: Day
    rejection: str
    created_at: api.TimeText


class ErasedRecord(api.Out):
    """A record an erasure emptied: its kind (table), its id, the pieces of data that went."""

    record: str
    id: int
    fields: list[str]


class PersonalErasure(api.Out):
    """An erasure of the person's data."""

    id: int
    rule: Annotated[str, api.OneOf(RULES)]
    erased_at: api.TimeText
    erased: list[ErasedRecord]


class PersonalData(api.Out):
    """Everything the brand holds about a subscriber, unmasked; each read is audited."""

    exported_at: api.TimeText
    provider: Provider
    profile: PersonalProfile
    sign_ups: list[PersonalSignUp]
    consents: list[PersonalConsents]
    kyc_cases: list[PersonalKycCase]
    credit_decisions: list[PersonalCreditDecision]
    subscriptions: list[PersonalSubscription]
    lines: list[PersonalLine]
    port_ins: list[PersonalPortIn]
    erasures: list[PersonalErasure]


class ErasureRequest(api.Body):
    """The person asked for their data to be erased: why, as the brand records it."""

    reason: Annotated[str, StringConstraints(min_length=1, max_length=REASON_MAX)] = Field(
        description="Who asked and how; kept with the erasure."
    )


class Erasure(api.Out):
    """An erasure done: what went from which record, by which rule, when, and why."""

    id: int
    subscriber_id: int | None
    rule: Annotated[str, api.OneOf(RULES)]
    reason: str
    erased: list[ErasedRecord]
    erased_at: api.Instant
