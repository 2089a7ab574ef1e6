"""Outside parties (host MNO, credit bureau, KYC vendor): a JSON client; simulators served here.

Each party sits behind a small adapter interface in its domain package, with an HTTP
implementation built on `JsonClient` and a simulator: a real HTTP service (a WSGI app) that the
demo and the tests start with `serve`, so the HTTP adapter is exercised end to end.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from werkzeug.serving import make_server

DEFAULT_TIMEOUT = 10.0


class OutsideError(Exception):
    """An outside party did not answer, or answered with an error: worth retrying later."""

    def __init__(self, party: str, reason: str, status: int | None = None) -> None:
        super().__init__(f"{party}: {reason}")
        self.party, self.reason, self.status = party, reason, status

    @property
    def retryable(self) -> bool:
        """A timeout, a refused connection or a 5xx may pass; a 4xx will not."""
        return self.status is None or self.status >= 500 or self.status == 429


@dataclass(frozen=True)
class JsonClient:
    """POST and GET JSON to one party's base URL, with a bearer token if it has one."""

    party: str
    base_url: str
    token: str = ""
    timeout: float = DEFAULT_TIMEOUT

    def post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Send `payload` and return the JSON answer."""
        return self._call("POST", path, json.dumps(payload).encode())

    def get(self, path: str) -> dict[str, Any]:
        """Return the JSON answer of a GET."""
        return self._call("GET", path, None)

    def _call(self, method: str, path: str, body: bytes | None) -> dict[str, Any]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        url = self.base_url.rstrip("/") + path
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return dict(json.loads(answer.read() or b"{}"))
        except urllib.error.HTTPError as exc:
            raise OutsideError(self.party, _said(exc), exc.code) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise OutsideError(self.party, f"no answer ({exc})") from None
        except ValueError:
            raise OutsideError(self.party, "the answer is not JSON") from None


def _said(exc: urllib.error.HTTPError) -> str:
    try:
        detail = json.loads(exc.read() or b"{}").get("detail", "")
    except ValueError:
        detail = ""
    return f"HTTP {exc.code}" + (f": {detail}" if detail else "")


@contextmanager
def serve(app: Callable[..., Any], host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve a simulator's WSGI app on a thread until the block ends; yield its base URL."""
    server = make_server(host, port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="simulator")
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
