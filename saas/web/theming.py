"""White-label themes: per-brand templates and tokens over the base theme."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from flask import Flask, abort, current_app, g, has_request_context, send_from_directory
from flask.templating import Environment as FlaskEnvironment
from jinja2 import BaseLoader
from markupsafe import Markup
from werkzeug.security import safe_join

from saas.tenancy.themes import BASE, THEME_NAME, read_theme

# Brands may restyle what subscribers see; the consoles always come from the base theme.
OVERRIDABLE = ("portal/", "security/", "brand/")
SEP = "::"


def themes_dir() -> Path:
    return Path(current_app.config["SAAS"].themes_dir)


def current_theme() -> str:
    """Return the theme of the brand being served, or the base theme."""
    tenant = g.get("tenant") if has_request_context() else None
    name = getattr(tenant, "theme", BASE) or BASE
    return name if THEME_NAME.match(name) else BASE


def qualify(name: str, theme: str) -> str:
    """Return the cache name of a template: overridable ones carry the theme."""
    if SEP in name:
        return name
    return f"{theme}{SEP}{name}" if name.startswith(OVERRIDABLE) and theme != BASE else name


class ThemeLoader(BaseLoader):
    """Look in the brand theme for overridable templates, then the base theme, then blueprints."""

    def __init__(self, root: Path, fallback: BaseLoader):
        self.root, self.fallback = root, fallback

    def get_source(self, environment: Any, template: str) -> tuple[str, str | None, Any]:
        theme, _, name = template.rpartition(SEP)
        for candidate in ([theme] if theme else []) + [BASE]:
            path = safe_join(str(self.root / candidate / "templates"), name)
            if path and Path(path).is_file():
                mtime = Path(path).stat().st_mtime
                source = Path(path).read_text(encoding="utf-8")
                return source, path, lambda p=path, m=mtime: Path(p).stat().st_mtime == m
        return self.fallback.get_source(environment, name)

    def list_templates(self) -> list[str]:
        return sorted(
            p.relative_to(self.root / BASE / "templates").as_posix()
            for p in (self.root / BASE / "templates").rglob("*.html")
        )


class ThemedEnvironment(FlaskEnvironment):
    """Jinja environment whose template cache is keyed per theme."""

    def _load_template(self, name: str, globals: Any) -> Any:
        return super()._load_template(qualify(name, current_theme()), globals)


@lru_cache(maxsize=64)
def _tokens(root: str, theme: str) -> dict[str, Any]:
    data = read_theme(root, theme)
    tokens = data["tokens"]
    # Token values cannot hold "<", ";" or braces, so the rule cannot leave its <style> element;
    # written unescaped, quoted font names stay quotes ("&#39;" would void the declaration).
    declarations = "".join(f"--{key}: {value};" for key, value in tokens.items())
    root = Markup(f":root{{{declarations}}}")
    return {**data, "root_css": root}


def theme_info(theme: str | None = None) -> Mapping[str, Any]:
    """Return a theme's tokens and logo, falling back to base values (shared: read only)."""
    return _theme_info(current_app.config["SAAS"].themes_dir, theme or current_theme())


# Every page draws its theme: the tokens are read once per theme and process.
@lru_cache(maxsize=64)
def _theme_info(root: str, name: str) -> Mapping[str, Any]:
    base = _tokens(root, BASE)
    info = _tokens(root, name) if name != BASE else base
    return MappingProxyType({**info, "name": name, "logo": info["logo"] or base["logo"]})


def forget_themes() -> None:
    """Read the themes' files again (after they changed on disk)."""
    _tokens.cache_clear()
    _theme_info.cache_clear()


def asset(theme: str, filename: str) -> Any:
    """Serve a theme's static file, falling back to the base theme."""
    if not THEME_NAME.match(theme):
        abort(404)
    for candidate in (theme, BASE):
        folder = themes_dir() / candidate / "static"
        path = safe_join(str(folder), filename)
        if path and Path(path).is_file():
            return send_from_directory(folder, filename, max_age=3600)
    abort(404)


def init_app(app: Flask) -> None:
    """Serve theme assets and expose the theme to templates."""
    app.add_url_rule("/_theme/<theme>/<path:filename>", "theme_asset", asset)
    app.context_processor(lambda: {"theme": theme_info()})
