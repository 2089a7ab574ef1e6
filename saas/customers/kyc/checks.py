"""The verifier chain's checks on what the applicant brings: document, age, national id, bank.

A check is anything with a `name` and a `run(context)` giving a Result: pass, review or reject,
always with reasons. The checks that look things up elsewhere (lists, other cases, the vendor)
are in saas.customers.kyc.lookups; the chain itself in saas.customers.kyc.chain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from saas.customers.kyc import identifiers, mrz
from saas.customers.kyc.applicant import Applicant
from saas.customers.kyc.models import KycSettings, SanctionsList
from saas.customers.kyc.names import folded
from saas.customers.kyc.outcome import PASS, REJECT, REVIEW, Reason, Result, result
from saas.customers.kyc.vendor import KycVendor
from saas.db import DbSession
from saas.errors import Term


@dataclass
class Context:
    """What every check of one run sees: the applicant, the brand's rules, today, the lists."""

    session: DbSession
    applicant: Applicant
    rules: KycSettings
    country: str
    today: date
    now: datetime
    lists: list[SanctionsList] = field(default_factory=list)
    vendor: KycVendor | None = None
    zone: mrz.Zone | None = None
    zone_error: mrz.MrzError | None = None
    # What checks found that the case keeps (sanctions matches, the vendor's answer, the IBAN).
    found: dict[str, Any] = field(default_factory=dict)

    @property
    def birth_date(self) -> date:
        return self.applicant.birth_date


class Check(Protocol):
    """One link of the verifier chain."""

    name: str

    def run(self, ctx: Context) -> Result:
        """Check the applicant and say pass, review or reject, with reasons."""
        ...


def read_zone(ctx: Context) -> None:
    """Parse the applicant's machine-readable zone once, for every check that needs it."""
    if ctx.applicant.mrz:
        try:
            ctx.zone = mrz.parse(ctx.applicant.mrz, ctx.today)
        except mrz.MrzError as exc:
            ctx.zone_error = exc


def _digit_reason(digit: mrz.CheckDigit) -> Reason:
    name = Term(f"kyc.digit.{digit.name}")
    return Reason.of(
        "kyc.document.check_digit", field=name, found=digit.found, expected=digit.expected
    )


class DocumentCheck:
    """The identity document: its zone reads, every check digit matches, it has not expired."""

    name = "document"

    def run(self, ctx: Context) -> Result:
        if ctx.zone_error is not None:
            why = Term(ctx.zone_error.code, **ctx.zone_error.params)
            return result(self.name, REJECT, Reason.of("kyc.document.unreadable", why=why))
        if ctx.zone is None:
            return self._typed(ctx)
        zone = ctx.zone
        bad = [_digit_reason(d) for d in zone.check_digits if not d.valid]
        bad += [
            Reason.of("kyc.document.date_invalid", why=Term(p.code, **p.params))
            for p in zone.problems
        ]
        if zone.expiry_date is not None and zone.expiry_date < ctx.today:
            bad.append(Reason.of("kyc.document.expired", date=zone.expiry_date))
        if bad:
            return result(self.name, REJECT, *bad)
        differs = self._differs(ctx, zone)
        if differs:
            return result(self.name, REVIEW, *differs)
        return result(self.name, PASS, Reason.of("kyc.document.valid", format=zone.format))

    def _differs(self, ctx: Context, zone: mrz.Zone) -> list[Reason]:
        person = ctx.applicant
        found = []
        if folded(zone.surname) != folded(person.surname) or not _given_fits(zone, person):
            found.append(Reason.of("kyc.document.name_differs"))
        if zone.birth_date != person.birth_date:
            found.append(Reason.of("kyc.document.birth_date_differs"))
        return found

    def _typed(self, ctx: Context) -> Result:
        person = ctx.applicant
        if not person.document_number:
            return result(self.name, REVIEW, Reason.of("kyc.document.none"))
        expires = person.document_expires
        if expires is not None and expires < ctx.today:
            return result(self.name, REJECT, Reason.of("kyc.document.expired", date=expires))
        return result(self.name, REVIEW, Reason.of("kyc.document.not_scanned"))


def _given_fits(zone: mrz.Zone, person: Applicant) -> bool:
    """The zone's given names start like the person's (a zone may cut long names short)."""
    on_document, given = folded(zone.given_names), folded(person.given_names)
    return bool(on_document) and (given.startswith(on_document) or on_document.startswith(given))


def age_on(birth: date, today: date) -> int:
    """Whole years of age on a day."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


class AgeCheck:
    """The person is at least the brand's minimum age."""

    name = "age"

    def run(self, ctx: Context) -> Result:
        minimum = ctx.rules.min_age
        if ctx.birth_date > ctx.today:
            return result(self.name, REJECT, Reason.of("kyc.age.unborn"))
        age = age_on(ctx.birth_date, ctx.today)
        if age < minimum:
            return result(self.name, REJECT, Reason.of("kyc.age.minor", age=age, min_age=minimum))
        return result(self.name, PASS, Reason.of("kyc.age.old_enough", min_age=minimum))


class NationalIdCheck:
    """A national identifier given is valid and names this person (birth date, sex)."""

    name = "national_id"

    def run(self, ctx: Context) -> Result:
        person = ctx.applicant
        if not person.national_id:
            return result(self.name, PASS, Reason.of("kyc.national_id.none"))
        country = (person.national_id_country or ctx.country).upper()
        scheme = identifiers.scheme_for(country)
        if scheme is None:
            reason = Reason.of("kyc.national_id.unsupported", country=country or "?")
            return result(self.name, REVIEW, reason)
        wrong = identifiers.national_id(person.national_id, scheme, person.birth_date, person.sex)
        if wrong:
            return result(self.name, REJECT, *wrong)
        ctx.found["national_id"] = (
            country,
            identifiers.compact_national_id(person.national_id, scheme),
        )
        return result(self.name, PASS, Reason.of("kyc.national_id.valid", scheme=scheme.name))


class BankCheck:
    """Direct debit: the IBAN is valid, in SEPA, and the brand can take a mandate."""

    name = "bank"

    def run(self, ctx: Context) -> Result:
        person = ctx.applicant
        if not person.direct_debit:
            return result(self.name, PASS, Reason.of("kyc.bank.not_direct_debit"))
        if not person.iban.strip():
            return result(self.name, REJECT, Reason.of("kyc.bank.iban_missing"))
        account, wrong = identifiers.iban(person.iban)
        if wrong or account is None:
            return result(self.name, REJECT, *wrong)
        if not identifiers.creditor_id_valid(ctx.rules.creditor_id):
            return result(self.name, REVIEW, Reason.of("kyc.bank.no_creditor_id"))
        ctx.found["iban"] = account
        return result(self.name, PASS, Reason.of("kyc.bank.valid"))
