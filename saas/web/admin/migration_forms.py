"""The form that picks a migration: which version's holders move, and to which version."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from saas.catalog import models as M
from saas.web.admin.catalog_text import label
from saas.web.fields import Choice, choices
from saas.web.forms import Form


def version_words(version: M.PlanVersion, holders: int | None = None) -> str:
    """A version as people name it: its number and status, and how many hold it."""
    words = _(
        "Version %(number)d (%(status)s)", number=version.number, status=label(version.status)
    )
    if holders is None:
        return words
    return _("%(version)s, subscriptions: %(count)d", version=words, count=holders)


class MigrationForm(Form):
    """Two of the plan's versions: the one whose holders move and the one they move to."""

    source = Choice(_l("Move the holders of"), name="from", id="migration-from")
    target = Choice(_l("to"), name="to", id="migration-to")

    def __init__(self, plan: M.Plan, counts: dict[int, int] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.plan, counts = plan, counts or {}
        self.source.choices = choices(
            (str(v.id), version_words(v, counts.get(v.id, 0))) for v in plan.versions
        )
        self.target.choices = choices((str(v.id), version_words(v)) for v in plan.versions)

    @classmethod
    def offered(cls, plan: M.Plan, counts: dict[int, int], source: Any) -> MigrationForm:
        """The form as the plan's page first shows it: a version with holders to the published."""
        target = plan.published
        data = {
            "source": str(source.id) if source else "",
            "target": str(target.id) if target else "",
        }
        return cls(plan, counts, formdata=None, data=data)

    def versions(self) -> tuple[M.PlanVersion, M.PlanVersion]:
        """The two versions chosen; only valid once validated."""
        by_id = {str(v.id): v for v in self.plan.versions}
        return by_id[self.source.data], by_id[self.target.data]
