"""The audit log in sentences: who did what to which record, in the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext

from saas.db import db
from saas.identity.audit import REDACTED, AuditEvent
from saas.identity.audit_names import APIKEY_ACTOR, Subjects, load
from saas.web.admin import bp
from saas.web.admin.labels import object_type, role_label
from saas.web.i18n import money

# Field names in words; a column not named here (ids, keys, bookkeeping) is never shown.
FIELDS = {
    "name": _l("name"),
    "full_name": _l("name"),
    "legal_name": _l("legal name"),
    "description": _l("description"),
    "translations": _l("names in other languages"),
    "code": _l("code"),
    "email": _l("e-mail address"),
    "locale": _l("language"),
    "notes": _l("notes"),
    "password": _l("password"),
    "active": _l("active or not"),
    "kind": _l("kind"),
    "payment": _l("payment"),
    "currency": _l("currency"),
    "tax_category": _l("tax category"),
    "billing_interval": _l("billing interval"),
    "status": _l("status"),
    "amount": _l("amount"),
    "timing": _l("billing timing"),
    "prorate": _l("proration"),
    "metric_code": _l("metric"),
    "fee_type": _l("fee type"),
    "charge": _l("charge rule"),
    "quantity": _l("quantity"),
    "rollover": _l("rollover"),
    "shared": _l("sharing"),
    "value": _l("discount"),
    "duration": _l("duration"),
    "cycles": _l("number of periods"),
    "promo_code": _l("promo code"),
    "max_redemptions": _l("maximum redemptions"),
    "valid_from": _l("start"),
    "valid_until": _l("end"),
    "started_at": _l("start"),
    "ended_at": _l("end"),
    "line_label": _l("line name"),
    "anchor_date": _l("billing day"),
    "plan_version_id": _l("plan"),
    "plan_id": _l("plan"),
    "promotion_id": _l("promotion"),
    "component_code": _l("price component"),
    "default_locale": _l("default language"),
    "locales": _l("languages"),
    "timezone": _l("time zone"),
    "country": _l("country"),
    "theme": _l("look"),
    "support_email": _l("support e-mail address"),
    "scopes": _l("permissions"),
    "revoked_at": _l("revocation"),
    "tf_primary_method": _l("two-factor authentication"),
    "tf_totp_secret": _l("two-factor authentication"),
    "tf_phone_number": _l("two-factor authentication"),
    "mf_recovery_codes": _l("two-factor authentication"),
    "unit": _l("unit"),
    "aggregation": _l("aggregation"),
    "steps_done": _l("steps filled in"),
    "details": _l("answers"),
    "personal": _l("personal data"),
    "reasons": _l("reasons"),
    "outcome": _l("set-up"),
    "submitted_at": _l("sending"),
    "decided_at": _l("decision"),
    "user_id": _l("subscriber"),
    "agent_id": _l("agent"),
    "state": _l("state"),
    "quarantine_days": _l("quarantine"),
    "reservation_minutes": _l("reservation time"),
    "golden_run": _l("golden numbers"),
    "smdp_address": _l("SM-DP+ address"),
}

# Why the platform worked inside a brand, as the code says it; any other reason is platform work.
REASONS = {
    "check whether the brand's currency is in use": _l("checking whether the currency is in use"),
    "sync catalogue from brand file": _l("updating the catalogue from the brand file"),
    "apply due subscription changes": _l("carrying out due subscription changes"),
    "seed demo people": _l("creating demo people"),
    "platform console: brand figures": _l("reading the brand's figures"),
}
REASON_PREFIXES = {
    "import Lago plans from": _l("importing plans from Lago"),
    "import SIMs from": _l("importing SIMs"),
    "load a number range": _l("loading numbers"),
}


# Columns a replaced price gets anew whatever changed.
BOOKKEEPING = {"id", "tenant_id", "position"}


@dataclass(frozen=True)
class Line:
    """One event as the log shows it."""

    event: AuditEvent
    sentence: str


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _words(keys: Any) -> str:
    seen: list[str] = []
    for key in keys:
        word = FIELDS.get(key)
        if word is not None and str(word) not in seen:
            seen.append(str(word))
    return ", ".join(seen)


def _roles(names: Any) -> str:
    return ", ".join(role_label(n) for n in names or []) or _("no role")


class Text:
    """Sentences for the events of one page, with the records they name loaded once."""

    def __init__(self, subjects: Subjects):
        self.s = subjects

    # Names

    def who(self, e: AuditEvent) -> str:
        """The author, opening the sentence: a word capitalised, a name or address as written."""
        return _capital(self._who(e)) if self._is_word(e) else self._who(e)

    def _is_word(self, e: AuditEvent) -> bool:
        return e.actor_user_id not in self.s.users and "@" not in e.actor_label

    def _who(self, e: AuditEvent) -> str:
        user = self.s.users.get(e.actor_user_id or 0)
        label = e.actor_label
        if user is not None:
            return pgettext("audit actor", "%(name)s", name=user.display_name)
        if label == "cli":
            return _("the command line")
        if label == "system" or label.startswith("job:"):
            return _("the system")
        if label.startswith(APIKEY_ACTOR):
            key = self.s.keys_by_prefix.get(label.removeprefix(APIKEY_ACTOR))
            return _("API key %(name)s", name=key.name if key else _("(removed)"))
        if label == "anonymous":
            return _("an anonymous visitor")
        return pgettext("audit actor", "%(name)s", name=label)

    def person(self, user_id: Any) -> str:
        user = self.s.users.get(_int(user_id) or 0)
        return user.display_name if user else f"#{user_id}"

    def plan(self, plan_id: Any) -> str:
        plan = self.s.plans.get(_int(plan_id) or 0)
        return plan.name if plan else f"#{plan_id}"

    def version(self, version_id: Any) -> tuple[Any, str]:
        version = self.s.versions.get(_int(version_id) or 0)
        if version is None:
            return f"#{version_id}", "?"
        return version.number, self.plan(version.plan_id)

    def currency(self, version_id: Any) -> str | None:
        version = self.s.versions.get(_int(version_id) or 0)
        plan = self.s.plans.get(version.plan_id) if version else None
        return plan.currency if plan else None

    def name(self, e: AuditEvent) -> str:
        """The record's own name, or its number when it has none or is gone."""
        rows: dict[str, Any] = {
            "promotions": self.s.promotions,
            "products": self.s.products,
            "metrics": self.s.metrics,
            "accounts": self.s.accounts,
            "api_keys": self.s.keys,
            "price_components": self.s.components,
        }
        row = rows.get(e.object_type, {}).get(_int(e.object_id) or 0)
        if row is not None:
            return str(row.name)
        if e.object_type in ("plans", "plan"):
            return self.plan(e.object_id)
        if e.object_type == "users":
            return self.person(e.object_id)
        if e.object_type == "plan_versions":
            number, plan = self.version(e.object_id)
            return _("version %(number)s of %(plan)s", number=number, plan=plan)
        if e.object_type == "subscriptions":
            return self.subscription(e.object_id)[1]
        named = (e.changes or {}).get("name") if e.action == "create" else None
        return str(named) if isinstance(named, str) else f"#{e.object_id}"

    def subscription(self, subscription_id: Any) -> tuple[str, str]:
        """The subscriber and the plan of a subscription."""
        sub = self.s.subscriptions.get(_int(subscription_id) or 0)
        if sub is None:
            return f"#{subscription_id}", "?"
        return self.person(sub.subscriber_id), self.version(sub.plan_version_id)[1]

    def money(self, amount: Any, version_id: Any) -> str:
        try:
            value = Decimal(str(amount))
        except InvalidOperation:
            return str(amount)
        return money(value, self.currency(version_id))

    # Sentences

    def sentence(self, e: AuditEvent) -> str:
        say = SAY.get((e.object_type, e.action)) or SAY.get(("*", e.action))
        text = say(self, e) if say else None
        return text or self.generic(e)

    def generic(self, e: AuditEvent) -> str:
        who, kind, name = self.who(e), self.kind(e), self.name(e)
        if e.action == "create":
            return _("%(who)s created %(name)s in %(kind)s", who=who, name=name, kind=kind)
        if e.action == "delete":
            return _("%(who)s deleted %(name)s in %(kind)s", who=who, name=name, kind=kind)
        fields = _words(e.changes or {}) if e.action == "update" else ""
        if fields:
            return _(
                "%(who)s changed %(name)s in %(kind)s: %(fields)s",
                who=who,
                name=name,
                kind=kind,
                fields=fields,
            )
        return _("%(who)s worked on %(name)s in %(kind)s", who=who, name=name, kind=kind)

    def kind(self, e: AuditEvent) -> str:
        return object_type(e.object_type)


