"""My data: what the brand holds about the subscriber in words, and all of it as a JSON file.

The page shows identity numbers masked; the file holds the person's own data unmasked, since it
is theirs, and each download is written to the audit log. Only the logged-in person's own data.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, render_template
from flask_login import current_user

from saas.customers.privacy import holdings, settings
from saas.customers.privacy.export import export
from saas.db import db, unit_of_work
from saas.web import privacy_labels as labels
from saas.web.auth import brand_only, subscriber_required
from saas.web.portal import bp

FILE_NAME = "my-data.json"


@bp.context_processor
def _privacy_words() -> dict[str, Any]:
    return labels.helpers()


@bp.get("/my-data")
@brand_only
@subscriber_required
def my_data() -> Any:
    """What the brand holds about me, in words, and the download of all of it."""
    held = holdings.of(db.session, current_user)
    days = settings.of_brand(db.session).retention_days
    return render_template("portal/my_data.html", held=held, retention_days=days)


@bp.post("/my-data/download")
@brand_only
@subscriber_required
def my_data_download() -> Any:
    """All the brand holds about me as a JSON file; the download is audited."""
    with unit_of_work() as session:
        written = export(session, current_user, via="portal")
    body = json.dumps(written, ensure_ascii=False, indent=2)
    disposition = f'attachment; filename="{FILE_NAME}"'
    return Response(body, mimetype="application/json", headers={"Content-Disposition": disposition})
