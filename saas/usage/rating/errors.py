"""What rating refuses, by code: the texts the screens, the CLI and the API say them in."""

from __future__ import annotations

from typing import Any

from saas.errors import N_, Refusal, Term, register


class RatingError(Refusal):
    """A deck, an import or a price that cannot be had: its code, the record, the field."""

    def __init__(
        self,
        reason: str,
        record: Term | str | None = None,
        /,
        field: str | None = None,
        **params: Any,
    ) -> None:
        super().__init__(reason, field=field, record=record, **params)


class ImportRefused(RatingError):
    """A tariff plan with bad rows: each row's refusal, none of it imported."""

    def __init__(self, rows: list[RatingError]) -> None:
        super().__init__("rating.import_refused", field="file", count=len(rows))
        self.rows = rows

    def each(self) -> list[RatingError]:
        """Every bad row's refusal."""
        return self.rows


def row(file: str, line: int) -> Term:
    """A row of a tariff plan's file."""
    return Term("record.tariff_row", file=file, row=line)


REFUSALS = {
    "record.tariff_row": N_("%(file)s, row %(row)s"),
    "record.tariff_file": N_("%(file)s"),
    "rating.import_refused": N_("rows with errors: %(count)s; nothing was imported"),
    "rating.file_missing": N_("the tariff plan has no %(file)s"),
    "rating.file_unreadable": N_("the file is not a CSV text file"),
    "rating.not_a_zip": N_("the upload is not a zip file of a CGRateS tariff plan"),
    "rating.columns": N_("has %(count)s columns; %(expected)s are needed: %(columns)s"),
    "rating.empty_value": N_("%(column)s is empty"),
    "rating.bad_number": N_("%(column)s is not a number: %(value)s"),
    "rating.negative": N_("%(column)s must not be negative"),
    "rating.bad_duration": N_("%(column)s is not a duration such as 60s or a count: %(value)s"),
    "rating.zero_duration": N_("%(column)s must be more than zero"),
    "rating.subsecond": N_("%(column)s is not a whole number of seconds: %(value)s"),
    "rating.first_slot": N_("the first slot of rate %(rate)s must start at 0s"),
    "rating.slot_twice": N_("rate %(rate)s has two slots starting at %(start)s"),
    "rating.bad_rounding": N_("the rounding method must be *up, *down or *middle: %(value)s"),
    "rating.bad_decimals": N_("the rounding decimals must be from 0 to 6: %(value)s"),
    "rating.too_precise": N_("%(column)s has more than six decimals: %(value)s"),
    "rating.max_cost": N_("a maximum cost is not supported; leave MaxCost at 0"),
    "rating.bad_prefix": N_("a prefix is digits only, optionally after +: %(value)s"),
    "rating.bad_timing": N_("%(column)s is not valid: %(value)s"),
    "rating.bad_category": N_("the category must be call, voice, sms or data: %(value)s"),
    "rating.bad_time": N_("is not a time such as 2014-01-14T00:00:00Z: %(value)s"),
    "rating.unknown": N_("names %(kind)s %(code)s, which the tariff plan does not define"),
    "rating.twice": N_("%(kind)s %(code)s is defined twice"),
    "rating.nothing": N_("the tariff plan has no rating profile"),
    "rating.too_large": N_("the deck is too large to rate: %(detail)s"),
    "rating.bad_network": N_("a visited network is its MCC and MNC, 5 or 6 digits: %(value)s"),
    "rating.bad_zone": N_("the time zone %(value)s is unknown"),
    "rating.no_deck": N_("no rate deck is in force at %(at)s"),
    "rating.no_profile": N_("no rating profile prices %(category)s for %(subject)s"),
    "rating.unauthorised_destination": N_("no destination of the deck matches %(destination)s"),
    "rating.no_rate": N_("no rate of destination %(destination)s applies at that time"),
    "rating.bad_usage": N_("is not a usage such as 45s, 2m, 3 messages or 1048576 bytes"),
}
register(REFUSALS)
