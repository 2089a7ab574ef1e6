"""What a sent sign-up goes through, and the rules its steps keep.

In order: the identity checks (KYC), the subscriber and their account, the credit check, the
subscription (which the credit class may refuse), then the line with its number and SIM. A stage
that wants a person's look holds the sign-up; the person's decision lets it go on from there.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from saas.catalog import models as M
from saas.customers import services as customers
from saas.customers.credit import reports as credit_reports
from saas.customers.credit import services as credit
from saas.customers.credit.errors import CreditError
from saas.customers.kyc import identifiers, mrz
from saas.customers.kyc import services as kyc
from saas.customers.kyc.applicant import Applicant
from saas.customers.kyc.models import KycCase
from saas.customers.kyc.outcome import APPROVED as KYC_APPROVED
from saas.customers.kyc.outcome import MANUAL_REVIEW
from saas.customers.onboarding.models import ACTIVE, APPROVED, COMPANY, REVIEW, Application
from saas.customers.onboarding.services import (
    Verdict,
    after_save,
    checks_step,
    personal,
    proceed,
    stage,
)
from saas.customers.onboarding.steps import OnboardingError
from saas.db import DbSession, get_scoped, utcnow
from saas.errors import N_, Term, register
from saas.identity import services as people
from saas.identity.models import SUBSCRIBER, User
from saas.network import lines, numbers
from saas.network.errors import NetworkError
from saas.network.provisioning import hooks, orders, porting
from saas.network.provisioning.models import ACTIVATE, COMPLETED, ProvisioningOrder
from saas.subscriptions import services as subs
from saas.subscriptions.models import Subscription
from saas.tenancy.context import require_tenant_id
from saas.tenancy.models import Tenant

# The most lines one sign-up may ask for; a company wanting more adds them in the console.
MOST_LINES = 20

register(
    {
        "onboarding.born_later": N_("a birth date must lie in the past"),
        "onboarding.company_name_missing": N_("a company signs up under its name"),
        "onboarding.plan_not_on_sale": N_("this plan is not on sale"),
        "onboarding.terms_needed": N_("the terms must be accepted to sign up"),
        "onboarding.identity_review": N_("the identity checks want a person's look"),
        "onboarding.identity_refused": N_("the identity checks refused the sign-up"),
        "onboarding.credit_refused": N_("the credit check does not allow this plan"),
        "onboarding.no_number": N_("no free number or SIM was found for the line"),
        "onboarding.lines_range": N_("a company signs up for 1 to %(most)s lines at once"),
        "onboarding.lines_company_only": N_("a person signs up for one line"),
        "onboarding.mrz_digit": N_(
            "the check digit of the %(part)s is %(found)s where it should be %(expected)s: "
            "please type the lines exactly as printed"
        ),
    }
)


# Rules of the steps


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
    count = values.get("lines", 1)
    if not isinstance(count, int) or not 1 <= count <= MOST_LINES:
        raise OnboardingError("onboarding.lines_range", field="lines", most=MOST_LINES)
    if count > 1 and application.kind != COMPANY:
        raise OnboardingError("onboarding.lines_company_only", field="lines")


def line_count(application: Application) -> int:
    """How many lines the sign-up asks for: one, or as many as the company said."""
    return int(application.details.get("lines") or 1)


def _country(session: DbSession) -> str:
    tenant = session.get(Tenant, require_tenant_id())
    return tenant.country if tenant is not None else ""


@checks_step("number")
def _number(session: DbSession, application: Application, values: dict[str, Any]) -> None:
    if values.get("number_choice") != "keep":
        return
    country = _country(session)
    refused, _e164 = porting.number_refusal(str(values.get("msisdn") or ""), country)
    if refused:
        raise OnboardingError(refused, field="msisdn")


@after_save("number")
def _hold_number(session: DbSession, application: Application) -> None:
    """Hold a new number while the applicant signs up, and show it; a kept one needs none."""
    told = application.details
    _release(session, application)
    if told.get("number_choice") != "new":
        return
    held = numbers.reserve(session)
    application.details = told | {"reservation": held.token, "reserved_msisdn": held.msisdn}


def _release(session: DbSession, application: Application) -> None:
    token = application.details.get("reservation")
    if token:
        numbers.release(session, token)
        rest = {k: v for k, v in application.details.items() if k not in ("reservation",)}
        application.details = rest | {"reserved_msisdn": ""}


@checks_step("document")
def _document(session: DbSession, application: Application, values: dict[str, Any]) -> None:
    """The zone as printed, every check digit right and not expired; a national number valid."""
    lines = [line for line in str(values.get("mrz") or "").splitlines() if line.strip()]
    if lines:
        _zone(lines)
    number = str(values.get("national_id") or "").strip()
    scheme = identifiers.scheme_for(_country(session))
    if number and scheme is not None:
        born = application.details.get("birth_date") or personal(application).get("birth_date")
        day = date.fromisoformat(str(born)) if born else None
        problems = identifiers.national_id(number, scheme, day, None)
        if problems:
            raise OnboardingError(problems[0].code, field="national_id", **dict(problems[0].params))


def _zone(lines: list[str]) -> None:
    try:
        zone = mrz.parse(lines)
    except mrz.MrzError as exc:
        raise OnboardingError(
            "kyc.document.unreadable", field="mrz", why=Term(exc.code, **exc.params)
        ) from None
    for digit in zone.check_digits:
        if not digit.valid:
            part = Term(f"kyc.digit.{digit.name}")
            raise OnboardingError(
                "onboarding.mrz_digit",
                field="mrz",
                part=part,
                found=digit.found,
                expected=digit.expected,
            )
    if zone.problems:
        problem = zone.problems[0]
        raise OnboardingError(
            "kyc.document.date_invalid", field="mrz", why=Term(problem.code, **problem.params)
        )
    if zone.expiry_date is not None and zone.expiry_date < utcnow().date():
        raise OnboardingError("kyc.document.expired", field="mrz", date=zone.expiry_date)


@checks_step("consents")
def _consents(session: DbSession, application: Application, values: dict[str, Any]) -> None:
    for needed in ("terms", "privacy"):
        if not values.get(needed):
            raise OnboardingError("onboarding.terms_needed", field=needed)
    if values.get("payment") == "direct_debit":
        _account, problems = identifiers.iban(str(values.get("iban") or ""))
        if problems:
            raise OnboardingError(problems[0].code, field="iban", **dict(problems[0].params))


# The stages


def applicant(application: Application) -> Applicant:
    """The person as the identity checks read them."""
    told, own = application.details, personal(application)
    mrz = tuple(line.strip() for line in str(own.get("mrz") or "").splitlines() if line.strip())
    return Applicant(
        given_names=str(told.get("first_name", "")),
        surname=str(told.get("last_name", "")),
        birth_date=date.fromisoformat(str(own["birth_date"])),
        mrz=mrz,
        national_id=str(own.get("national_id") or ""),
        direct_debit=told.get("payment") == "direct_debit",
        iban=str(own.get("iban") or ""),
    )


@stage("kyc")
def check_identity(session: DbSession, application: Application) -> Verdict:
    """The brand's identity checks; a case that needs a look waits for a reviewer."""
    case = kyc.check(session, applicant(application))
    made = {"kyc_case": case.id}
    if case.status == KYC_APPROVED:
        return Verdict(made=made)
    if case.status == MANUAL_REVIEW:
        return Verdict("review", [{"code": "onboarding.identity_review"}], made)
    return Verdict("reject", [{"code": "onboarding.identity_refused"}], made)


