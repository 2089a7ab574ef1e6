"""FreeSWITCH `mod_cdr_csv` with its default template ("example"): no header, fixed columns.

Times are the switch's local time (`time_zone` in the mapping); the subscriber is the caller
(`caller_id_number`), the call is priced from `answer_stamp` (or `start_stamp`) for `billsec`
seconds; the call's `uuid` is the record's own key.
"""

from __future__ import annotations

from saas.usage import records as R
from saas.usage.readers.base import Mapping
from saas.usage.readers.delimited import Delimited

# The default template's variables, in order (conf/autoload_configs/cdr_csv.conf.xml).
NAMES = (
    "caller_id_name",
    "caller_id_number",
    "destination_number",
    "context",
    "start_stamp",
    "answer_stamp",
    "end_stamp",
    "duration",
    "billsec",
    "hangup_cause",
    "uuid",
    "bleg_uuid",
    "accountcode",
    "read_codec",
    "write_codec",
)


class FreeswitchCsv(Delimited):
    """FreeSWITCH mod_cdr_csv, default template."""

    format = "freeswitch"
    label = "FreeSWITCH mod_cdr_csv"
    names = NAMES
    least = 11
    defaults = Mapping(
        columns={
            "record_key": "uuid",
            "msisdn": "caller_id_number",
            "destination": "destination_number",
            "started_at": "answer_stamp|start_stamp",
            "usage": "billsec",
        },
        service=R.VOICE,
    )
