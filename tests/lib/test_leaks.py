"""Nothing leaks: the debug page hides URLs and passwords, debug mode serves only on
loopback, and logs hold no token, calendar secret or invitation code."""

from __future__ import annotations

import io
import logging
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client, RequestFactory, override_settings
from django.views.debug import technical_500_response

from levelup.lib.logs import RedactingFilter, redact
from levelup.lib.reporting import LevelupExceptionReporterFilter
from levelup.lib.security import debug_bind_refusal, is_loopback

# Made at run time: the debug page quotes source lines, and this one must not count.
PASSWORD = "hunter2-" + secrets.token_hex(8)


def _debug_page(**meta: str) -> str:
    request = RequestFactory().get("/journal/", {"week": "9999-W52"}, **meta)
    try:
        raise ValueError("week out of range")
    except ValueError as exc:
        response = technical_500_response(request, type(exc), exc, exc.__traceback__)
    return response.content.decode()


class TestDebugPage:
    @override_settings(
        DEBUG=True,
        DATABASE_URL=f"postgres://levelup:{PASSWORD}@db.internal:5432/levelup",
        REDIS_URL=f"redis://:{PASSWORD}@cache.internal:6379/0",
        CACHE_URL=f"redis://:{PASSWORD}@cache.internal:6379/1",
        EMAIL_URL=f"smtp://mailer:{PASSWORD}@smtp.example.com:587",
        SENTRY_DSN=f"https://{PASSWORD}@sentry.example.com/4",
        EMAIL_HOST_PASSWORD=PASSWORD,
        LEVELUP_NOTES={"replica": f"postgres://reader:{PASSWORD}@replica.internal/levelup"},
    )
    def test_it_hides_every_url_setting_and_every_password(self) -> None:
        page = _debug_page()
        assert "DATABASE_URL" in page and "REDIS_URL" in page and "EMAIL_URL" in page
        assert "db.internal" not in page
        assert "********************" in page
        assert PASSWORD not in page

    @override_settings(DEBUG=True)
    def test_it_hides_the_environment_the_development_server_copies_into_the_request(
        self,
    ) -> None:
        # runserver's WSGI environ starts from os.environ, so META holds it all.
        page = _debug_page(
            DATABASE_URL=f"postgres://levelup:{PASSWORD}@db.internal/levelup",
            PGPASSWORD=PASSWORD,
            HTTP_AUTHORIZATION=f"Bearer lvl_abcdef12_{PASSWORD}",
            LEVELUP_BACKUP_TARGET=f"sftp://backup:{PASSWORD}@vault.internal/levelup",
        )
        assert "DATABASE_URL" in page and "HTTP_AUTHORIZATION" in page
        assert PASSWORD not in page
        assert "db.internal" not in page

    def test_the_filter_masks_passwords_inside_database_settings(self) -> None:
        databases = {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "levelup",
                "USER": "levelup",
                "PASSWORD": PASSWORD,
                "HOST": "db.internal",
                "OPTIONS": {"service_url": f"postgres://levelup:{PASSWORD}@db.internal/x"},
                "TEST": {"MIRROR": f"postgres://levelup:{PASSWORD}@mirror/x"},
            }
        }
        cleansed = LevelupExceptionReporterFilter().cleanse_setting("DATABASES", databases)
        assert PASSWORD not in repr(cleansed)
        default = cleansed["default"]
        assert default["PASSWORD"] == "********************"
        assert default["HOST"] == "db.internal"  # not a secret: still there to debug with
        assert default["TEST"]["MIRROR"] == "postgres://levelup:[redacted]@mirror/x"

    def test_it_is_the_filter_django_uses(self, settings: object) -> None:
        from django.views.debug import get_default_exception_reporter_filter

        assert isinstance(get_default_exception_reporter_filter(), LevelupExceptionReporterFilter)


