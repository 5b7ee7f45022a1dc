"""A bounded schemathesis run over the whole OpenAPI description, in process.

Every operation gets a few generated requests, valid and invalid, sent with a write
token of a learner who has an enrollment, progress, a session, a journal entry and a
practice problem; path ids point at that data so requests reach the services instead
of stopping at a 404. Each answer must be no 5xx, a status the description declares,
the declared content type, and a body matching the declared schema.

The run is derandomized (the same requests every run) and small: a few examples per
operation and generation mode. It is one test over one learner, so the fixture is
built once; writes that end the learner's access (deleting data, archiving) run last.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from levelup.api import api
from tests.api.conftest import Learner

EXAMPLES = {GenerationMode.POSITIVE: 2, GenerationMode.NEGATIVE: 2}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _schema() -> Any:
    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
    loaded.app = get_wsgi_application()
    return loaded


def _last_if_it_ends_access(operation: Any) -> tuple[int, str]:
    ends = operation.method.upper() == "DELETE" or operation.path.endswith("/archive")
    return (1 if ends else 0, operation.label)


def _ids(learner: Learner) -> dict[str, Any]:
    return {
        "enrollment_id": learner.enrollment.pk,
        "session_id": learner.session_id,
        "entry_id": learner.entry_id,
        "problem_id": learner.problem_id,
        "item_key": learner.item_key,
    }


@pytest.fixture
def one_connection() -> Iterator[None]:
    """Keep the test's database connection across requests, as Django's test client does:
    the WSGI handler otherwise closes it after each answer, ending the test transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_api_answers_every_generated_request_as_it_documents(
    learner: Learner, one_connection: None
) -> None:
    operations = sorted(
        (r.ok() for r in _schema().get_all_operations()), key=_last_if_it_ends_access
    )
    calls = 0
    statuses: dict[int, int] = {}
    failures: list[str] = []
    for operation in operations:
        fixed = {
            name: value for name, value in _ids(learner).items() if f"{{{name}}}" in operation.path
        }
        for mode, examples in EXAMPLES.items():

            @given(case=operation.as_strategy(generation_mode=mode, path_parameters=fixed or None))
            @settings(
                max_examples=examples,
                derandomize=True,
                database=None,
                deadline=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def probe(case: Any) -> None:
                nonlocal calls
                calls += 1
                response = case.call_and_validate(headers=learner.headers, checks=CHECKS)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

            try:
                probe()
            except Unsatisfiable:
                # Nothing to make invalid: an operation without parameters or body.
                assert mode is GenerationMode.NEGATIVE
            except (Exception, BaseExceptionGroup) as exc:
                failures.append(f"{operation.label} ({mode.value}): {exc}"[:3000])
    assert not failures, f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures)
    print("CALLS", calls, sorted(statuses.items()))
    assert 150 <= calls <= 800, calls
    # The run reached the services: most answers are not refusals of the credential
    # or the path.
    reached = sum(count for status, count in statuses.items() if status not in (401, 403, 404))
    assert reached > calls / 2, statuses
