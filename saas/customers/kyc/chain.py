"""The verifier chain: which checks run for a brand, in order, and their results.

Other areas add their own checks with `register`; the vendor joins the chain where the brand
uses one.
"""

from __future__ import annotations

from saas.customers.kyc.checks import (
    AgeCheck,
    BankCheck,
    Check,
    Context,
    DocumentCheck,
    NationalIdCheck,
    read_zone,
)
from saas.customers.kyc.lookups import DuplicateCheck, SanctionsCheck, VendorCheck
from saas.customers.kyc.models import KycSettings
from saas.customers.kyc.outcome import Result

BUILT_IN: tuple[Check, ...] = (
    DocumentCheck(),
    AgeCheck(),
    NationalIdCheck(),
    SanctionsCheck(),
    DuplicateCheck(),
    BankCheck(),
)
_added: list[Check] = []


def register(check: Check) -> None:
    """Add a check to every brand's chain, after the built-in ones."""
    if any(c.name == check.name for c in (*BUILT_IN, *_added)):
        raise ValueError(f"a KYC check named {check.name!r} is in the chain already")
    _added.append(check)


def checks_for(rules: KycSettings) -> list[Check]:
    """The chain of a brand: the built-in checks, those added, then the vendor if it uses one."""
    vendor: list[Check] = [VendorCheck()] if rules.vendor_enabled else []
    return [*BUILT_IN, *_added, *vendor]


def run(ctx: Context, checks: list[Check]) -> list[Result]:
    """Run every check of the chain on the applicant; each sees what the ones before found."""
    read_zone(ctx)
    return [check.run(ctx) for check in checks]
