"""A brand's look as its theme folder declares it: design tokens, logo and label."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

BASE = "base"
THEME_NAME = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
TOKEN_VALUE = re.compile(r"^[#a-zA-Z0-9 ,.'\"()%-]{1,120}$")
DEFAULT_TOKENS = {
    "color-primary": "#1f4e79",
    "color-on-primary": "#ffffff",
    "color-accent": "#f2a900",
    "color-background": "#f7f8fa",
    "color-surface": "#ffffff",
    "color-text": "#1c1e21",
    "color-muted": "#5f6b7a",
    "font-family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    "radius": "8px",
}


def theme_name(name: str | None) -> str:
    """The theme to use for a brand's setting: its own if well formed, else the base theme."""
    return name if name and THEME_NAME.match(name) else BASE


@lru_cache(maxsize=64)
def read_theme(root: str, theme: str) -> dict[str, Any]:
    """A theme's tokens (base values where it declares none or a malformed one), logo and label."""
    path = Path(root) / theme / "theme.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    tokens = dict(DEFAULT_TOKENS)
    for key, value in data.get("tokens", {}).items():
        if key in DEFAULT_TOKENS and TOKEN_VALUE.match(str(value)):
            tokens[key] = str(value)
    return {"tokens": tokens, "logo": data.get("logo", ""), "label": data.get("label", theme)}
