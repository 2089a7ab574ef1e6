"""Who asks to be checked: the person's own statements and the documents they bring."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Applicant:
    """A person to check, as the sign-up flow (or a shop agent) hands them over.

    `mrz` holds the lines of the identity document's machine-readable zone when it was scanned;
    otherwise the document may be typed in (`document_number`, `document_country`,
    `document_expires`). `national_id` is checked by the scheme of `national_id_country`, the
    brand's country when empty. With `direct_debit` the IBAN is checked and a SEPA mandate kept,
    signed by `account_holder` (the person when empty) at `mandate_signed_at` (the check's time
    when empty).
    """

    given_names: str
    surname: str
    birth_date: date
    subscriber_id: int | None = None
    sex: str = ""  # F, M, or empty when not said
    nationality: str = ""
    mrz: tuple[str, ...] = ()
    document_number: str = ""
    document_country: str = ""
    document_expires: date | None = None
    national_id: str = ""
    national_id_country: str = ""
    direct_debit: bool = False
    iban: str = ""
    account_holder: str = ""
    mandate_signed_at: datetime | None = None

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.surname}".strip()