def _changed(e: AuditEvent, key: str) -> tuple[Any, Any] | None:
    value = (e.changes or {}).get(key)
    if isinstance(value, list) and len(value) == 2:
        return value[0], value[1]
    return None


def _only(e: AuditEvent, *keys: str) -> bool:
    return bool(e.changes) and set(e.changes) <= set(keys)


# Catalogue


def _plan_created(t: Text, e: AuditEvent) -> str:
    return _("%(who)s created the plan %(plan)s", who=t.who(e), plan=t.plan(e.object_id))


def _published(t: Text, e: AuditEvent) -> str:
    c = e.changes or {}
    return _(
        "%(who)s published version %(number)s of %(plan)s",
        who=t.who(e),
        number=c.get("version"),
        plan=t.plan(e.object_id),
    )


def _migration(t: Text, e: AuditEvent) -> str:
    c = e.changes or {}
    return _(
        "%(who)s scheduled moving %(count)s subscriptions of %(plan)s from version %(old)s"
        " to version %(new)s",
        who=t.who(e),
        count=c.get("subscriptions"),
        plan=t.plan(e.object_id),
        old=c.get("from_version"),
        new=c.get("to_version"),
    )


def _migration_cancelled(t: Text, e: AuditEvent) -> str:
    return _(
        "%(who)s called off moving the subscriptions of %(plan)s (%(count)s moves withdrawn)",
        who=t.who(e),
        plan=t.plan(e.object_id),
        count=(e.changes or {}).get("revoked"),
    )


