"""Host names and template names are normalised before anything is looked up."""

import pytest

from saas.tenancy.brands import BrandError, BrandSpec
from saas.tenancy.resolver import normalise_host
from saas.web.theming import qualify


@pytest.mark.parametrize(
    ("raw", "host"),
    [
        ("Spreewelle.LOCALHOST:5000", "spreewelle.localhost"),
        ("example.com.", "example.com"),
        ("[::1]:5000", "[::1]"),
    ],
)
def test_hosts_are_normalised(raw: str, host: str) -> None:
    assert normalise_host(raw) == host


@pytest.mark.parametrize(
    "raw",
    [
        "spreewelle.localhost..",
        "a..b",
        "",
        ".",
        "a_b.example",
        "-a.example",
        "a:",
        "a:b",
        "[::1",
        "[x]",
    ],
)
def test_malformed_hosts_have_no_normal_form(raw: str) -> None:
    assert normalise_host(raw) is None


def test_portal_templates_are_cached_per_theme_and_admin_ones_are_not() -> None:
    assert qualify("portal/home.html", "wislafon") == "wislafon::portal/home.html"
    assert qualify("admin/index.html", "wislafon") == "admin/index.html"
    assert qualify("portal/home.html", "base") == "portal/home.html"


def test_a_brand_spec_lists_every_problem_at_once() -> None:
    spec = BrandSpec(
        slug="Bad Slug!",
        name="",
        currency="XYZ",
        timezone="Mars/Olympus",
        default_locale="fr",
        domains=["not a host"],
    )
    with pytest.raises(BrandError) as err:
        spec.normalised()
    text = str(err.value)
    for fragment in ("slug", "name is empty", "XYZ", "Mars/Olympus", '"fr"', "not a host"):
        assert fragment in text


def test_unknown_fields_in_a_brand_file_are_refused() -> None:
    with pytest.raises(BrandError, match="colour"):
        BrandSpec.from_mapping({"slug": "x1", "name": "X", "colour": "red"})