@stage("person")
def open_account(session: DbSession, application: Application) -> Verdict:
    """Make the subscriber, and their company account if they are one."""
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
    made = {}
    if application.kind == COMPANY:
        made["account"] = customers.create_company(session, told["company_name"], person).id
    case = get_scoped(session, KycCase, application.outcome.get("kyc_case", 0))
    if case is not None:
        case.subscriber_id = person.id
    return Verdict(made=made)


def _subscriber(session: DbSession, application: Application) -> User:
    person = get_scoped(session, User, application.user_id or 0)
    assert person is not None  # made by the stage before
    return person


@stage("credit")
def check_credit(session: DbSession, application: Application) -> Verdict:
    """The credit check with the bureau and the brand's scorecard."""
    told, own = application.details, personal(application)
    asked = credit_reports.Applicant(
        given_names=str(told.get("first_name", "")),
        surname=str(told.get("last_name", "")),
        birth_date=date.fromisoformat(str(own["birth_date"])),
        street=str(own.get("street", "")),
        postcode=str(own.get("postcode", "")),
        city=str(own.get("city", "")),
        country=str(told.get("country", "")),
        direct_debit=told.get("payment") == "direct_debit",
    )
    decision = credit.check(session, _subscriber(session, application), asked)
    return Verdict(made={"credit_decision": decision.id})


@stage("subscription")
def subscribe(session: DbSession, application: Application) -> Verdict:
    """The subscription to the chosen plan, if the credit class allows it."""
    person = _subscriber(session, application)
    version = get_scoped(session, M.PlanVersion, int(application.details["plan_version_id"]))
    if version is None:
        raise OnboardingError("onboarding.plan_not_on_sale", field="plan_version_id")
    account = None
    if "account" in application.outcome:
        account = customers.get_company(session, application.outcome["account"])
    try:
        with session.begin_nested():  # all the lines asked for, or none
            made = [
                subs.subscribe(session, person, version, account=account).id
                for _ in range(line_count(application))
            ]
    except CreditError as exc:
        reason = {"code": "onboarding.credit_refused", "why": exc.code}
        return Verdict("review", [reason])
    return Verdict(made={"subscription": made[0], "subscriptions": made})


