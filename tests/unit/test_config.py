"""Settings come from the environment through strict parsers."""

import pytest

from saas.config import ConfigError, load_settings


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
    ],
)
def test_a_bad_value_is_refused_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        load_settings({name: value})


def test_production_refuses_to_start_without_secrets() -> None:
    with pytest.raises(ConfigError, match="SAAS_SECRET_KEY"):
        load_settings({"SAAS_ENV": "production"})


def test_production_with_secrets_gets_secure_cookies() -> None:
    s = load_settings(
        {"SAAS_ENV": "production", "SAAS_SECRET_KEY": "k" * 32, "SAAS_TOTP_SECRET": "t" * 32}
    )
    assert s.as_flask_config()["SESSION_COOKIE_SECURE"] is True


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
