"""Field-level encryption of protected health information, with key rotation and blind indexes.

Names, birth dates, member ids, addresses and notes are stored as tokens
``v1.<key-id>.<base64url(nonce + ciphertext + tag)>`` made with AES-256-GCM. The associated data
binds each token to its field (``context``, e.g. ``patient.last_name``) and to its header, so a
value copied into another column, or a header edited to point at another key, fails to decrypt
instead of being read as the wrong thing.

Keys come from configuration, newest first. New values are always written with the newest key;
older keys stay only to read what they wrote until ``rotate`` rewrites it. ``blind_index`` gives
exact-match search over encrypted fields (HMAC-SHA256 of the normalised value) with a key that is
independent of rotation, so indexes stay valid while the encryption keys change.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import unicodedata
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = "v1"
KEY_BYTES = 32
NONCE_BYTES = 12
_TAG_BYTES = 16


class PhiKeyError(ValueError):
    """A configured key is malformed (the message never contains the key)."""


class PhiDecryptError(ValueError):
    """A token cannot be decrypted: malformed, unknown key, wrong context or tampered."""


def generate_key() -> str:
    """A new random 256-bit key, urlsafe-base64 encoded, for OPENRCM_PHI_KEYS."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode("ascii")


def _decode_key(key: str, position: int) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(key.strip().encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
        raise PhiKeyError(f"PHI key #{position + 1} is not urlsafe base64") from exc
    if len(raw) != KEY_BYTES:
        raise PhiKeyError(f"PHI key #{position + 1} must decode to {KEY_BYTES} bytes")
    return raw


def key_id(raw: bytes) -> str:
    """A short public fingerprint of a key: names the key in tokens without revealing it."""
    return hashlib.sha256(b"openrcm-phi-key-id\x00" + raw).hexdigest()[:8]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode((text + "=" * (-len(text) % 4)).encode("ascii"))


def normalize_for_index(value: str) -> str:
    """Unicode NFKC, case-folded, trimmed, inner whitespace collapsed: ' SMITH ' == 'smith'."""
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


class PhiCipher:
    """Encrypts and decrypts PHI fields with the configured keys.

    Args:
        keys: urlsafe-base64 32-byte keys, newest first; the first encrypts, all decrypt.
        index_key: key for blind indexes. When omitted it is derived (HKDF) from the OLDEST key
            in ``keys``, which stays stable while new keys are added in front; set it explicitly
            before retiring the oldest key, or the indexes must be rebuilt.

    Raises:
        PhiKeyError: no keys, a malformed key, or two keys with the same fingerprint.
    """

    def __init__(self, keys: Sequence[str], *, index_key: str | None = None) -> None:
        if isinstance(keys, str) or not keys:
            raise PhiKeyError("at least one PHI key is required (a sequence, newest first)")
        raws = [_decode_key(k, i) for i, k in enumerate(keys)]
        self._keys: dict[str, AESGCM] = {}
        for raw in raws:
            kid = key_id(raw)
            if kid in self._keys:
                raise PhiKeyError(f"PHI key {kid} is listed twice")
            self._keys[kid] = AESGCM(raw)
        self._current = key_id(raws[0])
        index_raw = _decode_key(index_key, len(raws)) if index_key is not None else raws[-1]
        self._index_key = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"openrcm blind index v1"
        ).derive(index_raw)

    @property
    def current_key_id(self) -> str:
        """The fingerprint of the key new values are written with."""
        return self._current

    @staticmethod
    def _aad(kid: str, context: str) -> bytes:
        if not context:
            raise ValueError("an encryption context (the field name) is required")
        return f"{VERSION}.{kid}.{context}".encode()

    def encrypt(self, plaintext: str, *, context: str) -> str:
        """Encrypt one field value with the newest key and a fresh random 96-bit nonce."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._keys[self._current].encrypt(
            nonce, plaintext.encode("utf-8"), self._aad(self._current, context)
        )
        return f"{VERSION}.{self._current}.{_b64(nonce + sealed)}"

    def _split(self, token: str) -> tuple[str, bytes]:
        parts = token.split(".")
        if len(parts) != 3 or parts[0] != VERSION:
            raise PhiDecryptError("not an openrcm PHI token (expected v1.<key-id>.<data>)")
        kid, body = parts[1], parts[2]
        if kid not in self._keys:
            raise PhiDecryptError(f"PHI token uses key {kid}, which is not configured")
        try:
            blob = _unb64(body)
        except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
            raise PhiDecryptError("PHI token data is not base64") from exc
        if len(blob) < NONCE_BYTES + _TAG_BYTES:
            raise PhiDecryptError("PHI token data is too short")
        return kid, blob

    def decrypt(self, token: str, *, context: str) -> str:
        """Decrypt a token written for ``context``.

        Raises:
            PhiDecryptError: malformed token, unknown key, wrong context, or tampered data.
        """
        kid, blob = self._split(token)
        try:
            plain = self._keys[kid].decrypt(
                blob[:NONCE_BYTES], blob[NONCE_BYTES:], self._aad(kid, context)
            )
        except InvalidTag as exc:
            raise PhiDecryptError(
                f"PHI token for {context} failed authentication (wrong field or tampered)"
            ) from exc
        return plain.decode("utf-8")

    def needs_rotation(self, token: str) -> bool:
        """True when the token was written with a key other than the newest."""
        kid, _ = self._split(token)
        return kid != self._current

    def rotate(self, token: str, *, context: str) -> str:
        """Re-encrypt a token with the newest key; a token already on it is returned unchanged."""
        if not self.needs_rotation(token):
            return token
        return self.encrypt(self.decrypt(token, context=context), context=context)

    def blind_index(self, value: str, *, context: str) -> str:
        """Deterministic HMAC-SHA256 (hex) of the normalised value, for exact-match lookup.

        The context is part of the MAC so equal values in different fields do not correlate.
        """
        if not context:
            raise ValueError("a blind-index context (the field name) is required")
        message = context.encode("utf-8") + b"\x00" + normalize_for_index(value).encode("utf-8")
        return hmac.new(self._index_key, message, hashlib.sha256).hexdigest()
