"""What a credit check, a scorecard or a sale refuses, by code: the texts screens say them in."""

from __future__ import annotations

from typing import Any

from saas.errors import N_, Refusal, Term, register


class CreditError(Refusal):
    """A credit rule said no: its code, the field it concerns, the record if one."""

    def __init__(
        self,
        code: str,
        /,
        field: str | None = None,
        record: Term | str | None = None,
        **params: Any,
    ) -> None:
        super().__init__(code, field=field, record=record, **params)

    def each(self) -> list[CreditError]:
        """Return every refusal this error stands for."""
        return [self]


class CreditErrors(CreditError):
    """Several rules refused one scorecard at once; the first one speaks for all in logs."""

    def __init__(self, refusals: list[CreditError]) -> None:
        first = refusals[0]
        super().__init__(first.code, first.field, first.record, **first.params)
        self.refusals = refusals

    def each(self) -> list[CreditError]:
        """Return every refusal, in the order found."""
        return list(self.refusals)


def refuse_all(refusals: list[CreditError]) -> None:
    """Raise the refusals together, if there are any."""
    if len(refusals) == 1:
        raise refusals[0]
    if refusals:
        raise CreditErrors(refusals)


REFUSALS = {
    "record.credit_decision": N_("credit decision %(id)s"),
    # The person checked.
    "credit.given_names_missing": N_("Enter the given names."),
    "credit.surname_missing": N_("Enter the surname."),
    "credit.text_too_long": N_("Use at most %(limit)s characters."),
    "credit.born_in_future": N_("The date of birth lies in the future."),
    "credit.born_too_long_ago": N_("The date of birth is more than %(years)s years ago."),
    "credit.country_unknown": N_("%(country)s is not a country code such as DE or PL."),
    # Overrides.
    "credit.reason_missing": N_("Say why the class is overridden."),
    "credit.class_unknown": N_("There is no credit class %(klass)s."),
    "credit.nothing_to_override": N_("Run a credit check first: there is no decision to override."),
    "credit.not_a_subscriber": N_("Only subscribers are checked."),
    "credit.staff_only": N_("Only staff override a credit class."),
    # Selling.
    "credit.check_required": N_("A credit check is needed before a plan can be taken."),
    "credit.prepaid_only": N_("Credit class %(klass)s allows prepaid plans only."),
    "credit.max_lines": N_(
        "Credit class %(klass)s allows no more lines: at most %(limit)s, held %(held)s."
    ),
    # The scorecard.
    "credit.unknown_fields": N_("Unknown field(s): %(names)s."),
    "credit.not_whole": N_("%(value)s is not a whole number."),
    "credit.not_an_amount": N_('%(value)s is not an amount: write it as text, such as "19.99".'),
    "credit.not_yes_no": N_("%(value)s is neither true nor false."),
    "credit.points_range": N_("Points lie between %(low)s and %(high)s."),
    "credit.bands_missing": N_("Give at least one band."),
    "credit.bands_first": N_("The first band starts at 0."),
    "credit.bands_order": N_("Each band starts above the one before it (%(previous)s)."),
    "credit.band_range": N_("A band starts between 0 and %(high)s."),
    "credit.negative_kind": N_("%(kind)s is not a kind of negative entry."),
    "credit.classes_missing": N_("Give at least one credit class."),
    "credit.class_code": N_("A class code is 1 to 8 capital letters or digits."),
    "credit.class_twice": N_("The class %(klass)s is there twice."),
    "credit.class_minimum_twice": N_("Another class starts at %(points)s points already."),
    "credit.class_name_missing": N_("Give the class a name."),
    "credit.amount_negative": N_("Enter 0 or more."),
    "credit.amount_places": N_("%(currency)s has %(places)s decimal places."),
    "credit.lines_range": N_("Between 0 and %(high)s lines."),
    "credit.fallback_unknown": N_("Choose one of the classes."),
    "credit.fallback_postpaid": N_(
        "The class used while the bureau cannot be reached must allow prepaid plans only."
    ),
}
register(REFUSALS)


def decision_record(ident: int) -> Term:
    """A credit decision as a refusal names it."""
    return Term("record.credit_decision", id=ident)
