"""Refusals of the provisioning rules, and the host network's failures in words."""

from __future__ import annotations

from saas.errors import N_, Refusal, Term, register


class ProvisioningError(Refusal):
    """A provisioning order or a port-in request was refused."""

    def each(self) -> list[ProvisioningError]:
        """Return every refusal this error stands for."""
        return [self]


class ProvisioningErrors(ProvisioningError):
    """Several rules refused one request at once; the first one speaks for all in logs."""

    def __init__(self, refusals: list[ProvisioningError]) -> None:
        first = refusals[0]
        super().__init__(first.code, field=first.field, record=first.record, **first.params)
        self.refusals = refusals

    def each(self) -> list[ProvisioningError]:
        """Return every refusal, in the order of the request's fields."""
        return list(self.refusals)


def refuse_all(refusals: list[ProvisioningError]) -> None:
    """Raise the refusals together, if there are any."""
    if len(refusals) == 1:
        raise refusals[0]
    if refusals:
        raise ProvisioningErrors(refusals)


REFUSALS = {
    "record.provisioning_order": N_("provisioning order %(id)s"),
    "record.port_in": N_("port-in request %(id)s"),
    "provisioning.no_subscription": N_("there is no such subscription"),
    "provisioning.unknown_action": N_("is not something the network can be asked to do"),
    "provisioning.missing": N_("must be given"),
    "provisioning.bad_msisdn": N_(
        "is not a phone number in international form, like +4915112345678"
    ),
    "provisioning.bad_iccid": N_(
        "is not a SIM card number (19 or 20 digits with a valid check digit)"
    ),
    "provisioning.bad_imsi": N_("is not a subscriber identity (15 digits)"),
    "provisioning.bad_profile": N_("is not a network profile name"),
    "provisioning.not_retryable": N_("can only be retried after it failed or got stuck"),
    "porting.bad_number": N_("is not a valid phone number"),
    "porting.not_mobile": N_("is not a mobile number"),
    "porting.other_country": N_("is a number of another country"),
    "porting.unknown_donor": N_("is not an operator numbers can be ported from"),
    "porting.holder_missing": N_("name the account holder as the donor knows them"),
    "porting.too_long": N_("use at most %(max)s characters"),
    "porting.date_past": N_("must be today or later"),
    "porting.not_a_date": N_("is not a date like 2026-03-31"),
    "porting.date_far": N_("must be within %(days)s days"),
    "porting.under_way": N_("is being ported in already"),
}
register(REFUSALS)

# Why an attempt at the host network did not succeed, as the console says it.
NETWORK_ERRORS = {
    "network.no_answer": N_("The network did not answer in time."),
    "network.unavailable": N_("The network was unavailable."),
    "network.busy": N_("The network was too busy and asked us to wait."),
    "network.credentials": N_("The network did not accept our access credentials."),
    "network.unknown": N_("The network does not know this line or SIM card."),
    "network.conflict": N_("The network refused: the line's state does not allow this."),
    "network.refused": N_("The network refused the request as incomplete or invalid."),
    "network.garbled": N_("The network's answer could not be read."),
    "network.working": N_("The network has not finished yet."),
    "network.gave_up": N_("Given up after the last automatic attempt."),
}
register(NETWORK_ERRORS)

# Why a donor refused to give up a number, in words.
REJECTIONS = {
    "holder_mismatch": N_("The name does not match the account holder at the donor."),
    "account_mismatch": N_("The customer number does not match the donor's records."),
    "number_not_active": N_("The number has no active contract at the donor."),
    "other": N_("The donor refused without giving a reason."),
}
register({f"porting.rejected.{code}": template for code, template in REJECTIONS.items()})


def rejection_code(reason: str) -> str:
    """The message code of a donor's reason; one we do not know reads as "no reason given"."""
    return f"porting.rejected.{reason if reason in REJECTIONS else 'other'}"


def order_term(order_id: int) -> Term:
    """A provisioning order named in a refusal."""
    return Term("record.provisioning_order", id=order_id)


def port_in_term(port_in_id: int) -> Term:
    """A port-in request named in a refusal."""
    return Term("record.port_in", id=port_in_id)
