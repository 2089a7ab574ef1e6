"""What the privacy rules refuse, by code: the texts screens say them in."""

from __future__ import annotations

from saas.errors import N_, Refusal, register


class PrivacyError(Refusal):
    """A privacy rule said no: an erasure the law or the records do not allow, a bad setting."""


REFUSALS = {
    "record.privacy_settings": N_("privacy settings"),
    "record.erasure_of": N_("the personal data of %(name)s"),
    "privacy.settings.retention_days": N_(
        "the retention period must be between %(low)s and %(high)s days"
    ),
    "privacy.settings.unknown": N_("unknown setting(s): %(names)s"),
    "privacy.reason_missing": N_("give the reason for the erasure"),
    "privacy.reason_too_long": N_("the reason may have at most %(limit)s characters"),
    "privacy.line_active": N_("the line %(number)s is still in use: end the line first"),
    "privacy.subscription_active": N_(
        "a subscription has not ended yet: end it and its line first"
    ),
    "privacy.nothing_left": N_("no personal data is left that may be erased"),
    "privacy.not_a_subscriber": N_("only a subscriber's personal data is erased here"),
}
register(REFUSALS)
