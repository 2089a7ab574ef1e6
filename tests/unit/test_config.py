"""Settings come from the environment through strict parsers."""

import subprocess
from pathlib import Path

import pytest

from saas.config import ConfigError, load_settings

ENV_EXAMPLE = Path(__file__).resolve().parents[2] / "infra" / "env.example"
PRODUCTION = {
    "SAAS_ENV": "production",
    "SAAS_SECRET_KEY": "k" * 32,
    "SAAS_TOTP_SECRET": "t" * 32,
    "SAAS_DATA_KEYS": "d" * 32,
    "SAAS_RATELIMIT_STORAGE_URL": "redis://redis.internal:6379/1",
    "SAAS_MNO_URL": "https://mno.example.net/provisioning",
    "SAAS_MNO_TOKEN": "m" * 32,
}


def test_values_are_parsed_from_prefixed_variables() -> None:
    s = load_settings(
        {
            "SAAS_MAIL_PORT": "2525",
            "SAAS_PLATFORM_HOSTS": "ops.example, localhost",
            "SAAS_SESSION_COOKIE_SECURE": "yes",
            "DATABASE_URL": "sqlite://",
        }
    )
    assert (s.mail_port, s.platform_hosts, s.session_cookie_secure, s.database_url) == (
        2525,
        ["ops.example", "localhost"],
        True,
        "sqlite://",
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SAAS_MAIL_PORT", "25x"),
        ("SAAS_SESSION_COOKIE_SECURE", "maybe"),
        ("SAAS_ENV", "staging"),
        ("SAAS_BROKER", "rabbit"),
        ("SAAS_LOGIN_RATE_LIMIT", "10"),
        ("SAAS_LOGIN_RATE_LIMIT", "0 per minute"),
        ("SAAS_ACCOUNT_RATE_LIMIT", "10 per fortnight"),
        ("SAAS_RATELIMIT_STORAGE_URL", "redis//redis.internal"),
        ("REDIS_URL", "redis.internal:6379"),
        ("SAAS_PLATFORM_HOSTS", "ops.example.net:443"),
        ("SAAS_BASE_DOMAIN", "brands..example.net"),
        ("SAAS_MAIL_SENDER", "Spreewelle"),
        ("SAAS_MAIL_PORT", "0"),
        ("SAAS_MNO_URL", "mno.example.net"),
        ("SAAS_MNO_TIMEOUT_SECONDS", "0"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        load_settings({name: value})


def test_production_refuses_to_start_without_secrets() -> None:
    with pytest.raises(ConfigError, match="SAAS_SECRET_KEY"):
        load_settings({"SAAS_ENV": "production"})


@pytest.mark.parametrize("missing", ["SAAS_MNO_URL", "SAAS_MNO_TOKEN"])
def test_production_refuses_to_start_without_its_host_network(missing: str) -> None:
    with pytest.raises(ConfigError, match=missing):
        load_settings({k: v for k, v in PRODUCTION.items() if k != missing})


def test_outside_production_the_host_network_is_the_local_simulator() -> None:
    from saas.config import DEMO_MNO_URL

    s = load_settings({})
    assert (s.mno_url, s.mno_timeout_seconds) == (DEMO_MNO_URL, 10)
    assert load_settings({"SAAS_MNO_URL": "https://mno.test/api"}).mno_url == "https://mno.test/api"


def test_production_with_secrets_gets_secure_cookies() -> None:
    s = load_settings(PRODUCTION)
    assert s.as_flask_config()["SESSION_COOKIE_SECURE"] is True


def test_a_rate_limit_split_at_its_spaces_stops_the_process_at_start() -> None:
    # What `export $(cat /etc/saas/env | xargs)` makes of SAAS_LOGIN_RATE_LIMIT=10 per minute.
    with pytest.raises(ConfigError, match="SAAS_LOGIN_RATE_LIMIT='10'"):
        load_settings({"SAAS_LOGIN_RATE_LIMIT": "10"})
    with pytest.raises(ConfigError, match="SAAS_ACCOUNT_RATE_LIMIT"):
        load_settings({}, account_rate_limit="10")


def test_production_refuses_limit_counters_kept_in_each_process() -> None:
    with pytest.raises(ConfigError, match="SAAS_RATELIMIT_STORAGE_URL"):
        load_settings({**PRODUCTION, "SAAS_RATELIMIT_STORAGE_URL": "memory://"})


def test_hosts_in_settings_are_compared_in_lower_case() -> None:
    s = load_settings(
        {"SAAS_PLATFORM_HOSTS": "Ops.Example.NET", "SAAS_BASE_DOMAIN": "Brands.Example."}
    )
    assert (s.platform_hosts, s.base_domain) == (["ops.example.net"], "brands.example")


def test_the_production_env_example_loads_as_the_readme_says() -> None:
    shell = f"set -a; . {ENV_EXAMPLE}; set +a; env -0"
    out = subprocess.run(["sh", "-c", shell], env={}, capture_output=True, check=True).stdout
    environ = dict(item.split("=", 1) for item in out.decode().split("\0") if "=" in item)
    s = load_settings(environ)
    assert (s.env, s.login_rate_limit) == ("production", "10 per minute")
    assert s.mail_sender == "Brand platform <no-reply@example.net>"


def test_the_redis_broker_needs_a_redis_url() -> None:
    with pytest.raises(ConfigError, match="REDIS_URL"):
        load_settings({"SAAS_BROKER": "redis"})


def test_migrations_default_to_the_runtime_url_where_one_role_does_both() -> None:
    s = load_settings({"DATABASE_URL": "postgresql://app@db/saas"})
    assert s.owner_database_url == "postgresql://app@db/saas"
    s = load_settings(
        {
            "DATABASE_URL": "postgresql://app@db/saas",
            "MIGRATION_DATABASE_URL": "postgresql://owner@db/saas",
        }
    )
    assert s.owner_database_url == "postgresql://owner@db/saas"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SAAS_STAFF_IDLE_MINUTES", "0"),
        ("SAAS_SUBSCRIBER_IDLE_MINUTES", "-5"),
        ("SAAS_TOKEN_MAX_AGE_MINUTES", "15m"),
        ("SAAS_STAFF_IDLE_MINUTES", "half an hour"),
    ],
)
def test_session_and_token_lifetimes_are_whole_minutes_of_at_least_one(
    name: str, value: str
) -> None:
    with pytest.raises(ConfigError, match=name):
        load_settings({name: value})


