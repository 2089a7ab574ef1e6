"""The columns a batch of usage carries from reader to rater to charger, as Polars schemas.

Every stage works on a whole batch (a `polars.DataFrame`), never row by row. A reader yields
frames of `READ`; line lookup adds `LINE`; the rater adds `RATED`; charging adds `CHARGED`.
Money inside a batch is exact integer micro-units of the brand's currency (1 EUR = 1,000,000),
enough for CGRateS's five decimals; amounts become `Decimal` only at the edges (storage as
NUMERIC(18, 6), screens, API). Times are UTC.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl

MICROS = 1_000_000  # micro-units per currency unit

# Services a record can be for; `usage` counts seconds, messages or bytes respectively.
VOICE, SMS, DATA = "voice", "sms", "data"
SERVICES = (VOICE, SMS, DATA)
OUT, IN = "out", "in"

UTC_TIME = pl.Datetime("us", "UTC")

# What a reader produces. `record_key` is stable: the same record read twice has the same key.
READ = {
    "record_key": pl.String,  # unique per brand: source's own id, or a digest of the fields
    "row": pl.Int64,  # position in its file (1-based), for quarantine messages
    "service": pl.String,  # one of SERVICES
    "direction": pl.String,  # OUT or IN
    "msisdn": pl.String,  # the brand's subscriber, E.164 digits without "+", or null
    "imsi": pl.String,  # or null; at least one of msisdn and imsi is set
    "destination": pl.String,  # called number as E.164 digits; an APN for data
    "started_at": UTC_TIME,  # answer time (voice), sending time (SMS), session start (data)
    "usage": pl.Int64,  # seconds, messages or bytes
    "visited_network": pl.String,  # MCC+MNC while roaming ("26201"); "" at home
}

# Added once the record's line is found as the line was at `started_at`.
LINE = {
    "line_id": pl.Int64,
    "subscription_id": pl.Int64,
}

# Added by the rater: the retail price from the brand's deck, before allowances.
RATED = {
    "deck_version_id": pl.Int64,
    "rate_id": pl.Int64,  # the rate that priced it
    "prefix": pl.String,  # the destination prefix that matched (longest wins)
    "zone": pl.String,  # roaming zone or "home"
    "rated_usage": pl.Int64,  # usage rounded up to the rate's increments
    "retail_micros": pl.Int64,
}

# Added by charging: the host MNO's price of the same record under the brand's wholesale
# agreement, and what the subscriber pays after the plan's allowances.
CHARGED = {
    "wholesale_agreement_id": pl.Int64,  # the agreement version that priced it, or null
    "wholesale_micros": pl.Int64,
    "allowance_id": pl.Int64,  # the catalogue allowance drawn on, or null
    "allowance_used": pl.Int64,  # of rated_usage, covered by that allowance
    "charged_micros": pl.Int64,  # what the subscriber pays for it after allowances
}

# The stages' shapes, each a function of a session and a batch (the pipeline calls them in turn):
#   lines(session, read)  -> (found, refused)   found = READ + LINE
#   rate(session, found)  -> (rated, refused)   rated = found + RATED
#   charge(session, rated) -> charged           charged = rated + CHARGED
# `refused` carries the batch's own columns plus `reason` (a code below) and `detail` (English
# words for the log; screens translate `reason`).
REFUSED = {"reason": pl.String, "detail": pl.String}

# Why a record is quarantined instead of rated: each a code the screens translate.
UNREADABLE = "usage.unreadable"
NO_LINE = "usage.no_line"
UNAUTHORISED_DESTINATION = "usage.unauthorised_destination"
NO_DECK = "usage.no_deck"
NO_RATE = "usage.no_rate"  # a destination matched but no rate applies at that time


def frame(schema: dict[str, pl.DataType | type[pl.DataType]], rows: list[dict]) -> pl.DataFrame:
    """A batch of rows with exactly the given columns and types."""
    return pl.DataFrame(rows, schema=schema)


def to_decimal(micros: int) -> Decimal:
    """Micro-units as an exact amount of the currency."""
    return Decimal(micros).scaleb(-6)


def to_micros(amount: Decimal) -> int:
    """An amount with at most six decimals as micro-units; more decimals are refused."""
    scaled = amount.scaleb(6)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{amount} has more than six decimals")
    return int(scaled)
