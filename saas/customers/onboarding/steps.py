"""The steps of a sign-up, what each asks, and which of its answers are personal data."""

from __future__ import annotations

from dataclasses import dataclass

from saas.errors import N_, Refusal, register


@dataclass(frozen=True)
class Step:
    """One page of the sign-up: its name, its answers, and those that are sealed at rest."""

    name: str
    fields: tuple[str, ...]
    personal: tuple[str, ...] = ()

    @property
    def open_fields(self) -> tuple[str, ...]:
        """The answers kept in the clear: names, choices, consents."""
        return tuple(f for f in self.fields if f not in self.personal)


STEPS = (
    Step(
        "person",
        ("kind", "first_name", "last_name", "birth_date", "company_name", "vat_id"),
        personal=("birth_date",),
    ),
    Step(
        "address",
        ("street", "postcode", "city", "country"),
        personal=("street", "postcode", "city"),
    ),
    Step(
        "document",
        ("document_kind", "mrz", "national_id"),
        personal=("mrz", "national_id"),
    ),
    Step("plan", ("plan_version_id", "lines")),
    Step("sim", ("sim_kind",)),
    Step("number", ("number_choice", "msisdn", "donor", "donor_account")),
    Step(
        "consents",
        ("payment", "iban", "terms", "privacy", "marketing"),
        personal=("iban",),
    ),
)
BY_NAME = {step.name: step for step in STEPS}
NAMES = tuple(step.name for step in STEPS)


class OnboardingError(Refusal):
    """A sign-up that cannot go on as asked: its code and the field it concerns."""


register(
    {
        "onboarding.no_such_step": N_("there is no step %(step)s"),
        "onboarding.step_first": N_("first fill in the step before: %(step)s"),
        "onboarding.not_a_draft": N_("this sign-up was sent already"),
        "onboarding.incomplete": N_("some steps are not filled in yet"),
        "onboarding.unknown_answer": N_("%(answer)s is not asked in this step"),
    }
)


def step(name: str) -> Step:
    """The step of that name."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise OnboardingError("onboarding.no_such_step", step=name) from None


def next_step(done: list[str]) -> str | None:
    """The first step not filled in yet; None when all are."""
    return next((name for name in NAMES if name not in done), None)
