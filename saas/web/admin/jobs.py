"""Dead-lettered background jobs: see why they failed, send them again or drop them."""

from __future__ import annotations

from typing import Any

from dramatiq.errors import DramatiqError
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from saas.db import db, get_scoped, unit_of_work
from saas.jobs import queue, services
from saas.jobs.models import FailedJob
from saas.web.admin import bp
from saas.web.admin.filter_forms import JOB_STATES, JobFilter
from saas.web.admin.forms import found
from saas.web.auth import brand_only, staff_required
from saas.web.refusals import say


def _job(job_id: int) -> FailedJob:
    job = get_scoped(db.session, FailedJob, job_id)
    if job is None:
        raise LookupError(f"failed job {job_id} not found")
    return job


def _send(job: FailedJob) -> None:
    queue.resend(job.tenant_id, job.queue_name, job.actor_name, list(job.args), dict(job.kwargs))


@bp.get("/jobs")
@brand_only
@staff_required("jobs.read")
def jobs_list() -> Any:
    """List dead letters, or those already retried or discarded."""
    form = JobFilter()
    form.read()  # the states are links, not a box: one not offered shows the dead letters
    return render_template(
        "admin/jobs/list.html",
        jobs=services.listing(db.session, form.status.data),
        status=form.status.data,
        states=JOB_STATES,
    )


@bp.get("/jobs/<int:job_id>")
@brand_only
@staff_required("jobs.read")
def job_detail(job_id: int) -> Any:
    """Show one failed job with its arguments and traceback."""
    return render_template("admin/jobs/detail.html", job=found(_job, job_id))


@bp.post("/jobs/<int:job_id>/retry")
@brand_only
@staff_required("jobs.manage")
def job_retry(job_id: int) -> Any:
    """Send a dead letter again with fresh retries."""
    try:
        with unit_of_work() as session:
            found(services.retry, session, job_id, _send)
    except (services.JobStateError, DramatiqError) as exc:
        flash(_("The job was not sent again: %(reason)s", reason=say(exc)), "error")
        return redirect(url_for("admin.job_detail", job_id=job_id))
    flash(_("The job was sent again."), "success")
    return redirect(url_for("admin.jobs_list"))


@bp.post("/jobs/<int:job_id>/discard")
@brand_only
@staff_required("jobs.manage")
def job_discard(job_id: int) -> Any:
    """Drop a dead letter after someone has looked at it."""
    try:
        with unit_of_work() as session:
            found(services.discard, session, job_id)
    except services.JobStateError as exc:
        flash(_("The job was not discarded: %(reason)s", reason=say(exc)), "error")
        return redirect(url_for("admin.job_detail", job_id=job_id))
    flash(_("The job was discarded."), "success")
    return redirect(url_for("admin.jobs_list"))
