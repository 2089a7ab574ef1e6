"""Design the catalogue: products, plans and their versions, metrics and promotions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import contains_eager, selectinload

from saas.catalog import models as M
from saas.catalog import texts
from saas.catalog.specs import (
    AllowanceSpec,
    CatalogError,
    ComponentSpec,
    PlanSpec,
    PromotionSpec,
    bounded_text,
    choice,
    required_text,
)
from saas.db import DbSession, utcnow
from saas.errors import N_, Term, register
from saas.identity import audit
from saas.tenancy import brands
from saas.tenancy.context import require_tenant_id
from saas.tenancy.models import Tenant

AGGREGATIONS = ("sum", "count")
STANDARD_METRICS = (
    ("voice_minutes", "Voice minutes", "min", "sum"),
    ("sms", "SMS", "sms", "count"),
    ("data_mb", "Data", "MB", "sum"),
)
REFUSALS = {
    "catalog.exists": N_("exists already"),
    "catalog.missing": N_("does not exist"),
    "catalog.plan_code_taken": N_("a plan with this code exists already"),
    "catalog.unchangeable": N_("cannot change %(fields)s"),
    "catalog.published_locked": N_("is published: prices change in a new draft version"),
    "catalog.archived_locked": N_("is archived: prices change in a new draft version"),
    "catalog.unknown_metric": N_('metric "%(metric)s" does not exist'),
    "catalog.component_twice": N_('component "%(code)s" appears twice'),
    "catalog.allowance_twice": N_('allowance for metric "%(metric)s" appears twice'),
    "catalog.draft_exists": N_("version %(number)s is a draft already"),
    "catalog.version_empty": N_("has no prices and no allowances"),
    "catalog.archived_already": N_("is archived"),
    "catalog.only_version": N_("its only version cannot be discarded"),
    "catalog.promotion_code_taken": N_("a promotion with this code exists already"),
    "catalog.promo_code_taken": N_("promo code %(promo_code)s is in use"),
    "catalog.unknown_plan": N_('plan "%(plan)s" does not exist'),
    "catalog.promo_invalid": N_("is not valid"),
    "catalog.promo_not_yet": N_("is valid only from %(valid_from)s"),
    "catalog.promo_expired": N_("expired at %(valid_until)s"),
    "catalog.promo_used_up": N_("has been used up"),
    "catalog.promo_other_plan": N_("does not apply to %(plan)s"),
    "catalog.promo_currency": N_("is in %(promotion_currency)s, the plan in %(plan_currency)s"),
    "catalog.promotion_plan_currency": N_(
        "is in %(currency)s, but the plan is sold in %(expected)s"
    ),
    "catalog.promotion_brand_currency": N_(
        "is in %(currency)s, but the brand sells in %(expected)s"
    ),
    "catalog.promotion_no_component": N_(
        'the plan has no recurring component "%(component)s" in version %(number)s'
    ),
    "catalog.promotion_redeemed": N_(
        "has been redeemed already and can no longer be changed: end it and add a new one"
    ),
}
register(REFUSALS)
LOCKED = {M.PUBLISHED: "catalog.published_locked", M.ARCHIVED: "catalog.archived_locked"}


def version_record(version: M.PlanVersion) -> Term:
    """Name a plan's version in refusals."""
    return Term("record.plan_version", code=version.plan.code, number=version.number)


def plan_record(plan_code: str) -> Term:
    """Name a plan by its code in refusals."""
    return Term("record.plan", code=plan_code)


def ensure_standard_metrics(session: DbSession) -> None:
    """Give the brand the metrics every mobile offer prices: minutes, SMS, megabytes."""
    have = set(session.scalars(select(M.Metric.code)))
    for metric_code, name, unit, aggregation in STANDARD_METRICS:
        if metric_code not in have:
            session.add(M.Metric(code=metric_code, name=name, unit=unit, aggregation=aggregation))
    session.flush()


def metrics(session: DbSession) -> list[M.Metric]:
    """Return the brand's metrics by code."""
    return list(session.scalars(select(M.Metric).order_by(M.Metric.code)))


