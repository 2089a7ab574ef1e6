"""`saas network import-sims` and `add-range`: a brand's stock loaded from the shell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from saas.network.models import Sim
from tests.conftest import in_brand
from tests.support import network as files


def _run(app: Any, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=["network", *args])


def _count(app: Any, brand: Any) -> int:
    with in_brand(app, brand.id) as session:
        return session.scalar(select(func.count()).select_from(Sim)) or 0


def test_a_sim_file_is_imported_once(app: Any, make: Any, tmp_path: Path) -> None:
    brand = make.brand()
    path = tmp_path / "lieferung.csv"
    path.write_bytes(files.csv_of(files.sims(1000, 3)))
    done = _run(app, "import-sims", str(path), "--tenant", brand.slug)
    assert done.exit_code == 0, done.output
    assert "3 SIMs imported" in done.output
    again = _run(app, "import-sims", str(path), "--tenant", brand.slug)
    assert again.exit_code != 0 and "imported already" in again.output
    assert _count(app, brand) == 3


def test_a_file_with_a_bad_row_names_it_and_imports_nothing(
    app: Any, make: Any, tmp_path: Path
) -> None:
    brand = make.brand()
    rows = files.sims(1100, 2)
    rows[1]["opc"] = "zz"
    path = tmp_path / "kaputt.csv"
    path.write_bytes(files.csv_of(rows))
    done = _run(app, "import-sims", str(path), "--tenant", brand.slug)
    assert done.exit_code != 0
    assert "line 3: OPc must be 32 hexadecimal characters" in done.output
    assert _count(app, brand) == 0


def test_a_range_is_loaded_and_an_unknown_brand_refused(app: Any, make: Any) -> None:
    brand = make.brand()
    done = _run(app, "add-range", "+49 1520 0000000", "+49 1520 0000999", "--tenant", brand.slug)
    assert done.exit_code == 0, done.output
    assert "1000 numbers loaded" in done.output
    missing = _run(app, "add-range", "+49 1520 0000000", "+49 1520 0000999", "--tenant", "nix")
    assert missing.exit_code != 0 and "there is no brand" in missing.output
