"""Host names as one spelling: what a Host header, a setting or a brand's domain list names."""

from __future__ import annotations

import ipaddress
import re

LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
PORT = re.compile(r"^[0-9]{1,5}$")


def split_port(raw: str) -> tuple[str, str] | None:
    """Split `host[:port]` into host and port ('' when absent); None for a malformed port."""
    if raw.startswith("["):
        name, bracket, rest = raw.partition("]")
        name, port = name + bracket, rest.removeprefix(":")
        if not bracket or (rest and not rest.startswith(":")):
            return None
    else:
        name, colon, port = raw.rpartition(":") if ":" in raw else (raw, "", "")
        if colon and not port:
            return None
    if port and not (PORT.match(port) and 0 < int(port) < 65536):
        return None
    return name, port


def is_host_name(host: str) -> bool:
    """Tell whether `host` is a host name in normal form: lower-case labels, or an IP address."""
    if host.startswith("[") and host.endswith("]"):
        return _is_ipv6(host[1:-1])
    return len(host) <= 253 and all(LABEL.match(label) for label in host.split("."))


def normalise_host(raw: str) -> str | None:
    """Return the host a Host header names (lower case, no port, no trailing dot), or None."""
    parts = split_port(raw.strip().lower())
    if parts is None:
        return None
    host = parts[0].removesuffix(".")
    return host if is_host_name(host) else None


def default_host_slug(host: str, base_domain: str) -> str | None:
    """Return the slug whose default host `<slug>.<base domain>` this is, or None."""
    slug = host.removesuffix("." + base_domain)
    return slug if slug != host and slug and "." not in slug else None


def _is_ipv6(text: str) -> bool:
    try:
        return ipaddress.ip_address(text).version == 6
    except ValueError:
        return False
