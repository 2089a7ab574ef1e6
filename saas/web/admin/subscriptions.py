"""Subscriptions in the console: list, one subscription's history, priced changes."""

from __future__ import annotations

from saas.web.admin import bp  # noqa: F401
