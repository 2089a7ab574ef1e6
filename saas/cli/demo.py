"""`saas demo`: a database, brands and people to try, served with an in-process worker."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from saas.config import Settings
from saas.customers.credit.simulator import Simulator
from saas.db import db
from saas.db.migrate import upgrade
from saas.outside import serve
from saas.platform_setup import seed_demo, seed_reference_data, sync_brands


@click.command("demo")
@click.option("--serve/--no-serve", default=True, help="Serve on port 5000 after seeding.")
@click.option("--port", default=5000, show_default=True)
@with_appcontext
def demo(serve: bool, port: int) -> None:
    """Migrate, sync the brands, seed demo people, then serve web and an in-process worker."""
    settings = current_app.config["SAAS"]
    upgrade(settings)
    seed_reference_data(settings)
    for slug, outcome in sync_brands(Path(settings.tenants_dir), settings):
        click.echo(f"brand {slug}: {outcome}")
    for line in seed_demo(Path(settings.tenants_dir)):
        click.echo(line)
    db.session.remove()
    if serve:
        _serve(current_app._get_current_object(), port)  # type: ignore[attr-defined]


def _serve(app: Flask, port: int) -> None:
    from werkzeug.serving import run_simple

    # The demo is the one command that runs the workers' side too, in this very process.
    from workers.broker import start_inprocess_worker

    # The mail sink listens before the worker starts, so the first mails find it.
    mail = _start_demo_mail_sink(app.config["SAAS"])
    worker = start_inprocess_worker(app)
    bureau = _start_outside_parties(app)
    click.echo(f"serving on http://localhost:{port} (brands at http://<slug>.localhost:{port})")
    try:
        with _demo_mno(app.config["SAAS"]):
            run_simple("0.0.0.0", port, app, threaded=True, use_reloader=False)
    finally:
        worker.stop()
        bureau.close()
        if mail is not None:
            mail.stop()


def _start_outside_parties(app: Flask) -> ExitStack:
    """Serve the credit bureau's and the KYC vendor's simulators, unless real ones are set."""
    from saas.customers.kyc import simulator as kyc_vendor

    stack = ExitStack()
    settings = app.config["SAAS"]
    if not settings.credit_bureau_url:
        url = stack.enter_context(serve(Simulator(settings.credit_bureau_token)))
        settings = replace(settings, credit_bureau_url=url)
        click.echo(f"credit bureau simulator on {url} (test inputs: README, Credit checks)")
    if not settings.kyc_vendor_url:
        url = stack.enter_context(serve(kyc_vendor.app(settings.kyc_vendor_token)))
        settings = replace(settings, kyc_vendor_url=url)
        click.echo(f"KYC vendor simulator on {url} (test inputs: README, KYC)")
    app.config["SAAS"] = settings
    return stack


def _demo_mno(settings: Settings) -> Any:
    """Serve the MNO simulator where SAAS_MNO_URL points, when that is this machine."""
    from contextlib import nullcontext
    from urllib.parse import urlsplit

    from saas.network.provisioning.simulator import MnoSimulator
    from saas.outside import serve

    where = urlsplit(settings.mno_url)
    if where.hostname not in ("127.0.0.1", "localhost") or where.port is None:
        return nullcontext()
    click.echo(f"MNO simulator on {settings.mno_url}")
    return serve(MnoSimulator(settings.mno_token), "127.0.0.1", where.port)


def _start_demo_mail_sink(settings: Settings) -> Any:
    """Print the demo's outgoing e-mail to the console instead of losing it."""
    try:
        from aiosmtpd.controller import Controller
        from aiosmtpd.handlers import Debugging
    except ImportError:
        return None
    controller = Controller(
        Debugging(sys.stdout), hostname=settings.mail_server, port=settings.mail_port
    )
    try:
        controller.start()
    except OSError as exc:
        click.echo(f"no demo mail sink on {settings.mail_server}:{settings.mail_port}: {exc}")
        return None
    click.echo(f"demo e-mail is printed here (SMTP {settings.mail_server}:{settings.mail_port})")
    return controller
