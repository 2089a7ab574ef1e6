"""A plan's name and description in a language, falling back to the brand's default language.

The `name` and `description` columns hold the brand's default language; `Plan.translations`
holds the others as {"en": {"name": ..., "description": ...}}, a text left out falling back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from saas.catalog import models as M
from saas.catalog.specs import NAME_MAX, CatalogError, bounded_text
from saas.errors import N_, Term, register
from saas.i18n_locales import SUPPORTED_LOCALES

DESCRIPTION_MAX = 2000
TEXT_KEYS = ("name", "description")
LIMITS = {"name": NAME_MAX, "description": DESCRIPTION_MAX}
Translations = dict[str, dict[str, str]]

register(
    {
        "record.plan_texts": N_('plan "%(code)s" in language "%(language)s"'),
        "catalog.unknown_language": N_("is not a language the platform speaks (%(options)s)"),
        "catalog.default_language": N_(
            "is the brand's own language: its texts are the plan's name and description"
        ),
        "catalog.texts_not_object": N_(
            "the texts of a language are an object with a name and a description"
        ),
    }
)


class PlanText(NamedTuple):
    """What a person reading one language is shown of a plan."""

    name: str
    description: str


def plan_text(plan: M.Plan, locale: str | None) -> PlanText:
    """The plan's name and description in the locale; a text not given is the default's."""
    given = (plan.translations or {}).get(str(locale or ""), {})
    return PlanText(given.get("name") or plan.name, given.get("description") or plan.description)


def _language(record: Term, language: str, default_locale: str | None) -> None:
    at = f"translations.{language}"
    if language not in SUPPORTED_LOCALES:
        options = ", ".join(SUPPORTED_LOCALES)
        raise CatalogError("catalog.unknown_language", record, at, options=options)
    if language == default_locale:
        raise CatalogError("catalog.default_language", record, at)


def _texts(texts: Any, record: Term, language: str) -> dict[str, str]:
    if not isinstance(texts, Mapping) or set(texts) - set(TEXT_KEYS):
        raise CatalogError("catalog.texts_not_object", record, f"translations.{language}")
    cleaned = {key: bounded_text(texts.get(key), record, key, LIMITS[key]) for key in TEXT_KEYS}
    return {key: text for key, text in cleaned.items() if text}


def parse_translations(
    data: Any, plan_code: str, default_locale: str | None = None
) -> Translations:
    """Check texts per language: known languages other than the default, texts within limits.

    A language whose texts are all empty is left out: it reads as the default language.
    """
    if not isinstance(data, Mapping):
        raise CatalogError(
            "catalog.texts_not_object", Term("record.plan", code=plan_code), "translations"
        )
    out: Translations = {}
    for language, texts in data.items():
        record = Term("record.plan_texts", code=plan_code, language=str(language))
        _language(record, str(language), default_locale)
        cleaned = _texts(texts, record, str(language))
        if cleaned:
            out[str(language)] = cleaned
    return dict(sorted(out.items()))


def merged(current: Translations, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The texts after a change that names some languages; a language given None is removed."""
    out: dict[str, Any] = {k: v for k, v in current.items() if k not in changes}
    out.update({k: v for k, v in changes.items() if v is not None})
    return out
