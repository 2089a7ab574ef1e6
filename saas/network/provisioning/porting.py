"""Porting a number in: a request checked here, carried to the network by an order.

A request is `requested` until the donor's decision comes back through its order: `confirmed`
for a porting date, or `rejected` with the donor's reason. On the porting date (in the brand's
time zone) `complete_due` marks it `completed` and tells `hooks.on_port_in_completed`, so the
line code can bring the number live.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType
from sqlalchemy import Select, select

from saas.catalog.periods import local_date
from saas.db import DbSession, get_scoped, utcnow
from saas.network.provisioning import decisions, hooks, orders
from saas.network.provisioning import models as M
from saas.network.provisioning.donors import donors
from saas.network.provisioning.errors import ProvisioningError, refuse_all
from saas.subscriptions.events import zone
from saas.subscriptions.models import Subscription
from saas.tenancy.context import require_tenant_id

HOLDER_MAX, ACCOUNT_MAX = 200, 64
# How far ahead a porting date may be wished.
MAX_DAYS_AHEAD = 120
MOBILE = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)


@dataclass(frozen=True)
class PortInRequest:
    """What a subscriber or staff member asks for, as typed."""

    number: str
    donor: str
    holder_name: str
    wished_date: date
    donor_account: str = ""


def number_refusal(typed: str, country: str) -> tuple[str | None, str]:
    """The refusal code for a number typed for a brand of `country` (None if fine), and E.164.

    A brand naming no country takes mobile numbers of any, written with their country code.
    """
    region = country.upper() or None
    try:
        number = phonenumbers.parse(typed, region)
    except NumberParseException:
        return "porting.bad_number", ""
    if not phonenumbers.is_valid_number(number):
        return "porting.bad_number", ""
    if region and phonenumbers.region_code_for_number(number) != region:
        return "porting.other_country", ""
    if phonenumbers.number_type(number) not in MOBILE:
        return "porting.not_mobile", ""
    return None, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def today(session: DbSession, now: datetime | None = None) -> date:
    """The brand's local date."""
    return local_date(now or utcnow(), zone(session, require_tenant_id()))


def _refusals(
    session: DbSession, asked: PortInRequest, country: str, day: date
) -> tuple[list[ProvisioningError], str]:
    found: list[ProvisioningError] = []
    code, e164 = number_refusal(asked.number, country)
    if code:
        found.append(ProvisioningError(code, field="number"))
    elif _under_way(session, e164):
        found.append(ProvisioningError("porting.under_way", field="number"))
    if asked.donor not in donors(country):
        found.append(ProvisioningError("porting.unknown_donor", field="donor"))
    if not asked.holder_name.strip():
        found.append(ProvisioningError("porting.holder_missing", field="holder_name"))
    for name, value, most in (
        ("holder_name", asked.holder_name, HOLDER_MAX),
        ("donor_account", asked.donor_account, ACCOUNT_MAX),
    ):
        if len(value) > most:
            found.append(ProvisioningError("porting.too_long", field=name, max=most))
    if asked.wished_date < day:
        found.append(ProvisioningError("porting.date_past", field="wished_date"))
    elif asked.wished_date > day + timedelta(days=MAX_DAYS_AHEAD):
        found.append(
            ProvisioningError("porting.date_far", field="wished_date", days=MAX_DAYS_AHEAD)
        )
    return found, e164


def _under_way(session: DbSession, e164: str) -> bool:
    stmt = select(M.PortIn.id).where(M.PortIn.msisdn == e164, M.PortIn.state.in_(M.UNDER_WAY))
    return session.scalar(stmt.limit(1)) is not None


def file_port_in(
    session: DbSession, subscription_id: int, asked: PortInRequest, country: str
) -> M.PortIn:
    """File a port-in for a subscription's line; its order goes to the network after the commit.

    `country` is the brand's (ISO 3166): the number must be a mobile number of that country.
    Every wrong field is refused at once.
    """
    if get_scoped(session, Subscription, subscription_id) is None:
        raise ProvisioningError("provisioning.no_subscription", field="subscription_id")
    found, e164 = _refusals(session, asked, country, today(session))
    refuse_all(found)
    port_in = M.PortIn(
        subscription_id=subscription_id,
        msisdn=e164,
        donor=asked.donor,
        holder_name=asked.holder_name.strip(),
        donor_account=asked.donor_account.strip(),
        wished_date=asked.wished_date,
    )
    session.add(port_in)
    session.flush()
    port_in.order_id = orders.place_port_in(session, port_in).id
    return port_in


def complete_due(session: DbSession, now: datetime | None = None) -> list[M.PortIn]:
    """Complete the confirmed port-ins whose porting date has come in the brand's zone."""
    now = now or utcnow()
    done = decisions.due(session, today(session, now))
    for port_in in done:
        port_in.state, port_in.completed_at = M.PORTED, now
        session.flush()
        hooks.port_in_completed(session, port_in)
    return done


def get(session: DbSession, port_in_id: int) -> M.PortIn:
    """One of the brand's port-ins; LookupError for any other id."""
    port_in = get_scoped(session, M.PortIn, port_in_id)
    if port_in is None:
        raise LookupError(f"port-in {port_in_id} not found")
    return port_in


def of_subscription(session: DbSession, subscription_id: int) -> list[M.PortIn]:
    """A subscription's port-ins, newest first."""
    stmt = select(M.PortIn).filter_by(subscription_id=subscription_id)
    return list(session.scalars(stmt.order_by(M.PortIn.id.desc())))


def query(state: str | None = None) -> Select[M.PortIn]:
    """The brand's port-ins, or those in one state."""
    stmt = select(M.PortIn)
    return stmt.where(M.PortIn.state == state) if state else stmt


SUMMARY = (
    M.PortIn.id,
    M.PortIn.subscription_id,
    M.PortIn.msisdn,
    M.PortIn.donor,
    M.PortIn.state,
    M.PortIn.wished_date,
    M.PortIn.porting_date,
    M.PortIn.rejection,
    M.PortIn.created_at,
)


def summaries(state: str | None = None) -> Any:
    """The brand's port-ins as list rows (no personal data), or those in one state."""
    stmt = select(*SUMMARY)
    return stmt.where(M.PortIn.state == state) if state else stmt
