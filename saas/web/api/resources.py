"""What the API shows of each row: named fields only, never secrets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from saas.catalog import models as M
from saas.catalog import services as catalog
from saas.catalog.periods import Period
from saas.catalog.specs import ComponentSpec
from saas.customers.models import Account
from saas.identity.audit import AuditEvent
from saas.identity.models import User
from saas.jobs.models import FailedJob
from saas.money import money_text
from saas.subscriptions.migrations import MigrationRow
from saas.subscriptions.models import ACTIVE, Subscription, SubscriptionAddOn, SubscriptionEvent
from saas.subscriptions.services import State
from saas.tenancy.models import Tenant


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def brand(tenant: Tenant) -> dict[str, Any]:
    """Describe the brand a host serves."""
    return {
        "slug": tenant.slug,
        "name": tenant.name,
        "currency": tenant.currency,
        "default_locale": tenant.default_locale,
        "locales": list(tenant.locales),
        "timezone": tenant.timezone,
        "country": tenant.country,
    }


def subscriber(user: User) -> dict[str, Any]:
    """Describe a subscriber; the password hash and log-in tokens stay out."""
    return {
        "id": user.id,
        "email": user.email,
        "full_name": user.full_name,
        "locale": user.locale,
        "active": user.active,
        "created_at": _when(user.created_at),
    }


def audit_event(event: AuditEvent) -> dict[str, Any]:
    """Describe one audit event; secret values were redacted when it was written."""
    return {
        "id": event.id,
        "at": _when(event.at),
        "actor": event.actor_label,
        "actor_user_id": event.actor_user_id,
        "ip": event.ip,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "changes": event.changes,
    }


def failed_job(job: FailedJob) -> dict[str, Any]:
    """Describe a dead-lettered job; the traceback stays in the console."""
    return {
        "id": job.id,
        "message_id": job.message_id,
        "queue": job.queue_name,
        "actor": job.actor_name,
        "args": job.args,
        "kwargs": job.kwargs,
        "retries": job.retries,
        "error": job.error,
        "status": job.status,
        "failed_at": _when(job.failed_at),
    }


def metric(row: M.Metric) -> dict[str, Any]:
    """Describe a usage metric."""
    return {
        "id": row.id,
        "code": row.code,
        "name": row.name,
        "unit": row.unit,
        "aggregation": row.aggregation,
        "created_at": _when(row.created_at),
    }


def product(row: M.Product) -> dict[str, Any]:
    """Describe a product line."""
    return {
        "id": row.id,
        "code": row.code,
        "name": row.name,
        "description": row.description,
        "active": row.active,
        "created_at": _when(row.created_at),
    }


def _component(spec: ComponentSpec, currency: str) -> dict[str, Any]:
    """A component as spec JSON, fees written with the currency's decimals."""
    out = spec.to_json()
    if spec.amount is not None:
        out["amount"] = money_text(spec.amount, currency)
    return out


def plan_version(version: M.PlanVersion) -> dict[str, Any]:
    """Describe a plan version with its components and allowances as spec JSON."""
    return {
        "id": version.id,
        "plan_id": version.plan_id,
        "plan_code": version.plan.code,
        "plan_name": version.plan.name,
        "number": version.number,
        "status": version.status,
        "billing_interval": version.billing_interval,
        "recurring_total": money_text(version.recurring_total(), version.plan.currency),
        "components": [
            _component(c, version.plan.currency) for c in catalog.component_specs(version)
        ],
        "allowances": [a.to_json() for a in catalog.allowance_specs(version)],
        "created_at": _when(version.created_at),
        "published_at": _when(version.published_at),
        "archived_at": _when(version.archived_at),
    }


def plan(row: M.Plan) -> dict[str, Any]:
    """Describe a plan or add-on with every version."""
    return {
        "id": row.id,
        "code": row.code,
        "name": row.name,
        "description": row.description,
        "product": row.product.code,
        "kind": row.kind,
        "payment": row.payment,
        "currency": row.currency,
        "tax_category": row.tax_category,
        "published_version_id": row.published.id if row.published else None,
        "draft_version_id": row.draft.id if row.draft else None,
        "versions": [plan_version(v) for v in row.versions],
        "created_at": _when(row.created_at),
    }


