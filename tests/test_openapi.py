"""The OpenAPI document is valid OpenAPI 3.1, as served."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from openapi_spec_validator import validate


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    duplicated = sorted({key for key in keys if keys.count(key) > 1})
    assert not duplicated, f"duplicated keys in the OpenAPI document: {duplicated}"
    return dict(pairs)


def test_the_served_openapi_document_is_valid(db: Any) -> None:
    response = Client().get("/api/openapi.json", follow=True)
    assert response.status_code == 200
    document = json.loads(response.content, object_pairs_hook=_refuse_duplicate_keys)
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_the_csv_export_declares_one_ok_response_of_type_csv(db: Any) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    responses = document["paths"]["/api/v1/enrollments/{enrollment_id}/sessions.csv"]["get"][
        "responses"
    ]
    assert sorted(responses) == ["200", "404"]
    assert "text/csv" in responses["200"]["content"]
