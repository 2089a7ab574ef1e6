"""Usage in the console: the pipeline, a file's quarantine, uploads, sources, re-rating."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from saas.db import db, get_scoped, unit_of_work
from saas.usage import files, listing, pipeline, quarantine, rerate
from saas.usage.errors import UsageError
from saas.usage.models import UPLOAD, UsageFile, UsageRecord, UsageSource
from saas.usage.records import to_decimal
from saas.web import usage_labels as labels
from saas.web.admin import bp
from saas.web.admin.forms import INVALID
from saas.web.admin.usage_forms import CHOOSE_FILE, ActionForm, RerateForm, SourceForm, UploadForm
from saas.web.auth import brand_only, staff_required
from saas.web.forms import add_error, refuse
from saas.web.i18n import money


@bp.context_processor
def _usage_words() -> dict[str, Any]:
    return labels.helpers() | {"rated_records_of_line": _of_line}


def _of_line(line_id: int) -> list[UsageRecord]:
    return listing.of_line(db.session, line_id)


def _upload_form(**kwargs: Any) -> UploadForm:
    return UploadForm([s.name for s in files.sources(db.session)], **kwargs)


def _pipeline(
    upload: UploadForm | None = None, again: RerateForm | None = None, status: int = 200
) -> Any:
    return render_template(
        "admin/usage/pipeline.html",
        files=files.files(db.session),
        throughput=files.throughput(db.session),
        lag=files.lag_seconds(db.session),
        upload_form=upload or _upload_form(formdata=None),
        rerate_form=again or RerateForm(formdata=None),
        has_sources=bool(files.sources(db.session)),
    ), status


@bp.get("/usage")
@brand_only
@staff_required("usage.read")
def usage_pipeline() -> Any:
    """Files as they are rated: counts, progress, throughput and lag; the upload form."""
    return _pipeline()


@bp.post("/usage/files")
@brand_only
@staff_required("usage.write")
def usage_upload() -> Any:
    """Take an uploaded usage file; the workers rate it."""
    form = _upload_form()
    upload = form.file.data
    if not form.validate() or not upload or not getattr(upload, "filename", ""):
        if not upload or not getattr(upload, "filename", ""):
            add_error(form.file, str(CHOOSE_FILE))
        return _pipeline(upload=form, status=INVALID)
    try:
        with unit_of_work():
            source = files.source_named(db.session, form.source.data)
            got = files.receive(db.session, source, upload.stream, str(upload.filename), UPLOAD)
    except UsageError as exc:
        refuse(form, exc, {"source": "source", "file": "file"})
        return _pipeline(upload=form, status=INVALID)
    if got.duplicate_of_id:
        flash(_("This file was received before: it is not read again."), "warning")
    else:
        flash(_("The file was received; its records are being rated."), "success")
    return redirect(url_for("admin.usage_file", file_id=got.id))


def _file(file_id: int) -> UsageFile:
    found = get_scoped(db.session, UsageFile, file_id)
    if found is None:
        abort(404)
    return found


@bp.get("/usage/files/<int:file_id>")
@brand_only
@staff_required("usage.read")
def usage_file(file_id: int) -> Any:
    """A file: its counts and progress, and its records in quarantine with the reasons."""
    file = _file(file_id)
    return render_template(
        "admin/usage/file.html",
        file=file,
        source=db.session.get(UsageSource, file.source_id),
        waiting=quarantine.of_file(db.session, file.id),
        reasons=quarantine.reasons_of(db.session, file.id),
        action=ActionForm(formdata=None),
    )


@bp.post("/usage/files/<int:file_id>/reprocess")
@brand_only
@staff_required("usage.write")
def usage_reprocess(file_id: int) -> Any:
    """Read the file's quarantined records again, after the mapping, tariff or data was fixed."""
    file = _file(file_id)
    if not ActionForm().validate():
        abort(400)
    with unit_of_work():
        done = pipeline.reprocess(db.session, file)
    flash(
        _(
            "%(rated)s records rated, %(left)s still in quarantine.",
            rated=done.rated + done.duplicates,
            left=done.quarantined,
        ),
        "success",
    )
    return redirect(url_for("admin.usage_file", file_id=file_id))


@bp.post("/usage/rerate")
@brand_only
@staff_required("usage.write")
def usage_rerate() -> Any:
    """Price a period's stored records again; every difference is booked as a correction."""
    form = RerateForm()
    if not form.validate():
        return _pipeline(again=form, status=INVALID)
    try:
        with unit_of_work():
            start, end = rerate.period(db.session, form.first.data, form.last.data)
            done = rerate.rerate(db.session, start, end, form.reason.data)
    except UsageError as exc:
        refuse(form, exc, {"to": "last"})
        return _pipeline(again=form, status=INVALID)
    flash(
        _(
            "%(records)s records priced again; %(corrected)s corrections booked, "
            "moving charges by %(amount)s.",
            records=done.records,
            corrected=done.corrected,
            amount=money(to_decimal(done.difference_micros)),
        ),
        "success",
    )
    return redirect(url_for("admin.usage_pipeline"))


@bp.get("/usage/sources")
@brand_only
@staff_required("usage.read")
def usage_sources() -> Any:
    """The brand's usage sources: format, mapping and drop folder."""
    return render_template("admin/usage/sources.html", sources=files.sources(db.session))


def _source_page(form: SourceForm, source: UsageSource | None, status: int = 200) -> Any:
    return render_template("admin/usage/source.html", form=form, source=source), status


def _source(source_id: int) -> UsageSource:
    found = get_scoped(db.session, UsageSource, source_id)
    if found is None:
        abort(404)
    return found


@bp.route("/usage/sources/new", methods=["GET", "POST"])
@brand_only
@staff_required("usage.write")
def usage_source_new() -> Any:
    """Add a usage source."""
    return _save_source(None)


@bp.route("/usage/sources/<int:source_id>", methods=["GET", "POST"])
@brand_only
@staff_required("usage.write")
def usage_source_edit(source_id: int) -> Any:
    """Change a source's format, mapping or drop folder."""
    return _save_source(_source(source_id))


def _save_source(source: UsageSource | None) -> Any:
    form = SourceForm(obj=source)
    if source is not None and not form.is_submitted():
        form.show(source.mapping)
    if not form.validate_on_submit():
        return _source_page(form, source, INVALID if form.is_submitted() else 200)
    try:
        with unit_of_work():
            files.save_source(
                db.session,
                form.name.data,
                form.format.data,
                form.mapping(),
                form.drop_folder.data or "",
                source,
            )
    except UsageError as exc:
        refuse(form, exc, {"mapping": "name"})
        return _source_page(form, source, INVALID)
    flash(_("The usage source was saved."), "success")
    return redirect(url_for("admin.usage_sources"))
