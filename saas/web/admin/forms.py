"""Small helpers the console's views share: reading forms, refusing input, 404 for strangers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from flask import abort, flash, render_template, request

from saas.db import Base, db, get_scoped

T = TypeVar("T")
Row = TypeVar("Row", bound=Base)

INVALID = 400


def text(name: str) -> str:
    """Return a trimmed form field, empty when missing."""
    return request.form.get(name, "").strip()


def checked(name: str, allowed: Iterable[str]) -> list[str]:
    """Return the ticked checkbox values that are among the allowed ones."""
    allowed = set(allowed)
    return sorted({v for v in request.form.getlist(name) if v in allowed})


def refuse(problems: list[str], template: str, **context: Any) -> Any:
    """Flash every problem and show the form again with what was entered."""
    for problem in problems:
        flash(problem, "error")
    return render_template(template, form=request.form, **context), INVALID


def found(load: Callable[..., T], *args: Any) -> T:
    """Call a loader and answer 404 when it finds nothing in this brand."""
    try:
        return load(*args)
    except LookupError:
        abort(404)


def scoped(model: type[Row], ident: int) -> Row:
    """Load one of this brand's rows by id, or answer 404."""
    row = get_scoped(db.session, model, ident)
    if row is None:
        abort(404)
    return row
