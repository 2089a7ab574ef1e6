"""Personal data and secrets sealed at rest: a column type that encrypts what it stores.

Values are encrypted with Fernet (AES-128-CBC with an HMAC-SHA256 tag) under the keys of
SAAS_DATA_KEYS: the first key seals, every key opens, so a key is rotated by putting the new one
first and re-sealing (`reseal`) before the old one is dropped. Each key is a passphrase of the
operator's, stretched into a Fernet key, so any long random text will do.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

_keyring: MultiFernet | None = None
_digest_key: bytes | None = None
_SALT = b"saas-mvno sealed columns v1"
_DIGEST_SALT = b"saas-mvno digests v1"


class SealError(RuntimeError):
    """No keys are installed, or a stored value opens with none of them."""


@cache
def _stretched(passphrase: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", passphrase.encode(), salt, 100_000, dklen=32)


def _fernet(passphrase: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_stretched(passphrase, _SALT)))


def install(passphrases: list[str]) -> None:
    """Use these keys from now on, the first to seal; the process's one keyring."""
    global _keyring, _digest_key
    if not passphrases:
        raise SealError("SAAS_DATA_KEYS holds no key")
    _keyring = MultiFernet([_fernet(p) for p in passphrases])
    _digest_key = _stretched(passphrases[0], _DIGEST_SALT)


def _ring() -> MultiFernet:
    if _keyring is None:
        raise SealError("no data keys are installed (saas.db.sealed.install)")
    return _keyring


def seal(text: str) -> str:
    """Encrypt a text under the first key."""
    return _ring().encrypt(text.encode()).decode("ascii")


def unseal(token: str) -> str:
    """Decrypt a text sealed under any installed key."""
    try:
        return _ring().decrypt(token.encode("ascii")).decode()
    except InvalidToken:
        raise SealError("a sealed value opens with none of SAAS_DATA_KEYS") from None


def reseal(token: str) -> str:
    """The same text sealed under the first key (for rotating keys)."""
    return _ring().rotate(token.encode("ascii")).decode("ascii")


class Sealed(TypeDecorator[str]):
    """A text column stored encrypted; queries cannot compare it, so keep a digest beside it."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else seal(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else unseal(value)


def digest(text: str, purpose: str) -> str:
    """A keyed digest of a value, to find or compare sealed values without opening them.

    Keyed by the first key: rotating keys means computing stored digests again too.
    """
    if _digest_key is None:
        raise SealError("no data keys are installed (saas.db.sealed.install)")
    data = f"{purpose}:{text}".encode()
    return hashlib.blake2b(data, key=_digest_key, digest_size=20).hexdigest()


def masked(text: str, keep: int = 4, mark: str = "•") -> str:
    """Show only the last `keep` characters of a value."""
    shown = text[-keep:] if keep and len(text) > keep else ""
    return mark * max(len(text) - len(shown), 4 if text else 0) + shown
