"""The import stack: a module may import its own layer and the layers below, never above.

    lib ← accounts ← roadmaps ← progress ← journal ← planning ← dashboard
        ← (mentoring, checkpoints, portfolio) ← edges (levelup/api.py, urls.py, cli/)

Every Python import in `levelup/` is read with `ast` (lazy imports inside functions
included, since a lazy import is still a dependency) and its layer compared with the
importing module's. Migrations are left out: Django writes them and they refer to other
apps by label. A new app must be given a layer in `LAYERS`, or the test fails.

How it was checked: adding `from levelup.planning.selectors import plan_for` to
`levelup/progress/services.py` made `test_no_module_imports_a_layer_above_its_own` fail
with "levelup.progress.services (progress, layer 3) imports levelup.planning.selectors
(planning, layer 5)"; adding the same import inside a function body failed the same way.
`test_the_rule_catches_an_upward_import` below keeps that check in the suite.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "levelup"

# Lower numbers sit lower. Apps on one number may not import each other, except the edges.
EDGE = 9
LAYERS: dict[str, int] = {
    "lib": 0,
    "accounts": 1,
    "roadmaps": 2,
    "progress": 3,
    "journal": 4,
    # The reading list and certifications: beside the journal, below planning, whose
    # calendar feed adds booked exams.
    "resources": 4,
    "planning": 5,
    "dashboard": 6,
    "mentoring": 7,
    "checkpoints": 7,
    "teams": 7,
    "portfolio": 8,
    # Export, import and delete walk every app's models by label (apps.get_model), so
    # they import nothing above the roadmaps; the layer says where they belong.
    "datatransfer": 8,
    # The edges: the project's URLconf, the API that mounts every router, the CLI, settings.
    "cli": 9,
    "api": 9,
    "urls": 9,
    "settings": 9,
    # The read cache answers routes at the edge (a middleware) and reads the layers below.
    "readcache": 9,
    "wsgi": 9,
    "asgi": 9,
}


def _layer_of(module: str) -> str:
    """`levelup.progress.services` → `progress`; `levelup.urls` → `urls`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, module: str) -> list[str]:
    """Every `levelup.*` module the source imports, relative imports resolved."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.startswith("levelup.")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")[: -node.level]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target == "levelup":
                # `from levelup import x`: each name is a submodule or a package attribute.
                found += [f"levelup.{alias.name}" for alias in node.names]
            elif target.startswith("levelup."):
                found.append(target)
    return found


def violations(files: list[tuple[str, str]]) -> list[str]:
    """Upward or sideways imports among (module name, source) pairs, as sentences."""
    problems: list[str] = []
    for module, source in files:
        own = _layer_of(module)
        if own not in LAYERS:
            problems.append(f"{module}: app {own!r} has no layer in LAYERS")
            continue
        for target in imports_of(source, module):
            other = _layer_of(target)
            if other == own or other not in LAYERS:
                continue
            above = LAYERS[other] > LAYERS[own]
            sideways = LAYERS[other] == LAYERS[own] and LAYERS[own] < EDGE
            if above or sideways:
                problems.append(
                    f"{module} ({own}, layer {LAYERS[own]}) imports {target} "
                    f"({other}, layer {LAYERS[other]})"
                )
    return problems


def _package_files() -> list[tuple[str, str]]:
    files = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts or path == PACKAGE / "__init__.py":
            continue
        if path.parent == PACKAGE and path.stem in ("__main__",):
            continue
        files.append((_module_name(path), path.read_text(encoding="utf-8")))
    return files


def test_no_module_imports_a_layer_above_its_own() -> None:
    files = _package_files()
    assert len(files) > 50, "the walk found the package's modules"
    assert violations(files) == []


def test_the_rule_catches_an_upward_import() -> None:
    upward = "def f():\n    from levelup.planning.selectors import plan_for\n"
    assert violations([("levelup.progress.services", upward)]) == [
        "levelup.progress.services (progress, layer 3) imports levelup.planning.selectors "
        "(planning, layer 5)"
    ]


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("levelup.roadmaps.views", "from levelup.progress.selectors import learner_states_for"),
        ("levelup.journal.selectors", "from ..dashboard import selectors"),
        ("levelup.accounts.models", "import levelup.roadmaps.models"),
    ],
)
def test_upward_and_relative_imports_are_refused(module: str, source: str) -> None:
    assert len(violations([(module, source)])) == 1


def test_downward_imports_are_allowed() -> None:
    source = (
        "from levelup.progress.models import Enrollment\nfrom levelup.lib.errors import NotFound"
    )
    assert violations([("levelup.planning.adapter", source)]) == []


def test_a_new_app_must_be_given_a_layer() -> None:
    assert violations([("levelup.badges.models", "x = 1")]) == [
        "levelup.badges.models: app 'badges' has no layer in LAYERS"
    ]
