"""What the usage area refuses, by code: the texts the screens and the API say them in."""

from __future__ import annotations

from typing import Any

from saas.errors import N_, Refusal, Term, register
from saas.usage import records as R


class UsageError(Refusal):
    """A usage file, source or re-rating that cannot be taken: its code, the record, the field."""

    def __init__(
        self, code: str, record: Term | str | None = None, field: str | None = None, **params: Any
    ) -> None:
        super().__init__(code, field=field, record=record, **params)


REFUSALS = {
    "record.usage_source": N_("usage source %(name)s"),
    "record.usage_file": N_("usage file %(name)s"),
    "usage.no_source": N_("there is no usage source of that name"),
    "usage.source_taken": N_("another usage source has this name"),
    "usage.unknown_format": N_("is not a format the platform reads"),
    "usage.unknown_column": N_("names a field records do not have: %(fields)s"),
    "usage.bad_time_zone": N_("is not a time zone, e.g. Europe/Berlin"),
    "usage.empty_file": N_("the file is empty"),
    "usage.period": N_("the period ends before it starts"),
    "usage.folder_missing": N_("the folder does not exist on the server"),
    # Why a record waits in quarantine (records.py's codes).
    R.UNREADABLE: N_("the record could not be read"),
    R.NO_LINE: N_("no line held this number or IMSI at the record's time"),
    R.UNAUTHORISED_DESTINATION: N_("the destination is not in the rate deck"),
    R.NO_DECK: N_("the brand has no rate deck for the record's time"),
    R.NO_RATE: N_("no rate applies to the destination at the record's time"),
}
register(REFUSALS)