def create_metric(
    session: DbSession,
    metric_code: str,
    name: str,
    unit: str,
    aggregation: str = "sum",
    *,
    service: str | None = None,
    zone: str | None = None,
) -> M.Metric:
    """Add a named usage metric, summing quantities or counting events."""
    record = Term("record.metric", code=metric_code)
    if session.scalar(select(M.Metric).filter_by(code=metric_code)) is not None:
        raise CatalogError("catalog.exists", record, "code")
    choice(aggregation, AGGREGATIONS, record, "aggregation")
    metric = M.Metric(
        code=metric_code,
        name=required_text(name.strip() or metric_code, record, "name"),
        unit=bounded_text(unit, record, "unit", 32),
        aggregation=aggregation,
        service=service or None,
        zone=zone or None,
    )
    session.add(metric)
    session.flush()
    return metric


def product(session: DbSession, product_code: str, name: str = "") -> M.Product:
    """Return the product with that code, creating it when a name is given."""
    found = session.scalar(select(M.Product).filter_by(code=product_code))
    if found is None:
        if not name:
            raise CatalogError("catalog.missing", Term("record.product", code=product_code))
        found = M.Product(code=product_code, name=name)
        session.add(found)
        session.flush()
    return found


def create_product(
    session: DbSession, product_code: str, name: str, description: str = ""
) -> M.Product:
    """Add a product; its code must be new."""
    record = Term("record.product", code=product_code)
    if session.scalar(select(M.Product).filter_by(code=product_code)) is not None:
        raise CatalogError("catalog.exists", record, "code")
    created = product(session, product_code, required_text(name, record, "name"))
    created.description = description.strip()
    session.flush()
    return created


def products(session: DbSession) -> list[M.Product]:
    """Return the brand's products by name."""
    return list(session.scalars(select(M.Product).order_by(M.Product.name)))


def _with_versions() -> tuple[Any, ...]:
    # A plan's versions with their prices in one query each, not one per version.
    return (
        selectinload(M.Plan.versions).selectinload(M.PlanVersion.components),
        selectinload(M.Plan.versions).selectinload(M.PlanVersion.allowances),
    )


def plans_query(kind: str | None = None) -> Select[M.Plan]:
    """The brand's plans (or add-ons), each with its product and its versions' plan and prices."""
    versions = selectinload(M.Plan.versions)
    query = select(M.Plan).options(
        selectinload(M.Plan.product),
        versions.selectinload(M.PlanVersion.plan),
        versions.selectinload(M.PlanVersion.components),
        versions.selectinload(M.PlanVersion.allowances),
    )
    return query.filter_by(kind=kind) if kind else query


def plans(session: DbSession, kind: str | None = None) -> list[M.Plan]:
    """Return the brand's plans (or add-ons) with their versions, by name."""
    query = select(M.Plan).options(*_with_versions())
    if kind:
        query = query.filter_by(kind=kind)
    return list(session.scalars(query.order_by(M.Plan.name)))


def plan_by_id(session: DbSession, plan_id: int) -> M.Plan | None:
    """Return one of the brand's plans with its versions and their prices, or None."""
    return session.scalar(select(M.Plan).filter_by(id=plan_id).options(*_with_versions()))


def plan_by_code(session: DbSession, plan_code: str) -> M.Plan | None:
    """Return the plan with that code."""
    return session.scalar(select(M.Plan).filter_by(code=plan_code))


def sellable(
    session: DbSession,
    kind: str = M.PLAN,
    currency: str | None = None,
    *,
    allowances: bool = True,
) -> list[M.PlanVersion]:
    """Return the published versions a subscriber can take now, with their prices.

    With `allowances` their included units too (a choice that shows only prices needs none).
    """
    query = (
        select(M.PlanVersion)
        .join(M.Plan, M.Plan.id == M.PlanVersion.plan_id)
        .where(M.PlanVersion.status == M.PUBLISHED, M.Plan.kind == kind)
        .options(contains_eager(M.PlanVersion.plan), selectinload(M.PlanVersion.components))
    )
    if allowances:
        query = query.options(selectinload(M.PlanVersion.allowances))
    if currency:
        query = query.where(M.Plan.currency == currency)
    versions = session.scalars(query).all()
    return sorted(versions, key=lambda v: (v.recurring_total(), v.plan.name))


