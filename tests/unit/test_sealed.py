"""Sealed columns: what is stored is encrypted, opens with any installed key, never with others."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, select, text

from saas.config import ConfigError, load_settings
from saas.db import sealed


@pytest.fixture(autouse=True)
def _keys():
    # The app under test keeps the keys it installed: these tests put them back afterwards.
    kept = (sealed._keyring, sealed._digest_key)
    sealed.install(["first passphrase"])
    yield
    sealed._keyring, sealed._digest_key = kept


def test_a_sealed_column_stores_ciphertext_and_reads_plain_text() -> None:
    engine = create_engine("sqlite://")
    table = Table(
        "t", MetaData(), Column("id", Integer, primary_key=True), Column("v", sealed.Sealed)
    )
    table.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(table).values(id=1, v="DE 12345678901"))
        stored = conn.execute(text("SELECT v FROM t")).scalar_one()
        read = conn.execute(select(table.c.v)).scalar_one()
    assert "12345678901" not in stored and read == "DE 12345678901"


def test_a_rotated_key_still_opens_old_values_and_reseals_them_under_the_new_one() -> None:
    old = sealed.seal("89490200001234567890")
    sealed.install(["second passphrase", "first passphrase"])
    assert sealed.unseal(old) == "89490200001234567890"
    renewed = sealed.reseal(old)
    sealed.install(["second passphrase"])
    assert sealed.unseal(renewed) == "89490200001234567890"
    with pytest.raises(sealed.SealError):
        sealed.unseal(old)


def test_digests_find_equal_values_without_showing_them() -> None:
    one, same = sealed.digest("80010112345", "pesel"), sealed.digest("80010112345", "pesel")
    assert one == same and "80010112345" not in one
    assert sealed.digest("80010112345", "tax_id") != one
    sealed.install(["another key"])
    assert sealed.digest("80010112345", "pesel") != one


def test_masking_shows_the_last_characters_only() -> None:
    assert sealed.masked("DE89370400440532013000") == "••••••••••••••••••3000"
    assert sealed.masked("123") == "••••"
    assert sealed.masked("") == ""


def test_production_refuses_to_start_without_data_keys() -> None:
    env = {
        "SAAS_ENV": "production",
        "SAAS_SECRET_KEY": "s",
        "SAAS_TOTP_SECRET": "t",
        "SAAS_RATELIMIT_STORAGE_URL": "redis://127.0.0.1:6379/1",
        "SAAS_MNO_URL": "https://mno.example.net",
        "SAAS_MNO_TOKEN": "m",
    }
    with pytest.raises(ConfigError, match="SAAS_DATA_KEYS"):
        load_settings(env)
    keys = load_settings(env | {"SAAS_DATA_KEYS": "new, old"}).data_keys
    assert keys == ["new", "old"]


def test_a_zone_is_shown_by_its_last_characters_without_fillers() -> None:
    from saas.web.signup import answer_text

    zone = (
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159<<<<<<<<<<<<<<06"
    )
    shown = answer_text("document", "mrz", zone)
    assert shown == "••••5906"  # not "••••<<06"
