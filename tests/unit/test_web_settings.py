"""The web process settings are read and checked like every other, naming the variable."""

from __future__ import annotations

import pytest

from saas.config import ConfigError, load_settings


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SAAS_API_RATE_LIMIT", "lots"),
        ("SAAS_API_RATE_LIMIT", "0 per minute"),
        ("SAAS_BIND", "8000"),
        ("SAAS_BIND", "localhost:99999"),
        ("SAAS_WEB_WORKERS", "-1"),
        ("SAAS_WEB_THREADS", "0"),
        ("SAAS_FORWARDED_ALLOW_IPS", "10.0.0.1,proxy.internal"),
        ("SAAS_FORWARDED_ALLOW_IPS", "*,10.0.0.1"),
        ("SAAS_PROXY_COUNT", "-1"),
        ("SAAS_BRAND_CACHE_SECONDS", "-5"),
        ("SAAS_DB_POOL_RECYCLE_SECONDS", "0"),
    ],
)
def test_a_bad_web_setting_stops_the_start_naming_it(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        load_settings({name: value})


def test_the_web_settings_are_read() -> None:
    s = load_settings(
        {
            "SAAS_API_RATE_LIMIT": "50 per minute",
            "SAAS_BIND": "[::1]:9000",
            "SAAS_WEB_WORKERS": "3",
            "SAAS_WEB_THREADS": "8",
            "SAAS_FORWARDED_ALLOW_IPS": "10.0.0.0/8, 192.0.2.1",
            "SAAS_PROXY_COUNT": "2",
            "SAAS_BRAND_CACHE_SECONDS": "0",
        }
    )
    assert (s.bind, s.web_workers, s.web_threads) == ("[::1]:9000", 3, 8)
    assert (s.forwarded_allow_ips, s.proxy_count) == (["10.0.0.0/8", "192.0.2.1"], 2)
    assert s.brand_cache_seconds == 0
    flask = s.as_flask_config()
    assert flask["SAAS_API_RATE_LIMIT"] == "50 per minute"
    assert "pool_pre_ping" not in flask["SQLALCHEMY_ENGINE_OPTIONS"]
    assert load_settings({"SAAS_BIND": "unix:/run/saas.sock"}).bind == "unix:/run/saas.sock"