def _version_created(t: Text, e: AuditEvent) -> str:
    number, plan = t.version(e.object_id)
    return _(
        "%(who)s started version %(number)s of %(plan)s", who=t.who(e), number=number, plan=plan
    )


def _version_changed(t: Text, e: AuditEvent) -> str | None:
    status = _changed(e, "status")
    number, plan = t.version(e.object_id)
    if status and status[1] == "archived":
        return _(
            "%(who)s stopped selling version %(number)s of %(plan)s",
            who=t.who(e),
            number=number,
            plan=plan,
        )
    if status and status[1] == "published":
        return _(
            "%(who)s put version %(number)s of %(plan)s on sale",
            who=t.who(e),
            number=number,
            plan=plan,
        )
    return None


def _version_deleted(t: Text, e: AuditEvent) -> str:
    return _("%(who)s discarded a draft version", who=t.who(e))


def _component_created(t: Text, e: AuditEvent) -> str:
    c = e.changes or {}
    number, plan = t.version(c.get("version_id"))
    amount = c.get("amount")
    if amount is None:
        return _(
            "%(who)s added the price %(name)s to version %(number)s of %(plan)s",
            who=t.who(e),
            name=c.get("name"),
            number=number,
            plan=plan,
        )
    return _(
        "%(who)s added the price %(name)s of %(amount)s to version %(number)s of %(plan)s",
        who=t.who(e),
        name=c.get("name"),
        amount=t.money(amount, c.get("version_id")),
        number=number,
        plan=plan,
    )


