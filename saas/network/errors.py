"""What the network area refuses, by code: the texts the screens and the API say them in."""

from __future__ import annotations

from typing import Any

from saas.errors import N_, Refusal, Term, register


class NetworkError(Refusal):
    """A number, SIM or line change that cannot be made: its code, the record, the field."""

    def __init__(
        self, code: str, record: Term | str | None = None, field: str | None = None, **params: Any
    ) -> None:
        super().__init__(code, field=field, record=record, **params)


class ImportRefused(NetworkError):
    """A SIM file with bad rows: each row's refusal, none of the file imported."""

    def __init__(self, rows: list[NetworkError]) -> None:
        super().__init__("network.sim_file_refused", field="file", count=len(rows))
        self.rows = rows

    def each(self) -> list[NetworkError]:
        """Every bad row's refusal."""
        return self.rows


REFUSALS = {
    "record.number": N_("number %(msisdn)s"),
    "record.number_range": N_("number range %(first)s to %(last)s"),
    "record.sim_row": N_("line %(line)s"),
    "record.sim": N_("SIM %(iccid)s"),
    "record.line": N_("line %(id)s"),
    "network.not_a_number": N_(
        "is not a phone number in international format, e.g. +49 1520 1234567"
    ),
    "network.invalid_number": N_("is not a valid phone number"),
    "network.not_mobile": N_("is not a mobile number"),
    "network.other_country": N_("the first and last number are in different countries"),
    "network.other_length": N_("the first and last number differ in length"),
    "network.reversed": N_("the last number comes before the first"),
    "network.range_too_large": N_("holds %(count)s numbers; at most %(limit)s fit in one range"),
    "network.range_overlaps": N_("overlaps the range %(first)s to %(last)s"),
    "network.no_number_free": N_("no number is free in stock"),
    "network.number_unknown": N_("is not in the brand's number stock"),
    "network.number_taken": N_("is not free"),
    "network.number_golden": N_("is a golden number: only staff can give it out"),
    "network.reservation_unknown": N_("this reservation is unknown or has lapsed"),
    "network.sim_file_refused": N_("rows with errors: %(count)s; nothing was imported"),
    "network.sim_file_again": N_("this file was imported already on %(day)s"),
    "network.sim_file_empty": N_("the file holds no SIM"),
    "network.sim_file_too_large": N_("the file holds more than %(limit)s SIMs"),
    "network.sim_file_header": N_("the first line must name the columns %(columns)s"),
    "network.sim_file_unreadable": N_("the file is not a CSV text file"),
    "network.iccid_format": N_("the ICCID must be 19 or 20 digits starting with 89"),
    "network.iccid_check_digit": N_("the ICCID's check digit is wrong"),
    "network.iccid_twice": N_("the ICCID %(iccid)s is there already"),
    "network.imsi_format": N_("the IMSI must be 15 digits"),
    "network.imsi_unknown_network": N_(
        "the IMSI's country and network code %(mcc_mnc)s are unknown"
    ),
    "network.imsi_twice": N_("the IMSI %(imsi)s is there already"),
    "network.key_format": N_("%(key)s must be 32 hexadecimal characters"),
    "network.sim_kind": N_("the kind must be physical or esim"),
    "network.matching_id": N_("an eSIM needs its matching ID (letters, digits and dashes)"),
    "network.no_sim_free": N_("no SIM of this kind is in stock"),
    "network.sim_unknown": N_("is not in the brand's SIM stock"),
    "network.sim_taken": N_("is not in stock"),
    "network.line_exists": N_("the subscription has a line already"),
    "network.line_state": N_("cannot be %(change)s while %(state)s"),
    "network.before_last_change": N_("a change cannot come before the line's last change"),
    "network.smdp_address": N_("is not a host name such as smdp.example.com"),
    "network.no_smdp_address": N_("the brand has no SM-DP+ address for eSIMs yet"),
    "network.too_many_days": N_("must be between %(low)s and %(high)s"),
    "network.swap_reason": N_("choose why the SIM is swapped: lost or replaced"),
}
register(REFUSALS)
# Line states and changes as refusals name them.
TERMS = {
    "line.state.pending": N_("pending"),
    "line.state.active": N_("active"),
    "line.state.suspended": N_("suspended"),
    "line.state.terminated": N_("terminated"),
    "line.change.activated": N_("activated"),
    "line.change.suspended": N_("suspended"),
    "line.change.restored": N_("restored"),
    "line.change.terminated": N_("terminated"),
    "line.change.sim_swapped": N_("given another SIM"),
    "line.change.number_changed": N_("given another number"),
}
register(TERMS)


def number_named(msisdn: str) -> Term:
    """A number as a refusal names it."""
    return Term("record.number", msisdn=msisdn)


def line_named(line_id: int) -> Term:
    """A line as a refusal names it."""
    return Term("record.line", id=line_id)
