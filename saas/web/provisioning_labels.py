"""Provisioning and porting in words: states, actions, the network's failures, donors' reasons."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from saas.errors import Term
from saas.network.provisioning import models as M
from saas.network.provisioning.donors import donor_name
from saas.network.provisioning.errors import rejection_code
from saas.web.refusals import say

ORDER_STATES = {
    M.PENDING: _l("Waiting to be sent"),
    M.SENT: _l("Sent, network working on it"),
    M.COMPLETED: _l("Done"),
    M.FAILED: _l("Refused by the network"),
    M.STUCK: _l("Stuck, needs attention"),
}
ACTIONS = {
    M.ACTIVATE: _l("Activate line"),
    M.SUSPEND: _l("Suspend line"),
    M.RESTORE: _l("Restore line"),
    M.TERMINATE: _l("Terminate line"),
    M.CHANGE_PROFILE: _l("Change network profile"),
    M.SWAP_SIM: _l("Swap SIM card"),
    M.PORT_IN: _l("Port a number in"),
}
PORT_STATES = {
    M.REQUESTED: _l("Requested, waiting for the donor"),
    M.CONFIRMED: _l("Confirmed"),
    M.REJECTED: _l("Rejected"),
    M.PORTED: _l("Ported, number is live"),
}
# Why the platform worked inside a brand, for the audit log.
COMPLETING_PORT_INS = _l("bringing ported numbers live on their porting date")
# What each payload value is, for the order page.
PAYLOAD = {
    "msisdn": _l("Phone number"),
    "iccid": _l("SIM card number"),
    "imsi": _l("Subscriber identity"),
    "profile": _l("Network profile"),
}


def named(words: dict[str, Any], value: str) -> str:
    """A stored value in words; an unknown one as it is."""
    return str(words.get(value, value))


def order_state(state: str) -> str:
    """An order's state in words."""
    return named(ORDER_STATES, state)


def order_action(action: str) -> str:
    """What an order asks of the network, in words."""
    return named(ACTIONS, action)


def port_state(state: str) -> str:
    """A port-in's state in words."""
    return named(PORT_STATES, state)


def network_error(code: str) -> str:
    """Why an attempt did not succeed, in words; nothing for no error."""
    return say(Term(code)) if code else ""


def rejection(reason: str) -> str:
    """The donor's reason for rejecting a port-in, in words."""
    return say(Term(rejection_code(reason))) if reason else ""


def day(value: date | None) -> str:
    """A calendar date the reader's way."""
    return format_date(value, "medium") if value else ""


def helpers() -> dict[str, Any]:
    """The names templates use for provisioning."""
    return {
        "order_state": order_state,
        "order_action": order_action,
        "port_state": port_state,
        "network_error": network_error,
        "rejection": rejection,
        "donor_name": donor_name,
        "payload_label": lambda key: named(PAYLOAD, key),
        "porting_day": day,
    }
