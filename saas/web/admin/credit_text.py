"""Credit decisions in words: each scorecard line, the outcome, what the class allows."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_babel import format_decimal, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from saas.customers.credit import models as C
from saas.customers.credit import scorecard as S
from saas.customers.credit import services as credit
from saas.customers.credit.reports import NEGATIVE_KINDS
from saas.db import db
from saas.identity.models import User
from saas.web.admin import bp
from saas.web.i18n import money

KINDS = dict(
    zip(
        NEGATIVE_KINDS,
        (_l("payment default"), _l("insolvency"), _l("debt in collection"), _l("other entry")),
        strict=True,
    )
)
OUTCOMES = {
    C.SCORED: _l("Scored on the bureau's record"),
    C.NO_RECORD: _l("Scored without a record: the bureau knows nothing of the person"),
    C.UNAVAILABLE: _l(
        "The bureau could not be asked: the class for that case applies, never an approval"
    ),
    C.OVERRIDE: _l("Class set by hand"),
}
RULES = {
    S.SCORE: _l("Bureau score: %(band)s"),
    S.AGE: _l("Age: %(band)s"),
    S.LINES: _l("Lines already held with the brand: %(band)s"),
}


def band(start: int | None, end: int | None) -> str:
    """A band's values in words: 600 to 799, 800 or more, exactly 0."""
    if start is not None and end is not None and start == end:
        return _("exactly %(start)s", start=start)
    if end is None:
        return _("%(start)s or more", start=start)
    return _("from %(start)s to %(end)s", start=start, end=end)


def points(value: int) -> str:
    """Points with their sign, the reader's way (+40, -25, 0)."""
    number = format_decimal(value, format="+#,##0;-#,##0") if value else "0"
    return _("%(points)s points", points=number)


def kind_name(kind: str | None) -> str:
    """A kind of negative entry in words."""
    return str(KINDS.get(kind or "", KINDS["other"]))


def line_text(line: dict[str, Any]) -> str:
    """One scorecard line's reason in words."""
    rule = line.get("rule")
    if rule in RULES:
        return str(RULES[rule] % {"band": band(line.get("start"), line.get("end"))})
    if rule == S.NO_RECORD:
        return _("No record at the bureau")
    if rule == S.NEGATIVE:
        return _(
            "Negative entry: %(kind)s (%(count)s)",
            kind=kind_name(line.get("kind")),
            count=line.get("count", 1),
        )
    if line.get("kind") == "yes":
        return _("Pays by direct debit")
    return _("Does not pay by direct debit")


def class_name(decision: C.CreditDecision) -> str:
    """The decision's class in the reader's language, else the brand's default."""
    return decision.class_name(str(get_locale()), g.tenant.default_locale)


def outcome_text(decision: C.CreditDecision) -> str:
    """How the decision came about."""
    return str(OUTCOMES.get(decision.outcome, OUTCOMES[C.SCORED]))


def allows(decision: C.CreditDecision) -> list[str]:
    """What the decision's class allows, one phrase each."""
    currency = decision.currency
    return [
        _("Postpaid and prepaid plans") if decision.postpaid else _("Prepaid plans only"),
        _("Deposit: %(amount)s", amount=money(decision.deposit, currency)),
        _("Credit limit per month: %(amount)s", amount=money(decision.credit_limit, currency)),
        ngettext("At most %(num)d line", "At most %(num)d lines", decision.max_lines),
    ]


@bp.context_processor
def _credit_text() -> dict[str, Any]:
    return {
        "credit_line": line_text,
        "credit_points": points,
        "credit_class": class_name,
        "credit_outcome": outcome_text,
        "credit_allows": allows,
        "credit_kind": kind_name,
        "credit_standing": lambda person: _standing(person),
    }


def _standing(person: User) -> C.CreditDecision | None:
    return credit.current(db.session, person)
