"""The operators a number can be ported from, per country: code and the name they trade under."""

from __future__ import annotations

DONORS: dict[str, dict[str, str]] = {
    "DE": {
        "telekom": "Telekom Deutschland",
        "vodafone": "Vodafone",
        "telefonica": "Telefónica (O2)",
        "1und1": "1&1",
    },
    "PL": {
        "orange": "Orange Polska",
        "play": "Play",
        "plus": "Plus (Polkomtel)",
        "tmobile": "T-Mobile Polska",
    },
}


def donors(country: str) -> dict[str, str]:
    """The donors of a country by code; of every country for a brand that names none."""
    if not country:
        return {code: name for names in DONORS.values() for code, name in names.items()}
    return dict(DONORS.get(country.upper(), {}))


def donor_name(code: str) -> str:
    """An operator's trading name, or the code itself for one no longer listed."""
    return next((names[code] for names in DONORS.values() if code in names), code)
