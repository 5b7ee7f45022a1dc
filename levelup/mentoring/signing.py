"""The credential signing key and the JWS over an Open Badges credential.

Credentials are signed as a compact JWS (the VC-JWT form Open Badges 3.0 allows) with
an Ed25519 key: PyJWT makes and checks the JWS, `cryptography` holds the key. The key is
generated once and kept beside the secret key in the data directory (mode 0600); lose it
and every credential issued so far stops verifying, so back it up with the secret key.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

SIGNING_KEY_FILE = "credential_signing_key.pem"
ALGORITHM = "EdDSA"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def signing_key_load_or_create(data_dir: Path) -> Ed25519PrivateKey:
    """The Ed25519 key in `data_dir`, generated (PKCS#8 PEM, mode 0600) the first time.

    Written to a private temporary file and linked into place, so two processes
    starting at once agree on one key and nobody reads a half-written file.
    """
    path = data_dir / SIGNING_KEY_FILE
    if not path.exists():
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        temporary = data_dir / f".{SIGNING_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            temporary.unlink()
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return key


@lru_cache(maxsize=4)
def _key_for(data_dir: str) -> Ed25519PrivateKey:
    return signing_key_load_or_create(Path(data_dir))


def signing_key() -> Ed25519PrivateKey:
    """The instance's signing key (read once per process)."""
    return _key_for(str(settings.DATA_DIR))


def public_key() -> Ed25519PublicKey:
    return signing_key().public_key()


def public_key_bytes() -> bytes:
    return public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id() -> str:
    """A short, stable name of the public key: the start of its SHA-256."""
    return hashlib.sha256(public_key_bytes()).hexdigest()[:16]


def public_jwk() -> dict[str, str]:
    """The public key as a JSON Web Key (RFC 8037, OKP/Ed25519)."""
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": _b64url(public_key_bytes()),
        "kid": key_id(),
        "alg": ALGORITHM,
        "use": "sig",
    }


def jws_sign(claims: dict[str, Any], *, kid: str) -> str:
    """A compact JWS of `claims` with the instance key."""
    return jwt.encode(
        claims, signing_key(), algorithm=ALGORITHM, headers={"kid": kid, "typ": "JWT"}
    )


def jws_verify(token: str) -> dict[str, Any]:
    """The claims of a JWS signed by the instance key; raises `jwt.InvalidTokenError`."""
    # `nbf`/`exp` are checked too; credentials here never expire, so only `nbf` applies.
    return jwt.decode(
        token,
        public_key(),
        algorithms=[ALGORITHM],
        options={"require": ["iss", "jti", "nbf"], "verify_aud": False},
    )
