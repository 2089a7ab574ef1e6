"""Translatable names for what number, SIM and line screens show; numbers as people read them."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from saas.network import models as N
from saas.network.lines import LOST_CARD, REPLACED
from saas.network.numbering import shown

NUMBER_STATES = {
    N.FREE: _l("Available"),
    N.RESERVED: _l("Reserved"),
    N.ASSIGNED: _l("Assigned"),
    N.QUARANTINED: _l("In quarantine"),
}
SIM_STATES = {
    N.IN_STOCK: _l("In stock"),
    N.SIM_ASSIGNED: _l("Assigned"),
    N.SIM_ACTIVE: _l("Active"),
    N.LOST: _l("Lost"),
    N.SWAPPED: _l("Swapped"),
    N.RETIRED: _l("Retired"),
}
SIM_KINDS = {N.PHYSICAL: _l("SIM card"), N.ESIM: _l("eSIM")}
LINE_STATES = {
    N.PENDING: _l("Pending"),
    N.ACTIVE: _l("Active"),
    N.SUSPENDED: _l("Suspended"),
    N.TERMINATED: _l("Terminated"),
}
LINE_EVENTS = {
    "created": _l("Line set up"),
    "activated": _l("Activated"),
    "suspended": _l("Suspended"),
    "restored": _l("Restored"),
    "terminated": _l("Terminated"),
    "sim_swapped": _l("SIM swapped"),
    "number_changed": _l("Number changed"),
}
SWAP_REASONS = {
    LOST_CARD: _l("Lost or stolen"),
    REPLACED: _l("Replaced (damaged, or another kind)"),
}
ORIGINS = {N.FROM_RANGE: _l("Own range"), N.PORTED: _l("Ported in")}


def _name(table: dict[str, Any], key: str) -> str:
    return str(table.get(key, key))


def helpers() -> dict[str, Any]:
    """What the network screens call in their templates."""
    return {
        "number_state": lambda key: _name(NUMBER_STATES, key),
        "sim_state": lambda key: _name(SIM_STATES, key),
        "sim_kind": lambda key: _name(SIM_KINDS, key),
        "line_state": lambda key: _name(LINE_STATES, key),
        "line_event": lambda key: _name(LINE_EVENTS, key),
        "swap_reason": lambda key: _name(SWAP_REASONS, key),
        "number_origin": lambda key: _name(ORIGINS, key),
        "msisdn": lambda digits: shown(digits) if digits else "",
        "number_state_at": N.number_state_at,
    }