def _price_changed(t: Text, e: AuditEvent, old: dict[str, Any], new: dict[str, Any]) -> str:
    """A price a draft's save replaced: what it was against what it is."""
    version_id = new.get("version_id")
    plan = t.version(version_id)[1]
    was, now = Decimal(str(old.get("amount") or 0)), Decimal(str(new.get("amount") or 0))
    if was != now:
        args = {
            "who": t.who(e),
            "plan": plan,
            "name": new.get("name"),
            "old": t.money(was, version_id),
            "new": t.money(now, version_id),
        }
        recurring = new.get("kind") == "recurring"
        if now > was:
            if recurring:
                return _("%(who)s raised the price of %(plan)s from %(old)s to %(new)s", **args)
            return _(
                "%(who)s raised the price %(name)s of %(plan)s from %(old)s to %(new)s", **args
            )
        if recurring:
            return _("%(who)s lowered the price of %(plan)s from %(old)s to %(new)s", **args)
        return _("%(who)s lowered the price %(name)s of %(plan)s from %(old)s to %(new)s", **args)
    fields = _words(k for k in new if old.get(k) != new.get(k))
    return _(
        "%(who)s changed the price %(name)s of %(plan)s: %(fields)s",
        who=t.who(e),
        name=new.get("name"),
        plan=plan,
        fields=fields,
    )


def _allowance_created(t: Text, e: AuditEvent) -> str:
    number, plan = t.version((e.changes or {}).get("version_id"))
    return _(
        "%(who)s added an allowance to version %(number)s of %(plan)s",
        who=t.who(e),
        number=number,
        plan=plan,
    )


def _promotion_created(t: Text, e: AuditEvent) -> str:
    return _("%(who)s created the promotion %(name)s", who=t.who(e), name=t.name(e))


def _product_created(t: Text, e: AuditEvent) -> str:
    return _("%(who)s created the product %(name)s", who=t.who(e), name=t.name(e))


# People and keys


def _person_created(t: Text, e: AuditEvent) -> str:
    c = e.changes or {}
    name, email = c.get("full_name") or c.get("email"), c.get("email")
    if c.get("kind") == "subscriber":
        return _(
            "%(who)s created the customer %(name)s (%(email)s)",
            who=t.who(e),
            name=name,
            email=email,
        )
    return _(
        "%(who)s added %(name)s (%(email)s) to the staff", who=t.who(e), name=name, email=email
    )


def _person_changed(t: Text, e: AuditEvent) -> str | None:
    who, person = t.who(e), t.person(e.object_id)
    active = _changed(e, "active")
    if active and _only(e, "active"):
        if active[1]:
            return _("%(who)s reactivated %(person)s", who=who, person=person)
        return _("%(who)s deactivated %(person)s", who=who, person=person)
    if (e.changes or {}).get("password") == REDACTED and _only(e, "password"):
        return _("%(who)s changed the password of %(person)s", who=who, person=person)
    fields = _words(e.changes or {})
    if not fields:
        return None
    return _(
        "%(who)s changed the details of %(person)s: %(fields)s",
        who=who,
        person=person,
        fields=fields,
    )


def _roles_changed(t: Text, e: AuditEvent) -> str:
    c = e.changes or {}
    return _(
        "%(who)s changed the roles of %(person)s from %(old)s to %(new)s",
        who=t.who(e),
        person=t.person(e.object_id),
        old=_roles(c.get("before")),
        new=_roles(c.get("after")),
    )


def _logged_in(t: Text, e: AuditEvent) -> str:
    return _("%(who)s logged in", who=t.who(e))


def _logged_out(t: Text, e: AuditEvent) -> str:
    return _("%(who)s logged out", who=t.who(e))


def _login_failed(t: Text, e: AuditEvent) -> str:
    return _(
        "Someone tried to log in as %(person)s with a wrong password", person=t.person(e.object_id)
    )


def _key_created(t: Text, e: AuditEvent) -> str:
    return _("%(who)s created the API key %(name)s", who=t.who(e), name=t.name(e))


def _key_revoked(t: Text, e: AuditEvent) -> str:
    name = (e.changes or {}).get("name") or t.name(e)
    return _("%(who)s revoked the API key %(name)s", who=t.who(e), name=name)


