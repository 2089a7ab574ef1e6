"""Figures a page may show a little stale: kept per app (so per database) and key, for a while."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app

T = TypeVar("T")
_lock = threading.Lock()


def kept(
    name: str,
    key: Any,
    seconds: float,
    compute: Callable[[], T],
    still_good: Callable[[T], bool] = lambda _value: True,
) -> T:
    """The value computed for `key` less than `seconds` ago in this app, else computed now.

    The store lives on the app, not the module: two apps in one process (two databases) never
    see each other's figures. `still_good` can refuse a kept value early.
    """
    store: dict[Any, tuple[float, Any]] = current_app.extensions.setdefault(f"saas.kept.{name}", {})
    with _lock:
        entry = store.get(key)
    if entry is not None and time.monotonic() - entry[0] < seconds and still_good(entry[1]):
        return entry[1]
    value = compute()
    with _lock:
        store[key] = (time.monotonic(), value)
    return value
