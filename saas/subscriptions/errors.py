"""What a subscription refuses, by code: the texts the screens and the API say them in."""

from __future__ import annotations

from typing import Any

from saas.errors import N_, Refusal, Term, register
from saas.subscriptions.models import APPLIED, REVOKED, Subscription


class SubscriptionError(Refusal):
    """A change a subscription cannot take: its code, the record, the field if one."""

    def __init__(
        self, code: str, record: Term | str, field: str | None = None, **params: Any
    ) -> None:
        super().__init__(code, field=field, record=record, **params)


REFUSALS = {
    "record.subscription": N_("subscription %(id)s"),
    "record.person": N_("person %(email)s"),
    "record.migration": N_("migration %(id)s"),
    "subscription.change_applied": N_("this change has taken effect already"),
    "subscription.change_revoked": N_("this change was called off already"),
    "subscription.cancellation_scheduled": N_("has a cancellation coming: call it off first"),
    "subscription.version_not_on_sale": N_("version %(number)s is not on sale"),
    "subscription.not_on_sale": N_("is not on sale"),
    "subscription.not_a_subscriber": N_("is not a subscriber"),
    "subscription.cancelled": N_("is cancelled"),
    "subscription.same_version": N_("is on %(version)s already"),
    "subscription.currency_change": N_("cannot change from %(old)s to %(new)s"),
    "subscription.suspended_already": N_("is suspended already"),
    "subscription.not_suspended": N_("is not suspended"),
    "subscription.cancel_when": N_('cancelling "%(when)s" is unknown: choose now or period_end'),
    "subscription.addon_currency": N_("add-on %(addon)s is priced in %(currency)s"),
    "subscription.addon_ended": N_("add-on %(addon)s has ended already"),
    "subscription.no_such_addon": N_('has no add-on "%(addon)s"'),
    "subscription.migration_other_plan": N_("a migration stays within one plan"),
    "subscription.migration_same_version": N_("choose two different versions"),
    "subscription.migration_unpublished": N_("version %(number)s is not published"),
    "subscription.migration_pending": N_(
        "migration %(migration)s is scheduled already: cancel it first"
    ),
    "subscription.migration_cancelled": N_("was cancelled"),
}
register(REFUSALS)
CHANGE_OVER = {APPLIED: "subscription.change_applied", REVOKED: "subscription.change_revoked"}


def named(sub: Subscription) -> Term:
    """The subscription as a refusal names it."""
    return Term("record.subscription", id=sub.id)
