"""API endpoints of the catalogue and the pricing quote."""

from __future__ import annotations

from saas.web.api import bp  # noqa: F401
