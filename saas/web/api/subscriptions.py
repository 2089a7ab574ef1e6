"""API endpoints of subscriptions: list, read, preview and make changes."""

from __future__ import annotations

from saas.web.api import bp  # noqa: F401
