"""The one pricing engine for usage charges: Lago's charge models, exact decimals, no I/O."""

from saas.catalog.pricing.charges import (
    CHARGE_MODELS,
    Charge,
    GraduatedPercentageProperties,
    GraduatedProperties,
    PackageProperties,
    PercentageProperties,
    PriceRange,
    Properties,
    RateRange,
    StandardProperties,
    VolumeProperties,
    parse_charge,
)
from saas.catalog.pricing.engine import quote
from saas.catalog.pricing.quotes import Quote, QuoteLine
from saas.catalog.pricing.values import ChargeError

__all__ = [
    "CHARGE_MODELS",
    "Charge",
    "ChargeError",
    "GraduatedPercentageProperties",
    "GraduatedProperties",
    "PackageProperties",
    "PercentageProperties",
    "PriceRange",
    "Properties",
    "Quote",
    "QuoteLine",
    "RateRange",
    "StandardProperties",
    "VolumeProperties",
    "parse_charge",
    "quote",
]
