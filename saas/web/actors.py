"""Who made a change, in the reader's words: a person as labelled, or what acted for nobody."""

from __future__ import annotations

from flask_babel import gettext as _

from saas.identity.audit_names import APIKEY_ACTOR


def actor_words(label: str) -> str:
    """The author of a change as a page names it; never a raw internal label."""
    if not label or label == "system" or label.startswith("job:"):
        return _("the system")
    if label == "cli":
        return _("the command line")
    if label.startswith(APIKEY_ACTOR):
        return _("an API key")
    if label == "anonymous":
        return _("an anonymous visitor")
    return label


def init_app(app: object) -> None:
    """Let every template name authors."""
    app.jinja_env.globals["actor_words"] = actor_words  # type: ignore[attr-defined]
