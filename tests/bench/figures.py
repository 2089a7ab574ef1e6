"""`.bench/latest.json`: every figure of the last run, each part of the bench adding its own."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LATEST = ROOT / ".bench" / "latest.json"


def keep(figures: dict[str, float]) -> Path:
    """Write these figures into latest.json, keeping those other parts wrote."""
    LATEST.parent.mkdir(exist_ok=True)
    known = json.loads(LATEST.read_text()) if LATEST.exists() else {}
    LATEST.write_text(json.dumps(known | figures, indent=2, sort_keys=True) + "\n")
    return LATEST