class TestDebugOnlyOnLoopback:
    @pytest.mark.parametrize("host", ["127.0.0.1", "127.8.0.1", "::1", "[::1]", "localhost"])
    def test_loopback_addresses_are_allowed(self, host: str) -> None:
        assert is_loopback(host)
        assert debug_bind_refusal(host, debug=True) is None

    @pytest.mark.parametrize("host", ["0.0.0.0", "0", "::", "192.168.1.20", "levelup.example"])
    def test_reachable_addresses_are_refused_with_debug_on(self, host: str) -> None:
        refusal = debug_bind_refusal(host, debug=True)
        assert refusal is not None
        assert "LEVELUP_DEBUG" in refusal and host in refusal
        assert debug_bind_refusal(host, debug=False) is None

    def _env(self, data_dir: Path) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("LEVELUP_", "DJANGO_"))
            and key not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}
        }
        env.update(LEVELUP_DATA_DIR=str(data_dir), LEVELUP_DEBUG="1")
        return env

    def test_serve_refuses_a_public_address_before_touching_the_database(
        self, tmp_path: Path
    ) -> None:
        result = subprocess.run(
            [sys.executable, "-m", "levelup.cli", "serve", "--host", "0.0.0.0"],
            env=self._env(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 1
        assert result.stderr.startswith(
            "error: LEVELUP_DEBUG is on and the server would listen on 0.0.0.0"
        ), result.stderr
        assert "levelup is running" not in result.stdout
        # Refused before migrating: the database file holds no tables.
        assert (tmp_path / "levelup.sqlite3").stat().st_size == 0

    def test_make_dev_runserver_refuses_every_address(self, tmp_path: Path) -> None:
        result = subprocess.run(
            [sys.executable, "-m", "django", "runserver", "--noreload", "0.0.0.0:8765"],
            env={**self._env(tmp_path), "DJANGO_SETTINGS_MODULE": "levelup.settings"},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 1
        assert "CommandError: LEVELUP_DEBUG is on and the server would listen on 0.0.0.0" in (
            result.stderr
        )


class TestRedaction:
    @pytest.mark.parametrize(
        ("line", "expected"),
        [
            (
                '"GET /api/v1/me?token=lvl_0123abcd_SECRETpart HTTP/1.1" 401',
                '"GET /api/v1/me?token=[redacted] HTTP/1.1" 401',
            ),
            ("/api/v1/health?a=1&TOKEN=xyz&b=2", "/api/v1/health?a=1&TOKEN=[redacted]&b=2"),
            ("Authorization: Bearer lvl_secret", "Authorization: Bearer lvl_[redacted]"),
            ("/calendar/Zx81_secret-value.ics", "/calendar/[redacted].ics"),
            (
                '"https://levelup.example/calendar/abc.ics"',
                '"https://levelup.example/calendar/[redacted].ics"',
            ),
            ("/mentoring/accept/code123/", "/mentoring/accept/[redacted]/"),
            ("/accounts/reset/MQ/c0ffee-token/", "/accounts/reset/MQ/[redacted]/"),
            ("/accounts/reset/MQ/set-password/", "/accounts/reset/MQ/set-password/"),
            ("redis://:pw@cache:6379/0", "redis://:[redacted]@cache:6379/0"),
            ("/api/v1/enrollments/4/sessions?page=2", "/api/v1/enrollments/4/sessions?page=2"),
        ],
    )
    def test_secrets_are_replaced_and_the_rest_kept(self, line: str, expected: str) -> None:
        assert redact(line) == expected

    def test_the_filter_rewrites_formatted_records(self) -> None:
        record = logging.LogRecord(
            "django.request",
            logging.WARNING,
            __file__,
            1,
            "%s: %s",
            ("Not Found", "/calendar/feedsecret.ics"),
            None,
        )
        assert RedactingFilter().filter(record)
        assert record.getMessage() == "Not Found: /calendar/[redacted].ics"


@pytest.fixture
def django_log() -> Iterator[io.StringIO]:
    """What the configured console handler writes, instead of standard error."""
    handler = next(h for h in logging.getLogger().handlers if h.filters)
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield buffer
    finally:
        handler.setStream(previous)


@pytest.mark.django_db
def test_django_request_warnings_do_not_log_calendar_secrets_or_tokens(
    django_log: io.StringIO,
) -> None:
    client = Client()
    assert client.get("/calendar/feedsecret0123456789.ics").status_code == 404
    assert client.get("/no-such-page/", {"token": "lvl_secret"}).status_code == 404
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer lvl_secret").status_code == 401
    written = django_log.getvalue()
    assert "Not Found: /calendar/[redacted].ics" in written
    assert "feedsecret" not in written
    assert "lvl_secret" not in written
