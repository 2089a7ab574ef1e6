"""The Flask class with themed template loading."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from jinja2 import BaseLoader

from saas.web.theming import ThemedEnvironment, ThemeLoader


class SaasFlask(Flask):
    """Flask, with templates resolved through the brand's theme."""

    jinja_environment = ThemedEnvironment

    def create_global_jinja_loader(self) -> BaseLoader:  # type: ignore[override]
        return ThemeLoader(
            Path(self.config["SAAS"].themes_dir), super().create_global_jinja_loader()
        )
