"""A brand's privacy settings: how long personal data is kept after a line or sign-up ended."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from saas.customers.privacy.errors import PrivacyError
from saas.customers.privacy.models import DEFAULT_RETENTION_DAYS, RETENTION_RANGE, PrivacySettings
from saas.db import DbSession
from saas.errors import Term

KEYS = ("retention_days",)


def _record() -> Term:
    return Term("record.privacy_settings")


def of_brand(session: DbSession) -> PrivacySettings:
    """The brand's settings, or the defaults (not stored) when it has none."""
    found = session.scalar(select(PrivacySettings))
    return found if found is not None else PrivacySettings(retention_days=DEFAULT_RETENTION_DAYS)


def save(session: DbSession, retention_days: int) -> PrivacySettings:
    """Change the brand's retention period, refusing one out of bounds."""
    low, high = RETENTION_RANGE
    if isinstance(retention_days, bool) or not low <= retention_days <= high:
        raise PrivacyError(
            "privacy.settings.retention_days",
            field="retention_days",
            record=_record(),
            low=low,
            high=high,
        )
    stored = session.scalar(select(PrivacySettings).with_for_update()) or PrivacySettings()
    stored.retention_days = retention_days
    session.add(stored)
    session.flush()
    return stored


def seed(session: DbSession, spec: dict[str, Any]) -> bool:
    """Create the brand's settings from its file's [privacy] table, once; whether it did."""
    unknown = sorted(set(spec) - set(KEYS))
    if unknown:
        raise PrivacyError("privacy.settings.unknown", record=_record(), names=", ".join(unknown))
    if not spec or session.scalar(select(PrivacySettings)) is not None:
        return False
    days = spec.get("retention_days", DEFAULT_RETENTION_DAYS)
    save(session, days if isinstance(days, int) else -1)  # -1 is refused, naming the range
    return True