def test_session_and_token_lifetimes_default_to_staff_before_subscribers() -> None:
    s = load_settings({"SAAS_TOKEN_MAX_AGE_MINUTES": "10"})
    assert (s.staff_idle_minutes, s.subscriber_idle_minutes) == (30, 120)
    assert s.as_flask_config()["SECURITY_TOKEN_MAX_AGE"].total_seconds() == 600


def test_request_bodies_are_limited_to_one_mebibyte_unless_set() -> None:
    assert load_settings({}).as_flask_config()["MAX_CONTENT_LENGTH"] == 1024 * 1024
    raised = load_settings({"SAAS_MAX_REQUEST_BYTES": "5242880"}).as_flask_config()
    assert raised["MAX_CONTENT_LENGTH"] == raised["MAX_FORM_MEMORY_SIZE"] == 5 * 1024 * 1024


@pytest.mark.parametrize("value", ["1MiB", "0", "-1"])
def test_a_request_size_limit_that_is_not_a_positive_number_of_bytes_is_refused(
    value: str,
) -> None:
    with pytest.raises(ConfigError, match="SAAS_MAX_REQUEST_BYTES"):
        load_settings({"SAAS_MAX_REQUEST_BYTES": value})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SAAS_CREDIT_BUREAU_URL", "bureau.example.net"),
        ("SAAS_CREDIT_BUREAU_URL", "ftp://bureau.example.net"),
        ("SAAS_CREDIT_BUREAU_URL", "https://"),
        ("SAAS_CREDIT_BUREAU_TOKEN", "two words"),
        ("SAAS_CREDIT_BUREAU_TIMEOUT_SECONDS", "0"),
        ("SAAS_CREDIT_BUREAU_TIMEOUT_SECONDS", "soon"),
    ],
)
def test_a_bad_credit_bureau_setting_is_refused_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        load_settings({name: value})


def test_the_credit_bureau_settings_are_read() -> None:
    s = load_settings(
        {
            "SAAS_CREDIT_BUREAU_URL": "https://bureau.example.net/api",
            "SAAS_CREDIT_BUREAU_TOKEN": "abc.def-123",
            "SAAS_CREDIT_BUREAU_TIMEOUT_SECONDS": "4",
        }
    )
    assert (s.credit_bureau_url, s.credit_bureau_token, s.credit_bureau_timeout_seconds) == (
        "https://bureau.example.net/api",
        "abc.def-123",
        4,
    )


def test_the_benchmarks_production_environment_is_one_production_accepts() -> None:
    from tests.bench.load import production_env
    from tests.support.backends import Database

    database = Database("postgresql", "postgresql://owner@db/saas", "postgresql://app@db/saas")
    s = load_settings(production_env(database, 8123, "bench-secret-" + "s" * 40))
    assert (s.env, s.bind) == ("production", "127.0.0.1:8123")
