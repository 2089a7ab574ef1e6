"""Usage ingestion, file to rated rows in PostgreSQL, beside a plain COPY of the same rows.

It makes its own data: a brand with LINES lines and a normalised CSV of CDRS calls, SMS and data
sessions on them. Each run ingests the file in a child process (so its peak memory is its own):
received, cut into chunks, every chunk read, matched to lines, rated and charged by the fakes
of the rating and charging ports (tests/support/usage_stages.py, until the real ones are in
this branch), and stored. Then the same rows are COPYed into a bare table. A smaller file is
ingested too, to show that memory does not grow with the file.

    python -m tests.bench.ingest            (or `make bench`, which runs it first)
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.bench.figures import keep
from tests.support import backends

CDRS = int(os.environ.get("SAAS_BENCH_CDRS", "1000000"))
SMALL = CDRS // 10
LINES = 200
FIRST = 4915210000000
DAY = datetime(2026, 11, 15, tzinfo=UTC)


def _settings(database: backends.Database) -> Any:
    from saas.config import load_settings

    root = Path(__file__).resolve().parents[2]
    return load_settings(
        {},
        env="test",
        database_url=database.runtime_url,
        migration_database_url=database.owner_url,
        tenants_dir=str(root / "tenants"),
        themes_dir=str(root / "themes"),
    )


def _app(database: backends.Database) -> Any:
    from saas import create_app

    return create_app({"SAAS": _settings(database), "WTF_CSRF_ENABLED": False})


def setup(database: backends.Database) -> int:
    """A brand with LINES active lines and a CSV source; returns the brand's id."""
    from saas.db.migrate import upgrade
    from saas.network import lines, numbers, sims
    from saas.platform_setup import seed_reference_data
    from saas.subscriptions.models import Subscription
    from saas.usage import files
    from tests.conftest import Factory, in_brand
    from tests.support import network

    settings = _settings(database)
    upgrade(settings)
    seed_reference_data(settings)
    app = _app(database)
    make = Factory(app)
    brand = make.brand(timezone="Europe/Berlin")
    plan = make.plan(brand)
    opened = DAY - timedelta(days=30)
    with in_brand(app, brand.id) as session:
        numbers.add_range(session, f"+{FIRST}", f"+{FIRST + LINES - 1}", now=opened)
        sims.import_rows(session, network.sims(1, LINES))
        files.save_source(session, "bench", "csv")
    people = [make.user(brand, "subscriber") for _ in range(LINES)]
    subs = [make.subscription(brand, p, plan.version_id) for p in people]
    with in_brand(app, brand.id) as session:
        for n, sub in enumerate(subs):
            held = numbers.reserve(session, f"+{FIRST + n}", golden=True, now=opened)
            made = lines.create(session, session.get(Subscription, sub.id), held.token, at=opened)
            lines.activate(session, made, opened)
    return int(brand.id)


def write_cdrs(path: Path, count: int, seed: int) -> None:
    """A normalised CSV of `count` records on the brand's lines."""
    rng = random.Random(seed)
    kinds = [
        ("voice", "4930{:06d}", 1, 600),
        ("sms", "49170{:07d}", 1, 1),
        ("data", "internet", 1, 10**7),
    ]
    with path.open("w") as out:
        out.write(
            "record_id,service,direction,msisdn,imsi,destination,started_at,usage,visited_network\n"
        )
        for n in range(count):
            service, dest, low, high = kinds[n % 3]
            at = DAY + timedelta(seconds=rng.randrange(86_400 * 10))
            msisdn = FIRST + rng.randrange(LINES)
            usage = rng.randint(low, high)
            out.write(
                f"b{seed}-{n},{service},out,{msisdn},,{dest.format(rng.randrange(10**6))},"
                f"{at:%Y-%m-%dT%H:%M:%S}Z,{usage},\n"
            )


