"""The brand's scorecard: read (the brand's own, else the default one), saved, seeded once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from saas.customers.credit import spec
from saas.customers.credit.models import CreditPolicy
from saas.customers.credit.scorecard import Scorecard
from saas.db import DbSession
from saas.tenancy.context import require_tenant_id
from saas.tenancy.models import Tenant


def brand(session: DbSession) -> Tenant:
    """The brand in scope: its currency prices deposits, its zone dates ages."""
    tenant = session.get(Tenant, require_tenant_id())
    assert tenant is not None
    return tenant


def stored(session: DbSession) -> CreditPolicy | None:
    """The brand's own scorecard row, if it has one."""
    return session.scalar(select(CreditPolicy))


def scorecard(session: DbSession) -> Scorecard:
    """The scorecard the brand's checks use: its own, else the default one."""
    row = stored(session)
    # A stored card was checked when saved; its names are not asked for again, so a change of
    # the brand's default language cannot stop checks.
    return spec.parse(row.spec if row else spec.DEFAULT, brand(session).currency, "")


def save(session: DbSession, data: Mapping[str, Any]) -> Scorecard:
    """Check and keep a scorecard for the brand; every problem is refused at once."""
    tenant = brand(session)
    card = spec.parse(data, tenant.currency, tenant.default_locale)
    row = stored(session) or CreditPolicy()
    row.spec = spec.to_json(card, tenant.currency)
    session.add(row)
    session.flush()
    return card


def seed(session: DbSession, data: Mapping[str, Any]) -> bool:
    """Check a brand file's [credit] table; keep it if the brand has no scorecard yet.

    After the first sync the console owns the scorecard, as it owns the catalogue.
    """
    tenant = brand(session)
    spec.parse(data, tenant.currency, tenant.default_locale)
    if stored(session) is not None:
        return False
    save(session, data)
    return True
