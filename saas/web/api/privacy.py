"""API endpoints of personal data: read all of a subscriber's, erase it at their request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, after_this_request

from saas.customers.privacy import erasure
from saas.customers.privacy.errors import PrivacyError
from saas.customers.privacy.export import export
from saas.db import db, unit_of_work
from saas.web.api.contract import route
from saas.web.api.models import privacy as models
from saas.web.api.records import subscriber

READ, WRITE = "personal_data.read", "personal_data.write"


@route("GET /subscribers/<int:subscriber_id>/personal-data", READ, models.PersonalData)
def get_personal_data(subscriber_id: int) -> Any:
    """Everything the brand holds about a subscriber, unmasked, as the portal's download has it.

    Each read is written to the audit log.
    """
    with unit_of_work() as session:
        return export(session, subscriber(subscriber_id), via="api")


def _logged(person_id: int, reason: str, refusal: PrivacyError) -> Callable[[Response], Response]:
    def log(response: Response) -> Response:
        # The refused request's own unit of work rolled back; its record is written on its own.
        with unit_of_work() as session:
            erasure.refused(session, person_id, reason, refusal)
        return response

    return log


@route("POST /subscribers/<int:subscriber_id>/erasure", WRITE, models.Erasure, created=True)
def erase_personal_data(subscriber_id: int, body: models.ErasureRequest) -> Any:
    """Erase a subscriber's personal data at their request, keeping what the law needs.

    Refused (409) while a line is still in use or a subscription has not ended, and when nothing
    is left to erase; a refused request is written to the audit log too.
    """
    person = subscriber(subscriber_id)
    try:
        return erasure.request(db.session, person, body.reason)
    except PrivacyError as exc:
        after_this_request(_logged(person.id, body.reason, exc))
        raise
