"""Web figures the production way: 20,000 subscribers, gunicorn, wrk, against a bare Flask app.

Seeds one brand with subscribers and their subscriptions on PostgreSQL, serves the product with
`infra/gunicorn.conf.py` in production mode, serves `tests.bench.baseline` with the same
configuration, and drives each endpoint and the baseline alternately with wrk from loopback,
three rounds. It prints medians and writes them to `.bench/latest.json`; it asserts nothing
about speed.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, select, text

from tests.bench.figures import keep
from tests.support import backends

ROOT = Path(__file__).resolve().parents[2]
BRAND = "spreewelle"
HOST = f"{BRAND}.localhost"
SUBSCRIBERS = int(os.environ.get("SAAS_BENCH_SUBSCRIBERS", "20000"))
SECONDS = int(os.environ.get("SAAS_BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("SAAS_BENCH_CONNECTIONS", "16"))
WORKERS = os.environ.get("SAAS_BENCH_WEB_WORKERS", "2")
ROUNDS = 3
BATCH = 1000
STAFF = ("inhaber@spreewelle.example", "spreewelle-demo")
SUBSCRIBER = ("anna@kunde.example", "spreewelle-demo")


def missing_tools() -> list[str]:
    """What the load benchmark needs and this machine lacks."""
    lacking = [name for name in ("wrk",) if shutil.which(name) is None]
    if not backends.postgres_available():
        lacking.append("PostgreSQL")
    if not backends.redis_available():
        lacking.append("Redis")
    return lacking


# --- seeding -------------------------------------------------------------------------------


def seed(runtime_url: str, owner_url: str, count: int = SUBSCRIBERS) -> list[float]:
    """Add `count` subscribers, each with an account and a subscription, to the brand.

    Rows go in as the runtime role, through RLS, in batches of 1,000 (one transaction each);
    returns the seconds each batch took, which should stay flat as the tables grow.
    """
    from saas.customers.models import Account
    from saas.identity.models import SUBSCRIBER as KIND
    from saas.identity.models import User, email_key
    from saas.subscriptions.models import Subscription, SubscriptionEvent

    engine, owner = (
        create_engine(runtime_url),
        create_engine(owner_url, isolation_level="AUTOCOMMIT"),
    )
    users, accounts = User.__table__, Account.__table__
    subs, events = Subscription.__table__, SubscriptionEvent.__table__
    with engine.begin() as conn:
        tenant_id = conn.execute(text("SELECT id FROM tenants WHERE slug = :s"), {"s": BRAND})
        tenant = tenant_id.scalar_one()
        _set_tenant(conn, tenant)
        template = conn.execute(select(subs).order_by(subs.c.id).limit(1)).mappings().one()
        event = (
            conn.execute(
                select(events)
                .where(events.c.subscription_id == template["id"])
                .order_by(events.c.id)
                .limit(1)
            )
            .mappings()
            .one()
        )
        password = conn.execute(
            select(users.c.password).where(users.c.email == SUBSCRIBER[0])
        ).scalar_one()
    timings = []
    run = uuid.uuid4().hex[:6]
    for start in range(0, count, BATCH):
        began = time.perf_counter()
        with engine.begin() as conn:
            _set_tenant(conn, tenant)
            n = range(start, min(start + BATCH, count))
            user_ids = conn.execute(
                insert(users).returning(users.c.id, sort_by_parameter_order=True),
                [
                    {
                        "tenant_id": tenant,
                        "kind": KIND,
                        "email": f"bench-{run}-{i}@kunde.example",
                        "email_key": email_key(f"bench-{run}-{i}@kunde.example"),
                        "full_name": f"Bench Subscriber {i}",
                        "password": password,
                        "active": True,
                        "fs_uniquifier": uuid.uuid4().hex,
                        "created_at": template["created_at"],
                        "notes": "",
                    }
                    for i in n
                ],
            ).scalars()
            user_ids = list(user_ids)
            account_ids = list(
                conn.execute(
                    insert(accounts).returning(accounts.c.id, sort_by_parameter_order=True),
                    [
                        {
                            "tenant_id": tenant,
                            "kind": "individual",
                            "name": f"Bench Subscriber {i}",
                            "holder_id": uid,
                            "created_at": template["created_at"],
                        }
                        for i, uid in zip(n, user_ids, strict=True)
                    ],
                ).scalars()
            )
            copied = {k: v for k, v in template.items() if k not in {"id"}}
            sub_ids = list(
                conn.execute(
                    insert(subs).returning(subs.c.id, sort_by_parameter_order=True),
                    [
                        {
                            **copied,
                            "account_id": aid,
                            "subscriber_id": uid,
                            "started_at": template["started_at"] - timedelta(days=i % 300),
                        }
                        for i, (aid, uid) in enumerate(zip(account_ids, user_ids, strict=True))
                    ],
                ).scalars()
            )
            conn.execute(
                insert(events),
                [
                    {**{k: v for k, v in event.items() if k != "id"}, "subscription_id": sid}
                    for sid in sub_ids
                ],
            )
        # As autovacuum would (it only looks every minute): plans for a table of ten rows, kept
        # for foreign key checks, would scan a table of thousands.
        with owner.connect() as conn:
            conn.execute(text("ANALYZE users, accounts, subscriptions, subscription_events"))
        timings.append(time.perf_counter() - began)
    with owner.connect() as conn:
        conn.execute(text("VACUUM ANALYZE users, accounts, subscriptions, subscription_events"))
    engine.dispose()
    owner.dispose()
    return timings


def _set_tenant(conn: Any, tenant_id: int) -> None:
    conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)})


def issue_api_key(app: Any) -> str:
    """A key of the brand that may read subscriptions, through the product's own service."""
    from saas.db import db, unit_of_work
    from saas.identity.api_keys import issue
    from saas.tenancy.brands import by_slug
    from saas.tenancy.context import tenant_scope

    with app.app_context():
        brand = by_slug(db.session, BRAND)
        assert brand is not None
        with tenant_scope(brand.id), unit_of_work():
            token = issue(db.session, "load benchmark", ["subscriptions.read"], None).token
        db.session.remove()
        return token


