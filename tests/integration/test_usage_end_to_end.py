"""A usage file through the real stages: lines, the brand's rate deck, the plan's allowance.

The deck is the CGRateS tariff plan of the rating tests (tests/data/cgrates/spreewelle): a
subscriber on plan `classic` pays RP_CLASSIC's rates. Ten minutes are included: the first call
(8 min) is covered, the second (5 min) is covered for 2 min and charged for 3.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import in_brand, recurring
from tests.support import usage as U

ROOT = Path(__file__).resolve().parents[2]
SINCE = datetime(2026, 10, 1, tzinfo=UTC)
ALLOWANCE = [{"metric": "voice_minutes", "quantity": "10"}]


@pytest.fixture
def brand(app: Any, make: Any) -> Any:
    from saas.usage.rating import cgrates, services

    brand = make.brand(currency="EUR", timezone="Europe/Berlin", country="DE")
    U.stock(app, brand)
    U.source(app, brand, "csv", name="Vermittlung")
    files = cgrates.files_of_directory(ROOT / "tests" / "data" / "cgrates" / "spreewelle")
    with in_brand(app, brand.id) as session:
        services.import_cgrates(session, files, "retail", "Europe/Berlin")
    return brand


def test_a_file_is_rated_by_the_deck_and_charged_after_the_allowance_once(
    app: Any, make: Any, brand: Any
) -> None:
    plan = make.plan(brand, code="classic", components=recurring("9.99"), allowances=ALLOWANCE)
    U.line(app, make, brand, plan=plan, since=SINCE)
    content = U.csv_file(
        U.call("a", at="2026-11-16T10:00:00Z", seconds=480),
        U.call("b", at="2026-11-16T11:00:00Z", seconds=300),
    )
    done = U.ingest(app, brand, "Vermittlung", content)
    assert (done.records, done.rated) == (2, 2), done
    first, second = U.stored(app, brand)
    assert first.retail_micros > 0 and first.charged_micros == 0
    assert first.allowance_used == first.rated_usage == 480
    assert second.allowance_used == 120
    assert 0 < second.charged_micros < second.retail_micros
    # The same records in another file are recognised, and nothing is drawn or charged again.
    again = U.ingest(app, brand, "Vermittlung", content + b"\n", name="again.csv")
    assert (again.rated, again.duplicates) == (0, 2)
    assert [r.charged_micros for r in U.stored(app, brand)] == [0, second.charged_micros]
