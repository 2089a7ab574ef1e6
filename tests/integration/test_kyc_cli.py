"""`saas kyc load-sanctions`: a list file loads once; the same file again changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from saas.customers.kyc.models import SanctionsList
from tests.conftest import in_platform
from tests.support.kyc import OPENSANCTIONS_FILE


def load(app: Any, path: Path, source: str) -> Any:
    return app.test_cli_runner().invoke(
        args=["kyc", "load-sanctions", str(path), "--format", source]
    )


def test_a_list_loads_once_and_again_is_unchanged(app: Any, tmp_path: Path) -> None:
    path = tmp_path / "fresh.csv"
    path.write_bytes(
        OPENSANCTIONS_FILE.read_bytes() + b"NK-extra,Person,Invented Person,,,,,,,,,,,,\n"
    )
    first = load(app, path, "opensanctions")
    assert (
        first.exit_code == 0 and ": loaded: list " in first.output and "6 entries" in first.output
    )
    again = load(app, path, "opensanctions")
    assert again.exit_code == 0 and "already loaded, unchanged" in again.output
    with in_platform(app) as session:
        stmt = (
            select(func.count())
            .select_from(SanctionsList)
            .where(SanctionsList.file_name == "fresh.csv")
        )
        assert session.scalar(stmt) == 1


def test_a_file_of_another_format_is_refused_and_loads_nothing(app: Any, tmp_path: Path) -> None:
    path = tmp_path / "other.csv"  # a file of its own: one loaded already is found by its hash
    path.write_bytes(
        OPENSANCTIONS_FILE.read_bytes() + b"NK-other,Person,Other Person,,,,,,,,,,,,\n"
    )
    refused = load(app, path, "eu")
    assert refused.exit_code == 1
    assert "nothing loaded" in refused.output and "Entity_LogicalId" in refused.output
