"""Encryption of referral content at rest: AES-256-GCM from `cryptography`.

Each stored value is tagged with the id of the key that sealed it, so keys can be
rotated: new values use the first (current) key, old ones stay readable with older
keys until `flask keys reencrypt` seals them again with the current one.

Format of a sealed value (text, safe for any database):  v1.<key id>.<base64 of nonce+ciphertext>
The key id and format are bound into the authenticated data, so a value cannot be
moved to another key id or format without failing to open.
"""

from __future__ import annotations

import base64
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = "v1"
# What the blind-index keys are for: a key derived for one purpose is never the key of
# another (HKDF's "info"), so an index digest says nothing about the sealing key.
BLIND_INDEX_INFO = b"againsthate blind index v1"
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class CryptoError(Exception):
    """A key is missing, malformed, or a value cannot be opened."""


@dataclass(frozen=True)
class Keyring:
    """Keys by id; the first is the one new values are sealed with."""

    keys: tuple[tuple[str, bytes], ...]

    @property
    def current_id(self) -> str:
        return self.keys[0][0]

    def _key(self, key_id: str) -> bytes:
        for kid, key in self.keys:
            if kid == key_id:
                return key
        raise CryptoError(f"no key with id {key_id!r} is configured (REFERRAL_KEYS)")

    def seal(self, plaintext: str) -> str:
        key_id = self.current_id
        nonce = secrets.token_bytes(12)
        aad = f"{VERSION}.{key_id}".encode()
        ciphertext = AESGCM(self._key(key_id)).encrypt(nonce, plaintext.encode("utf-8"), aad)
        return f"{VERSION}.{key_id}.{base64.urlsafe_b64encode(nonce + ciphertext).decode()}"

    def open(self, sealed: str) -> str:
        try:
            version, key_id, payload = sealed.split(".", 2)
            raw = base64.urlsafe_b64decode(payload.encode())
        except (ValueError, TypeError) as error:
            raise CryptoError("not a sealed value") from error
        if version != VERSION:
            raise CryptoError(f"unknown format {version!r}")
        if len(raw) < 12 + 16:  # a nonce and a tag at the very least
            raise CryptoError("not a sealed value")
        aad = f"{version}.{key_id}".encode()
        try:
            return AESGCM(self._key(key_id)).decrypt(raw[:12], raw[12:], aad).decode("utf-8")
        except InvalidTag as error:
            raise CryptoError("the value was altered or sealed with another key") from error

    def _index_key(self, key_id: str) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=BLIND_INDEX_INFO).derive(
            self._key(key_id)
        )

    def blind(self, key_id: str, value: str) -> str:
        """A keyed hash (HMAC-SHA256, hex) of `value` under the index key derived from key
        `key_id`: equal values give equal digests, and without the key no digest can be
        checked against a guess."""
        mac = hmac.HMAC(self._index_key(key_id), hashes.SHA256())
        mac.update(value.encode("utf-8"))
        return mac.finalize().hex()

    def key_id_of(self, sealed: str) -> str:
        return sealed.split(".", 2)[1]

    def reseal(self, sealed: str) -> str:
        """The same plaintext under the current key (no-op if already current)."""
        if self.key_id_of(sealed) == self.current_id:
            return sealed
        return self.seal(self.open(sealed))


def parse_keys(text: str) -> Keyring:
    """`id:base64key,id2:base64key` — the first is current. Keys are 32 random bytes."""
    keys = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        key_id, _, encoded = part.partition(":")
        if not _KEY_ID.match(key_id):
            raise CryptoError(f"key id {key_id!r} must be 1-32 letters, digits, - or _")
        try:
            key = base64.urlsafe_b64decode(encoded.encode())
        except (ValueError, TypeError):
            key = b""
        if len(key) != 32:
            raise CryptoError(f"key {key_id!r} must be 32 bytes, base64-encoded")
        keys.append((key_id, key))
    if not keys:
        raise CryptoError("no keys given")
    if len({k for k, _ in keys}) != len(keys):
        raise CryptoError("a key id is used twice")
    return Keyring(tuple(keys))


def new_key_entry(key_id: str) -> str:
    """A fresh `id:key` entry for REFERRAL_KEYS."""
    return f"{key_id}:{base64.urlsafe_b64encode(os.urandom(32)).decode()}"


def development_keyring(instance: Path) -> Keyring:
    """Development only: a key made once and kept under instance/."""
    path = instance / "referral_keys"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(new_key_entry("dev1"))
        path.chmod(0o600)
    return parse_keys(path.read_text().strip())
