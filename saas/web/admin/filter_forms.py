"""The console's search boxes and list filters, read from the query string."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SearchField
from wtforms.validators import Length

from saas.jobs.models import DEAD, DISCARDED, RETRIED
from saas.subscriptions.models import ACTIVE, CANCELLED, SUSPENDED
from saas.web import subscription_labels as labels
from saas.web.admin.labels import job_state, object_type
from saas.web.change_forms import TOO_LONG
from saas.web.fields import Choice, RowIdField, choices, strip
from saas.web.forms import QueryForm

# Longer than any e-mail address or name kept: it can match nobody.
SEARCH_MAX = 254
ALL = _l("All")
STATUSES = (ACTIVE, SUSPENDED, CANCELLED)
JOB_STATES = (DEAD, RETRIED, DISCARDED)


def _all_or(values: Any, name: Any) -> list[Any]:
    """Options for a filter: everything, or one value by its name."""
    return choices([("", ALL), *((value, name(value)) for value in values)])


class PeopleSearch(QueryForm):
    """Find people by a part of their e-mail address or name."""

    q = SearchField(
        _l("Find by e-mail or name"),
        [Length(max=SEARCH_MAX, message=TOO_LONG)],
        filters=[strip],
        default="",
        render_kw={"maxlength": SEARCH_MAX},
    )


class AuditFilter(QueryForm):
    """One kind of object the log mentions, and the page of events older than one."""

    type = Choice(_l("Object type"), default="")
    before = RowIdField()

    def __init__(self, object_types: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.type.choices = _all_or(object_types, object_type)


class SubscriptionFilter(QueryForm):
    """Subscriptions of one status, or all."""

    status = Choice(
        _l("Status"),
        default="",
        choices=lambda: _all_or(STATUSES, lambda s: labels.named(labels.STATUSES, s)),
    )


class JobFilter(QueryForm):
    """Failed jobs in one state: dead letters unless asked otherwise."""

    status = Choice(default=DEAD, choices=lambda: choices((s, job_state(s)) for s in JOB_STATES))
