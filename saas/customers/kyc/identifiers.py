"""National identifiers (python-stdnum) and bank accounts (schwifty), by the brand's country.

Each scheme names the stdnum module that validates it and, where the number holds them, how to
read the holder's birth date and sex from it, so a valid number of somebody else is caught too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from types import ModuleType
from typing import Any

from schwifty import IBAN
from schwifty.exceptions import (
    InvalidBBANChecksum,
    InvalidChecksumDigits,
    InvalidCountryCode,
    InvalidLength,
    InvalidStructure,
    SchwiftyException,
)
from stdnum.be import nn as be_nn
from stdnum.bg import egn as bg_egn
from stdnum.cz import rc as cz_rc
from stdnum.de import idnr as de_idnr
from stdnum.dk import cpr as dk_cpr
from stdnum.ee import ik as ee_ik
from stdnum.es import dni as es_dni
from stdnum.eu import at_02
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    ValidationError,
)
from stdnum.exceptions import (
    InvalidLength as NumberLength,
)
from stdnum.fi import hetu as fi_hetu
from stdnum.it import codicefiscale as it_cf
from stdnum.lt import asmens as lt_asmens
from stdnum.nl import bsn as nl_bsn
from stdnum.pl import pesel as pl_pesel
from stdnum.ro import cnp as ro_cnp
from stdnum.se import personnummer as se_pnr

from saas.customers.kyc.outcome import Reason
from saas.errors import N_, Term, register

# Countries whose banks take part in SEPA direct debit (the EEA, Switzerland, the UK and the
# microstates), by the IBAN's country code.
SEPA = frozenset(
    (
        *("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU"),
        *("IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"),
        *("IS", "LI", "NO", "CH", "GB", "AD", "GI", "MC", "SM", "VA"),
    )
)


@dataclass(frozen=True)
class Scheme:
    """A country's national identifier: its stdnum module and what the number tells of a person."""

    country: str
    module: ModuleType
    birth_date: Callable[[str], date | None] | None = None
    sex: Callable[[str], str] | None = None

    @property
    def name(self) -> Term:
        """The identifier's name, as screens say it."""
        return Term(f"kyc.scheme.{self.country}")


def _gender(module: Any) -> Callable[[str], str]:
    return lambda number: str(module.get_gender(number)).upper()


SCHEMES = {
    s.country: s
    for s in (
        Scheme("DE", de_idnr),
        Scheme("PL", pl_pesel, pl_pesel.get_birth_date, _gender(pl_pesel)),
        Scheme("BE", be_nn, be_nn.get_birth_date, _gender(be_nn)),
        Scheme("BG", bg_egn, bg_egn.get_birth_date),
        Scheme("CZ", cz_rc, cz_rc.get_birth_date),
        Scheme("DK", dk_cpr, dk_cpr.get_birth_date),
        Scheme("EE", ee_ik, ee_ik.get_birth_date, _gender(ee_ik)),
        Scheme("ES", es_dni),
        Scheme("FI", fi_hetu),
        Scheme("IT", it_cf, it_cf.get_birth_date, _gender(it_cf)),
        Scheme("LT", lt_asmens, lt_asmens.get_birth_date),
        Scheme("NL", nl_bsn),
        Scheme("RO", ro_cnp, ro_cnp.get_birth_date),
        Scheme("SE", se_pnr, se_pnr.get_birth_date, _gender(se_pnr)),
    )
}

TERMS = {
    "kyc.scheme.DE": N_("German tax identification number"),
    "kyc.scheme.PL": N_("PESEL"),
    "kyc.scheme.BE": N_("Belgian national number"),
    "kyc.scheme.BG": N_("Bulgarian personal number (EGN)"),
    "kyc.scheme.CZ": N_("Czech birth number"),
    "kyc.scheme.DK": N_("Danish CPR number"),
    "kyc.scheme.EE": N_("Estonian personal code"),
    "kyc.scheme.ES": N_("Spanish DNI"),
    "kyc.scheme.FI": N_("Finnish personal identity code"),
    "kyc.scheme.IT": N_("Italian tax code"),
    "kyc.scheme.LT": N_("Lithuanian personal code"),
    "kyc.scheme.NL": N_("Dutch citizen service number"),
    "kyc.scheme.RO": N_("Romanian personal numeric code"),
    "kyc.scheme.SE": N_("Swedish personal identity number"),
    "kyc.problem.checksum": N_("its check digit is wrong"),
    "kyc.problem.length": N_("it has the wrong number of characters"),
    "kyc.problem.format": N_("it is not written as such a number is"),
    "kyc.problem.component": N_("a part of it (such as a date) is impossible"),
    "kyc.problem.country": N_("its country code is unknown"),
    "kyc.problem.bank_checksum": N_("the bank's own check digits are wrong"),
    "kyc.problem.invalid": N_("it is not valid"),
}
register(TERMS)


def scheme_for(country: str) -> Scheme | None:
    """The national identifier of a country (ISO 3166 alpha-2), if one is supported."""
    return SCHEMES.get(country.upper())


def _number_problem(exc: ValidationError) -> Term:
    kinds = (
        (InvalidChecksum, "checksum"),
        (NumberLength, "length"),
        (InvalidFormat, "format"),
        (InvalidComponent, "component"),
    )
    kind = next((name for cls, name in kinds if isinstance(exc, cls)), "invalid")
    return Term(f"kyc.problem.{kind}")


def national_id(number: str, scheme: Scheme, birth: date | None, sex: str | None) -> list[Reason]:
    """What is wrong with a national identifier for this person; nothing if it is theirs."""
    try:
        compact = scheme.module.validate(number)
    except ValidationError as exc:
        return [Reason.of("kyc.national_id.invalid", scheme=scheme.name, why=_number_problem(exc))]
    found = []
    if scheme.birth_date is not None and birth is not None and scheme.birth_date(compact) != birth:
        found.append(Reason.of("kyc.national_id.birth_date_differs", scheme=scheme.name))
    if scheme.sex is not None and sex in ("F", "M") and scheme.sex(compact) != sex:
        found.append(Reason.of("kyc.national_id.sex_differs", scheme=scheme.name))
    return found


def compact_national_id(number: str, scheme: Scheme) -> str:
    """A valid national identifier in its compact form, as digests compare it."""
    return str(scheme.module.compact(number))


def _iban_problem(exc: SchwiftyException) -> Term:
    kinds = (
        (InvalidChecksumDigits, "checksum"),
        (InvalidBBANChecksum, "bank_checksum"),
        (InvalidLength, "length"),
        (InvalidStructure, "format"),
        (InvalidCountryCode, "country"),
    )
    return Term(f"kyc.problem.{next((n for c, n in kinds if isinstance(exc, c)), 'invalid')}")


def iban(text: str) -> tuple[IBAN | None, list[Reason]]:
    """The IBAN read, or what is wrong with it; an account outside SEPA cannot be debited."""
    try:
        account = IBAN(text)
    except SchwiftyException as exc:
        return None, [Reason.of("kyc.bank.iban_invalid", why=_iban_problem(exc))]
    if account.country_code not in SEPA:
        return account, [Reason.of("kyc.bank.not_sepa", country=account.country_code)]
    return account, []


def creditor_id_valid(text: str) -> bool:
    """Whether a SEPA creditor identifier (e.g. DE98ZZZ09999999999) is well formed."""
    return bool(text) and at_02.is_valid(text)
