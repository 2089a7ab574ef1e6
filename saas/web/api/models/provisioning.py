"""Provisioning orders with their history, and port-in requests with the donor's decision."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StringConstraints, WithJsonSchema

from saas.errors import Term
from saas.network.provisioning import models as M
from saas.network.provisioning.errors import ProvisioningError, rejection_code
from saas.network.provisioning.porting import ACCOUNT_MAX, HOLDER_MAX
from saas.web.api import models as api
from saas.web.api.pagination import PageQuery
from saas.web.refusals import say

OrderState = Annotated[str, api.OneOf(M.ORDER_STATES)]
PortState = Annotated[str, api.OneOf(M.PORT_STATES)]


def _day(value: Any) -> date:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else _refuse_day()
    except ValueError:
        return _refuse_day()


def _refuse_day() -> date:
    raise api.refused(ProvisioningError("porting.not_a_date"))


Day = Annotated[
    date,
    BeforeValidator(_day),
    WithJsonSchema({"type": "string", "format": "date"}),
]


class OrderQuery(PageQuery):
    """A page of orders, newest first, optionally in one state."""

    state: OrderState | None = Field(None, description="Keep orders in this state.")
    subscription_id: api.Id | None = Field(None, description="Keep this subscription's orders.")


class OrderEvent(api.Out):
    """One change of an order: an attempt's outcome, a retry, its placing."""

    at: api.Instant
    from_state: str = Field(description="Empty for the order's placing.")
    to_state: str
    attempt: int = Field(description="The attempt this is the outcome of; 0 for none.")
    error: str = Field(description="Why the attempt did not succeed, by code; empty if it did.")
    detail: str = Field(description="What the network said, in its own words.")


class ProvisioningOrder(api.Out):
    """What the host network was asked to do for a subscription's line, and how it went."""

    id: int
    subscription_id: int
    action: Annotated[str, api.OneOf(M.ACTIONS)]
    payload: dict[str, str | int] = Field(description="msisdn, iccid, imsi, profile as given.")
    state: OrderState
    attempts: int
    last_error: str = Field(description="The code of the last attempt's failure, if any.")
    last_error_text: str = Field(description="That failure in the caller's language.")
    answer: dict[str, Any] = Field(description="What the network answered once done.")
    created_at: api.Instant
    updated_at: api.Instant
    completed_at: api.Instant | None

    @classmethod
    def computed(cls, row: Any) -> dict[str, Any]:
        return {"last_error_text": say(Term(row.last_error)) if row.last_error else ""}


class ProvisioningOrderWithHistory(ProvisioningOrder):
    """An order with every change it went through, oldest first."""

    events: list[OrderEvent]


class PortInQuery(PageQuery):
    """A page of port-in requests, newest first, optionally in one state."""

    state: PortState | None = Field(None, description="Keep requests in this state.")


class PortIn(api.Out):
    """A request to port a number in; the holder's data stay out of answers."""

    id: int
    subscription_id: int
    msisdn: str = Field(description="The number in E.164.")
    donor: str = Field(description="The operator the number comes from, by code.")
    state: PortState
    wished_date: Annotated[date, WithJsonSchema({"type": "string", "format": "date"})]
    porting_date: Annotated[
        date | None, WithJsonSchema({"type": ["string", "null"], "format": "date"})
    ]
    rejection: str = Field(description="The donor's reason, by code, if it rejected.")
    rejection_text: str = Field(description="That reason in the caller's language.")
    order_id: int | None = Field(description="The provisioning order that carries the request.")
    created_at: api.Instant
    decided_at: api.Instant | None
    completed_at: api.Instant | None

    @classmethod
    def computed(cls, row: Any) -> dict[str, Any]:
        reason = row.rejection
        return {"rejection_text": say(Term(rejection_code(reason))) if reason else ""}


class NewPortIn(api.Body):
    """The number to port in for a subscription, and the holder data the donor checks."""

    subscription_id: api.Id
    number: Annotated[str, StringConstraints(min_length=1, max_length=32)] = Field(
        description="A mobile number of the brand's country, national or international form."
    )
    donor: Annotated[str, StringConstraints(min_length=1, max_length=32)] = Field(
        description="The donor operator's code (telekom, vodafone, telefonica, 1und1, orange, "
        "play, plus, tmobile, as the brand's country has them)."
    )
    holder_name: Annotated[str, StringConstraints(min_length=1, max_length=HOLDER_MAX)]
    donor_account: Annotated[str, StringConstraints(max_length=ACCOUNT_MAX)] = ""
    wished_date: Day = Field(description="The day the number should move, today or later.")


OrderPage = api.Page[ProvisioningOrder]
PortInPage = api.Page[PortIn]
