"""Which columns of which records hold personal data, and what each holds once erased.

Identity numbers, document data and bureau answers go; the record stays with what accounting
and the law need (its id, dates, the decision taken). A number's digest goes with it, so an
erased number is found by no one's search either.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from saas.customers.credit.models import CreditDecision
from saas.customers.kyc.models import KycCase, SepaMandate
from saas.customers.onboarding.models import DRAFT, Application
from saas.network.provisioning.models import PortIn


@dataclass(frozen=True)
class Part:
    """One piece of personal data of a record: its name, its columns and their erased values."""

    name: str
    columns: Mapping[str, Any]

    def held(self, row: Any) -> bool:
        """Whether the record still holds this piece."""
        return any(getattr(row, c) not in (blank, None, "") for c, blank in self.columns.items())

    def erase(self, row: Any) -> None:
        """Empty this piece of the record."""
        for column, blank in self.columns.items():
            setattr(row, column, blank)


class Answer(Part):
    """A sign-up's answer kept in the clear among its details (a customer number elsewhere)."""

    def held(self, row: Any) -> bool:
        return bool((row.details or {}).get(self.name))

    def erase(self, row: Any) -> None:
        row.details = {k: v for k, v in (row.details or {}).items() if k != self.name}


PARTS: dict[type, tuple[Part, ...]] = {
    Application: (Part("personal", {"personal": "{}"}), Answer("donor_account", {})),
    KycCase: (
        Part("birth_date", {"birth_date": ""}),
        Part("document_number", {"document_number": None, "document_digest": None}),
        Part("document_expires", {"document_expires": None}),
        Part("mrz", {"mrz": None}),
        Part("national_id", {"national_id": None, "national_id_digest": None}),
        Part("vendor_answer", {"vendor_answer": None}),
    ),
    SepaMandate: (Part("iban", {"iban": "", "iban_digest": ""}),),
    CreditDecision: (Part("applicant", {"applicant": None}), Part("report", {"report": None})),
    PortIn: (
        Part("holder_name", {"holder_name": ""}),
        Part("donor_account", {"donor_account": ""}),
    ),
}


def held(row: Any) -> list[Part]:
    """The pieces of personal data a record still holds."""
    return [part for part in PARTS[type(row)] if part.held(row)]


def item(row: Any, parts: list[Part]) -> dict[str, Any]:
    """What an erasure says of one record: its table, its id, the pieces erased."""
    return {"record": row.__tablename__, "id": row.id, "fields": [p.name for p in parts]}


def erase(rows: list[Any]) -> list[dict[str, Any]]:
    """Erase what the records still hold; say what went, record by record (none: nothing)."""
    done = []
    for row in rows:
        parts = held(row)
        for part in parts:
            part.erase(row)
        if parts:
            done.append(item(row, parts))
        if parts and isinstance(row, Application) and row.status == DRAFT:
            # An erased draft is never resumed: its link's digest now matches no link.
            row.token_digest = secrets.token_hex(32)
    return done
