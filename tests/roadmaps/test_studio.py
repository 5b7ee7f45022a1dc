"""The roadmap studio: create, fork, publish, versions, diff, export, visibility, access."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
import yaml

from levelup.roadmaps.models import Roadmap, RoadmapVersion, Visibility
from levelup.roadmaps.services import (
    BUILTIN_SLUG,
    fork_slug,
    roadmap_create,
    roadmap_fork,
    roadmap_publish,
    roadmap_settings_update,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/roadmaps"


def _post_raw(client: Any, path: str, body: bytes, content_type: str) -> Any:
    return client.generic(
        "POST",
        path,
        body,
        content_type=content_type,
        headers={"Authorization": f"Bearer {client.token}"} if client.token else {},
    )


def _put_raw(client: Any, path: str, body: bytes, content_type: str) -> Any:
    return client.generic(
        "PUT",
        path,
        body,
        content_type=content_type,
        headers={"Authorization": f"Bearer {client.token}"} if client.token else {},
    )


def test_create_from_json_and_from_yaml(api_for: Any, alice: Any, tiny_data: Any) -> None:
    client = api_for(alice)
    response = client.post(API, tiny_data)
    assert response.status_code == 201
    assert response.json()["slug"] == "tiny" and response.json()["version"] == 1
    roadmap = Roadmap.objects.get(slug="tiny")
    assert roadmap.owner == alice and roadmap.visibility == Visibility.PRIVATE
    other = {**tiny_data, "slug": "tiny-yaml"}
    response = _post_raw(client, API, yaml.safe_dump(other).encode(), "application/yaml")
    assert response.status_code == 201 and response.json()["slug"] == "tiny-yaml"
    # The same slug again is a conflict, not a silent second version.
    assert client.post(API, tiny_data).status_code == 409


def test_an_invalid_document_lists_every_problem_with_path_and_rule(
    api_for: Any, alice: Any, tiny_data: Any
) -> None:
    tiny_data["phases"][0]["month_end"] = 99
    tiny_data["phases"][0]["sections"][0]["topics"][0]["month_ends"] = 3
    response = api_for(alice).post(API, tiny_data)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {e["field"] for e in errors} >= {"phases[0].sections[0].topics[0].month_ends"}
    assert all(e["rule"] for e in errors)
    assert Roadmap.objects.count() == 0


def test_fork_put_publish_versions_diff_export(builtin: Any, api_for: Any, alice: Any) -> None:
    client = api_for(alice)
    response = client.post(f"{API}/{BUILTIN_SLUG}/fork")
    assert response.status_code == 201
    slug = response.json()["slug"]
    assert slug == "alice-backend-junior-to-senior"
    assert response.json()["forked_from"] == BUILTIN_SLUG
    document = client.get(f"{API}/{slug}").json()
    assert document["slug"] == slug
    topics = document["phases"][0]["sections"][0]["topics"]
    topics[0]["title"] = "Algorithms first"
    topics[0]["month_end"] = 3
    topics[0]["subtopics"].append({"slug": "heaps", "title": "Heaps"})
    response = client.put(f"{API}/{slug}", document)
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2 and response.json()["created"] is True
    # Identical content is a no-op.
    again = client.put(f"{API}/{slug}", document).json()
    assert again["version"] == 2 and again["created"] is False
    versions = client.get(f"{API}/{slug}/versions").json()
    assert [v["number"] for v in versions] == [1, 2]
    assert versions[1]["current"] and versions[1]["created_by"] == "alice"
    diff = client.get(f"{API}/{slug}/diff", {"from": 1, "to": 2}).json()
    key = f"topic:{topics[0]['slug']}"
    assert diff["added"] == [f"{key}/heaps"]
    assert diff["removed"] == [] and diff["renamed"] == []
    assert key in diff["changed"]
    fields = {c["field"] for c in diff["changes"][key]}
    assert fields == {"title", "window"}
    # Export any version; ?version= is honoured.
    v1 = client.get(f"{API}/{slug}/export", {"format": "yaml", "version": 1})
    assert v1["Content-Type"].startswith("application/yaml")
    assert "Algorithms first" not in v1.content.decode()
    v2 = client.get(f"{API}/{slug}/export", {"format": "json", "version": 2})
    assert json.loads(v2.content)["phases"][0]["sections"][0]["topics"][0]["title"] == (
        "Algorithms first"
    )
    assert client.get(f"{API}/{slug}/export", {"format": "pdf"}).status_code == 422
    assert client.get(f"{API}/{slug}/export", {"version": 9}).status_code == 404


def test_put_refuses_another_slug_and_yaml_with_duplicate_keys(
    builtin: Any, api_for: Any, alice: Any
) -> None:
    client = api_for(alice)
    slug = client.post(f"{API}/{BUILTIN_SLUG}/fork").json()["slug"]
    document = client.get(f"{API}/{slug}").json()
    response = client.put(f"{API}/{slug}", {**document, "slug": "elsewhere"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["rule"] == "same-slug"
    text = yaml.safe_dump(document) + "title: again\n"
    response = _put_raw(client, f"{API}/{slug}", text.encode(), "application/yaml")
    assert response.status_code == 422
    assert response.json()["errors"][0]["rule"] == "duplicate-key"
    assert RoadmapVersion.objects.filter(roadmap__slug=slug).count() == 1


def test_fork_slugs_are_readable_and_unique(builtin: Any, alice: Any) -> None:
    roadmap, _ = builtin
    first = roadmap_fork(user=alice, source=roadmap).roadmap
    second = roadmap_fork(user=alice, source=roadmap).roadmap
    assert first.slug == "alice-backend-junior-to-senior"
    assert second.slug == "alice-backend-junior-to-senior-2"
    # Forking your own fork does not stack the username.
    assert fork_slug(username="alice", source_slug=first.slug).startswith("alice-backend")
    assert not fork_slug(username="alice", source_slug=first.slug).startswith("alice-alice")
    assert first.forked_from == roadmap and first.forked_from_version == roadmap.current_version


def test_staff_manage_the_builtin_roadmap_and_learners_cannot(
    builtin: Any, api_for: Any, alice: Any, staff: Any
) -> None:
    document = api_for(None).get(f"{API}/{BUILTIN_SLUG}").json()
    document["title"] = "Junior to Senior Backend Engineer (2027)"
    assert api_for(alice).put(f"{API}/{BUILTIN_SLUG}", document).status_code == 403
    assert api_for(staff).put(f"{API}/{BUILTIN_SLUG}", document).status_code == 200
    patch = api_for(staff).patch(f"{API}/{BUILTIN_SLUG}", {"visibility": "private"})
    assert patch.status_code == 422  # the built-in roadmap stays public


def test_visibility_decides_who_lists_and_reads(
    builtin: Any, api_for: Any, alice: Any, bob: Any
) -> None:
    roadmap, _ = builtin
    fork = roadmap_fork(user=alice, source=roadmap).roadmap
    listed = lambda user: [r["slug"] for r in api_for(user).get(API).json()]  # noqa: E731
    assert fork.slug in listed(alice) and fork.slug not in listed(bob)
    assert api_for(bob).get(f"{API}/{fork.slug}").status_code == 404
    roadmap_settings_update(roadmap=fork, visibility=Visibility.UNLISTED)
    assert fork.slug not in listed(bob) and fork.slug not in listed(None)
    assert api_for(bob).get(f"{API}/{fork.slug}").status_code == 200
    assert api_for(None).get(f"{API}/{fork.slug}").status_code == 200
    response = api_for(alice).patch(f"{API}/{fork.slug}", {"visibility": "public"})
    assert response.status_code == 200 and response.json()["visibility"] == "public"
    assert fork.slug in listed(None)
    assert api_for(alice).patch(f"{API}/{fork.slug}", {"visibility": "secret"}).status_code == 422


# --- access control for every new route ----------------------------------------------

WHO = ["anonymous", "owner", "other", "staff"]
VISIBILITIES = ["private", "unlisted", "public"]


@pytest.fixture
def owned(builtin: Any, alice: Any, request: Any) -> Roadmap:
    roadmap, _ = builtin
    fork = roadmap_fork(user=alice, source=roadmap).roadmap
    roadmap_settings_update(roadmap=fork, visibility=request.param)
    data = copy.deepcopy(fork.current_version.document)
    data["phases"][0]["title"] = "Sharper foundations"
    roadmap_publish(roadmap=fork, user=alice, data=data)
    fork.refresh_from_db()
    return fork


def _who(name: str, alice: Any, bob: Any, staff: Any) -> Any:
    return {"anonymous": None, "owner": alice, "other": bob, "staff": staff}[name]


@pytest.mark.parametrize("owned", VISIBILITIES, indirect=True)
@pytest.mark.parametrize("who", WHO)
def test_api_access_for_every_route(
    owned: Roadmap, who: str, alice: Any, bob: Any, staff: Any, api_for: Any
) -> None:
    user = _who(who, alice, bob, staff)
    client = api_for(user)
    slug = owned.slug
    can_see = who == "owner" or owned.visibility != "private"
    read = 200 if can_see else 404
    assert client.get(f"{API}/{slug}").status_code == read
    assert client.get(f"{API}/{slug}/versions").status_code == read
    assert client.get(f"{API}/{slug}/diff", {"from": 1, "to": 2}).status_code == read
    assert client.get(f"{API}/{slug}/export", {"format": "markdown"}).status_code == read
    # Writes: anonymous 401; the owner edits; others 404 when they cannot see it, else 403.
    document = copy.deepcopy(owned.current_version.document)
    document["title"] = "Changed"
    write = {"anonymous": 401, "owner": 200}.get(who, 403 if can_see else 404)
    assert client.put(f"{API}/{slug}", document).status_code == write
    assert client.patch(f"{API}/{slug}", {"visibility": owned.visibility}).status_code == write
    fork = client.post(f"{API}/{slug}/fork")
    assert fork.status_code == (401 if user is None else 201 if can_see else 404)
    created = client.post(API, {**document, "slug": f"new-{who}"})
    assert created.status_code == (401 if user is None else 201)
    markdown = _post_raw(
        client, f"{API}/import", b"# T\n\n### Phase 1: A (Months 1-2)\n\n* X\n", "text/markdown"
    )
    assert markdown.status_code == (401 if user is None else 201)


@pytest.mark.parametrize("owned", VISIBILITIES, indirect=True)
@pytest.mark.parametrize("who", WHO)
def test_page_access_for_every_route(
    owned: Roadmap, who: str, alice: Any, bob: Any, staff: Any, web_for: Any
) -> None:
    user = _who(who, alice, bob, staff)
    client = web_for(user)
    slug = owned.slug
    can_see = who == "owner" or owned.visibility != "private"
    read = 200 if can_see else 404
    assert client.get(f"/roadmaps/{slug}/").status_code == read
    assert client.get(f"/roadmaps/{slug}/versions/").status_code == read
    assert client.get(f"/roadmaps/{slug}/versions/?from=1&to=2").status_code == read
    assert client.get(f"/roadmaps/{slug}/export/?format=yaml&version=1").status_code == read
    login = 302  # anonymous visitors are sent to sign in
    write = {"anonymous": login, "owner": 200}.get(who, 403 if can_see else 404)
    assert client.get(f"/roadmaps/{slug}/edit/").status_code == write
    assert client.get(f"/roadmaps/{slug}/source/").status_code == write
    settings = client.post(f"/roadmaps/{slug}/settings/", {"visibility": owned.visibility})
    assert settings.status_code == {"owner": 302}.get(who, write)
    upstream = client.get(f"/roadmaps/{slug}/upstream/")
    assert upstream.status_code == {"owner": 302}.get(who, write)  # no update: back to versions
    fork = client.post(f"/roadmaps/{slug}/fork/")
    assert fork.status_code == (login if user is None else 302 if can_see else 404)
    studio = client.get("/roadmaps/studio/")
    assert studio.status_code == (login if user is None else 200)
    if user is not None:
        mine = studio.content.decode()
        assert (f'href="/roadmaps/{slug}/"' in mine) == (who == "owner")


def test_the_studio_creates_and_imports(web_for: Any, alice: Any, tiny_data: Any) -> None:
    client = web_for(alice)
    response = client.post(
        "/roadmaps/studio/", {"action": "create", "text": yaml.safe_dump(tiny_data)}
    )
    assert response.status_code == 302 and response["Location"] == "/roadmaps/tiny/"
    bad = dict(tiny_data, slug="tiny-2", duration_months=1)
    response = client.post("/roadmaps/studio/", {"action": "create", "text": yaml.safe_dump(bad)})
    assert response.status_code == 422
    page = response.content.decode()
    assert "is after the last month" in page and "line " in page
    response = client.post(
        "/roadmaps/studio/",
        {
            "action": "import",
            "markdown": "# Mine\n\n### Phase 1: Start (Months 1-2)\n\n* Git\n  * Branches\n\nStray text\n",
        },
    )
    assert response.status_code == 302
    imported = Roadmap.objects.get(slug="mine")
    assert imported.owner == alice
    assert (
        imported.current_version.document["phases"][0]["sections"][0]["topics"][0]["title"] == "Git"
    )


def test_the_text_editor_shows_each_problem_at_its_line(
    builtin: Any, alice: Any, web_for: Any
) -> None:
    roadmap, _ = builtin
    fork = roadmap_fork(user=alice, source=roadmap).roadmap
    client = web_for(alice)
    text = client.get(f"/roadmaps/{fork.slug}/source/").content.decode()
    assert "duration_months: 24" in text
    source = yaml.safe_dump(fork.current_version.document, sort_keys=False)
    broken = source.replace("duration_months: 24", "duration_months: 2", 1)
    response = client.post(f"/roadmaps/{fork.slug}/source/", {"text": broken, "action": "publish"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "is after the last month (2)" in page
    assert "rule: roadmap-format" in page
    assert RoadmapVersion.objects.filter(roadmap=fork).count() == 1
    # The listing shows the offending lines of the text: windows beyond month 2.
    numbers = [int(n) for n in re.findall(r'id="line-(\d+)"', page)]
    assert numbers
    assert all("month" in broken.splitlines()[n - 1] for n in numbers)
    retitled = source.replace(fork.current_version.document["title"], "My backend path", 1)
    published = client.post(
        f"/roadmaps/{fork.slug}/source/", {"text": retitled, "action": "publish"}
    )
    assert published.status_code == 302
    assert RoadmapVersion.objects.filter(roadmap=fork).count() == 2


def test_the_structured_editor_renames_and_reorders_and_publishes(
    builtin: Any, alice: Any, web_for: Any
) -> None:
    roadmap, document = builtin
    fork = roadmap_fork(user=alice, source=roadmap).roadmap
    client = web_for(alice)
    page = client.get(f"/roadmaps/{fork.slug}/edit/")
    assert page.status_code == 200
    first = document.phases[0].sections[0].topics[0]
    t = f"t-{first.slug}"
    response = client.post(
        f"/roadmaps/{fork.slug}/edit/",
        {
            f"{t}-title": "Algorithms",
            f"{t}-slug": "algorithms",
            f"{t}-newsub": "Heaps",
            "action": "publish",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    fork.refresh_from_db()
    topic = fork.current_version.document["phases"][0]["sections"][0]["topics"][0]
    assert topic["title"] == "Algorithms" and topic["slug"] == "algorithms"
    assert topic["renamed_from"] == [f"topic:{first.slug}"]
    assert (topic["subtopics"][-1]["slug"], topic["subtopics"][-1]["title"]) == ("heaps", "Heaps")
    # References elsewhere follow the new slug.
    assert f"topic:{first.slug}" not in json.dumps(
        {k: v for k, v in fork.current_version.document.items() if k != "phases"}
    )
    diff = client.get(response["Location"]).content.decode()
    assert f"topic:{first.slug}</code> → <code>topic:algorithms" in diff
    assert "Heaps" in diff


def test_roadmap_create_service_is_private_by_default(alice: Any, tiny_data: Any) -> None:
    result = roadmap_create(owner=alice, data=tiny_data)
    assert result.roadmap.visibility == "private" and result.version.created_by == alice


def test_versions_and_diff_take_a_fixed_number_of_queries(
    builtin: Any, alice: Any, web_for: Any, django_assert_max_num_queries: Any
) -> None:
    roadmap, _ = builtin
    fork = roadmap_fork(user=alice, source=roadmap).roadmap
    client = web_for(alice)

    def publish(n: int) -> None:
        data = copy.deepcopy(fork.current_version.document)
        data["title"] = f"Edition {n}"
        roadmap_publish(roadmap=fork, user=alice, data=data)
        fork.refresh_from_db()

    publish(2)
    with django_assert_max_num_queries(8) as few:
        assert client.get(f"/roadmaps/{fork.slug}/versions/?from=1&to=2").status_code == 200
    for n in range(3, 8):
        publish(n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"/roadmaps/{fork.slug}/versions/?from=1&to=7").status_code == 200


def test_a_reserved_slug_is_refused(api_for: Any, alice: Any, tiny_data: Any) -> None:
    response = api_for(alice).post(API, {**tiny_data, "slug": "studio"})
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "slug"


def test_the_structured_editor_adds_a_project_and_adds_and_removes_criteria(
    alice: Any, web_for: Any, tiny_data: Any
) -> None:
    slug = roadmap_create(owner=alice, data=tiny_data).roadmap.slug
    client = web_for(alice)
    form = client.get(f"/roadmaps/{slug}/edit/").content.decode()
    assert 'name="pr-new"' in form and 'name="cp-month-4-newcriterion"' in form
    response = client.post(
        f"/roadmaps/{slug}/edit/",
        {
            "pr-new": "Rate limiter",
            "cp-month-4-title": "Four months: review",
            "cp-month-4-newcriterion": "Explained the design to a peer",
            "c-month-4-taught-remove": "1",
            "action": "publish",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    document = Roadmap.objects.get(slug=slug).current_version.document
    added = document["projects"][-1]
    assert (added["slug"], added["title"], added["level"]) == (
        "rate-limiter",
        "Rate limiter",
        "starter",
    )
    (checkpoint,) = document["checkpoints"]
    assert checkpoint["title"] == "Four months: review"
    assert [c["slug"] for c in checkpoint["criteria"]] == [
        "built",
        "explained-the-design-to-a-peer",
    ]
    assert checkpoint["criteria"][1]["requirement"]["kind"] == "evidence"


def test_removing_every_criterion_is_refused_naming_the_path_and_publishes_nothing(
    alice: Any, web_for: Any, tiny_data: Any
) -> None:
    roadmap = roadmap_create(owner=alice, data=tiny_data).roadmap
    client = web_for(alice)
    response = client.post(
        f"/roadmaps/{roadmap.slug}/edit/",
        {"c-month-4-built-remove": "1", "c-month-4-taught-remove": "1", "action": "publish"},
    )
    assert response.status_code == 422
    assert "checkpoints[0].criteria" in response.content.decode()
    assert RoadmapVersion.objects.filter(roadmap=roadmap).count() == 1
