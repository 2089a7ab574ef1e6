"""Figures kept for a while belong to one app: another app in the process computes its own."""

from __future__ import annotations

from flask import Flask

from saas.web.kept import kept


def test_a_kept_value_is_reused_within_its_time_and_never_shared_between_apps() -> None:
    calls: list[str] = []

    def compute(name: str) -> str:
        calls.append(name)
        return name

    first, second = Flask("first"), Flask("second")
    with first.app_context():
        assert kept("figures", 7, 60, lambda: compute("first")) == "first"
        assert kept("figures", 7, 60, lambda: compute("again")) == "first"
        assert kept("figures", 7, 0, lambda: compute("stale")) == "stale"
        refused = kept("figures", 7, 60, lambda: compute("refused"), lambda _v: False)
        assert refused == "refused"
    with second.app_context():
        assert kept("figures", 7, 60, lambda: compute("second")) == "second"
    assert calls == ["first", "stale", "refused", "second"]