# --- serving -------------------------------------------------------------------------------


def production_env(database: backends.Database, port: int, secret: str) -> dict[str, str]:
    """The environment a production web host has (infra/env.example), on this machine.

    `secret` is the key the seeded passwords were hashed with (it salts them).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAAS_", "DATABASE_"))}
    env.update(
        SAAS_ENV="production",
        SAAS_SECRET_KEY=secret,
        SAAS_TOTP_SECRET="bench-" + "t" * 58,
        SAAS_DATA_KEYS="bench-" + "d" * 58,
        # The host MNO is never called by the pages measured; production requires it named.
        SAAS_MNO_URL="http://127.0.0.1:5055",
        SAAS_MNO_TOKEN="bench-" + "m" * 58,
        DATABASE_URL=database.runtime_url,
        MIGRATION_DATABASE_URL=database.owner_url,
        REDIS_URL=backends.REDIS_URL,
        SAAS_BROKER="redis",
        SAAS_RATELIMIT_STORAGE_URL=backends.REDIS_URL,
        SAAS_BASE_DOMAIN="localhost",
        SAAS_PLATFORM_HOSTS="localhost,127.0.0.1",
        SAAS_TENANTS_DIR=str(ROOT / "tenants"),
        SAAS_THEMES_DIR=str(ROOT / "themes"),
        # wrk sends tens of thousands of calls a minute from one address: limits stay on (they
        # cost what they cost) but high enough not to answer 429.
        SAAS_API_RATE_LIMIT="100000000 per minute",
        SAAS_LOGIN_RATE_LIMIT="1000 per minute",
        SAAS_BIND=f"127.0.0.1:{port}",
        SAAS_WEB_WORKERS=WORKERS,
        PYTHONPATH=str(ROOT),
    )
    return env


@contextmanager
def gunicorn(env: dict[str, str], app: str | None = None) -> Iterator[int]:
    """Serve with infra/gunicorn.conf.py (the product, or `app` with the same settings)."""
    port = int(env["SAAS_BIND"].rpartition(":")[2])
    command = [str(Path(sys.executable).with_name("gunicorn")), "-c", "infra/gunicorn.conf.py"]
    command += ["--access-logfile", os.devnull] if os.environ.get("SAAS_BENCH_QUIET") else []
    command += [app] if app else []
    log = open(ROOT / ".bench" / f"gunicorn-{port}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        _wait_for(port, proc)
        yield port
    finally:
        with contextlib.suppress(ProcessLookupError):  # it may have exited already
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def _wait_for(port: int, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if proc.poll() is not None:
            raise RuntimeError(
                f"gunicorn exited ({proc.returncode}); see .bench/gunicorn-{port}.log"
            )
        try:
            request(port, "GET", "/", HOST)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer on {port}")


def request(
    port: int,
    method: str,
    path: str,
    host: str,
    body: str = "",
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        sent = {"Host": host, **(headers or {})}
        if body:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body or None, headers=sent)
        response = conn.getresponse()
        cookies = [v for k, v in response.getheaders() if k.lower() == "set-cookie"]
        return response.status, {"set-cookie": "; ".join(cookies)}, response.read().decode()
    finally:
        conn.close()


def log_in(port: int, email: str, password: str) -> str:
    """Log in through the real form (CSRF and all); return the session cookie for wrk."""
    from urllib.parse import urlencode

    status, headers, page = request(port, "GET", "/account/login", HOST)
    assert status == 200, status
    cookie = _session_cookie(headers["set-cookie"])
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token, "no CSRF token on the log-in page"
    form = urlencode({"email": email, "password": password, "csrf_token": token.group(1)})
    status, headers, _ = request(
        port, "POST", "/account/login", HOST, form, {"Cookie": f"session={cookie}"}
    )
    assert status == 302, f"log-in as {email} answered {status}"
    return _session_cookie(headers["set-cookie"]) or cookie


def _session_cookie(set_cookie: str) -> str:
    found = re.search(r"session=([^;]+)", set_cookie)
    return found.group(1) if found else ""


# --- driving -------------------------------------------------------------------------------


def wrk(
    port: int, path: str, host: str, headers: dict[str, str]
) -> tuple[float, float, float, int]:
    """Requests per second, 99th percentile and slowest latency (ms), answers not 2xx/3xx."""
    command = [
        "wrk",
        "-t2",
        f"-c{CONNECTIONS}",
        f"-d{SECONDS}s",
        "--latency",
        "-H",
        f"Host: {host}",
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    slowest = re.search(r"Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s)\b", out)
    assert p99 and slowest, out
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, _ms(p99), _ms(slowest), int(errors.group(1)) if errors else 0


def _ms(found: re.Match[str]) -> float:
    return float(found.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]


def endpoints(port: int, api_key: str) -> dict[str, tuple[str, str, dict[str, str], int]]:
    """Name -> (path, host, headers, expected status) of what the benchmark drives."""
    staff = {"Cookie": f"session={log_in(port, *STAFF)}"}
    subscriber = {"Cookie": f"session={log_in(port, *SUBSCRIBER)}"}
    return {
        "landing": ("/", HOST, {}, 200),
        "unknown_host": ("/", "nobody.localhost", {}, 404),
        "portal_plan": ("/plan", HOST, subscriber, 200),
        "admin_dashboard": ("/admin/", HOST, staff, 200),
        "admin_subscriptions": ("/admin/subscriptions", HOST, staff, 200),
        "api_subscriptions": (
            "/api/v1/subscriptions",
            HOST,
            {"Authorization": f"Bearer {api_key}"},
            200,
        ),
    }


def run(database: backends.Database, app: Any) -> dict[str, float]:
    """Seed, serve both apps, drive every endpoint against the baseline; return the figures."""
    (ROOT / ".bench").mkdir(exist_ok=True)
    print(
        f"\nload benchmark: {SUBSCRIBERS} subscribers, gunicorn {WORKERS} workers, "
        f"wrk {CONNECTIONS} connections x {SECONDS}s, {ROUNDS} rounds (medians)"
    )
    timings = seed(database.runtime_url, database.owner_url)
    per_1000 = ", ".join(f"{t * 1000:.0f}" for t in timings)
    print(f"seeding ms per 1,000 subscribers (account, subscription, event): {per_1000}")
    figures: dict[str, float] = {
        "seed_first_1000_ms": round(timings[0] * 1000, 1),
        "seed_last_1000_ms": round(timings[-1] * 1000, 1),
    }
    api_key = issue_api_key(app)
    product_port, baseline_port = backends.free_port(), backends.free_port()
    secret = app.config["SECRET_KEY"]
    product_env = production_env(database, product_port, secret)
    baseline_env = production_env(database, baseline_port, secret)
    with (
        gunicorn(product_env) as product,
        gunicorn(baseline_env, "tests.bench.baseline:app") as base,
    ):
        targets = endpoints(product, api_key)
        for name, (path, host, headers, status) in targets.items():
            got = request(product, "GET", path, host, headers=headers)[0]
            assert got == status, f"{name}: {path} answered {got}, expected {status}"
        assert request(base, "GET", "/", HOST)[0] == 200
        samples: dict[str, list[tuple[float, float, float, float]]] = {n: [] for n in targets}
        for round_ in range(ROUNDS):
            for name, (path, host, headers, _status) in targets.items():
                rps, p99, slowest, errors = wrk(product, path, host, headers)
                base_rps = wrk(base, "/", HOST, {})[0]
                samples[name].append((rps, p99, base_rps, slowest))
                if errors and name != "unknown_host":
                    print(f"    {name}: {errors} answers were not 2xx/3xx")
            print(f"  round {round_ + 1} of {ROUNDS} done")
    print(f"{'endpoint':<22}{'req/s':>10}{'p99 ms':>10}{'max ms':>10}{'baseline':>11}{'ratio':>8}")
    for name, runs in samples.items():
        rps = statistics.median(r[0] for r in runs)
        p99 = statistics.median(r[1] for r in runs)
        ratio = statistics.median(r[0] / r[2] for r in runs)
        base_rps = statistics.median(r[2] for r in runs)
        slowest = max(r[3] for r in runs)  # of every round: no request may take over 2 s
        print(f"{name:<22}{rps:>10.1f}{p99:>10.1f}{slowest:>10.1f}{base_rps:>11.1f}{ratio:>8.2f}")
        figures |= {
            f"web_{name}_rps": round(rps, 1),
            f"web_{name}_p99_ms": round(p99, 2),
            f"web_{name}_max_ms": round(slowest, 2),
            f"web_{name}_ratio": round(ratio, 3),
        }
    figures["web_baseline_rps"] = round(
        statistics.median(r[2] for runs in samples.values() for r in runs), 1
    )
    out = keep(figures)
    print(f"written to {out.relative_to(ROOT)}")
    return figures
