"""When things go wrong: one clear line, a distinct exit code, never a traceback,
and a retried `log` never counts twice."""

from __future__ import annotations

import http.client
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.cli.conftest import Home, Learner, Proxy, closed_port
from tests.cli.test_commands import assert_clean_failure

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_unreachable_server_says_so(home: Home) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    home.write_config(url, "lvl_00000000_whatever")
    run = home.run("log", "30m", "theory")
    assert_clean_failure(run, 4, "cannot reach", url, "Connection refused")


@dataclass
class Dialled:
    """Connection attempts the client made (no network: each one is refused or times out),
    and the pauses it took between them (not slept)."""

    timeouts: list[float | None] = field(default_factory=list)
    waits: list[float] = field(default_factory=list)


@pytest.fixture
def dialled(monkeypatch: pytest.MonkeyPatch) -> Callable[[OSError], Dialled]:
    """Make every connection attempt fail with `failure`, and record the attempts."""
    from levelup.cli import client as client_module

    def arrange(failure: OSError) -> Dialled:
        seen = Dialled()

        def connect(address: Any, timeout: float | None = None, *args: Any, **kw: Any) -> Any:
            seen.timeouts.append(timeout)
            raise failure

        monkeypatch.setattr(http.client.socket, "create_connection", connect)
        monkeypatch.setattr(client_module.time, "sleep", seen.waits.append)
        return seen

    return arrange


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize("retries", [None, "0"], ids=["default retries", "LEVELUP_RETRIES=0"])
def test_the_wait_for_an_unreachable_server_is_bounded_by_the_clients_settings(
    dialled: Callable[[OSError], Dialled],
    monkeypatch: pytest.MonkeyPatch,
    retries: str | None,
) -> None:
    # What bounds the wait is the client's settings, not how fast this machine happens to be:
    # every attempt uses the connect timeout, and the pauses are the documented short ones.
    from levelup.cli.client import BACKOFF_SECONDS, DEFAULT_RETRIES, Client, CliError, ExitCode

    if retries is None:
        monkeypatch.delenv("LEVELUP_RETRIES", raising=False)
    else:
        monkeypatch.setenv("LEVELUP_RETRIES", retries)
    seen = dialled(ConnectionRefusedError(111, "Connection refused"))
    client = Client("http://127.0.0.1:9", "lvl_00000000_whatever")
    connect_timeout = client._http.connect_timeout if client._http else None
    with pytest.raises(CliError) as failure:
        client.get("/me")

    assert failure.value.code == ExitCode.UNREACHABLE
    assert "cannot reach the levelup server at http://127.0.0.1:9" in failure.value.message
    expected_retries = DEFAULT_RETRIES if retries is None else 0
    assert seen.timeouts == [connect_timeout] * (1 + expected_retries)
    assert connect_timeout is not None and 0 < connect_timeout <= 5
    assert seen.waits == list(BACKOFF_SECONDS[:expected_retries])
    assert sum(seen.waits) < 2  # a person is waiting (docs/cli.md, Retries)


@pytest.mark.django_db(transaction=False)
def test_a_server_that_never_answers_the_connect_is_given_up_on_after_the_timeout(
    dialled: Callable[[OSError], Dialled], monkeypatch: pytest.MonkeyPatch
) -> None:
    from levelup.cli.client import Client, CliError, ExitCode

    monkeypatch.setenv("LEVELUP_RETRIES", "0")
    seen = dialled(TimeoutError("timed out"))
    client = Client("http://192.0.2.1:8000", "lvl_00000000_whatever")  # TEST-NET-1, no route
    with pytest.raises(CliError) as failure:
        client.get("/me")

    assert failure.value.code == ExitCode.UNREACHABLE
    (timeout,) = seen.timeouts
    assert timeout is not None
    assert f"(timed out after {timeout:g} s)" in failure.value.message
    assert "cannot reach the levelup server at http://192.0.2.1:8000" in failure.value.message


def test_login_to_an_unreachable_server_saves_nothing(home: Home) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    run = home.run("login", url, "--token", "lvl_x", env={"LEVELUP_RETRIES": "0"})
    assert_clean_failure(run, 4, "cannot reach")
    assert not home.config_file.exists()


def test_a_revoked_token_stops_working_at_once(logged_in: Home, learner: Learner) -> None:
    from levelup.accounts.tokens import api_token_revoke

    assert logged_in.run("status", "--json").code == 0
    api_token_revoke(user=learner.user, token_id=learner.token_id)
    run = logged_in.run("log", "30m", learner.categories[0])
    assert_clean_failure(run, 5, "refused the token", "revoked", "levelup login")


def test_not_logged_in_says_how_to_log_in(home: Home) -> None:
    assert_clean_failure(home.run("status"), 3, "levelup login")


def test_environment_variables_work_without_a_config_file(home: Home, learner: Learner) -> None:
    run = home.run("whoami", env={"LEVELUP_URL": learner.url, "LEVELUP_TOKEN": learner.token})
    assert run.code == 0, run.err
    assert "alice" in run.out
    assert not home.config_file.exists()


