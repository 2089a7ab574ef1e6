"""The subscriber's plans in the portal: what is on sale, what they hold, priced changes."""

from __future__ import annotations

from saas.web.portal import bp  # noqa: F401
