"""Open Badges 3.0 credentials: what an approved checkpoint says, and how it is checked.

A credential is an `OpenBadgeCredential` (W3C Verifiable Credentials data model) signed
as a VC-JWT: a compact JWS whose `vc` claim is the credential. The learner downloads the
credential as JSON with the JWS under `proof.jwt` (type `JwtProof2020`); a verifier
checks the signature with the issuer's public key and that the JSON it holds says
exactly what was signed, then asks this instance whether it has been revoked.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import jwt

from levelup.mentoring import signing

CONTEXTS = [
    "https://www.w3.org/2018/credentials/v1",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
PROOF_TYPE = "JwtProof2020"


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def snapshot_digest(snapshot: dict[str, Any]) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def issuer_id(base_url: str) -> str:
    return f"{base_url}/api/v1/issuer"


def issuer_profile(base_url: str) -> dict[str, Any]:
    """The Open Badges issuer `Profile` of this instance, with its public key."""
    return {
        "@context": CONTEXTS,
        "id": issuer_id(base_url),
        "type": ["Profile"],
        "name": f"levelup at {base_url.split('://', 1)[-1]}",
        "url": f"{base_url}/",
        "publicKey": signing.public_jwk(),
        "jwks": f"{base_url}/api/v1/issuer/jwks",
        "verify": f"{base_url}/api/v1/credentials/verify",
    }


@dataclass(frozen=True)
class CredentialFacts:
    """What a credential states, gathered by the service that issues it."""

    credential_id: str
    base_url: str
    issued_at: datetime
    learner_name: str
    learner_ref: str
    roadmap_slug: str
    roadmap_title: str
    checkpoint_slug: str
    checkpoint_title: str
    checkpoint_summary: str
    criteria: list[dict[str, Any]]  # slug, text, self rating, mentor rating
    evidence: list[dict[str, Any]]  # title, url
    snapshot: dict[str, Any]
    approved_by: str


def credential_document(facts: CredentialFacts) -> dict[str, Any]:
    """The unsigned `OpenBadgeCredential` for an approved checkpoint."""
    base = facts.base_url
    narrative = "\n".join(f"- {c['text']}" for c in facts.criteria)
    evidence: list[dict[str, Any]] = [
        {"id": e["url"], "type": ["Evidence"], "name": e["title"]}
        for e in facts.evidence
        if e["url"]
    ]
    evidence.append(
        {
            "id": f"{base}/credentials/{facts.credential_id}/",
            "type": ["Evidence"],
            "name": "Checkpoint snapshot",
            "description": (
                f"Frozen when the review was submitted: roadmap {facts.roadmap_slug} version "
                f"{facts.snapshot['roadmap']['version']}, sha256 {snapshot_digest(facts.snapshot)}"
            ),
            "genre": "levelup checkpoint snapshot",
            "narrative": json.dumps(facts.snapshot, sort_keys=True, ensure_ascii=False),
        }
    )
    return {
        "@context": CONTEXTS,
        "id": f"urn:uuid:{facts.credential_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": issuer_id(base),
            "type": ["Profile"],
            "name": f"levelup at {base.split('://', 1)[-1]}",
        },
        "issuanceDate": _iso(facts.issued_at),
        "name": f"{facts.checkpoint_title} · {facts.roadmap_title}",
        "credentialSubject": {
            "id": facts.learner_ref,
            "type": ["AchievementSubject"],
            "name": facts.learner_name,
            "achievement": {
                "id": f"{base}/roadmaps/{facts.roadmap_slug}/#checkpoint-{facts.checkpoint_slug}",
                "type": ["Achievement"],
                "achievementType": "Competency",
                "name": facts.checkpoint_title,
                "description": facts.checkpoint_summary or facts.checkpoint_title,
                "criteria": {"narrative": narrative},
            },
            "result": [
                {
                    "type": ["Result"],
                    "resultDescription": c["slug"],
                    "value": "not observable"
                    if c["mentor_rating"] is None
                    else str(c["mentor_rating"]),
                }
                for c in facts.criteria
            ],
        },
        "evidence": evidence,
        "approvedBy": facts.approved_by,
    }


def credential_sign(document: dict[str, Any], *, issued_at: datetime) -> str:
    """The VC-JWT over `document`: `vc` holds it, `iss`/`jti`/`nbf`/`sub` mirror it."""
    claims = {
        "iss": document["issuer"]["id"],
        "jti": document["id"],
        "sub": document["credentialSubject"]["id"],
        "nbf": int(issued_at.timestamp()),
        "vc": document,
    }
    return signing.jws_sign(claims, kid=f"{document['issuer']['id']}#{signing.key_id()}")


def credential_download(document: dict[str, Any], jws: str) -> dict[str, Any]:
    """The credential as the learner downloads it: the document with its JWS proof."""
    return {**document, "proof": {"type": PROOF_TYPE, "jwt": jws}}


@dataclass(frozen=True)
class Verification:
    valid: bool
    reason: str
    credential_id: str | None = None


def signature_check(presented: Any) -> Verification:
    """Is `presented` (a downloaded credential, or its compact JWS) signed by this instance?

    For the JSON form, the document beside the proof must equal what was signed:
    one changed byte in the subject makes it fail even though the JWS itself is intact.
    Revocation is not looked at here; the selector adds it.
    """
    document: dict[str, Any] | None = None
    if isinstance(presented, str):
        token = presented.strip()
    elif isinstance(presented, dict):
        proof = presented.get("proof")
        found = proof.get("jwt") if isinstance(proof, dict) else None
        if not isinstance(found, str):
            return Verification(False, "the credential has no JWT proof (proof.jwt)")
        token = found
        document = {k: v for k, v in presented.items() if k != "proof"}
    else:
        return Verification(False, "send a credential as JSON or its compact JWS")
    try:
        claims = signing.jws_verify(token)
    except jwt.InvalidSignatureError:
        return Verification(False, "the signature does not match this issuer's key")
    except jwt.InvalidTokenError as exc:
        return Verification(False, f"the proof is not a valid JWS from this issuer: {exc}")
    signed = claims.get("vc")
    if not isinstance(signed, dict) or signed.get("id") != claims.get("jti"):
        return Verification(False, "the signed token does not hold a credential")
    if document is not None and document != signed:
        return Verification(False, "the credential was changed after it was signed")
    raw_id = str(signed.get("id", ""))
    return Verification(True, "signed by this issuer", raw_id.removeprefix("urn:uuid:"))
