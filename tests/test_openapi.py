"""The OpenAPI document is valid OpenAPI 3.1, as served."""

from __future__ import annotations

import enum
import json
from typing import Any

from django.test import Client
from openapi_spec_validator import validate
from pydantic import BaseModel


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
    assert [status for status in responses if status.startswith("2")] == ["200"]
    assert list(responses["200"]["content"]) == ["text/csv"]


def _models_in(annotation: Any, found: set[type]) -> None:
    """Every pydantic model and enum reachable from a type annotation."""
    origin_args = getattr(annotation, "__args__", None) or ()
    for arg in origin_args:
        _models_in(arg, found)
    if isinstance(annotation, type):
        if issubclass(annotation, enum.Enum):
            found.add(annotation)
        elif issubclass(annotation, BaseModel) and annotation not in found:
            found.add(annotation)
            for field in annotation.model_fields.values():
                _models_in(field.annotation, found)


def _schemas_used_by_the_api() -> set[type]:
    from levelup.api import api

    found: set[type] = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    _models_in(model, found)
                for response in operation.response_models.values():
                    _models_in(response, found)
    return found


def test_no_two_api_schemas_share_a_name() -> None:
    # ninja names a component after the class, and a second class of the same name
    # silently takes the first one's place: the rendered document cannot show it.
    by_name: dict[str, set[str]] = {}
    for model in _schemas_used_by_the_api():
        by_name.setdefault(model.__name__, set()).add(f"{model.__module__}.{model.__qualname__}")
    shared = {name: sorted(owners) for name, owners in by_name.items() if len(owners) > 1}
    assert not shared, f"schema names used by more than one class: {shared}"


def test_the_name_check_sees_schemas_nested_in_responses() -> None:
    names = {model.__name__ for model in _schemas_used_by_the_api()}
    # EvidenceOut only appears inside the item answer; CriterionOut inside the dashboard's.
    assert {"EnrollmentOut", "Error", "DashboardOut"} <= names
    assert len(names) > 60


def test_the_description_declares_ranges_enums_and_formats(db: Any) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    minutes = schemas["SessionIn"]["properties"]["minutes"]
    assert (minutes["minimum"], minutes["maximum"]) == (1, 960)
    day = schemas["SessionIn"]["properties"]["date"]["anyOf"][0]
    assert day["format"] == "date"
    assert (day["formatMinimum"], day["formatMaximum"]) == ("2000-01-01", "2100-12-31")
    assert schemas["PracticePlatform"]["enum"] == ["leetcode", "hackerrank", "other"]
    assert schemas["ItemStatus"]["enum"] == ["not_started", "in_progress", "done", "skipped"]
    events = document["paths"]["/api/v1/enrollments/{enrollment_id}/events"]["get"]
    page = next(p for p in events["parameters"] if p["name"] == "page")["schema"]
    assert (page["minimum"], page["maximum"]) == (1, 10_000)
    created = schemas["SessionOut"]["properties"]["created_at"]
    assert created["format"] == "date-time"
    # No bound is left in pydantic's private spelling, which clients do not read.
    assert '"ge"' not in json.dumps(document) and '"le"' not in json.dumps(document)


def test_every_operation_documents_the_errors_it_can_answer(db: Any) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert {"404", "405", "413", "422"} <= set(operation["responses"]), (method, path)
