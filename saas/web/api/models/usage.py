"""Usage files: one sent as base64 in JSON, what came of it, and its records in quarantine."""

from __future__ import annotations

import base64
import binascii
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, StringConstraints, field_validator

from saas.usage import models as U
from saas.usage import records as R
from saas.web.api import models as api

REASONS = (R.UNREADABLE, R.NO_LINE, R.UNAUTHORISED_DESTINATION, R.NO_DECK, R.NO_RATE)


class NewUsageFile(api.Body):
    """A file of usage records from one of the brand's sources, its bytes in base64."""

    source: Annotated[str, StringConstraints(min_length=1, max_length=64)] = Field(
        description="The name of the usage source it comes from (its format and mapping).",
        examples=["switch"],
    )
    filename: Annotated[str, StringConstraints(max_length=255)] = Field("", examples=["Master.csv"])
    content: str = Field(description="The file's bytes, base64-encoded.")

    @field_validator("content")
    @classmethod
    def _decodes(cls, value: str) -> str:
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("is not base64") from None
        return value

    def data(self) -> bytes:
        """The file's bytes."""
        return base64.b64decode(self.content)


class UsageFile(api.Out):
    """A usage file as received: a copy of one sent before, or its records as far as worked."""

    id: int
    source_id: int
    filename: str
    digest: str = Field(description="The content's SHA-256: the same content is read once.")
    size: int
    state: Annotated[str, api.OneOf((U.RECEIVED, U.DONE, U.DUPLICATE))]
    duplicate_of_id: int | None = Field(description="The file first sent with this content.")
    chunks: int
    chunks_done: int
    records: int = Field(description="Records read from it so far.")
    rated: int = Field(description="Records rated and stored.")
    quarantined: int = Field(description="Records waiting in quarantine now.")
    duplicates: int = Field(description="Records stored before, from this or another file.")
    received_at: api.Instant
    finished_at: api.Instant | None


class QuarantinedRecord(api.Out):
    """A record of the file that waits in quarantine: why, and its raw text."""

    row: int
    reason: Annotated[str, api.OneOf(REASONS)]
    detail: str
    raw: str
    attempts: int
    quarantined_at: api.Instant


QuarantinedRecordList = api.Listing[QuarantinedRecord]


class RatedRecord(api.Out):
    """A subscriber's rated record with its breakdown; amounts in the brand's currency."""

    id: int
    service: str
    direction: str
    destination: str
    started_at: api.Instant
    usage: int
    rated_usage: int
    prefix: str
    zone: str
    allowance_used: int
    retail: Decimal
    charged: Decimal

    @classmethod
    def computed(cls, row: Any) -> dict[str, Any]:
        return {
            "retail": R.to_decimal(row.retail_micros),
            "charged": R.to_decimal(row.charged_micros),
        }
