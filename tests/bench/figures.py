"""The bench's figures: one line each as `name: value unit`, kept in `.bench/latest.json`."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LATEST = ROOT / ".bench" / "latest.json"


def record(figures: dict[str, float], units: dict[str, str] | None = None) -> None:
    """Print each figure and merge them into latest.json, keeping the figures of other parts."""
    for name, value in figures.items():
        print(f"{name}: {value} {(units or {}).get(name, '')}".rstrip())
    keep(figures)


def keep(figures: dict[str, float]) -> Path:
    """Write these figures into latest.json, keeping those other parts wrote."""
    LATEST.parent.mkdir(exist_ok=True)
    known = json.loads(LATEST.read_text()) if LATEST.exists() else {}
    LATEST.write_text(json.dumps(known | figures, indent=2, sort_keys=True) + "\n")
    return LATEST