def create_plan(session: DbSession, spec: PlanSpec) -> M.Plan:
    """Create a plan or add-on with a draft first version holding the spec's prices."""
    if plan_by_code(session, spec.code) is not None:
        raise CatalogError("catalog.plan_code_taken", plan_record(spec.code), "code")
    plan = M.Plan(
        product=product(session, spec.product_code),
        code=spec.code,
        name=spec.name,
        kind=spec.kind,
        payment=spec.payment,
        currency=spec.currency,
        tax_category=spec.tax_category,
        description=spec.description,
        translations=_translations(session, spec.code, spec.translations),
    )
    session.add(plan)
    version = M.PlanVersion(plan=plan, number=1, billing_interval=spec.billing_interval)
    session.add(version)
    session.flush()
    set_contents(session, version, spec.components, spec.allowances)
    return plan


def _translations(session: DbSession, plan_code: str, given: Any) -> texts.Translations:
    brand = session.get(Tenant, require_tenant_id())
    return texts.parse_translations(given, plan_code, brand.default_locale if brand else None)


def update_plan(session: DbSession, plan: M.Plan, **fields: Any) -> M.Plan:
    """Change a plan's name, description, texts per language or tax category (not its prices).

    `translations` replaces the texts of every language; a language left out has none.
    """
    allowed = {"name", "description", "tax_category", "translations"}
    unknown = set(fields) - allowed
    if unknown:
        fields_text = ", ".join(sorted(unknown))
        raise CatalogError("catalog.unchangeable", plan_record(plan.code), fields=fields_text)
    if "tax_category" in fields:
        choice(fields["tax_category"], M.TAX_CATEGORIES, plan_record(plan.code), "tax_category")
    if "translations" in fields:
        fields["translations"] = _translations(session, plan.code, fields["translations"])
    for key, value in fields.items():
        if getattr(plan, key) != value:  # the audit log records what moved, nothing more
            setattr(plan, key, value)
    session.flush()
    return plan


def _editable(version: M.PlanVersion) -> None:
    if version.status != M.DRAFT:
        raise CatalogError(LOCKED[version.status], version_record(version))


def _known_metrics(session: DbSession, codes: Iterable[str | None], record: Term) -> None:
    have = set(session.scalars(select(M.Metric.code)))
    for metric_code in codes:
        if metric_code is not None and metric_code not in have:
            raise CatalogError("catalog.unknown_metric", record, "metric", metric=metric_code)


def set_contents(
    session: DbSession,
    version: M.PlanVersion,
    components: list[ComponentSpec],
    allowances: list[AllowanceSpec],
    billing_interval: str | None = None,
) -> M.PlanVersion:
    """Replace a draft version's components and allowances."""
    _editable(version)
    record = version_record(version)
    _unique([c.code for c in components], record, "catalog.component_twice", "code")
    _unique([a.metric_code for a in allowances], record, "catalog.allowance_twice", "metric")
    _known_metrics(session, [c.metric_code for c in components], record)
    _known_metrics(session, [a.metric_code for a in allowances], record)
    if billing_interval:
        version.billing_interval = billing_interval
    version.components.clear()
    version.allowances.clear()
    session.flush()
    version.components.extend(_component(c, i) for i, c in enumerate(components))
    version.allowances.extend(_allowance(a) for a in allowances)
    session.flush()
    return version


def _unique(codes: list[str], record: Term, refusal: str, name: str) -> None:
    seen: set[str] = set()
    for item in codes:
        if item in seen:
            raise CatalogError(refusal, record, **{name: item})
        seen.add(item)


def _component(spec: ComponentSpec, position: int) -> M.PriceComponent:
    return M.PriceComponent(
        position=position,
        code=spec.code,
        name=spec.name,
        kind=spec.kind,
        amount=spec.amount,
        fee_type=spec.fee_type,
        timing=spec.timing,
        prorate=spec.prorate,
        metric_code=spec.metric_code,
        charge=spec.charge,
    )


