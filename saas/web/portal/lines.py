"""The subscriber's line in the portal: the number, and for an eSIM its QR code and code text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from saas.db import db
from saas.network import lines, sims
from saas.network.errors import NetworkError
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


@bp.context_processor
def _line_helpers() -> dict[str, Any]:
    return {"my_line": _my_line, "line_state": labels.helpers()["line_state"]}


def _my_line(sub: Subscription) -> LineShown | None:
    line = lines.of_subscription(db.session, sub.id)
    if line is None:
        return None
    msisdn, sim = lines.current_msisdn(db.session, line), lines.current_sim(db.session, line)
    code = _code(sim) if sim is not None and sim.kind == ESIM else None
    # segno writes the SVG itself from the code: no text of ours goes into it.
    svg = Markup(sims.qr_svg(code)) if code else None
    kind = sim.kind if sim is not None else ""
    return LineShown(line.state, shown(msisdn) if msisdn else "", kind, code, svg)


def _code(sim: Any) -> str | None:
    try:
        return sims.activation_code(db.session, sim)
    except NetworkError:
        return None  # the brand has no SM-DP+ address yet: the code is not shown