def promotion(row: M.Promotion) -> dict[str, Any]:
    """Describe a promotion and how often it was redeemed."""
    return {
        "id": row.id,
        "code": row.code,
        "name": row.name,
        "kind": row.kind,
        "value": money_text(row.value, row.currency) if row.currency else str(row.value),
        "currency": row.currency,
        "plan": row.plan.code if row.plan else None,
        "component": row.component_code,
        "duration": row.duration,
        "cycles": row.cycles,
        "promo_code": row.promo_code,
        "max_redemptions": row.max_redemptions,
        "redemptions": row.redemptions,
        "valid_from": _when(row.valid_from),
        "valid_until": _when(row.valid_until),
        "active": row.active,
        "created_at": _when(row.created_at),
    }


def migration(row: M.PlanMigration) -> dict[str, Any]:
    """Describe a scheduled (or cancelled) move of a version's subscribers."""
    return {
        "id": row.id,
        "plan_id": row.from_version.plan_id,
        "from_version_id": row.from_version_id,
        "from_version": row.from_version.number,
        "to_version_id": row.to_version_id,
        "to_version": row.to_version.number,
        "timing": row.timing,
        "status": row.status,
        "affected": row.affected,
        "created_at": _when(row.created_at),
        "created_by": row.created_by,
    }


def migration_row(row: MigrationRow) -> dict[str, Any]:
    """Describe one subscription a migration would move."""
    return row.to_json() | {"subscriber_id": row.subscription.subscriber_id}


def subscription_event(event: SubscriptionEvent) -> dict[str, Any]:
    """Describe one change of a subscription, with the charges stored with it."""
    return {
        "id": event.id,
        "subscription_id": event.subscription_id,
        "kind": event.kind,
        "state": event.state,
        "effective_at": _when(event.effective_at),
        "recorded_at": _when(event.recorded_at),
        "actor": event.actor_label,
        "data": event.data,
    }


def _addon(addon: SubscriptionAddOn) -> dict[str, Any]:
    version = addon.addon_version
    return {
        "id": addon.id,
        "plan_version_id": version.id,
        "plan_code": version.plan.code,
        "plan_name": version.plan.name,
        "started_at": _when(addon.started_at),
    }


def _version_ref(version: M.PlanVersion) -> dict[str, Any]:
    return {
        "id": version.id,
        "number": version.number,
        "status": version.status,
        "plan_id": version.plan_id,
        "plan_code": version.plan.code,
        "plan_name": version.plan.name,
        "currency": version.plan.currency,
        "billing_interval": version.billing_interval,
    }


def subscription(
    sub: Subscription, period: Period | None, pending: list[SubscriptionEvent]
) -> dict[str, Any]:
    """Describe a subscription as it stands, with its current period and scheduled changes."""
    account, offer = sub.account, sub.promotion
    return {
        "id": sub.id,
        "subscriber_id": sub.subscriber_id,
        "account": {"id": account.id, "kind": account.kind, "name": account.name},
        "line_label": sub.line_label,
        "plan_version": _version_ref(sub.plan_version),
        "status": sub.status,
        "anchor_date": sub.anchor_date.isoformat(),
        "current_period": (
            {"start": period.start.isoformat(), "end": period.end.isoformat()} if period else None
        ),
        "started_at": _when(sub.started_at),
        "ended_at": _when(sub.ended_at),
        "addons": [_addon(a) for a in sub.addons if a.status == ACTIVE],
        "promotion": {"id": offer.id, "code": offer.code, "name": offer.name} if offer else None,
        "scheduled": [subscription_event(e) for e in pending],
    }


def subscription_state(sub: Subscription, state: State) -> dict[str, Any]:
    """Describe a subscription as it stood (or will stand) at an instant."""
    return {
        "subscription_id": sub.id,
        "at": _when(state.at),
        "plan_version_id": state.plan_version_id,
        "status": state.status,
        "addons": [
            {"id": addon_id, "plan_version_id": version_id}
            for addon_id, version_id in sorted(state.addon_version_ids.items())
        ],
        "promotion_id": state.promotion_id,
    }


def account(row: Account, line_ids: list[int]) -> dict[str, Any]:
    """Describe an account, who holds it, and the subscriptions that are its lines."""
    return {
        "id": row.id,
        "kind": row.kind,
        "name": row.name,
        "holder_id": row.holder_id,
        "line_count": len(line_ids),
        "subscription_ids": line_ids,
        "created_at": _when(row.created_at),
    }
