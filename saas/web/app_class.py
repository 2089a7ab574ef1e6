"""The Flask class with themed template loading and its request: one host, guarded input."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from functools import cached_property
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from flask import Flask, Request
from jinja2 import BaseLoader
from werkzeug.exceptions import BadHost
from werkzeug.routing import MapAdapter

from saas.tenancy.hosts import normalise_host, split_port
from saas.web.guards import GuardedRequest
from saas.web.theming import ThemedEnvironment, ThemeLoader


class SaasRequest(GuardedRequest):
    """A request that names its host once, in normal form, and reads its input by one rule."""

    @cached_property
    def host_name(self) -> str | None:
        """The host, lower-cased without port or trailing dot; None when the Host is malformed."""
        return normalise_host(self.host)

    @property
    def link_port(self) -> str:
        """`:port` for links this request gets: only the server's own port, never a client's."""
        port = (split_port(self.host) or ("", ""))[1]
        return f":{port}" if port and port == self.environ.get("SERVER_PORT") else ""

    @property
    def link_netloc(self) -> str:
        """Host and port for the links this request gets."""
        return f"{self.host_name}{self.link_port}"


class SaasFlask(Flask):
    """Flask, with templates resolved through the brand's theme."""

    jinja_environment = ThemedEnvironment
    request_class = SaasRequest

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Flask's, whether a function is a coroutine found once: it asks for every hook of
        every request. Held weakly, so a function made for one request is let go after it."""
        plain: WeakKeyDictionary[Any, bool] = self.__dict__.setdefault(
            "_plain_functions", WeakKeyDictionary()
        )
        try:
            if plain[func]:
                return func
        except (KeyError, TypeError):  # not seen yet, or not weakly referable
            pass
        synced = super().ensure_sync(func)
        with suppress(TypeError):
            plain[func] = synced is func
        return synced

    def create_global_jinja_loader(self) -> BaseLoader:  # type: ignore[override]
        return ThemeLoader(
            Path(self.config["SAAS"].themes_dir), super().create_global_jinja_loader()
        )

    def create_url_adapter(self, request: Request | None) -> MapAdapter | None:
        adapter = super().create_url_adapter(request)
        if adapter is None or not isinstance(request, SaasRequest):
            return adapter
        if request.host_name is None:
            raise BadHost()
        # External links (password-reset mails, redirects) name the host in normal form, never
        # the case, trailing dot or port a client chose to send.
        return self.url_map.bind_to_environ(
            request.environ,
            server_name=request.link_netloc,
            subdomain=self.url_map.default_subdomain or "",
        )
