"""The console's links, drawn once per language and set of permissions, not on every page."""

from __future__ import annotations

import math
from typing import Any

from flask import render_template, request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from saas.web.admin import bp
from saas.web.kept import kept


def console_nav() -> Markup:
    """The links of the console's header for the person signed in (none for a visitor).

    What they show depends only on the language, the permissions held and where the app is
    mounted, so each such drawing is kept for as long as the process runs.
    """
    held = (
        frozenset(p for role in current_user.roles for p in role.permissions)
        if current_user.is_authenticated
        else None
    )
    key = (str(get_locale()), request.script_root, held)
    return kept("console_nav", key, math.inf, lambda: Markup(render_template("admin/_nav.html")))


@bp.context_processor
def _nav() -> dict[str, Any]:
    return {"console_nav": console_nav}