def _allowance(spec: AllowanceSpec) -> M.Allowance:
    return M.Allowance(
        metric_code=spec.metric_code,
        quantity=spec.quantity,
        rollover=spec.rollover,
        shared=spec.shared,
        zones=list(spec.zones),
    )


def component_specs(version: M.PlanVersion) -> list[ComponentSpec]:
    """Return a version's components as specs (to copy or to show)."""
    return [
        ComponentSpec(
            code=c.code,
            name=c.name,
            kind=c.kind,
            amount=c.amount,
            fee_type=c.fee_type,
            timing=c.timing,
            prorate=c.prorate,
            metric_code=c.metric_code,
            charge=c.charge,
        )
        for c in version.components
    ]


def allowance_specs(version: M.PlanVersion) -> list[AllowanceSpec]:
    """Return a version's allowances as specs."""
    return [
        AllowanceSpec(a.metric_code, a.quantity, a.rollover, a.shared, tuple(a.zones or ()))
        for a in version.allowances
    ]


def new_draft(session: DbSession, plan: M.Plan) -> M.PlanVersion:
    """Start a new draft version, a copy of the newest one."""
    if plan.draft is not None:
        raise CatalogError("catalog.draft_exists", plan_record(plan.code), number=plan.draft.number)
    latest = plan.versions[-1]
    number = (
        session.scalar(select(func.max(M.PlanVersion.number)).filter_by(plan_id=plan.id)) or 0
    ) + 1
    draft = M.PlanVersion(
        plan=plan, number=number, billing_interval=latest.billing_interval, notes=latest.notes
    )
    session.add(draft)
    session.flush()
    return set_contents(session, draft, component_specs(latest), allowance_specs(latest))


def publish(
    session: DbSession, version: M.PlanVersion, at: datetime | None = None
) -> M.PlanVersion:
    """Sell this version from now on; the one sold before is archived (its holders keep it)."""
    _editable(version)
    if not version.components and not version.allowances:
        raise CatalogError("catalog.version_empty", version_record(version))
    at = at or utcnow()
    previous = version.plan.published
    if previous is not None:
        previous.status, previous.archived_at = M.ARCHIVED, at
        session.flush()
    version.status, version.published_at = M.PUBLISHED, at
    session.flush()
    replaces = previous.number if previous else None
    audit.record(
        session, "plan.publish", "plan", version.plan.id, version=version.number, replaces=replaces
    )
    return version


def archive(
    session: DbSession, version: M.PlanVersion, at: datetime | None = None
) -> M.PlanVersion:
    """Stop selling a published version (its holders keep it), or drop a draft's sale."""
    if version.status == M.ARCHIVED:
        raise CatalogError("catalog.archived_already", version_record(version))
    version.status, version.archived_at = M.ARCHIVED, at or utcnow()
    session.flush()
    return version


def discard_draft(session: DbSession, version: M.PlanVersion) -> None:
    """Delete a draft that was never published."""
    _editable(version)
    if len(version.plan.versions) == 1:
        raise CatalogError("catalog.only_version", plan_record(version.plan.code))
    session.delete(version)
    session.flush()


def create_promotion(session: DbSession, spec: PromotionSpec) -> M.Promotion:
    """Add a promotion, optionally limited to one plan and reachable by a promo code."""
    record = Term("record.promotion", code=spec.code)
    if session.scalar(select(M.Promotion).filter_by(code=spec.code)) is not None:
        raise CatalogError("catalog.promotion_code_taken", record, "code")
    _promo_code_free(session, spec, record)
    plan = plan_by_code(session, spec.plan_code) if spec.plan_code else None
    if spec.plan_code and plan is None:
        raise CatalogError("catalog.unknown_plan", record, "plan", plan=spec.plan_code)
    _fits(session, spec, plan, record)
    promotion = M.Promotion(code=spec.code, kind=spec.kind, plan=plan)
    _apply(promotion, spec)
    session.add(promotion)
    session.flush()
    return promotion