def child(owner_url: str, runtime_url: str, brand_id: int, path: str) -> None:
    """Ingest the file end to end and print what it took, as JSON."""
    from saas.usage import files, pipeline
    from tests.conftest import in_brand
    from tests.support.usage_stages import fake_stages

    app = _app(backends.Database("postgresql", owner_url, runtime_url))
    with fake_stages():
        started = time.perf_counter()
        with in_brand(app, brand_id) as session, open(path, "rb") as stream:
            got = files.receive(session, files.source_named(session, "bench"), stream, path)
            file_id = got.id
        with in_brand(app, brand_id) as session:
            pending = files.pending_chunks(session, file_id)
        for chunk_id in pending:
            with in_brand(app, brand_id) as session:
                pipeline.work_chunk(session, chunk_id)
        elapsed = time.perf_counter() - started
    with in_brand(app, brand_id) as session:
        from saas.usage.models import UsageFile

        rated = session.get(UsageFile, file_id).rated
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rated": rated, "seconds": elapsed, "peak_mb": peak, "file_id": file_id}))


def _run_child(database: backends.Database, brand_id: int, path: Path) -> dict[str, Any]:
    args = [sys.executable, "-m", "tests.bench.ingest", "--child", database.owner_url]
    args += [database.runtime_url, str(brand_id), str(path)]
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def copy_baseline(database: backends.Database, brand_id: int, file_id: int) -> tuple[int, float]:
    """COPY the rows the ingest stored, as CSV, into a bare table: rows and seconds."""
    import psycopg

    from saas.usage.storage import COLUMNS

    names = ", ".join(f'"{c}"' for c in COLUMNS)
    url = database.owner_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        cur.execute(f"CREATE TABLE bench_copy AS SELECT {names} FROM usage_records WITH NO DATA")
        buffer = bytearray()
        rows = f"SELECT {names} FROM usage_records WHERE file_id = {file_id}"
        query = f"COPY ({rows}) TO STDOUT (FORMAT csv)"
        with cur.copy(query) as out:
            for block in out:
                buffer += block
        conn.commit()
        rows = buffer.count(b"\n")
        started = time.perf_counter()
        with cur.copy(f"COPY bench_copy ({names}) FROM STDIN (FORMAT csv)") as copy:
            for start in range(0, len(buffer), 1 << 20):
                copy.write(bytes(buffer[start : start + (1 << 20)]))
        conn.commit()
        return rows, time.perf_counter() - started


def run() -> dict[str, float]:
    """Ingest a small and a large file, COPY the large one's rows bare; print and keep figures."""
    if not backends.postgres_available():
        print("ingest benchmark skipped: PostgreSQL is not reachable")
        return {}
    print(f"\ningest benchmark: {CDRS:,} CDRs on {LINES} lines (normalised CSV, fake rate/charge)")
    with backends.fresh_database() as database, tempfile.TemporaryDirectory() as folder:
        brand_id = setup(database)
        small, large = Path(folder) / "small.csv", Path(folder) / "large.csv"
        write_cdrs(small, SMALL, 1)
        write_cdrs(large, CDRS, 2)
        little = _run_child(database, brand_id, small)
        big = _run_child(database, brand_id, large)
        rows, seconds = copy_baseline(database, brand_id, big["file_id"])
    figures = {
        "ingest_end_to_end_cdrs_per_s": round(big["rated"] / big["seconds"], 1),
        "copy_baseline_rows_per_s": round(rows / seconds, 1),
        "ingest_peak_rss_mb": round(big["peak_mb"], 1),
        "ingest_peak_rss_small_file_mb": round(little["peak_mb"], 1),
    }
    figures["ingest_to_copy_ratio"] = round(
        figures["ingest_end_to_end_cdrs_per_s"] / figures["copy_baseline_rows_per_s"], 3
    )
    units = {"ingest_end_to_end_cdrs_per_s": "cdrs/s", "copy_baseline_rows_per_s": "rows/s"}
    for name, value in figures.items():
        unit = units.get(name, "MB" if name.endswith("_mb") else "")
        print(f"{name}: {value} {unit}".rstrip())
    print(
        f"(large file {big['rated']:,} rated in {big['seconds']:.1f} s; small {little['rated']:,})"
    )
    keep(figures)
    return figures


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
    else:
        run()
