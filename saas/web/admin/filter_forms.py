"""The console's search boxes and list filters, read from the query string."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SearchField
from wtforms.validators import Length

from saas.db import row_id
from saas.jobs.models import DEAD, DISCARDED, RETRIED
from saas.subscriptions.listing import Wanted
from saas.subscriptions.models import ACTIVE, CANCELLED, SUSPENDED
from saas.web import subscription_labels as labels
from saas.web.admin.labels import job_state, object_type
from saas.web.change_forms import TOO_LONG
from saas.web.fields import Choice, RowIdField, choices, strip
from saas.web.forms import QueryForm

# Longer than any e-mail address or name kept: it can match nobody.
SEARCH_MAX = 254
ALL = _l("All")
Named = list[tuple[int, str]]
STATUSES = (ACTIVE, SUSPENDED, CANCELLED)
JOB_STATES = (DEAD, RETRIED, DISCARDED)


def _all_or(values: Any, name: Any) -> list[Any]:
    """Options for a filter: everything, or one value by its name."""
    return choices([("", ALL), *((value, name(value)) for value in values)])


def _by_id(named: Named) -> tuple[list[str], Any]:
    """Ids as option values, and their names to show."""
    words = {str(ident): name for ident, name in named}
    return list(words), words.__getitem__


def _search(label: Any) -> SearchField:
    return SearchField(
        label,
        [Length(max=SEARCH_MAX, message=TOO_LONG)],
        filters=[strip],
        default="",
        render_kw={"maxlength": SEARCH_MAX},
    )


class Paged(QueryForm):
    """A filtered list read a page at a time: older than `before` or newer than `after`."""

    before = RowIdField()
    after = RowIdField()
    PAGING = ("before", "after")

    def read(self) -> bool:
        """Validate; a page key someone changed is not typed, so it starts over at the newest."""
        super().read()
        for name in self.PAGING:
            self[name].errors = []
        return not any(field.errors for field in self)

    def kept(self) -> dict[str, Any]:
        """The filters asked for, as the query of a link to another page or to the export."""
        return {f.name: f.data for f in self if f.name not in self.PAGING and f.data}


class PeopleSearch(Paged):
    """Find people by a part of their e-mail address or name."""

    q = _search(_l("Find by e-mail or name"))


class AuditFilter(QueryForm):
    """One kind of object the log mentions, and the page of events older or newer than one."""

    type = Choice(_l("Kind of record"), default="")
    before = RowIdField()
    after = RowIdField()

    def __init__(self, object_types: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.type.choices = _all_or(object_types, object_type)


class SubscriptionFilter(Paged):
    """Subscriptions of one plan, status or promotion, or of subscribers found by name."""

    plan = Choice(_l("Plan"), default="")
    status = Choice(
        _l("Status"),
        default="",
        choices=lambda: _all_or(STATUSES, lambda s: labels.named(labels.STATUSES, s)),
    )
    promotion = Choice(_l("Promotion"), default="")
    q = _search(_l("Subscriber's e-mail or name"))

    def __init__(self, plans: Named, promotions: Named, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.plan.choices = _all_or(*_by_id(plans))
        self.promotion.choices = _all_or(*_by_id(promotions))

    def wanted(self) -> Wanted:
        """The subscriptions asked for, as the listing reads them."""
        return Wanted(
            plan_id=row_id(self.plan.data or ""),
            status=self.status.data or "",
            promotion_id=row_id(self.promotion.data or ""),
            search=self.q.data or "",
        )


class JobFilter(QueryForm):
    """Failed jobs in one state: dead letters unless asked otherwise."""

    status = Choice(default=DEAD, choices=lambda: choices((s, job_state(s)) for s in JOB_STATES))