def _key_changed(t: Text, e: AuditEvent) -> str | None:
    return _key_revoked(t, e) if _only(e, "revoked_at") else None


# Brand, jobs, customers, subscriptions


def _reason(text: Any) -> str:
    text = str(text or "")
    if text in REASONS:
        return str(REASONS[text])
    for prefix, word in REASON_PREFIXES.items():
        if text.startswith(prefix):
            return str(word)
    return _("platform work")


def _crossed(t: Text, e: AuditEvent) -> str:
    return _(
        "The platform worked inside the brand: %(reason)s",
        reason=_reason((e.changes or {}).get("reason")),
    )


def _brand_changed(t: Text, e: AuditEvent) -> str | None:
    fields = _words(e.changes or {})
    return (
        _("%(who)s changed the brand settings: %(fields)s", who=t.who(e), fields=fields)
        if fields
        else None
    )


def _job_failed(t: Text, e: AuditEvent) -> str:
    return _("A background job kept failing and was set aside as a dead letter")


def _job_changed(t: Text, e: AuditEvent) -> str | None:
    status = _changed(e, "status")
    if status and status[1] == "retried":
        return _("%(who)s retried a failed background job", who=t.who(e))
    if status and status[1] == "discarded":
        return _("%(who)s discarded a failed background job", who=t.who(e))
    return None


def _account_created(t: Text, e: AuditEvent) -> str:
    return _("%(who)s opened the customer account %(name)s", who=t.who(e), name=t.name(e))


def _topped_up(t: Text, e: AuditEvent) -> str:
    c = e.changes or {}
    try:
        amount = money(Decimal(str(c.get("amount"))))
    except InvalidOperation:
        amount = str(c.get("amount", ""))
    return _(
        "%(who)s topped up the prepaid balance of account %(account)s by %(amount)s: %(reason)s",
        who=t.who(e),
        account=e.object_id,
        amount=amount,
        reason=c.get("reason", ""),
    )


def _wholesale_version(t: Text, e: AuditEvent) -> str:
    c = e.changes or {}
    return _(
        "%(who)s set version %(number)s of the wholesale agreement",
        who=t.who(e),
        number=c.get("number", ""),
    )


def _subscribed(t: Text, e: AuditEvent) -> str:
    c = e.changes or {}
    return _(
        "%(who)s subscribed %(person)s to %(plan)s",
        who=t.who(e),
        person=t.person(c.get("subscriber_id")),
        plan=t.version(c.get("plan_version_id"))[1],
    )


def _subscription_changed(t: Text, e: AuditEvent) -> str | None:
    person, plan = t.subscription(e.object_id)
    args = {"who": t.who(e), "person": person, "plan": plan}
    moved = _changed(e, "plan_version_id")
    if moved:
        old = t.version(moved[0])[1]
        return _("%(who)s moved %(person)s from %(old)s to %(plan)s", old=old, **args)
    status = _changed(e, "status")
    if status and status[1] == "suspended":
        return _("%(who)s suspended %(plan)s for %(person)s", **args)
    if status and status[1] == "cancelled":
        return _("%(who)s cancelled %(plan)s for %(person)s", **args)
    if status and status[1] == "active":
        return _("%(who)s resumed %(plan)s for %(person)s", **args)
    return None


def _addon_booked(t: Text, e: AuditEvent) -> str:
    c = e.changes or {}
    person = t.subscription(c.get("subscription_id"))[0]
    addon = t.version(c.get("addon_version_id"))[1]
    return _(
        "%(who)s booked the add-on %(addon)s for %(person)s",
        who=t.who(e),
        addon=addon,
        person=person,
    )


def _addon_changed(t: Text, e: AuditEvent) -> str | None:
    status = _changed(e, "status")
    addon = t.s.addons.get(_int(e.object_id) or 0)
    if not (status and status[1] == "cancelled" and addon):
        return None
    return _(
        "%(who)s cancelled the add-on %(addon)s for %(person)s",
        who=t.who(e),
        addon=t.version(addon.addon_version_id)[1],
        person=t.subscription(addon.subscription_id)[0],
    )


