"""Platform-level setup: reference data, brand sync and demo people."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from stdnum import luhn

from saas.catalog.services import load_catalog, plan_by_code
from saas.config import ROOT, Settings
from saas.customers.credit import policy as credit_policy
from saas.customers.credit.errors import CreditError
from saas.customers.kyc import sanctions
from saas.customers.kyc import services as kyc
from saas.customers.privacy import settings as privacy_settings
from saas.customers.privacy.errors import PrivacyError
from saas.db import DbSession, db, unit_of_work, utcnow
from saas.identity import services as people
from saas.identity.actor import Actor, acting_as
from saas.identity.models import OPERATOR, STAFF, SUBSCRIBER
from saas.jobs import queue as jobs
from saas.network import numbers as network_numbers
from saas.network import settings as network_settings
from saas.network import sims as sim_stock
from saas.subscriptions import services as subs
from saas.subscriptions.jobs import APPLY_DUE_CHANGES
from saas.tenancy import brands
from saas.tenancy.context import tenant_scope
from saas.tenancy.crossing import as_tenant, each_brand

DEMO_OPERATOR = ("operator@platform.example", "operator-demo-1")
CLI = Actor("cli")


def seed_reference_data(settings: Settings) -> None:
    """Write the roles as the owner (the runtime role may only read them)."""
    engine = create_engine(settings.owner_database_url)
    with Session(engine) as session, unit_of_work(session):
        people.sync_roles(session)
    engine.dispose()


@contextmanager
def platform_scope() -> Iterator[DbSession]:
    """Run platform work in the platform realm as one unit of work."""
    session = db.session
    realm = brands.by_slug(session, brands.PLATFORM_SLUG)
    if realm is None:
        raise RuntimeError("the platform realm is missing: run `saas db upgrade` first")
    with acting_as(CLI), tenant_scope(realm.id), unit_of_work(session):
        yield session


def sync_brands(directory: Path, settings: Settings) -> list[tuple[str, str]]:
    """Create or update the brands defined as files, and seed each one's catalogue once."""
    with platform_scope() as session:
        outcomes = brands.sync(session, directory, settings)
        for data in brands.read_dir(directory):
            tenant = brands.by_slug(session, data["slug"])
            assert tenant is not None
            with as_tenant(session, tenant, "sync catalogue from brand file"):
                created = load_catalog(session, data.get("catalog", {}), tenant.currency)
                if kyc.seed_rules(session, data.get("kyc", {})):
                    created.append("KYC settings")
                if "credit" in data and _seed_scorecard(session, tenant.slug, data["credit"]):
                    created.append("credit scorecard")
                if _seed_privacy(session, tenant.slug, data.get("privacy", {})):
                    created.append("privacy settings")
            outcomes += [(tenant.slug, f"created {item}") for item in created]
        return outcomes


def _seed_scorecard(session: DbSession, slug: str, data: Any) -> bool:
    """Check a brand file's [credit] table and keep it if the brand has no scorecard yet."""
    try:
        return credit_policy.seed(session, data if isinstance(data, dict) else {})
    except CreditError as exc:
        raise brands.BrandError(slug, list(exc.each())) from None


def _seed_privacy(session: DbSession, slug: str, data: Any) -> bool:
    """Check a brand file's [privacy] table and keep it if the brand has no settings yet."""
    try:
        return privacy_settings.seed(session, data if isinstance(data, dict) else {})
    except PrivacyError as exc:
        raise brands.BrandError(slug, [exc]) from None


def _ensure(session: DbSession, kind: str, person: dict[str, Any], password: str) -> str | None:
    if people.find_by_email(session, person["email"]) is not None:
        return None
    people.create_user(
        session,
        kind=kind,
        email=person["email"],
        password=password,
        full_name=person.get("name", ""),
        roles=person.get("roles", ()),
        locale=person.get("locale"),
    )
    return person["email"]


def apply_due_everywhere(enqueue: bool = False) -> Iterator[tuple[str, str]]:
    """Apply (or enqueue a job applying) each brand's due scheduled subscription changes."""
    with platform_scope() as session:
        for tenant in each_brand(session, "apply due subscription changes"):
            if enqueue:
                jobs.enqueue(APPLY_DUE_CHANGES, tenant.id, session=session)
                yield tenant.slug, "job sent"
            else:
                yield tenant.slug, f"{subs.apply_due(session, utcnow())} change(s) applied"


