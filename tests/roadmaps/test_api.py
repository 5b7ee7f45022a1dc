"""The public roadmap endpoints: list, full document, one item."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from levelup.roadmaps.services import BUILTIN_SLUG, roadmap_load_file
from tests.roadmaps.conftest import TINY

BASE = f"/api/v1/roadmaps/{BUILTIN_SLUG}"
VIEWERS = ["anonymous", "owner", "other", "staff"]


@pytest.fixture
def client_as(
    api_for: Callable[..., Any], alice: Any, bob: Any, staff: Any
) -> Callable[[str], Any]:
    """Roadmap content is public: every kind of caller gets the same answers."""
    users = {"anonymous": None, "owner": alice, "other": bob, "staff": staff}
    return lambda who: api_for(users[who])


@pytest.mark.parametrize("who", VIEWERS)
def test_everyone_can_list_roadmaps(
    builtin: Any, client_as: Callable[[str], Any], who: str
) -> None:
    response = client_as(who).get("/api/v1/roadmaps")
    assert response.status_code == 200
    assert response.json() == [
        {
            "slug": BUILTIN_SLUG,
            "title": "Junior to Senior Backend Engineer",
            "summary": builtin[1].summary,
            "version": 1,
            "version_label": builtin[1].version,
            "is_builtin": True,
            "owner": None,
            "visibility": "public",
            "forked_from": None,
            "forked_from_version": None,
        }
    ]


@pytest.mark.parametrize("who", VIEWERS)
def test_everyone_can_read_the_full_document(
    builtin: Any, client_as: Callable[[str], Any], who: str
) -> None:
    response = client_as(who).get(BASE)
    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == BUILTIN_SLUG
    assert [(p["month_start"], p["month_end"]) for p in body["phases"]] == [
        (1, 6),
        (3, 9),
        (7, 12),
        (10, 18),
        (16, 24),
    ]
    topics = [t for p in body["phases"] for s in p["sections"] for t in s["topics"]]
    assert len(topics) == 20
    assert sum(len(t["subtopics"]) for t in topics) == 104
    assert len(body["projects"]) == 12
    assert [c["month"] for c in body["checkpoints"]] == [6, 12, 18, 24]
    assert sum(len(c["criteria"]) for c in body["checkpoints"]) == 16
    schedule = body["weekly_schedule"]
    assert (schedule["min_hours"], schedule["max_hours"]) == (10, 15)
    assert len(schedule["categories"]) == 3


@pytest.mark.parametrize("who", VIEWERS)
@pytest.mark.parametrize(
    ("key", "kind", "title"),
    [
        ("topic:advanced-nodejs", "topic", "Advanced Node.js"),
        ("topic:advanced-nodejs/event-loop", "subtopic", "Event loop deep dive"),
        ("project:rest-api-with-auth", "project", "REST API with Authentication"),
        ("checkpoint:month-6", "checkpoint", "6-Month Checkpoint"),
    ],
)
def test_everyone_can_read_one_item_by_key(
    builtin: Any, client_as: Callable[[str], Any], who: str, key: str, kind: str, title: str
) -> None:
    response = client_as(who).get(f"{BASE}/items/{key}")
    assert response.status_code == 200
    body = response.json()
    assert (body["key"], body["kind"], body["title"]) == (key, kind, title)


def test_an_item_shows_its_place_window_and_authored_content(builtin: Any, api_for: Any) -> None:
    body = api_for(None).get(f"{BASE}/items/topic:advanced-nodejs/event-loop").json()
    assert body == {
        "key": "topic:advanced-nodejs/event-loop",
        "kind": "subtopic",
        "title": "Event loop deep dive",
        "month_start": 3,
        "month_end": 5,
        "phase": "backend-core",
        "section": "nodejs-mastery",
        "parent": "topic:advanced-nodejs",
        "effort_hours": None,
        "category": "theory",
        "detail": {
            "slug": "event-loop",
            "title": "Event loop deep dive",
            "effort_hours": None,
            "prerequisites": [],
            "resources": [],
        },
    }
    checkpoint = api_for(None).get(f"{BASE}/items/checkpoint:month-6").json()
    criteria = {c["slug"]: c["requirement"] for c in checkpoint["detail"]["criteria"]}
    assert criteria["rest-apis"]["minimum"] == 2


def test_a_percent_encoded_key_finds_the_same_item(builtin: Any, api_for: Any) -> None:
    response = api_for(None).get(f"{BASE}/items/topic%3Aadvanced-nodejs%2Fevent-loop")
    assert response.status_code == 200
    assert response.json()["key"] == "topic:advanced-nodejs/event-loop"


@pytest.mark.parametrize(
    ("path", "named"),
    [
        ("/api/v1/roadmaps/no-such-roadmap", "'no-such-roadmap'"),
        ("/api/v1/roadmaps/no-such-roadmap/items/topic:advanced-nodejs", "'no-such-roadmap'"),
        (f"{BASE}/items/topic:advanced-nodejs/warp-drive", "'topic:advanced-nodejs/warp-drive'"),
        (f"{BASE}/items/project:moon-base", "'project:moon-base'"),
        (f"{BASE}/items/nonsense", "'nonsense'"),
    ],
)
def test_unknown_slugs_and_keys_answer_404_naming_them(
    builtin: Any, api_for: Any, path: str, named: str
) -> None:
    response = api_for(None).get(path)
    assert response.status_code == 404
    assert named in response.json()["detail"]


def test_a_new_version_is_what_the_api_serves(builtin: Any, api_for: Any, tiny_data: Any) -> None:
    from levelup.roadmaps.services import roadmap_load

    roadmap_load(data=tiny_data)
    tiny_data["title"] = "Tiny, second edition"
    roadmap_load(data=tiny_data)
    client = api_for(None)
    listed = {r["slug"]: r for r in client.get("/api/v1/roadmaps").json()}
    assert listed["tiny"]["version"] == 2
    assert client.get("/api/v1/roadmaps/tiny").json()["title"] == "Tiny, second edition"


# -- query counts ---------------------------------------------------------------


def test_listing_takes_one_query_however_many_roadmaps(
    builtin: Any, api_for: Any, alice: Any, django_assert_max_num_queries: Any, tiny_data: Any
) -> None:
    from levelup.roadmaps.services import roadmap_load

    client = api_for(alice)
    # The bearer token (a private roadmap is readable by its owner) costs a lookup and
    # its last-used stamp; the listing itself is one query.
    with django_assert_max_num_queries(3):
        assert len(client.get("/api/v1/roadmaps").json()) == 1
    roadmap_load_file(path=TINY)
    for n in range(3):
        roadmap_load(data={**tiny_data, "slug": f"tiny-{n}"})
    with django_assert_max_num_queries(3):
        assert len(client.get("/api/v1/roadmaps").json()) == 5


def test_the_document_and_an_item_take_one_query_each(
    builtin: Any, api_for: Any, alice: Any, django_assert_max_num_queries: Any
) -> None:
    client = api_for(alice)
    with django_assert_max_num_queries(3):
        assert client.get(BASE).status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(f"{BASE}/items/topic:system-design/caching-layers").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(f"{BASE}/items/topic:nope").status_code == 404


def test_a_signed_in_browser_session_reads_with_few_queries(
    builtin: Any, web_for: Any, alice: Any, django_assert_max_num_queries: Any
) -> None:
    client = web_for(alice)
    with django_assert_max_num_queries(3):
        assert client.get(BASE).status_code == 200


def test_the_openapi_schema_describes_the_document_and_items() -> None:
    from levelup.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1")
    detail = schema["paths"]["/api/v1/roadmaps/{slug}"]["get"]["responses"]
    item = schema["paths"]["/api/v1/roadmaps/{slug}/items/{item_key}"]["get"]["responses"]
    ok = detail[200]["content"]["application/json"]["schema"]["$ref"]
    assert ok.endswith("/RoadmapDocument")
    assert item[200]["content"]["application/json"]["schema"]["$ref"].endswith("/RoadmapItemOut")
    assert 404 in detail and 404 in item