def _promo_code_free(
    session: DbSession, spec: PromotionSpec, record: Term, own_id: int | None = None
) -> None:
    if not spec.promo_code:
        return
    holder = session.scalar(select(M.Promotion.id).filter_by(promo_code=spec.promo_code))
    if holder is not None and holder != own_id:
        raise CatalogError(
            "catalog.promo_code_taken", record, "promo_code", promo_code=spec.promo_code
        )


def _fits(session: DbSession, spec: PromotionSpec, plan: M.Plan | None, record: Term) -> None:
    """Refuse a currency other than the plan's (or the brand's), or a component it lacks."""
    if spec.currency:
        expected = plan.currency if plan else _brand_currency(session)
        if spec.currency != expected:
            code = "catalog.promotion_plan_currency" if plan else "catalog.promotion_brand_currency"
            raise CatalogError(code, record, "currency", currency=spec.currency, expected=expected)
    if plan is not None and spec.component_code:
        # What is sold now, or the newest version of a plan that is not on sale yet.
        version = plan.published or plan.versions[-1]
        recurring = {c.code for c in version.components if c.kind == M.RECURRING}
        if spec.component_code not in recurring:
            raise CatalogError(
                "catalog.promotion_no_component",
                record,
                "component",
                component=spec.component_code,
                number=version.number,
            )


def _brand_currency(session: DbSession) -> str:
    brand = session.get(Tenant, require_tenant_id())
    return brand.currency if brand else ""


def _apply(promotion: M.Promotion, spec: PromotionSpec) -> None:
    for name in EDITABLE:
        setattr(promotion, COLUMNS.get(name, name), getattr(spec, COLUMNS.get(name, name)))


# What may change while nobody has redeemed a promotion, by the members that carry it.
EDITABLE = (
    "name",
    "value",
    "currency",
    "component",
    "duration",
    "cycles",
    "promo_code",
    "max_redemptions",
    "valid_from",
    "valid_until",
)
COLUMNS = {"component": "component_code"}


def promotion_data(promotion: M.Promotion) -> dict[str, Any]:
    """A promotion as the mapping PromotionSpec.parse reads."""
    data = {name: getattr(promotion, COLUMNS.get(name, name)) for name in EDITABLE}
    plan = promotion.plan.code if promotion.plan else None
    return data | {"code": promotion.code, "kind": promotion.kind, "plan": plan}


def edited(promotion: M.Promotion, changes: Mapping[str, Any]) -> PromotionSpec:
    """The promotion with some of its editable members changed, checked as a whole."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        record = Term("record.promotion", code=promotion.code)
        raise CatalogError("catalog.unchangeable", record, fields=", ".join(sorted(unknown)))
    return PromotionSpec.parse(promotion_data(promotion) | dict(changes))


def edit_promotion(session: DbSession, promotion: M.Promotion, spec: PromotionSpec) -> M.Promotion:
    """Change what a promotion offers, while nobody has redeemed it."""
    record = Term("record.promotion", code=promotion.code)
    # Locked first: a sign-up redeeming it at this moment either waits or is seen here.
    session.refresh(promotion, with_for_update=True)
    if promotion.redemptions:
        raise CatalogError("catalog.promotion_redeemed", record)
    fixed = promotion_data(promotion)
    moved = [k for k in ("code", "kind", "plan") if fixed[k] != getattr(spec, PLAIN.get(k, k))]
    if moved:
        raise CatalogError("catalog.unchangeable", record, fields=", ".join(moved))
    _promo_code_free(session, spec, record, promotion.id)
    _fits(session, spec, promotion.plan, record)
    _apply(promotion, spec)
    session.flush()
    return promotion


PLAIN = {"plan": "plan_code"}


def end_promotion(
    session: DbSession, promotion: M.Promotion, at: datetime | None = None
) -> M.Promotion:
    """Stop a promotion being redeemed from now (an earlier end stays); holders keep it."""
    at = at or utcnow()
    if promotion.valid_until is None or promotion.valid_until > at:
        promotion.valid_until = at
    # A promotion that had not started yet ends before it starts.
    if promotion.valid_from is not None and promotion.valid_from > promotion.valid_until:
        promotion.valid_from = promotion.valid_until
    session.flush()
    audit.record(
        session, "promotion.end", "promotions", promotion.id, valid_until=promotion.valid_until
    )
    return promotion


def promotion_by_id(session: DbSession, promotion_id: int) -> M.Promotion | None:
    """Return one of the brand's promotions with its plan, or None."""
    query = select(M.Promotion).filter_by(id=promotion_id).options(selectinload(M.Promotion.plan))
    return session.scalar(query)