def _demo_subscription(session: DbSession, item: dict[str, Any]) -> bool:
    """Subscribe a demo subscriber to a plan some days ago, unless they hold one already."""
    user = people.find_by_email(session, item["email"])
    plan = plan_by_code(session, item["plan"])
    if user is None or plan is None or plan.published is None or subs.of_subscriber(session, user):
        return False
    started = utcnow() - timedelta(days=int(item.get("days_ago", 0)))
    subs.subscribe(session, user, plan.published, started)
    return True


def _demo_network(session: DbSession, demo: dict[str, Any]) -> Iterator[str]:
    """Numbers and SIMs for demo sign-ups, once: a range, SIM cards and eSIMs made up here."""
    spec = demo.get("network")
    if not spec or network_numbers.ranges(session):
        return
    network_settings.save(session, smdp_address=spec["smdp_address"])
    first, last = spec["numbers"]
    network_numbers.add_range(session, first, last)
    yield f"numbers {first} to {last}"
    made = (spec["issuer"], spec["imsi_prefix"])
    rows = _demo_sims(int(spec.get("sims", 0)), "physical", *made)
    rows += _demo_sims(int(spec.get("esims", 0)), "esim", *made, after=len(rows))
    if rows:
        sim_stock.import_rows(session, rows, "demo stock")
        yield f"{len(rows)} SIMs and eSIMs"


def _demo_sims(
    count: int, kind: str, issuer: str, imsi_prefix: str, after: int = 0
) -> list[dict[str, Any]]:
    """Made-up SIMs whose ICCIDs pass their Luhn check; their keys are random, never shown.

    ICCIDs ending in 7, 8 or 9 are left out: the MNO simulator plays faults on those.
    """
    rows: list[dict[str, Any]] = []
    serial = after * 2
    while len(rows) < count:
        serial += 1
        body = f"{issuer}{serial:012d}"
        iccid = body + luhn.calc_check_digit(body)
        if iccid[-1] in "789":
            continue
        matching = f"DEMO-{issuer}-{serial:06d}" if kind == "esim" else ""
        rows.append(
            {
                "iccid": iccid,
                "imsi": f"{imsi_prefix}{serial:010d}",
                "ki": secrets.token_hex(16).upper(),
                "opc": secrets.token_hex(16).upper(),
                "kind": kind,
                "matching_id": matching,
            }
        )
    return rows


def _demo_rating(session: DbSession, demo: dict[str, Any], timezone: str) -> Iterator[str]:
    """A rate deck from a CGRateS tariff plan, and a usage source taking normalised CSV, once."""
    from saas.usage import files as usage_files
    from saas.usage.rating import cgrates, services

    spec = demo.get("rating")
    if not spec or services.decks(session):
        return
    tariff = cgrates.files_of_directory(ROOT / spec["cgrates"])
    made = services.import_cgrates(session, tariff, spec.get("deck", "retail"), timezone)
    yield f"rate deck {made.deck.code} version {made.number}"
    if not usage_files.sources(session):
        usage_files.save_source(session, spec.get("source", "switch"), "csv")
        yield f"usage source {spec.get('source', 'switch')}"


# A made-up sanctions list (the OpenSanctions simple format) the demo screens sign-ups against.
DEMO_SANCTIONS = ROOT / "infra" / "demo" / "sanctions.csv"


def _demo_sanctions(session: DbSession) -> bool:
    if not DEMO_SANCTIONS.exists():
        return False
    _, loaded = sanctions.load(session, DEMO_SANCTIONS.read_bytes(), "opensanctions", "demo")
    return loaded


def seed_demo(directory: Path) -> Iterator[str]:
    """Create the demo people of every brand file and the demo operator, once."""
    with platform_scope() as session:
        email, password = DEMO_OPERATOR
        if _ensure(session, OPERATOR, {"email": email, "name": "Platform Operator"}, password):
            yield f"platform: operator {email}"
        for data in brands.read_dir(directory):
            demo = data.get("demo", {})
            tenant = brands.by_slug(session, data["slug"])
            if not demo or tenant is None:
                continue
            with as_tenant(session, tenant, "seed demo people"):
                for kind, key in ((STAFF, "staff"), (SUBSCRIBER, "subscribers")):
                    for person in demo.get(key, []):
                        if _ensure(session, kind, person, demo["password"]):
                            yield f"{tenant.slug}: {kind} {person['email']}"
                for item in demo.get("subscriptions", []):
                    if _demo_subscription(session, item):
                        yield f"{tenant.slug}: {item['email']} subscribed to {item['plan']}"
                yield from (f"{tenant.slug}: {said}" for said in _demo_network(session, demo))
                rating = _demo_rating(session, demo, tenant.timezone)
                yield from (f"{tenant.slug}: {said}" for said in rating)
        if _demo_sanctions(session):
            yield f"platform: demo sanctions list {DEMO_SANCTIONS.name}"
