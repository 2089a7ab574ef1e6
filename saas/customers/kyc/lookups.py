"""The checks that look elsewhere: the sanctions lists, the brand's other cases, the vendor."""

from __future__ import annotations

from sqlalchemy import Select, or_, select

from saas.customers.kyc import screening
from saas.customers.kyc.checks import Context
from saas.customers.kyc.models import KycCase
from saas.customers.kyc.outcome import APPROVED, PASS, REJECT, REVIEW, Reason, Result, result
from saas.customers.kyc.vendor import REJECTED, VendorRequest
from saas.customers.kyc.vendor import REVIEW as VENDOR_REVIEW
from saas.db.sealed import digest
from saas.errors import Term
from saas.outside import OutsideError

DOCUMENT_PURPOSE, NATIONAL_ID_PURPOSE = "kyc.document", "kyc.national_id"
VENDOR_REASONS = ("document_not_genuine", "document_unclear", "document_reported_lost")


def document_digest(country: str, number: str) -> str:
    """The keyed digest that finds a document number among sealed ones."""
    return digest(f"{country.upper()}:{number.upper()}", DOCUMENT_PURPOSE)


def national_id_digest(country: str, compact: str) -> str:
    """The keyed digest that finds a national identifier among sealed ones."""
    return digest(f"{country.upper()}:{compact.upper()}", NATIONAL_ID_PURPOSE)


def _source(name: str) -> Term:
    return Term(f"kyc.source.{name}")


class SanctionsCheck:
    """Screening against the platform's sanctions and PEP lists: a hit goes to a person."""

    name = "sanctions"

    def run(self, ctx: Context) -> Result:
        if not ctx.lists:
            return result(self.name, REVIEW, Reason.of("kyc.sanctions.no_list"))
        person = ctx.applicant
        matches = screening.screen(
            ctx.session, ctx.lists, person.given_names, person.surname, person.birth_date
        )
        ctx.found["matches"] = [m.to_json() for m in matches]
        hits = [self._said(m, "kyc.sanctions.hit") for m in matches if not m.namesake]
        if hits:
            return result(self.name, REVIEW, *hits)
        namesakes = [self._said(m, "kyc.sanctions.namesake") for m in matches]
        entries = sum(v.entry_count for v in ctx.lists)
        clear = Reason.of("kyc.sanctions.clear", lists=len(ctx.lists), entries=entries)
        return result(self.name, PASS, clear, *namesakes)

    def _said(self, match: screening.Match, code: str) -> Reason:
        named = {"name": match.listed.name, "source": _source(match.source)}
        return Reason.of(code, **named, **({"score": round(match.score)} if "hit" in code else {}))


def identity_keys(ctx: Context) -> tuple[str | None, str | None]:
    """The digests of the applicant's document number and national identifier, where known."""
    zone, person = ctx.zone, ctx.applicant
    if zone is not None and zone.document_number:
        document = document_digest(zone.issuing_state, zone.document_number)
    elif person.document_number:
        document = document_digest(person.document_country, person.document_number)
    else:
        document = None
    national = ctx.found.get("national_id")
    return document, national_id_digest(*national) if national else None


class DuplicateCheck:
    """Nobody else at the brand has been approved with the same document or national id."""

    name = "duplicate"

    def run(self, ctx: Context) -> Result:
        document, national = identity_keys(ctx)
        same = [c for c in (document, national) if c]
        found: dict[str, Reason] = {}
        for case in ctx.session.scalars(self._others(ctx, same)) if same else ():
            code = (
                "kyc.duplicate.document"
                if document and case.document_digest == document
                else "kyc.duplicate.national_id"
            )
            found.setdefault(code, Reason.of(code, case=case.id))  # the first case says enough
        if found:
            return result(self.name, REVIEW, *found.values())
        return result(self.name, PASS, Reason.of("kyc.duplicate.none"))

    def _others(self, ctx: Context, same: list[str]) -> Select[KycCase]:
        """Approved cases of other people (or of nobody known) holding one of the digests."""
        stmt = select(KycCase).where(
            KycCase.status == APPROVED,
            or_(KycCase.document_digest.in_(same), KycCase.national_id_digest.in_(same)),
        )
        person = ctx.applicant.subscriber_id
        if person is not None:
            stmt = stmt.where(or_(KycCase.subscriber_id.is_(None), KycCase.subscriber_id != person))
        return stmt.order_by(KycCase.id).limit(20)


def _vendor_said(reasons: tuple[str, ...]) -> Term | str:
    if not reasons:
        return Term("kyc.vendor.said.none")
    first = reasons[0]
    return Term(f"kyc.vendor.said.{first}") if first in VENDOR_REASONS else first


class VendorCheck:
    """The external verification service, where the brand uses one; never approves by default."""

    name = "vendor"

    def run(self, ctx: Context) -> Result:
        if ctx.vendor is None:
            return result(self.name, REVIEW, Reason.of("kyc.vendor.not_configured"))
        try:
            answer = ctx.vendor.verify(self._request(ctx))
        except OutsideError as exc:
            ctx.found["vendor_error"] = {"reason": exc.reason, "retryable": exc.retryable}
            return result(self.name, REVIEW, Reason.of("kyc.vendor.unavailable", said=exc.reason))
        ctx.found["vendor"] = answer
        said = _vendor_said(answer.reasons)
        if answer.decision == REJECTED:
            return result(self.name, REJECT, Reason.of("kyc.vendor.rejected", said=said))
        if answer.decision == VENDOR_REVIEW:
            return result(self.name, REVIEW, Reason.of("kyc.vendor.review", said=said))
        return result(self.name, PASS, Reason.of("kyc.vendor.approved"))

    def _request(self, ctx: Context) -> VendorRequest:
        person, zone = ctx.applicant, ctx.zone
        number = zone.document_number if zone else person.document_number
        country = zone.issuing_state if zone else person.document_country
        expires = zone.expiry_date if zone else person.document_expires
        return VendorRequest(
            reference=ctx.found.get("reference", ""),
            given_names=person.given_names,
            surname=person.surname,
            birth_date=person.birth_date.isoformat(),
            nationality=person.nationality,
            document_number=number,
            document_country=country,
            document_expires=expires.isoformat() if expires else "",
        )
