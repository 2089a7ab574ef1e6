"""The console's forms for usage: a file upload, a source with its mapping, a re-rating."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from saas.usage.readers import READERS
from saas.usage.readers.base import FIELDS
from saas.web import usage_labels as labels
from saas.web.admin.forms import REQUIRED, TOO_LONG
from saas.web.fields import Choice, choices, strip
from saas.web.forms import Form

NOT_A_DAY = _l("Enter a date.")
CHOOSE_FILE = _l("Choose a usage file.")
MAPPED = [f for f in FIELDS if f != "row"]


def _text(label: Any, size: int, required: bool = False, **kwargs: Any) -> StringField:
    checks = [InputRequired(message=REQUIRED)] if required else [Optional()]
    checks.append(Length(max=size, message=TOO_LONG))
    return StringField(label, checks, filters=[strip], render_kw={"maxlength": size}, **kwargs)


class UploadForm(Form):
    """A usage file from one of the brand's sources."""

    source = Choice(_l("Source"), [InputRequired(message=REQUIRED)], choices=[])
    file = FileField(_l("Usage file"))

    def __init__(self, sources: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.source.choices = choices((name, name) for name in sources)


def _formats() -> Any:
    return choices((fmt, reader.label) for fmt, reader in READERS.items())


class SourceForm(Form):
    """A usage source: its name, format, drop folder, and how its columns map onto records."""

    name = _text(_l("Name"), 64, required=True)
    format = Choice(_l("Format"), [InputRequired(message=REQUIRED)], choices=_formats)
    drop_folder = _text(_l("Drop folder on the server (optional)"), 500)
    time_zone = _text(_l("Time zone of times without an offset"), 64)
    country_code = _text(_l("Country code for national numbers"), 4)
    home_network = _text(_l("Host network (MCC+MNC)"), 6)
    # One box per record field: the source's column to read it from ("a|b": the first not empty).
    record_key = _text(labels.FIELDS["record_key"], 64)
    service = _text(labels.FIELDS["service"], 64)
    direction = _text(labels.FIELDS["direction"], 64)
    msisdn = _text(labels.FIELDS["msisdn"], 64)
    imsi = _text(labels.FIELDS["imsi"], 64)
    destination = _text(labels.FIELDS["destination"], 64)
    started_at = _text(labels.FIELDS["started_at"], 64)
    usage = _text(labels.FIELDS["usage"], 64)
    visited_network = _text(labels.FIELDS["visited_network"], 64)

    def mapping(self) -> dict[str, Any]:
        """The overrides as a source keeps them."""
        options = {o: getattr(self, o).data for o in ("time_zone", "country_code", "home_network")}
        columns = {f: getattr(self, f).data for f in MAPPED if getattr(self, f).data}
        return {**{k: v for k, v in options.items() if v}, "columns": columns}

    def show(self, mapping: dict[str, Any]) -> None:
        """Fill the boxes from a source's overrides."""
        for option in ("time_zone", "country_code", "home_network"):
            getattr(self, option).data = mapping.get(option, "")
        for name in MAPPED:
            getattr(self, name).data = (mapping.get("columns") or {}).get(name, "")


class RerateForm(Form):
    """A period to price again, in whole days of the brand's zone, and why."""

    first = DateField(
        _l("From"),
        [DataRequired(message=NOT_A_DAY)],
        invalid_value_message=NOT_A_DAY,
        render_kw={"type": "date"},
    )
    last = DateField(
        _l("To (included)"),
        [DataRequired(message=NOT_A_DAY)],
        invalid_value_message=NOT_A_DAY,
        render_kw={"type": "date"},
    )
    reason = _text(_l("Reason"), 500, required=True)


class ActionForm(Form):
    """A button that changes something: its CSRF token alone."""
