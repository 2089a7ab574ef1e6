"""Every reason a KYC check or decision gives, by code, with its English template.

Screens say a reason in the reader's language (saas.web.refusals.say on its term); the CLI, the
logs and the tests in English.
"""

from __future__ import annotations

from saas.errors import N_, register

REASONS = {
    # The checks, as the case page names them.
    "kyc.check.document": N_("Identity document"),
    "kyc.check.age": N_("Minimum age"),
    "kyc.check.national_id": N_("National identifier"),
    "kyc.check.sanctions": N_("Sanctions and PEP lists"),
    "kyc.check.duplicate": N_("Duplicate identity"),
    "kyc.check.bank": N_("Bank account and SEPA mandate"),
    "kyc.check.vendor": N_("Identity verification service"),
    # Identity document.
    "kyc.document.valid": N_("the %(format)s zone reads and every check digit matches"),
    "kyc.document.unreadable": N_("the machine-readable zone cannot be read: %(why)s"),
    "kyc.document.check_digit": N_(
        "the check digit of the %(field)s is %(found)s where it should be %(expected)s"
    ),
    "kyc.document.date_invalid": N_("the document holds an impossible date: %(why)s"),
    "kyc.document.expired": N_("the document expired on %(date)s"),
    "kyc.document.name_differs": N_("the name on the document differs from the name given"),
    "kyc.document.birth_date_differs": N_(
        "the birth date on the document differs from the one given"
    ),
    "kyc.document.not_scanned": N_(
        "no machine-readable zone was given: the document was typed in and needs a look"
    ),
    "kyc.document.none": N_("no identity document was given"),
    # Age.
    "kyc.age.old_enough": N_("the person is at least %(min_age)s years old"),
    "kyc.age.minor": N_("the person is %(age)s, younger than the brand's minimum of %(min_age)s"),
    "kyc.age.unborn": N_("the birth date lies in the future"),
    # National identifier.
    "kyc.national_id.valid": N_("the %(scheme)s is valid and belongs to this person"),
    "kyc.national_id.none": N_("no national identifier was given"),
    "kyc.national_id.unsupported": N_(
        "a national identifier of %(country)s cannot be checked here"
    ),
    "kyc.national_id.invalid": N_("the %(scheme)s is not valid: %(why)s"),
    "kyc.national_id.birth_date_differs": N_(
        "the birth date in the %(scheme)s differs from the person's"
    ),
    "kyc.national_id.sex_differs": N_("the sex in the %(scheme)s differs from the person's"),
    # Sanctions and PEP lists.
    "kyc.sanctions.clear": N_("no match on %(lists)s list(s) of %(entries)s entries"),
    "kyc.sanctions.no_list": N_("no sanctions list is loaded: nobody was screened"),
    "kyc.sanctions.hit": N_("the name matches %(name)s on the %(source)s list (%(score)s%%)"),
    "kyc.sanctions.namesake": N_(
        "%(name)s on the %(source)s list has the same name but another birth date"
    ),
    "kyc.source.opensanctions": N_("OpenSanctions"),
    "kyc.source.eu": N_("EU consolidated"),
    # Duplicate identity.
    "kyc.duplicate.none": N_("no other subscriber of the brand holds this identity"),
    "kyc.duplicate.document": N_(
        "the document number is on another subscriber's approved case (case %(case)s)"
    ),
    "kyc.duplicate.national_id": N_(
        "the national identifier is on another subscriber's approved case (case %(case)s)"
    ),
    # Bank account and SEPA mandate.
    "kyc.bank.not_direct_debit": N_("no direct debit was chosen"),
    "kyc.bank.valid": N_("the IBAN is valid and a SEPA mandate is recorded"),
    "kyc.bank.iban_missing": N_("direct debit was chosen without an IBAN"),
    "kyc.bank.iban_invalid": N_("the IBAN is not valid: %(why)s"),
    "kyc.bank.not_sepa": N_("an account in %(country)s cannot be debited by SEPA"),
    "kyc.bank.no_creditor_id": N_(
        "the brand has no SEPA creditor identifier, so no mandate can be taken"
    ),
    # The external vendor.
    "kyc.vendor.approved": N_("the verification service approved the person"),
    "kyc.vendor.rejected": N_("the verification service rejected the person: %(said)s"),
    "kyc.vendor.review": N_("the verification service asks for a person to look: %(said)s"),
    "kyc.vendor.unavailable": N_(
        "the verification service did not answer (%(said)s); check the case again later"
    ),
    "kyc.vendor.not_configured": N_("the brand uses a verification service that is not set up"),
    "kyc.vendor.said.document_not_genuine": N_("the document is not genuine"),
    "kyc.vendor.said.document_unclear": N_("the document is unclear"),
    "kyc.vendor.said.document_reported_lost": N_("the document is reported lost"),
    "kyc.vendor.said.none": N_("no reason given"),
    # Decisions.
    "kyc.decision.all_passed": N_("all %(count)s checks passed"),
}
register(REASONS)
