"""Settings read once from the environment through strict parsers."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path
from typing import Any, get_type_hints
from urllib.parse import urlsplit

from limits import parse_many
from limits.storage import SCHEMES as LIMIT_STORAGE_SCHEMES

from saas.tenancy.hosts import is_host_name

ROOT = Path(__file__).resolve().parent.parent


class ConfigError(ValueError):
    """A setting is missing or cannot be parsed."""


def parse_bool(name: str, raw: str) -> bool:
    """Parse a boolean the way operators write one, and refuse anything else."""
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean (use true/false)")


def parse_int(name: str, raw: str) -> int:
    """Parse an integer, naming the variable on failure."""
    try:
        return int(raw.strip())
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not an integer") from None


def parse_choice(name: str, raw: str, choices: tuple[str, ...]) -> str:
    """Accept one of a fixed set of words."""
    if raw not in choices:
        raise ConfigError(f"{name}={raw!r} must be one of {', '.join(choices)}")
    return raw


def parse_list(_name: str, raw: str) -> list[str]:
    """Split a comma separated list, dropping blanks."""
    return [item.strip() for item in raw.split(",") if item.strip()]


def check_rate_limit(name: str, value: str) -> str:
    """Refuse a rate limit flask-limiter would only log and then ignore, or one that shuts all."""
    try:
        limits = parse_many(value)
    except ValueError:
        limits = []
    if not limits or any(limit.amount < 1 for limit in limits):
        raise ConfigError(
            f"{name}={value!r} is not a rate limit such as '10 per minute' "
            "(quote values with spaces in the environment file)"
        )
    return value


def check_host(name: str, value: str) -> str:
    """Accept a host name (no port, no scheme), lower-casing it as hosts are compared."""
    host = value.strip().lower().removesuffix(".")
    if not is_host_name(host):
        raise ConfigError(f"{name}={value!r} is not a host name (no port or scheme)")
    return host


def check_hosts(name: str, value: list[str]) -> list[str]:
    """Accept a list of host names."""
    return [check_host(name, host) for host in value]


def check_port(name: str, value: int) -> int:
    """Accept a TCP port number."""
    if not 0 < value < 65536:
        raise ConfigError(f"{name}={value!r} is not a port (1-65535)")
    return value


def check_byte_count(name: str, value: int) -> int:
    """Accept a positive number of bytes."""
    if value < 1:
        raise ConfigError(f"{name}={value!r} is not a positive number of bytes")
    return value


def check_url_scheme(schemes: tuple[str, ...]) -> Callable[[str, str], str]:
    """Accept an empty value or a URL with one of `schemes`."""

    def check(name: str, value: str) -> str:
        if value and urlsplit(value).scheme not in schemes:
            raise ConfigError(f"{name}={value!r} must be a URL starting {' or '.join(schemes)}://")
        return value

    return check


def check_http_url(name: str, value: str) -> str:
    """Accept an empty value or an http(s) URL with a host."""
    parts = urlsplit(value)
    if value and (parts.scheme not in ("http", "https") or not parts.hostname):
        raise ConfigError(f"{name}={value!r} must be a URL like https://host[:port][/path]")
    return value


def check_token(name: str, value: str) -> str:
    """Accept an empty value or a bearer token: printable, no spaces (a header would split it)."""
    if value and not (value.isprintable() and value.isascii() and " " not in value):
        raise ConfigError(f"{name} must be printable ASCII without spaces")
    return value


def check_minutes(name: str, value: int) -> int:
    """Accept a duration of at least one whole minute (zero would end things as they start)."""
    if value < 1:
        raise ConfigError(f"{name}={value!r} must be a whole number of minutes, at least 1")
    return value


def check_seconds(name: str, value: int) -> int:
    """Accept a number of seconds, zero included."""
    if value < 0:
        raise ConfigError(f"{name}={value!r} must be a whole number of seconds, 0 or more")
    return value


def check_count(least: int) -> Callable[[str, int], int]:
    """Accept a whole number of at least `least`."""

    def check(name: str, value: int) -> int:
        if value < least:
            raise ConfigError(f"{name}={value!r} must be a whole number, at least {least}")
        return value

    return check


def check_bind(name: str, value: str) -> str:
    """Accept what gunicorn binds to: `host:port`, `[v6]:port` or `unix:/path`."""
    if value.startswith("unix:") and len(value) > len("unix:"):
        return value
    host, colon, port = value.rpartition(":")
    bare = host.removeprefix("[").removesuffix("]")
    if colon and port.isdigit() and 0 < int(port) < 65536 and (is_host_name(bare) or _is_ip(bare)):
        return value
    raise ConfigError(f"{name}={value!r} is not host:port or unix:/path")


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def check_networks(name: str, value: list[str]) -> list[str]:
    """Accept `*` or addresses and networks (`10.0.0.0/8`) of trusted proxies."""
    if value == ["*"]:
        return value
    for item in value:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ConfigError(
                f"{name}={','.join(value)!r}: {item!r} is not an IP address or network "
                "(or use * alone)"
            ) from None
    return value


def check_address(name: str, value: str) -> str:
    """Accept an e-mail address, with or without a display name."""
    if "@" not in parseaddr(value)[1]:
        raise ConfigError(
            f"{name}={value!r} is not an e-mail address "
            "(quote values with spaces in the environment file)"
        )
    return value


@dataclass(frozen=True)
class Settings:
    """Everything the application reads from its environment."""

    env: str = "development"
    secret_key: str = ""
    database_url: str = f"sqlite:///{ROOT / 'instance' / 'saas.db'}"
    migration_database_url: str = ""
    redis_url: str = ""
    broker: str = "stub"
    platform_hosts: list[str] = field(default_factory=lambda: ["localhost", "127.0.0.1"])
    base_domain: str = "localhost"
    tenants_dir: str = str(ROOT / "tenants")
    themes_dir: str = str(ROOT / "themes")
    session_cookie_secure: bool = False
    totp_secret: str = ""
    # Keys that seal personal data and secrets at rest, newest first (saas.db.sealed).
    data_keys: list[str] = field(default_factory=list)
    mail_server: str = "127.0.0.1"
    mail_port: int = 25
    mail_sender: str = "no-reply@localhost"
    login_rate_limit: str = "10 per minute"
    account_rate_limit: str = "10 per minute; 100 per day"
    # Per brand and client address on /api/v1.
    api_rate_limit: str = "300 per minute"
    ratelimit_storage_url: str = "memory://"
    staff_idle_minutes: int = 30
    subscriber_idle_minutes: int = 120
    token_max_age_minutes: int = 15
    # Bytes a request body may have; an upload endpoint raises its own limit (guards.body_limit).
    max_request_bytes: int = 1024 * 1024
    # Gunicorn (infra/gunicorn.conf.py): listen address, processes (0: 2 per CPU + 1), threads.
    bind: str = "0.0.0.0:8000"
    web_workers: int = 0
    web_threads: int = 4
    # Peers whose X-Forwarded-* headers are believed, and how many proxies append to
    # X-Forwarded-For in front of the app (0: the headers are never read).
    forwarded_allow_ips: list[str] = field(default_factory=lambda: ["127.0.0.1", "::1"])
    proxy_count: int = 1
    # How long a process serves brands from its own copy before asking whether the registry
    # changed (one query per process per period; changes made in this process show at once).
    brand_cache_seconds: int = 5
    # Seconds after which a pooled database connection is replaced rather than reused.
    db_pool_recycle_seconds: int = 1800
    # The external KYC vendor brands may use (saas.customers.kyc.vendor); empty: none.
    kyc_vendor_url: str = ""
    kyc_vendor_token: str = ""
    kyc_vendor_timeout_seconds: int = 10
    # The credit bureau (saas.customers.credit.bureau): base URL, bearer token, seconds to wait.
    # Without a URL every check falls back to the brand's class for an unreachable bureau.
    credit_bureau_url: str = ""
    credit_bureau_token: str = ""
    credit_bureau_timeout_seconds: int = 10
    # The host MNO's provisioning API (saas.network.provisioning.mno); outside production an
    # empty URL means the local MNO simulator the demo starts.
    mno_url: str = ""
    mno_token: str = ""
    mno_timeout_seconds: int = 10

    @property
    def owner_database_url(self) -> str:
        """The URL migrations run with: the table owner."""
        return self.migration_database_url or self.database_url

    def as_flask_config(self) -> dict[str, Any]:
        """Map settings onto Flask and extension configuration keys."""
        production = self.env == "production"
        return {
            "SAAS": self,
            "SECRET_KEY": self.secret_key,
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            # No ping on every checkout: a connection the server closed is seen without a round
            # trip when it is taken from the pool (saas.db.session), old ones are recycled.
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_recycle": self.db_pool_recycle_seconds},
            "SESSION_COOKIE_SECURE": self.session_cookie_secure or production,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "REMEMBER_COOKIE_SECURE": self.session_cookie_secure or production,
            "REMEMBER_COOKIE_HTTPONLY": True,
            "REMEMBER_COOKIE_SAMESITE": "Lax",
            "SECURITY_TOTP_SECRETS": {"1": self.totp_secret},
            "SECURITY_PASSWORD_SALT": self.secret_key,
            "SECURITY_EMAIL_SENDER": self.mail_sender,
            "MAIL_SERVER": self.mail_server,
            "MAIL_PORT": self.mail_port,
            "RATELIMIT_STORAGE_URI": self.ratelimit_storage_url,
            "SAAS_LOGIN_RATE_LIMIT": self.login_rate_limit,
            "SAAS_ACCOUNT_RATE_LIMIT": self.account_rate_limit,
            "SAAS_API_RATE_LIMIT": self.api_rate_limit,
            "SECURITY_TOKEN_MAX_AGE": timedelta(minutes=self.token_max_age_minutes),
            "MAX_CONTENT_LENGTH": self.max_request_bytes,
            "MAX_FORM_MEMORY_SIZE": self.max_request_bytes,
        }


_PARSERS = {
    bool: parse_bool,
    int: parse_int,
    list: parse_list,
}

# Variables with names fixed by convention rather than the SAAS_ prefix.
_ALIASES = {
    "database_url": "DATABASE_URL",
    "migration_database_url": "MIGRATION_DATABASE_URL",
    "redis_url": "REDIS_URL",
}

_SECRETS = ("secret_key", "totp_secret", "data_keys", "mno_token")
# Where the demo serves the MNO simulator (saas network mno-simulator) when SAAS_MNO_URL is empty.
DEMO_MNO_URL = "http://127.0.0.1:5055"

# Checks on the final values, overrides included: a value that would only fail later (or be
# ignored with a log line) stops the process at start instead.
_CHECKS: dict[str, Callable[[str, Any], Any]] = {
    "platform_hosts": check_hosts,
    "base_domain": check_host,
    "mail_port": check_port,
    "mail_sender": check_address,
    "login_rate_limit": check_rate_limit,
    "account_rate_limit": check_rate_limit,
    "api_rate_limit": check_rate_limit,
    "ratelimit_storage_url": check_url_scheme(tuple(LIMIT_STORAGE_SCHEMES)),
    "redis_url": check_url_scheme(("redis", "rediss", "unix")),
    "staff_idle_minutes": check_minutes,
    "subscriber_idle_minutes": check_minutes,
    "token_max_age_minutes": check_minutes,
    "max_request_bytes": check_byte_count,
    "bind": check_bind,
    "web_workers": check_count(0),
    "web_threads": check_count(1),
    "forwarded_allow_ips": check_networks,
    "proxy_count": check_count(0),
    "brand_cache_seconds": check_seconds,
    "db_pool_recycle_seconds": check_count(1),
    "kyc_vendor_url": check_http_url,
    "kyc_vendor_timeout_seconds": check_count(1),
    "credit_bureau_url": check_http_url,
    "credit_bureau_token": check_token,
    "credit_bureau_timeout_seconds": check_count(1),
    "mno_url": check_http_url,
    "mno_timeout_seconds": check_count(1),
}


def env_name(attr: str) -> str:
    """Return the environment variable that sets an attribute."""
    return _ALIASES.get(attr, f"SAAS_{attr.upper()}")


def _parse(attr: str, kind: Any, raw: str) -> Any:
    name = env_name(attr)
    if attr == "env":
        return parse_choice(name, raw, ("development", "test", "production"))
    if attr == "broker":
        return parse_choice(name, raw, ("stub", "redis"))
    base = getattr(kind, "__origin__", kind)
    parser = _PARSERS.get(base)
    return parser(name, raw) if parser else raw


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build settings from the environment; production refuses missing secrets."""
    environ = os.environ if environ is None else environ
    hints = get_type_hints(Settings)
    values: dict[str, Any] = {}
    for attr in (f.name for f in fields(Settings)):
        kind = hints[attr]
        raw = environ.get(env_name(attr))
        if raw is not None:
            values[attr] = _parse(attr, kind, raw)
    values.update(overrides)
    settings = Settings(**values)
    return _check(settings)


