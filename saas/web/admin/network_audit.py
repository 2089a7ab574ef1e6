"""What the audit log says of numbers, SIMs and lines, in the reader's words."""

from __future__ import annotations

from flask_babel import gettext as _

from saas.identity.audit import AuditEvent
from saas.web import network_labels as labels
from saas.web.admin.audit_text import SAY, Text, _changed, _words


def _state(e: AuditEvent, table: dict[str, object]) -> str | None:
    state = _changed(e, "state")
    return str(table.get(str(state[1]), state[1])) if state else None


def _sim_changed(t: Text, e: AuditEvent) -> str | None:
    state = _state(e, labels.SIM_STATES)
    if state is None:
        return None
    return _("%(who)s set SIM %(id)s to “%(state)s”", who=t.who(e), id=e.object_id, state=state)


def _line_changed(t: Text, e: AuditEvent) -> str | None:
    state = _state(e, labels.LINE_STATES)
    if state is None:
        return None
    return _("%(who)s set line %(id)s to “%(state)s”", who=t.who(e), id=e.object_id, state=state)


def _line_created(t: Text, e: AuditEvent) -> str:
    return _("%(who)s set up line %(id)s", who=t.who(e), id=e.object_id)


def _numbers_loaded(t: Text, e: AuditEvent) -> str:
    size = (e.changes or {}).get("size", 0)
    return _("%(who)s loaded a range of %(count)s numbers", who=t.who(e), count=size)


def _sims_imported(t: Text, e: AuditEvent) -> str:
    count = (e.changes or {}).get("count", 0)
    return _("%(who)s imported a file of %(count)s SIMs", who=t.who(e), count=count)


def _settings_changed(t: Text, e: AuditEvent) -> str:
    fields = _words(e.changes or {})
    return _("%(who)s changed the network settings: %(fields)s", who=t.who(e), fields=fields)


SAY.update(
    {
        ("sims", "update"): _sim_changed,
        ("lines", "update"): _line_changed,
        ("lines", "create"): _line_created,
        ("number_ranges", "load"): _numbers_loaded,
        ("sim_imports", "import"): _sims_imported,
        ("network_settings", "create"): _settings_changed,
        ("network_settings", "update"): _settings_changed,
    }
)