def subscriptions_of(application: Application) -> list[int]:
    """The subscriptions the sign-up made, the first (with the held or kept number) first."""
    made = application.outcome
    return list(
        made.get("subscriptions") or ([made["subscription"]] if "subscription" in made else [])
    )


@stage("line")
def give_line(session: DbSession, application: Application) -> Verdict:
    """The line: the held (or a new) number and a SIM of the kind asked for, pending activation."""
    kind = str(application.details.get("sim_kind"))
    made = []
    try:
        with session.begin_nested():  # a line for each subscription, or none
            for n, sub_id in enumerate(subscriptions_of(application)):
                subscription = session.get_one(Subscription, sub_id)
                token = (
                    _reservation(session, application) if n == 0 else numbers.reserve(session).token
                )
                made.append(lines.create(session, subscription, token, kind=kind).id)
    except NetworkError as exc:
        return Verdict("review", [{"code": "onboarding.no_number", "why": exc.code}])
    return Verdict(made={"line": made[0], "lines": made})


def _reservation(session: DbSession, application: Application) -> str:
    told = application.details
    if told.get("number_choice") == "keep":
        return numbers.take_ported(session, str(told["msisdn"])).token
    token = told.get("reservation")
    if token:
        try:
            numbers.held(session, token)
            return str(token)
        except NetworkError:
            pass  # the reservation lapsed: a new number is taken
    return numbers.reserve(session).token


@stage("network")
def put_on_network(session: DbSession, application: Application) -> Verdict:
    """Ask the host network for the lines: activate new numbers, or port the kept one in."""
    told, made = application.details, dict[str, Any]()
    keep = told.get("number_choice") == "keep"
    if keep:
        asked = porting.PortInRequest(
            number=str(told["msisdn"]),
            donor=str(told["donor"]),
            holder_name=f"{told.get('first_name', '')} {told.get('last_name', '')}".strip(),
            wished_date=porting.today(session),
            donor_account=str(told.get("donor_account") or ""),
        )
        first = int(application.outcome["subscription"])
        made["port_in"] = porting.file_port_in(session, first, asked, _country(session)).id
    placed = [
        _activate(session, n, sub_id, application)
        for n, sub_id in enumerate(subscriptions_of(application))
        if n > 0 or not keep  # the kept number goes live when its port-in completes
    ]
    if placed:
        made |= {"order": placed[0], "orders": placed}
    return Verdict(made=made)


def _activate(session: DbSession, n: int, sub_id: int, application: Application) -> int:
    """Ask the network to activate the nth line of the sign-up; its id."""
    line = lines.of_subscription(session, sub_id)
    sim = lines.current_sim(session, line) if line is not None else None
    msisdn = lines.current_msisdn(session, line) if line is not None else None
    assert sim is not None and msisdn is not None  # the line stage gave both
    key = f"signup-{application.id}" + (f"-{n}" if n else "")
    order = orders.activate(
        session,
        sub_id,
        msisdn=f"+{msisdn}",
        iccid=sim.iccid,
        imsi=sim.imsi,
        profile="standard",
        key=key,
    )
    return order.id


@hooks.on_order_completed
def _line_is_live(session: DbSession, order: ProvisioningOrder) -> None:
    """A sign-up is done once the network activated every line it asked for."""
    subscription = session.get(Subscription, order.subscription_id)
    if order.action != ACTIVATE or subscription is None:
        return
    # Only the subscriber's own approved sign-ups, not every approved one of the brand.
    query = select(Application).where(
        Application.status == APPROVED, Application.user_id == subscription.subscriber_id
    )
    for application in session.scalars(query):
        wanted = subscriptions_of(application)
        if order.subscription_id in wanted and _all_live(session, wanted):
            application.status = ACTIVE


def _all_live(session: DbSession, subscription_ids: list[int]) -> bool:
    live = select(ProvisioningOrder.subscription_id).where(
        ProvisioningOrder.subscription_id.in_(subscription_ids),
        ProvisioningOrder.action == ACTIVATE,
        ProvisioningOrder.state == COMPLETED,
    )
    return set(session.scalars(live)) == set(subscription_ids)


# A reviewer's decision lets a sign-up held by the identity checks go on.


def _case_decided(session: DbSession, case: KycCase) -> None:
    held = Application.status == REVIEW, Application.outcome["kyc_case"].as_integer() == case.id
    for application in session.scalars(select(Application).where(*held)):
        if case.status == KYC_APPROVED:
            application.reasons = []
            proceed(session, application, after="kyc")
        else:
            application.status, application.decided_at = "rejected", utcnow()
            application.reasons = [{"code": "onboarding.identity_refused"}]


kyc.on_decided(_case_decided)
