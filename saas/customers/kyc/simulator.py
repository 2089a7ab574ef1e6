"""A KYC vendor simulator: a real WSGI app answering as the vendor does, for the demo and tests.

It decides by the surname sent (compared in upper case):
- REJECT: rejected, reason "document_not_genuine";
- REVIEW: review, reason "document_unclear";
- DOWN: HTTP 503, as a vendor that is down (worth retrying);
- BROKEN: HTTP 200 with an answer holding no decision;
- SLOW: answers approved after SLOW_SECONDS, to try time-outs;
- anyone else: approved.
A document number starting with X is rejected too ("document_reported_lost").
With a token set, a request without `Authorization: Bearer <token>` answers 401.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from werkzeug.wrappers import Request, Response

from saas.customers.kyc.vendor import APPROVED, PATH, REJECTED, REVIEW

SLOW_SECONDS = 3.0


def _json(body: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def decide(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The simulator's answer to one verification request: status and JSON."""
    surname = str(body.get("surname", "")).strip().upper()
    ident = f"sim-{uuid.uuid4().hex[:12]}"
    if surname == "DOWN":
        return 503, {"detail": "verification service unavailable"}
    if surname == "BROKEN":
        return 200, {"id": ident}
    if surname == "SLOW":
        time.sleep(SLOW_SECONDS)
    if surname == "REJECT":
        return 200, {"id": ident, "decision": REJECTED, "reasons": ["document_not_genuine"]}
    if str(body.get("document_number", "")).upper().startswith("X"):
        return 200, {"id": ident, "decision": REJECTED, "reasons": ["document_reported_lost"]}
    if surname == "REVIEW":
        return 200, {"id": ident, "decision": REVIEW, "reasons": ["document_unclear"]}
    return 200, {"id": ident, "decision": APPROVED, "reasons": []}


def app(token: str = "") -> Any:
    """The simulator as a WSGI app; with a token, only requests bearing it are answered."""

    @Request.application
    def serve(request: Request) -> Response:
        if request.method != "POST" or request.path != PATH:
            return _json({"detail": "not found"}, 404)
        if token and request.headers.get("Authorization") != f"Bearer {token}":
            return _json({"detail": "unknown token"}, 401)
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return _json({"detail": "send a JSON object"}, 400)
        status, answer = decide(body)
        return _json(answer, status)

    return serve
