"""Asterisk's `Master.csv` (cdr_csv): no header, its columns in cdr_csv's fixed order.

Times are the PBX's local time (`time_zone` in the mapping); the subscriber is the caller
(`src`), the call is priced from its answer (`answer`, or `start` for one never answered) for its
billable seconds (`billsec`); `uniqueid` is the record's own key where cdr.conf logs it.
"""

from __future__ import annotations

from saas.usage import records as R
from saas.usage.readers.base import Mapping
from saas.usage.readers.delimited import Delimited

# cdr_csv's columns, in order; `uniqueid` and `userfield` only with loguniqueid/loguserfield.
NAMES = (
    "accountcode",
    "src",
    "dst",
    "dcontext",
    "clid",
    "channel",
    "dstchannel",
    "lastapp",
    "lastdata",
    "start",
    "answer",
    "end",
    "duration",
    "billsec",
    "disposition",
    "amaflags",
    "uniqueid",
    "userfield",
)


class AsteriskCsv(Delimited):
    """Asterisk Master.csv."""

    format = "asterisk"
    label = "Asterisk Master.csv"
    names = NAMES
    least = 16
    defaults = Mapping(
        columns={
            "record_key": "uniqueid",
            "msisdn": "src",
            "destination": "dst",
            "started_at": "answer|start",
            "usage": "billsec",
        },
        service=R.VOICE,
    )