def _check(settings: Settings) -> Settings:
    checked = {a: check(env_name(a), getattr(settings, a)) for a, check in _CHECKS.items()}
    settings = _with_mno(_with_secrets(replace(settings, **checked)))
    if settings.broker == "redis" and not settings.redis_url:
        raise ConfigError("SAAS_BROKER=redis needs REDIS_URL")
    if settings.env == "production" and settings.ratelimit_storage_url.startswith("memory:"):
        # Each web process would count on its own: the limits would multiply by the workers.
        raise ConfigError("SAAS_RATELIMIT_STORAGE_URL must be shared (redis://) in production")
    return settings


def _with_mno(settings: Settings) -> Settings:
    """Production names its host MNO; development and tests talk to the local simulator."""
    if settings.mno_url:
        return settings
    if settings.env == "production":
        raise ConfigError("SAAS_MNO_URL is required in production (the host MNO's API)")
    return replace(settings, mno_url=DEMO_MNO_URL)


def _with_secrets(settings: Settings) -> Settings:
    missing = [env_name(a) for a in _SECRETS if not getattr(settings, a)]
    if missing and settings.env == "production":
        raise ConfigError(f"missing required secret(s): {', '.join(missing)}")
    # Development and test get fixed, visibly insecure values rather than random ones,
    # so sessions survive a restart of the demo.
    filled: dict[str, Any] = {
        a: f"insecure-{a}-for-{settings.env}" for a in _SECRETS if not getattr(settings, a)
    }
    if "data_keys" in filled:
        filled["data_keys"] = [filled["data_keys"]]
    return replace(settings, **filled)
