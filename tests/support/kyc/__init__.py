"""KYC test data: list files with invented names, and zones built with their check digits."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from unidecode import unidecode

from saas.customers.kyc.mrz import check_digit

HERE = Path(__file__).resolve().parent
OPENSANCTIONS_FILE = HERE / "opensanctions.csv"
EU_FILE = HERE / "eu.csv"

# The ICAO 9303 specimens (parts 4, 5 and 6).
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)
TD2 = ("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6")
TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
SPECIMENS = {"TD1": TD1, "TD2": TD2, "TD3": TD3}


def _yymmdd(day: date) -> str:
    return day.strftime("%y%m%d")


def _icao(name: str) -> str:
    """A name as ICAO 9303 writes it: Ä, Ö, Ü as AE, OE, UE, the rest in Latin letters."""
    for char, spelled in (("Ä", "AE"), ("Ö", "OE"), ("Ü", "UE"), ("ß", "SS")):
        name = name.replace(char, spelled).replace(char.lower(), spelled)
    return unidecode(name).upper().replace(" ", "<").replace("-", "<")


def _name(surname: str, given: str, width: int) -> str:
    field = _icao(surname) + "<<" + _icao(given)
    return field[:width].ljust(width, "<")


def td3(
    surname: str,
    given: str,
    birth: date,
    expiry: date,
    number: str = "C01X00T47",
    sex: str = "F",
    country: str = "D<<",
    personal: str = "",
) -> tuple[str, str]:
    """A passport's zone for a person, every check digit right."""
    line1 = ("P<" + country + _name(surname, given, 39))[:44]
    doc = number.ljust(9, "<")
    optional = personal.ljust(14, "<")
    part = doc + check_digit(doc) + country + _yymmdd(birth) + check_digit(_yymmdd(birth))
    part += sex + _yymmdd(expiry) + check_digit(_yymmdd(expiry)) + optional
    part += check_digit(optional)
    composite = part[0:10] + part[13:20] + part[21:43]
    return line1, part + check_digit(composite)