def test_a_server_error_is_one_line(
    home: Home, learner: Learner, proxy_for: Callable[..., Proxy]
) -> None:
    proxy = proxy_for(learner.url, fail_with=500)
    home.write_config(proxy.url, learner.token)
    assert_clean_failure(home.run("status"), 9, "HTTP 500")


def test_a_gateway_error_is_retried_then_reported(
    home: Home, learner: Learner, proxy_for: Callable[..., Proxy]
) -> None:
    proxy = proxy_for(learner.url, fail_with=503)
    home.write_config(proxy.url, learner.token)
    assert_clean_failure(home.run("whoami"), 9, "HTTP 503")
    assert len(proxy.seen) == 4  # the first try and three retries


def test_something_that_is_not_levelup_is_named(home: Home, learner: Learner) -> None:
    # A web page where the API should be (a wrong URL prefix, a captive portal).
    run = home.run("login", learner.url + "/roadmaps", "--token", learner.token)
    assert run.code != 0
    assert len(run.err_lines) == 1 and run.err_lines[0].startswith("error: ")
    assert "Traceback" not in run.err


def test_choosing_an_enrollment_that_is_not_yours_is_a_clear_error(logged_in: Home) -> None:
    assert_clean_failure(logged_in.run("status", "--enrollment", "999"), 6, "enrollment", "999")


def test_with_two_active_enrollments_the_cli_asks_which(logged_in: Home, learner: Learner) -> None:
    from pathlib import Path

    from levelup.progress.models import Enrollment
    from levelup.roadmaps.services import roadmap_load_file

    tiny = roadmap_load_file(path=Path(__file__).resolve().parents[1] / "fixtures" / "tiny.yaml")
    if tiny.roadmap.pk == learner.enrollment.roadmap_id:
        pytest.skip("the tests already run on the tiny roadmap")
    other = Enrollment.objects.create(
        user=learner.user,
        roadmap=tiny.roadmap,
        version=tiny.roadmap.current_version,
        start_date=learner.enrollment.start_date,
        weekly_hours=5,
    )
    assert_clean_failure(logged_in.run("status"), 2, "--enrollment", str(other.pk))
    run = logged_in.run("use", str(other.pk))
    assert run.code == 0, run.err
    assert f"enrollment = {other.pk}" in logged_in.config_file.read_text()
    assert logged_in.run("status", "--json").code == 0


def test_a_retried_log_after_a_dropped_response_creates_one_session(
    home: Home, learner: Learner, proxy_for: Callable[..., Proxy]
) -> None:
    # The first POST reaches the server, which stores the session; the proxy
    # then hangs up without passing the answer on. The CLI must retry with the
    # same Idempotency-Key and the server must answer with the first session.
    proxy = proxy_for(learner.url, drop_posts=1)
    home.write_config(proxy.url, learner.token)
    run = home.run("log", "40m", learner.categories[0], "dropped once")
    assert run.code == 0, run.err
    assert "nothing counted twice" in run.out
    posts = [headers for method, _, headers in proxy.seen if method == "POST"]
    assert len(posts) == 2
    keys = {h.get("Idempotency-Key") for h in posts}
    assert len(keys) == 1 and None not in keys
    sessions = learner.sessions()
    assert [(s["minutes"], s["note"]) for s in sessions] == [(40, "dropped once")]


def test_two_separate_logs_are_two_sessions(logged_in: Home, learner: Learner) -> None:
    # The key is per invocation: logging the same thing twice on purpose counts twice.
    for _ in range(2):
        assert logged_in.run("log", "15m", learner.categories[0]).code == 0
    assert len(learner.sessions()) == 2


def test_a_read_only_token_can_read_but_not_log(home: Home, learner: Learner) -> None:
    from levelup.accounts.tokens import api_token_create

    read_only = api_token_create(user=learner.user, name="read only", can_write=False).secret
    home.write_config(learner.url, read_only)
    assert home.run("status", "--json").code == 0
    assert_clean_failure(home.run("log", "30m", learner.categories[0]), 5, "forbidden", "read-only")
    assert learner.sessions() == []


def test_a_learner_without_an_enrollment_is_told_to_enroll(
    logged_in: Home, learner: Learner
) -> None:
    learner.enrollment.delete()
    assert_clean_failure(logged_in.run("status"), 3, "not enrolled", "/roadmaps/")


def test_yesterday_is_yesterday_in_the_learners_time_zone(
    logged_in: Home, learner: Learner
) -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    run = logged_in.run("log", "25m", learner.categories[0], "--date", "yesterday", "--json")
    assert run.code == 0, run.err
    today_there = dt.datetime.now(ZoneInfo("Europe/Berlin")).date()
    assert run.out and __import__("json").loads(run.out)["date"] == str(
        today_there - dt.timedelta(days=1)
    )


def test_a_redirect_is_reported_and_not_followed(
    home: Home, learner: Learner, proxy_for: Callable[..., Proxy]
) -> None:
    proxy = proxy_for(learner.url, fail_with=301)
    home.write_config(proxy.url, learner.token)
    assert_clean_failure(home.run("whoami"), 1, "redirects")
    assert len(proxy.seen) == 1
