"""Priced changes on screens: read a change and the price it was shown with off a form, and back.

The rules (what each change costs, and making it only at the price shown) live in
`saas.subscriptions.changes`; this is the screens' side of them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from decimal import Decimal, InvalidOperation

from flask import abort

from saas.db import row_id
from saas.subscriptions import charges as C
from saas.subscriptions.changes import STEPS, Shown, Step


def step(action: str, offered: Collection[str]) -> Step:
    """The kind of change an action names, if this screen offers it; any other answers 404."""
    if action not in offered:
        abort(404)
    return STEPS[action]


def carried(form: Mapping[str, str], fields: tuple[str, ...]) -> dict[str, str]:
    """The change's own parameters out of a form or query, trimmed."""
    return {name: form.get(name, "").strip() for name in fields}


def shown_fields(preview: C.Preview) -> dict[str, str]:
    """The hidden fields that pin a confirm form to the price it was shown with."""
    return {
        "expected_total": str(preview.total),
        "expected_next": str(preview.next_recurring),
        "expected_version": str(preview.plan_version_id or ""),
    }


def _amount(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def read_shown(form: Mapping[str, str]) -> Shown | None:
    """The price a confirm form says was shown, or None when its fields cannot be read."""
    total, following = (
        _amount(form.get("expected_total", "")),
        _amount(form.get("expected_next", "")),
    )
    version_text = form.get("expected_version", "")
    version = row_id(version_text) if version_text else None
    if total is None or following is None or (version_text and version is None):
        return None
    return Shown(total, following, version)
