"""The subscriber's line in the portal: the number, and for an eSIM its QR code and code text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import g
from markupsafe import Markup

from saas.db import db
from saas.network import lines, settings, sims
from saas.network.models import ESIM
from saas.network.numbering import shown
from saas.subscriptions.models import Subscription
from saas.web import network_labels as labels
from saas.web.portal import bp


@dataclass(frozen=True)
class LineShown:
    """What the portal shows of a line."""

    state: str
    msisdn: str
    kind: str
    activation_code: str | None
    qr_svg: Markup | None
    ported: bool = False


@bp.context_processor
def _line_helpers() -> dict[str, Any]:
    return {"my_line": _my_line, "line_state": labels.helpers()["line_state"]}


def held(sub: Subscription) -> tuple[lines.Held | None, bool]:
    """The subscription's line and whether it asked for a port-in, read once per request."""
    read: dict[int, tuple[lines.Held | None, bool]] = g.setdefault("_held_lines", {})
    if sub.id not in read:
        read[sub.id] = lines.seen_by_holder(db.session, sub.id)
    return read[sub.id]


def _my_line(sub: Subscription) -> LineShown | None:
    held_now = held(sub)[0]
    if held_now is None:
        return None
    code = _code(held_now.matching_id) if held_now.sim_kind == ESIM else None
    # segno writes the SVG itself from the code: no text of ours goes into it.
    svg = Markup(sims.qr_svg(code)) if code else None
    shown_msisdn = shown(held_now.msisdn) if held_now.msisdn else ""
    return LineShown(
        held_now.state, shown_msisdn, held_now.sim_kind or "", code, svg, held_now.ported
    )


def _code(matching_id: str) -> str | None:
    address = settings.of_brand(db.session).smdp_address
    # Without an SM-DP+ address of the brand's, there is no code to show yet.
    return sims.lpa_code(address, matching_id) if address and matching_id else None
