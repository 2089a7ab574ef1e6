"""The pipeline's stages by name: one small registry, so a stage can be swapped for another.

`lines` is this area's own. `rate` and `charge` are the rating and charging areas'
(`saas.usage.rating.rate`, `saas.usage.charging.charge`), looked up when first asked for; a test
or a bench registers a fake of either instead (tests/support/usage_stages.py). Their shapes are
`records.py`'s: rate(session, found) -> (rated, refused); charge(session, rated) -> charged.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from saas.usage.lines import lines

Stage = Callable[..., Any]
ORDER = ("lines", "rate", "charge")
# Where each stage lives when nobody registered one: module and function name.
HOMES = {"rate": ("saas.usage.rating", "rate"), "charge": ("saas.usage.charging", "charge")}
STAGES: dict[str, Stage] = {"lines": lines}


class StageMissing(LookupError):
    """A stage the pipeline needs is neither registered nor installed."""


def register(name: str, stage: Stage) -> Stage | None:
    """Use `stage` for `name` from now on; returns the one it replaces (to put back)."""
    if name not in ORDER:
        raise ValueError(f"no stage {name!r}: the stages are {', '.join(ORDER)}")
    previous = STAGES.get(name)
    STAGES[name] = stage
    return previous


def unregister(name: str, previous: Stage | None = None) -> None:
    """Put back the stage a `register` replaced (or none)."""
    if previous is None:
        STAGES.pop(name, None)
    else:
        STAGES[name] = previous


def stage(name: str) -> Stage:
    """The stage of that name: the registered one, else its own module's."""
    found = STAGES.get(name)
    if found is not None:
        return found
    module, attr = HOMES[name]
    try:
        found = getattr(import_module(module), attr)
    except (ImportError, AttributeError) as exc:
        raise StageMissing(f"the {name} stage ({module}.{attr}) is not installed") from exc
    STAGES[name] = found
    return found
