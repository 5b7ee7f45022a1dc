"""`levelup roadmap validate` and `levelup roadmap load`, run as a user runs them."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.roadmaps.conftest import BROKEN, BUILTIN_FILE, TINY

LEVELUP = str(Path(sys.executable).parent / "levelup")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LEVELUP, *args], capture_output=True, text=True, timeout=120, env=env, check=False
    )


def test_validate_names_every_problem_and_exits_1() -> None:
    result = run("roadmap", "validate", str(BROKEN))
    assert result.returncode == 1
    assert result.stdout == ""
    assert "phases[0].sections[0].topics[0].month_end" in result.stderr  # reversed window
    assert "phases[0].sections[0].topics[1].slug" in result.stderr  # duplicate slug
    assert "phases[0].sections[0].topics[1].prerequisites[0]" in result.stderr  # dangling
    assert "'topic:gamma'" in result.stderr
    assert "3 problem(s)" in result.stderr


def test_validate_prints_the_counts_of_a_valid_file_and_exits_0() -> None:
    result = run("roadmap", "validate", str(TINY))
    assert result.returncode == 0, result.stderr
    assert "phases: 2, topics: 2, subtopics: 3, projects: 1, checkpoints: 1, criteria: 2" in (
        result.stdout
    )


def test_validate_accepts_the_builtin_roadmap() -> None:
    result = run("roadmap", "validate", str(BUILTIN_FILE))
    assert result.returncode == 0, result.stderr
    assert (
        "phases: 5, topics: 20, subtopics: 104, projects: 12, checkpoints: 4, criteria: 16"
        in result.stdout
    )
    assert result.stderr == ""


def test_validate_shows_warnings_but_still_passes(
    tiny_data: dict[str, Any], write_yaml: Callable[..., Path]
) -> None:
    tiny_data["phases"][0]["sections"][0]["topics"][0]["month_end"] = 3
    result = run("roadmap", "validate", str(write_yaml(tiny_data)))
    assert result.returncode == 0
    assert "warning: phases[0].sections[0].topics[0]" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "cannot read the file"), ("phases: [unclosed", "not valid YAML")],
)
def test_validate_explains_an_unreadable_file_in_one_line(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "roadmap.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = run("roadmap", "validate", str(path))
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


# -- load -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A private SQLite data directory, migrated, that the subprocesses share."""
    data_dir = tmp_path_factory.mktemp("levelup-data")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "LEVELUP_ENV", "SECRET_KEY"}
    }
    env["LEVELUP_DATA_DIR"] = str(data_dir)
    result = run("migrate", env=env)
    assert result.returncode == 0, result.stderr
    return env


def versions(env: dict[str, str], slug: str) -> list[int]:
    database = Path(env["LEVELUP_DATA_DIR"]) / "levelup.sqlite3"
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT v.number FROM roadmaps_roadmapversion v"
            " JOIN roadmaps_roadmap r ON r.id = v.roadmap_id WHERE r.slug = ? ORDER BY v.number",
            (slug,),
        ).fetchall()
    return [number for (number,) in rows]


def test_load_is_idempotent_and_versions_changes(
    data_env: dict[str, str], tiny_data: dict[str, Any], write_yaml: Callable[..., Path]
) -> None:
    assert versions(data_env, "backend-junior-to-senior") == [1]  # loaded by migrate

    first = run("roadmap", "load", str(TINY), env=data_env)
    assert first.returncode == 0, first.stderr
    assert "loaded tiny as version 1" in first.stdout

    again = run("roadmap", "load", str(TINY), env=data_env)
    assert again.returncode == 0
    assert "tiny is unchanged (still version 1)" in again.stdout
    assert versions(data_env, "tiny") == [1]

    tiny_data["summary"] = "Changed for version 2."
    changed = run("roadmap", "load", str(write_yaml(tiny_data, "v2.yaml")), env=data_env)
    assert changed.returncode == 0, changed.stderr
    assert "loaded tiny as version 2" in changed.stdout
    assert versions(data_env, "tiny") == [1, 2]

    tiny_data["summary"] = "Would be version 3."
    tiny_data["projects"][0]["level"] = "expert"
    refused = run("roadmap", "load", str(write_yaml(tiny_data, "bad.yaml")), env=data_env)
    assert refused.returncode == 1
    assert "projects[0].level: unknown project level 'expert'" in refused.stderr
    assert "nothing loaded" in refused.stderr
    assert versions(data_env, "tiny") == [1, 2]


def test_load_refuses_the_broken_file_and_writes_nothing(data_env: dict[str, str]) -> None:
    result = run("roadmap", "load", str(BROKEN), env=data_env)
    assert result.returncode == 1
    assert "phases[0].sections[0].topics[0].month_end" in result.stderr
    assert versions(data_env, "broken") == []


def test_load_prints_what_changed_and_whom_it_affects(
    tmp_path: Path, builtin_data: dict[str, Any], write_yaml: Callable[..., Path]
) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "LEVELUP_ENV", "SECRET_KEY"}
    }
    env["LEVELUP_DATA_DIR"] = str(tmp_path / "data")
    assert run("migrate", env=env).returncode == 0
    # The demo learner is enrolled in the built-in roadmap's version 1.
    assert run("demo", env=env).returncode == 0, "demo"
    topics = builtin_data["phases"][0]["sections"][0]["topics"]
    topics[0]["title"] = "Algorithms, retitled"
    topics[0]["subtopics"].append({"slug": "heaps", "title": "Heaps"})
    result = run("roadmap", "load", str(write_yaml(builtin_data, "v2.yaml")), env=env)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "loaded backend-junior-to-senior as version 2" in out
    assert "changes from version 1: 1 added, 0 removed, 1 changed, 0 renamed, 0 moved" in out
    assert f"  + topic:{topics[0]['slug']}/heaps  Heaps" in out
    assert "-> 'Algorithms, retitled'" in out
    assert "affects 1 open enrollment(s) on older versions (version 1: 1)" in out
