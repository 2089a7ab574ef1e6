"""The domain stands on its own: it never reaches for the web layer, the workers or a request."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SAAS = Path(__file__).resolve().parents[2] / "saas"
# The adapters over the domain, and the app's assembly (create_app, the WSGI entry point, the
# Flask extensions): these may import the web layer and Flask's request objects.
ADAPTERS = ("web", "cli")
ASSEMBLY = ("__init__.py", "wsgi.py", "extensions.py")
# Request-bound objects and translation at request time: a domain rule says no with a code and
# marks its English with saas.errors.N_; the screen that shows it translates it.
REQUEST_GLOBALS = {
    "flask": {"request", "g", "session"},
    "flask.globals": {"request", "g", "session", "request_ctx"},
    "flask_login": {"current_user"},
}
FORBIDDEN_MODULES = ("saas.web", "workers", "flask_babel", "flask_login.utils")


def domain_modules() -> Iterator[Path]:
    for path in sorted(SAAS.rglob("*.py")):
        parts = path.relative_to(SAAS).parts
        if parts[0] in ADAPTERS or parts in {(name,) for name in ASSEMBLY}:
            continue
        yield path


def _forbidden(module: str) -> bool:
    return any(module == name or module.startswith(f"{name}.") for name in FORBIDDEN_MODULES)


def violations(source: str) -> list[str]:
    """What a module imports or touches that the domain may not."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if _forbidden(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.module and _fetches(node.module, node.names):
            found.append(f"from {node.module} import {', '.join(a.name for a in node.names)}")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            found += [f"{node.value.id}.{node.attr}"] if _global(node.value.id, node.attr) else []
    return found


def _fetches(module: str, names: list[ast.alias]) -> bool:
    fetched = [f"{module}.{a.name}" for a in names]
    return (
        _forbidden(module)
        or any(map(_forbidden, fetched))
        or any(_global(module, a.name) for a in names)
    )


def _global(module: str, name: str) -> bool:
    return name in REQUEST_GLOBALS.get(module, set())


@pytest.mark.parametrize("path", list(domain_modules()), ids=lambda p: str(p.relative_to(SAAS)))
def test_a_domain_module_imports_neither_the_web_layer_nor_workers_nor_request_globals(
    path: Path,
) -> None:
    assert violations(path.read_text("utf-8")) == []


def test_the_web_layer_never_imports_the_workers() -> None:
    for path in sorted((SAAS / "web").rglob("*.py")):
        found = [v for v in violations(path.read_text("utf-8")) if "workers" in v]
        assert found == [], path


@pytest.mark.parametrize(
    "source",
    [
        "from saas.web.change_forms import pinned",
        "from saas import web",
        "import saas.web.api",
        "import workers.broker",
        "from workers import notifications",
        "from flask import request",
        "from flask import current_app, g",
        "import flask\nflask.session.get('x')",
        "from flask_login import current_user",
        "from flask_babel import lazy_gettext as _l",
        "def f():\n    from workers.subscriptions import apply_due_changes",
    ],
)
def test_the_check_catches_each_kind_of_forbidden_import(source: str) -> None:
    assert violations(source) != []


def test_the_check_lets_the_domain_use_what_it_may() -> None:
    allowed = (
        "from flask import current_app, has_app_context\n"
        "from flask_security.utils import hash_password\n"
        "from saas.errors import N_\n"
        "from saas.jobs import queue\n"
    )
    assert violations(allowed) == []
