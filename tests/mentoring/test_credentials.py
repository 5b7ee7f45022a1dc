"""Credentials verify independently of the code that signs them, and fail when changed."""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from levelup.mentoring.models import CheckpointReview, Credential

pytestmark = pytest.mark.django_db

APPROVE = {
    "decision": "approved",
    "criteria": [{"slug": "built", "rating": 3}, {"slug": "taught", "rating": None}],
}


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


@pytest.fixture
def credential(api_for: Any, alice: Any, carol: Any, review: CheckpointReview) -> dict[str, Any]:
    mentor = api_for(carol)
    assert mentor.post(f"/api/v1/reviews/{review.pk}/claim").status_code == 200
    assert mentor.post(f"/api/v1/reviews/{review.pk}/decision", APPROVE).status_code == 200
    return api_for(alice).get(f"/api/v1/reviews/{review.pk}/credential").json()


def test_the_jws_checks_out_by_hand_with_the_served_public_key(
    api_for: Any, credential: dict[str, Any]
) -> None:
    """No PyJWT and no levelup code: the JWK from /issuer/jwks and `cryptography` alone."""
    jwks = api_for(None).get("/api/v1/issuer/jwks").json()
    (jwk,) = jwks["keys"]
    assert (jwk["kty"], jwk["crv"]) == ("OKP", "Ed25519")
    public = Ed25519PublicKey.from_public_bytes(_b64decode(jwk["x"]))
    header_b64, payload_b64, signature_b64 = credential["proof"]["jwt"].split(".")
    header = json.loads(_b64decode(header_b64))
    assert header["alg"] == "EdDSA"
    assert header["kid"].endswith(jwk["kid"])
    public.verify(_b64decode(signature_b64), f"{header_b64}.{payload_b64}".encode())
    claims = json.loads(_b64decode(payload_b64))
    unsigned = {k: v for k, v in credential.items() if k != "proof"}
    assert claims["vc"] == unsigned
    assert claims["jti"] == credential["id"]
    assert claims["iss"] == credential["issuer"]["id"]

    forged = bytearray(_b64decode(payload_b64))
    forged[forged.index(b"Alice")] = ord("B")
    forged_b64 = base64.urlsafe_b64encode(bytes(forged)).rstrip(b"=").decode()
    with pytest.raises(InvalidSignature):
        public.verify(_b64decode(signature_b64), f"{header_b64}.{forged_b64}".encode())


def test_one_changed_byte_in_the_subject_fails_verification(
    api_for: Any, credential: dict[str, Any]
) -> None:
    anonymous = api_for(None)
    tampered = json.loads(json.dumps(credential))
    tampered["credentialSubject"]["name"] = "Blice"  # one byte: A -> B
    verdict = anonymous.post("/api/v1/credentials/verify", tampered).json()
    assert verdict["valid"] is False
    assert verdict["revoked"] is False
    assert "changed" in verdict["reason"]

    # The same byte changed inside the signed token itself breaks the signature.
    header_b64, payload_b64, signature_b64 = credential["proof"]["jwt"].split(".")
    payload = bytearray(_b64decode(payload_b64))
    payload[payload.index(b'"Alice"') + 1] = ord("B")
    forged = f"{header_b64}.{base64.urlsafe_b64encode(bytes(payload)).rstrip(b'=').decode()}.{signature_b64}"
    verdict = anonymous.post("/api/v1/credentials/verify", {"jwt": forged}).json()
    assert verdict["valid"] is False
    assert "signature" in verdict["reason"]


def test_a_revoked_credential_verifies_as_revoked(
    api_for: Any, alice: Any, credential: dict[str, Any], review: CheckpointReview
) -> None:
    revoked = api_for(alice).post(
        f"/api/v1/reviews/{review.pk}/credential/revoke", {"reason": "wrong roadmap"}
    )
    assert revoked.status_code == 200, revoked.content
    assert revoked.json()["credential_revoked"] is True
    verdict = api_for(None).post("/api/v1/credentials/verify", credential).json()
    assert verdict["valid"] is False
    assert verdict["revoked"] is True
    assert "wrong roadmap" in verdict["reason"]
    by_id = api_for(None).get("/api/v1/credentials/verify", {"id": credential["id"]}).json()
    assert by_id["revoked"] is True
    assert api_for(alice).post(f"/api/v1/reviews/{review.pk}/credential/revoke").status_code == 409


def test_only_the_learner_revokes(
    api_for: Any, carol: Any, credential: dict[str, Any], review: CheckpointReview
) -> None:
    assert api_for(carol).post(f"/api/v1/reviews/{review.pk}/credential/revoke").status_code == 404


def test_a_credential_signed_by_another_key_fails(
    api_for: Any, credential: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    from levelup.mentoring import signing

    settings.DATA_DIR = tmp_path
    signing._key_for.cache_clear()
    verdict = api_for(None).post("/api/v1/credentials/verify", credential).json()
    assert verdict == {**verdict, "valid": False, "revoked": False}
    assert "signature" in verdict["reason"]


def test_unknown_and_malformed_inputs_get_a_reason(api_for: Any, db: Any) -> None:
    anonymous = api_for(None)
    assert (
        anonymous.get("/api/v1/credentials/verify", {"id": "not-a-uuid"}).json()["valid"] is False
    )
    assert anonymous.post("/api/v1/credentials/verify", {"jwt": "a.b.c"}).json()["valid"] is False
    assert (
        anonymous.post("/api/v1/credentials/verify", {"type": "x"})
        .json()["reason"]
        .startswith("the credential has no JWT")
    )
    missing = anonymous.get("/api/v1/credentials/verify")
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "id"


def test_the_key_file_is_private_and_kept(signing_key_dir: Path, tmp_path: Path) -> None:
    from levelup.mentoring import signing

    first = signing.signing_key_load_or_create(tmp_path)
    path = tmp_path / signing.SIGNING_KEY_FILE
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    again = signing.signing_key_load_or_create(tmp_path)
    assert first.public_key().public_bytes_raw() == again.public_key().public_bytes_raw()


def test_the_issuer_profile_names_the_public_key(api_for: Any, db: Any) -> None:
    profile = api_for(None).get("/api/v1/issuer").json()
    assert profile["type"] == ["Profile"]
    assert profile["publicKey"]["kty"] == "OKP"
    assert profile["id"].endswith("/api/v1/issuer")


def test_approval_needs_every_criterion_rated(
    api_for: Any, carol: Any, review: CheckpointReview
) -> None:
    mentor = api_for(carol)
    mentor.post(f"/api/v1/reviews/{review.pk}/claim")
    partial = mentor.post(
        f"/api/v1/reviews/{review.pk}/decision",
        {"decision": "approved", "criteria": [{"slug": "built", "rating": 3}]},
    )
    assert partial.status_code == 422
    assert partial.json()["errors"][0]["field"] == "criteria.taught"
    wrong = mentor.post(f"/api/v1/reviews/{review.pk}/decision", {"decision": "maybe"})
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "decision"
    review.refresh_from_db()
    assert review.status == "claimed"
    assert not Credential.objects.exists()
