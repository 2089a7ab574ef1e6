"""White-label themes: each brand in its own colours and layout, the consoles never restyled."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, login

THEMES = ROOT / "themes"
ADMIN_MARK = "EVIL-ADMIN-OVERRIDE"
LAYOUT_MARK = "EVIL-LAYOUT-OVERRIDE"
PORTAL_MARK = "EVIL-PORTAL-OVERRIDE"


def primary_colour(theme: str) -> str:
    data = tomllib.loads((THEMES / theme / "theme.toml").read_text(encoding="utf-8"))
    return str(data["tokens"]["color-primary"])


@pytest.mark.parametrize(
    ("slug", "name", "other"),
    [
        ("spreewelle", "Spreewelle Mobil", "wislafon"),
        ("wislafon", "Wiślafon", "spreewelle"),
    ],
)
def test_a_demo_brand_is_served_in_its_own_tokens_and_name(
    client: Any, slug: str, name: str, other: str
) -> None:
    page = client.get("/", base_url=f"http://{slug}.localhost").get_data(as_text=True)
    assert f"--color-primary: {primary_colour(slug)};" in page
    assert primary_colour(other) not in page
    assert f'data-testid="brand-name">{name}</span>' in page
    assert f"/_theme/{slug}/css/theme.css" in page


@pytest.mark.parametrize("slug", ["spreewelle", "wislafon"])
def test_each_demo_brand_welcomes_visitors_with_its_own_layout(client: Any, slug: str) -> None:
    page = client.get("/", base_url=f"http://{slug}.localhost").get_data(as_text=True)
    assert f'data-layout="{slug}"' in page


def test_a_brand_without_a_theme_of_its_own_gets_the_base_look(client: Any, make: Any) -> None:
    client.get("/", base_url="http://wislafon.localhost")  # fills the template cache first
    brand = make.brand()
    page = client.get("/", base_url=f"http://{brand.host}").get_data(as_text=True)
    assert 'data-layout="base"' in page
    assert f"--color-primary: {primary_colour('base')};" in page
    assert "/css/theme.css" not in page


def status(client: Any, path: str, host: str) -> int:
    with client.get(path, base_url=f"http://{host}") as response:
        return int(response.status_code)


def test_the_theme_stylesheet_and_logo_are_served(client: Any) -> None:
    host = "spreewelle.localhost"
    assert status(client, "/_theme/spreewelle/css/theme.css", host) == 200
    assert status(client, "/_theme/spreewelle/img/logo.svg", host) == 200
    # A file the brand theme lacks comes from the base theme.
    assert status(client, "/_theme/spreewelle/css/app.css", host) == 200


@pytest.mark.parametrize(
    "path",
    [
        "/_theme/spreewelle/../templates/portal/welcome.html",
        "/_theme/spreewelle/..%2Ftemplates%2Fportal%2Fwelcome.html",
        "/_theme/spreewelle/%2e%2e/templates/portal/welcome.html",
        "/_theme/spreewelle/../theme.toml",
        "/_theme/base/../../saas/config.py",
        "/_theme/..%2Fwislafon/templates/portal/welcome.html",
        "/_theme/wislafon/%2Fetc%2Fpasswd",
        "/_theme/Wislafon/css/theme.css",
    ],
)
def test_paths_escaping_a_theme_are_not_served(client: Any, path: str) -> None:
    response = client.get(path, base_url="http://wislafon.localhost", follow_redirects=True)
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "{% extends" not in body and "[tokens]" not in body


@pytest.fixture
def evil_themes(app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Serve themes from a folder holding the base theme and one that overrides everything."""
    root = tmp_path / "themes"
    root.mkdir()
    (root / "base").symlink_to(THEMES / "base", target_is_directory=True)
    overrides = {
        "admin/index.html": f"{ADMIN_MARK}",
        "admin/layout.html": f"{ADMIN_MARK}",
        "layout.html": f"{LAYOUT_MARK}",
        "portal/welcome.html": f'{{% extends "portal/layout.html" %}}'
        f"{{% block content %}}{PORTAL_MARK}{{% endblock %}}",
    }
    for name, source in overrides.items():
        path = root / "evil" / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    monkeypatch.setattr(app.jinja_env.loader, "root", root)
    monkeypatch.setitem(app.config, "SAAS", replace(app.config["SAAS"], themes_dir=str(root)))
    app.jinja_env.cache.clear()
    yield root
    app.jinja_env.cache.clear()


def test_a_brand_theme_cannot_restyle_the_console(app: Any, make: Any, evil_themes: Path) -> None:
    brand = make.brand(theme="evil")
    owner = make.user(brand, "staff", ("owner",))
    visitor = app.test_client()
    welcome = visitor.get("/", base_url=f"http://{brand.host}").get_data(as_text=True)
    assert PORTAL_MARK in welcome  # portal overrides of this theme folder are in use
    assert LAYOUT_MARK not in welcome
    staff = app.test_client()
    assert login(staff, brand.host, owner.email, owner.password).status_code == 302
    console = staff.get("/admin/", base_url=f"http://{brand.host}")
    assert console.status_code == 200
    page = console.get_data(as_text=True)
    assert ADMIN_MARK not in page and LAYOUT_MARK not in page
    assert 'data-testid="console-title"' in page


def test_theme_tokens_reach_the_page_as_css_and_cannot_leave_the_style_element(
    app: Any, make: Any, evil_themes: Path
) -> None:
    (evil_themes / "evil" / "theme.toml").write_text(
        "[tokens]\n"
        "font-family = \"'Source Serif 4', Georgia, serif\"\n"
        'color-primary = "red;}</style><script>alert(1)</script>"\n',
        encoding="utf-8",
    )
    from saas.web import theming

    theming.forget_themes()
    try:
        brand = make.brand(theme="evil")
        page = app.test_client().get("/", base_url=f"http://{brand.host}").get_data(as_text=True)
    finally:
        theming.forget_themes()
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    # Quotes stay quotes: an escaped &#39; would make the browser drop the declaration.
    assert "--font-family: 'Source Serif 4', Georgia, serif;" in style
    assert "<script>" not in page and "--color-primary: #1f4e79;" in style
