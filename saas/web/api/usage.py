"""API endpoints of usage files: send one, read what came of it and what waits in quarantine."""

from __future__ import annotations

import io
from typing import Any

from sqlalchemy import select

from saas.db import db
from saas.usage import files, quarantine
from saas.usage.models import API, UsageFile
from saas.web.api.contract import route
from saas.web.api.models import usage as models
from saas.web.api.pagination import PageQuery, paginate

READ, WRITE = "usage.read", "usage.write"


@route("POST /usage/files", WRITE, models.UsageFile, created=True)
def send_usage_file(body: models.NewUsageFile) -> Any:
    """Send a file of usage: read once per content, its records rated by the workers."""
    source = files.source_named(db.session, body.source)
    return files.receive(db.session, source, io.BytesIO(body.data()), body.filename, API)


@route("GET /usage/files", READ, models.api.Page[models.UsageFile])
def list_usage_files(query: PageQuery) -> Any:
    """The brand's usage files, oldest first."""
    return paginate(db.session, select(UsageFile), UsageFile.id, query)


@route("GET /usage/files/<int:file_id>", READ, models.UsageFile)
def get_usage_file(file: UsageFile) -> Any:
    """A usage file and how far its records are worked."""
    return file


@route("GET /usage/files/<int:file_id>/quarantine", READ, models.QuarantinedRecordList)
def list_quarantined_records(file: UsageFile) -> Any:
    """The file's records waiting in quarantine, by row (the first 500)."""
    return {"data": quarantine.of_file(db.session, file.id)}