def _credit_decided(t: Text, e: AuditEvent) -> str:
    c = e.changes or {}
    args = {
        "who": t.who(e),
        "person": t.person(c.get("subscriber_id")),
        "klass": c.get("class_code"),
    }
    if c.get("kind") == "override":
        return _("%(who)s set the credit class of %(person)s to %(klass)s", **args)
    return _("%(who)s checked the credit of %(person)s: class %(klass)s", **args)


def _bureau_read(t: Text, e: AuditEvent) -> str:
    return _(
        "%(who)s read what %(person)s gave and the credit bureau answered",
        who=t.who(e),
        person=t.person(e.object_id),
    )


def _scorecard_changed(t: Text, e: AuditEvent) -> str:
    return _("%(who)s changed the credit scorecard", who=t.who(e))


Say = Callable[[Text, AuditEvent], "str | None"]
SAY: dict[tuple[str, str], Say] = {
    ("plans", "create"): _plan_created,
    ("plan", "plan.publish"): _published,
    ("plan", "plan.migration.schedule"): _migration,
    ("plan", "plan.migration.cancel"): _migration_cancelled,
    ("plan_versions", "create"): _version_created,
    ("plan_versions", "update"): _version_changed,
    ("plan_versions", "delete"): _version_deleted,
    ("price_components", "create"): _component_created,
    ("allowances", "create"): _allowance_created,
    ("promotions", "create"): _promotion_created,
    ("products", "create"): _product_created,
    ("users", "create"): _person_created,
    ("users", "update"): _person_changed,
    ("users", "staff.roles"): _roles_changed,
    ("users", "login"): _logged_in,
    ("users", "logout"): _logged_out,
    ("users", "login.failed"): _login_failed,
    ("api_keys", "create"): _key_created,
    ("api_keys", "update"): _key_changed,
    ("api_keys", "apikey.revoke"): _key_revoked,
    ("tenants", "tenant.cross"): _crossed,
    ("tenants", "update"): _brand_changed,
    ("failed_jobs", "create"): _job_failed,
    ("failed_jobs", "update"): _job_changed,
    ("accounts", "create"): _account_created,
    ("accounts", "prepaid.top_up"): _topped_up,
    ("wholesale_agreements", "create"): _wholesale_version,
    ("subscriptions", "create"): _subscribed,
    ("subscriptions", "update"): _subscription_changed,
    ("subscription_addons", "create"): _addon_booked,
    ("subscription_addons", "update"): _addon_changed,
    ("credit_decisions", "create"): _credit_decided,
    ("users", "credit.bureau_read"): _bureau_read,
    ("credit_scorecards", "create"): _scorecard_changed,
    ("credit_scorecards", "update"): _scorecard_changed,
}


def _replacements(t: Text, events: list[AuditEvent]) -> tuple[dict[int, str], set[int]]:
    """Say each price a draft's save wrote again as its change against the one it replaced.

    A price written again unchanged is no change anyone made, and is not shown.
    """
    said: dict[int, str] = {}
    unchanged: set[int] = set()
    for e in events:
        c = e.changes or {}
        if e.object_type != "price_components" or e.action != "create":
            continue
        written = t.s.prices.get((c.get("version_id"), c.get("code")), [])
        before = [v for i, v in written if i < e.id]
        if not before:
            continue
        old = before[-1]
        if all(old.get(k) == v for k, v in c.items() if k not in BOOKKEEPING):
            unchanged.add(e.id)
        else:
            said[e.id] = _price_changed(t, e, old, c)
    return said, unchanged


def lines(events: list[AuditEvent]) -> list[Line]:
    """Say each event as a sentence, naming the records of the whole list in a few queries."""
    events = list(events)
    text = Text(load(db.session, events))
    said, folded = _replacements(text, events)
    return [Line(e, said.get(e.id) or text.sentence(e)) for e in events if e.id not in folded]


@bp.context_processor
def _audit_lines() -> dict[str, Any]:
    return {"audit_lines": lines}
