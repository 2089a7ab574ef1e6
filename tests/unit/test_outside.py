"""The outside-party client against a real local HTTP server."""

from __future__ import annotations

import json

import pytest
from werkzeug.wrappers import Request, Response

from saas.outside import JsonClient, OutsideError, serve


@Request.application
def _party(request: Request) -> Response:
    if request.path == "/echo":
        said = {"got": request.get_json(), "auth": request.headers.get("Authorization", "")}
        return Response(json.dumps(said), mimetype="application/json")
    if request.path == "/busy":
        return Response(json.dumps({"detail": "try later"}), status=503)
    return Response(json.dumps({"detail": "no such thing"}), status=404)


def test_a_party_answers_json_and_sees_the_token() -> None:
    with serve(_party) as url:
        answer = JsonClient("party", url, token="s3cret").post("/echo", {"n": 1})
    assert answer == {"got": {"n": 1}, "auth": "Bearer s3cret"}


def test_a_server_error_is_worth_retrying_and_a_client_error_is_not() -> None:
    with serve(_party) as url:
        client = JsonClient("party", url)
        with pytest.raises(OutsideError) as busy:
            client.get("/busy")
        with pytest.raises(OutsideError) as missing:
            client.get("/missing")
    assert (busy.value.status, busy.value.retryable, busy.value.reason) == (
        503,
        True,
        "HTTP 503: try later",
    )
    assert (missing.value.status, missing.value.retryable) == (404, False)


def test_a_party_that_is_not_there_is_worth_retrying() -> None:
    with serve(_party) as url:
        pass  # the server is gone once the block ends
    with pytest.raises(OutsideError) as gone:
        JsonClient("party", url, timeout=2).get("/echo")
    assert gone.value.status is None and gone.value.retryable
