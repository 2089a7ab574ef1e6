"""Fakes of the rating and charging ports, with simple fixed prices, for the usage pipeline's tests.

`FakeRater.rate` and `FakeCharger.charge` have the shapes of saas.usage.rating.rate and
saas.usage.charging.charge (saas/usage/records.py); the real ones live in their own areas.
Prices: a call 60/60 at 0.06 a minute, an SMS 0.09, data 0.01 a started megabyte, roaming
twice that; a destination starting with one of `unauthorised` is refused. The wholesale price
is half the retail one, and no allowance is drawn on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import polars as pl

from saas.usage import records as R
from saas.usage import stages

MB = 1_000_000


@dataclass
class FakeRater:
    """A fake of the rater: fixed prices per service, a few refused prefixes."""

    per_minute: int = 60_000  # micros
    per_sms: int = 90_000
    per_mb: int = 10_000
    unauthorised: tuple[str, ...] = ("999",)
    calls: list[int] = field(default_factory=list)  # batch sizes seen

    def rate(self, session: object, found: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        self.calls.append(len(found))
        refused_rows = (
            pl.col("destination").str.starts_with(self.unauthorised[0])
            if self.unauthorised
            else pl.lit(False)
        )
        for prefix in self.unauthorised[1:]:
            refused_rows = refused_rows | pl.col("destination").str.starts_with(prefix)
        refused = found.filter(refused_rows).select(
            *R.READ, reason=pl.lit(R.UNAUTHORISED_DESTINATION), detail=pl.lit("no such prefix")
        )
        kept = found.filter(~refused_rows)
        usage, service = pl.col("usage"), pl.col("service")
        rated_usage = (
            pl.when(service == R.VOICE)
            .then((usage + 59) // 60 * 60)
            .when(service == R.DATA)
            .then((usage + MB - 1) // MB * MB)
            .otherwise(usage)
        )
        roaming = pl.when(pl.col("visited_network") != "").then(2).otherwise(1)
        price = (
            pl.when(service == R.VOICE)
            .then(pl.col("rated_usage") // 60 * self.per_minute)
            .when(service == R.DATA)
            .then(pl.col("rated_usage") // MB * self.per_mb)
            .otherwise(pl.col("rated_usage") * self.per_sms)
        )
        rated = kept.with_columns(rated_usage=rated_usage).with_columns(
            deck_version_id=pl.lit(None, pl.Int64),
            rate_id=pl.when(service == R.VOICE).then(1).when(service == R.SMS).then(2).otherwise(3),
            prefix=pl.col("destination").str.slice(0, 2),
            zone=pl.when(pl.col("visited_network") != "")
            .then(pl.lit("roaming"))
            .otherwise(pl.lit("home")),
            retail_micros=price * roaming,
        )
        schema = R.READ | R.LINE | R.RATED
        return rated.select([pl.col(n).cast(t) for n, t in schema.items()]), refused


@dataclass
class FakeCharger:
    """A fake of charging: wholesale at half the retail price, no allowances, pay as rated."""

    def charge(self, session: object, rated: pl.DataFrame) -> pl.DataFrame:
        return rated.with_columns(
            wholesale_agreement_id=pl.lit(None, pl.Int64),
            wholesale_micros=pl.col("retail_micros") // 2,
            allowance_id=pl.lit(None, pl.Int64),
            allowance_used=pl.lit(0, pl.Int64),
            charged_micros=pl.col("retail_micros"),
        )


@contextmanager
def fake_stages(rater: FakeRater | None = None) -> Iterator[FakeRater]:
    """Register the fakes of `rate` and `charge` for the block, then put back what was there."""
    rater = rater or FakeRater()
    before_rate = stages.register("rate", rater.rate)
    before_charge = stages.register("charge", FakeCharger().charge)
    try:
        yield rater
    finally:
        stages.unregister("rate", before_rate)
        stages.unregister("charge", before_charge)
