"""Names compared across scripts and spellings: transliterated, folded, in one form.

A passport writes Müller as MUELLER (ICAO 9303's transliteration), a sanctions list may write
Muller or Müller, and a person types what they like. Every name is brought to one form before it
is compared: transliterated to Latin letters (unidecode), upper case, the German umlaut spellings
AE, OE and UE folded to the plain vowel, anything but letters a space.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz
from unidecode import unidecode

# Transliterations that differ between ICAO 9303 and unidecode, brought to one spelling.
_FOLDS = (("AE", "A"), ("OE", "O"), ("UE", "U"))
_NOT_LETTERS = re.compile(r"[^A-Z]+")


def folded(name: str) -> str:
    """A name in the one form comparisons use: 'Müller-Lüdenscheidt' is 'MULLER LUDENSCHEIDT'."""
    text = unidecode(name).upper()
    for spelled, plain in _FOLDS:
        text = text.replace(spelled, plain)
    return " ".join(_NOT_LETTERS.sub(" ", text).split())


def similarity(a: str, b: str) -> float:
    """How alike two names are, 0 to 100, whatever the order of their parts."""
    return float(fuzz.token_sort_ratio(folded(a), folded(b)))


def same_name(a: str, b: str, threshold: float = 90.0) -> bool:
    """Whether two names are the same name, allowing for spelling and transliteration."""
    return similarity(a, b) >= threshold
