"""The offer designer: products, plans and their versions, promotions and migrations."""

from __future__ import annotations

from saas.web.admin import bp  # noqa: F401