def promotions(session: DbSession) -> list[M.Promotion]:
    """Return the brand's promotions with their plans, newest first."""
    query = select(M.Promotion).options(selectinload(M.Promotion.plan))
    return list(session.scalars(query.order_by(M.Promotion.created_at.desc())))


def set_promotion_active(session: DbSession, promotion: M.Promotion, active: bool) -> None:
    """Switch a promotion on or off (redemptions already made stay)."""
    promotion.active = active
    session.flush()


def redeemable(
    session: DbSession, promo_code: str, version: M.PlanVersion, at: datetime
) -> M.Promotion:
    """Return the promotion behind a promo code if it may be used on this version now."""
    wanted = promo_code.strip().upper()
    promotion = session.scalar(select(M.Promotion).filter_by(promo_code=wanted))
    record, field = Term("record.promo_code", code=wanted), "promo_code"
    if promotion is None or not promotion.active:
        raise CatalogError("catalog.promo_invalid", record, field)
    if promotion.valid_from and at < promotion.valid_from:
        raise CatalogError("catalog.promo_not_yet", record, field, valid_from=promotion.valid_from)
    if promotion.valid_until and at >= promotion.valid_until:
        raise CatalogError(
            "catalog.promo_expired", record, field, valid_until=promotion.valid_until
        )
    if promotion.max_redemptions is not None and promotion.redemptions >= promotion.max_redemptions:
        raise CatalogError("catalog.promo_used_up", record, field)
    if promotion.plan_id is not None and promotion.plan_id != version.plan_id:
        raise CatalogError("catalog.promo_other_plan", record, field, plan=version.plan.name)
    if promotion.kind == "fixed" and promotion.currency != version.plan.currency:
        raise CatalogError(
            "catalog.promo_currency",
            record,
            field,
            promotion_currency=promotion.currency,
            plan_currency=version.plan.currency,
        )
    return promotion


def load_catalog(session: DbSession, data: dict[str, Any], currency: str) -> list[str]:
    """Create what a brand file's [catalog] describes and is missing; return what was created."""
    created = []
    # The file's metrics first: it may name the standard ones in the brand's language.
    for item in data.get("metrics", []):
        if session.scalar(select(M.Metric).filter_by(code=item["code"])) is None:
            create_metric(
                session,
                item["code"],
                item.get("name", ""),
                item.get("unit", ""),
                item.get("aggregation", "sum"),
                service=item.get("service"),
                zone=item.get("zone"),
            )
            created.append(f"metric {item['code']}")
    ensure_standard_metrics(session)
    for item in data.get("products", []):
        product(session, item["code"], item["name"]).description = item.get("description", "")
    for item in data.get("plans", []):
        spec = PlanSpec.parse(item, currency)
        if plan_by_code(session, spec.code) is None:
            publish(session, create_plan(session, spec).versions[0])
            created.append(f"plan {spec.code}")
    for item in data.get("promotions", []):
        spec_p = PromotionSpec.parse(item)
        if session.scalar(select(M.Promotion).filter_by(code=spec_p.code)) is None:
            create_promotion(session, spec_p)
            created.append(f"promotion {spec_p.code}")
    return created


def _has_plans(session: DbSession) -> bool:
    return bool(session.scalar(select(exists().where(M.Plan.id.is_not(None)))))


# Plans (and the subscriptions on them) are priced in the brand's currency, which then stays.
brands.prices_in_currency(_has_plans)
