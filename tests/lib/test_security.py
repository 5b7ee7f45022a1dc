"""Production settings, the secret key, CSP and cookies, bad settings."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from levelup.lib.security import STRICT_POLICY, secret_key_load_or_create

PRODUCTION_KEY = "k" * 20 + "-production-secret-key-for-tests-" + "x" * 20


def clean_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LEVELUP_", "DJANGO_"))
        and k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"}
    }
    env.update({"LEVELUP_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "levelup.settings"})
    env.update(extra)
    return env


def django(data_dir: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        capture_output=True,
        text=True,
        env=clean_env(data_dir, **extra),
        timeout=120,
        check=False,
    )


def setting(data_dir: Path, expression: str, **extra: str) -> subprocess.CompletedProcess[str]:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=clean_env(data_dir, **extra),
        timeout=60,
        check=False,
    )


PRODUCTION = {
    "LEVELUP_ENV": "production",
    "SECRET_KEY": PRODUCTION_KEY,
    "ALLOWED_HOSTS": "levelup.example.com",
}


class TestProductionMode:
    def test_the_deploy_check_passes_with_no_warnings(self, tmp_path: Path) -> None:
        result = django(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "no issues" in result.stdout

    def test_development_mode_would_fail_the_same_check(self, tmp_path: Path) -> None:
        # Shows the check above is a real gate, not one that always passes.
        result = django(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
        assert result.returncode != 0
        assert "SESSION_COOKIE_SECURE" in result.stderr + result.stdout

    def test_cookies_are_secure_and_http_only_in_production(self, tmp_path: Path) -> None:
        result = setting(
            tmp_path,
            "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY, settings.DEBUG",
            **PRODUCTION,
        )
        assert result.stdout.split() == ["True", "True", "True", "False"], result.stderr

    def test_cookies_are_not_secure_only_in_development(self, tmp_path: Path) -> None:
        # Plain http://127.0.0.1 would otherwise drop the session cookie.
        result = setting(
            tmp_path, "settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY"
        )
        assert result.stdout.split() == ["False", "True"], result.stderr


class TestBadSettings:
    @pytest.mark.parametrize(
        ("variable", "value", "message"),
        [
            (
                "LEVELUP_ENV",
                "staging",
                "LEVELUP_ENV must be one of development, production, got 'staging'",
            ),
            (
                "LEVELUP_LOGIN_FAILURE_LIMIT",
                "many",
                "LEVELUP_LOGIN_FAILURE_LIMIT must be a whole number",
            ),
            ("LEVELUP_HTTPS", "perhaps", "LEVELUP_HTTPS must be a boolean"),
            ("SECRET_KEY", "short", "SECRET_KEY must be at least 50 characters"),
            ("REDIS_URL", "localhost:6379", "REDIS_URL must be a URL"),
            ("LEVELUP_LOG_LEVEL", "loud", "LEVELUP_LOG_LEVEL must be one of"),
        ],
    )
    def test_a_bad_value_stops_start_up_naming_the_variable(
        self, tmp_path: Path, variable: str, value: str, message: str
    ) -> None:
        result = django(tmp_path, "check", **{variable: value})
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr
        assert message in result.stderr


class TestSecretKey:
    def test_it_is_generated_once_with_mode_0600_and_reused(self, tmp_path: Path) -> None:
        first = secret_key_load_or_create(tmp_path)
        path = tmp_path / "secret_key"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert len(first) >= 50
        assert secret_key_load_or_create(tmp_path) == first
        assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]

    def test_separate_processes_share_the_generated_key(self, tmp_path: Path) -> None:
        first = setting(tmp_path, "settings.SECRET_KEY")
        second = setting(tmp_path, "settings.SECRET_KEY")
        assert first.returncode == 0, first.stderr
        assert first.stdout == second.stdout
        assert first.stdout.strip() == (tmp_path / "secret_key").read_text().strip()

    def test_a_given_secret_key_wins_and_nothing_is_written(self, tmp_path: Path) -> None:
        result = setting(tmp_path, "settings.SECRET_KEY", SECRET_KEY=PRODUCTION_KEY)
        assert result.stdout.strip() == PRODUCTION_KEY
        assert not (tmp_path / "secret_key").exists()

    def test_an_empty_key_file_is_refused_not_used(self, tmp_path: Path) -> None:
        (tmp_path / "secret_key").write_text("\n")
        with pytest.raises(
            ImproperlyConfigured, match="secret_key does not hold a usable secret key"
        ):
            secret_key_load_or_create(tmp_path)


@pytest.mark.django_db
class TestHeaders:
    def test_pages_get_a_strict_content_security_policy(self) -> None:
        for path in ("/", "/accounts/login/", "/accounts/signup/", "/api/v1/health"):
            response = Client().get(path)
            policy = response["Content-Security-Policy"]
            assert policy == STRICT_POLICY, path
            assert "unsafe-inline" not in policy
            assert "unsafe-eval" not in policy
            assert "script-src 'self'" in policy
            assert "frame-ancestors 'none'" in policy
            assert "object-src 'none'" in policy

    def test_only_the_api_docs_page_allows_inline_styles(self) -> None:
        response = Client().get("/api/v1/docs")
        assert response.status_code == 200
        policy = response["Content-Security-Policy"]
        assert "style-src 'self' 'unsafe-inline'" in policy
        assert "script-src 'self';" in policy

    def test_other_protective_headers_are_set(self) -> None:
        response = Client().get("/accounts/login/")
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"

    def test_account_pages_have_no_inline_scripts_or_styles(self, web_for, alice) -> None:
        client = web_for(alice)
        for path in ("/accounts/profile/", "/accounts/password/", "/accounts/tokens/"):
            html = client.get(path).content.decode()
            assert "<script>" not in html
            assert " style=" not in html
            assert " onclick=" not in html


def levelup(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "levelup.cli", *args],
        capture_output=True,
        text=True,
        env=clean_env(data_dir),
        timeout=180,
        check=False,
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


class TestPrivateFiles:
    """The data directory 0700; the database, keys and backups in it 0600."""

    def test_migrate_on_a_new_data_directory_makes_everything_private(self, tmp_path: Path) -> None:
        data_dir = tmp_path / "fresh" / "data"
        result = levelup(data_dir, "migrate")
        assert result.returncode == 0, result.stderr
        assert mode(data_dir) == 0o700
        assert mode(data_dir / "secret_key") == 0o600
        database_files = list(data_dir.glob("levelup.sqlite3*"))
        assert data_dir / "levelup.sqlite3" in database_files
        assert all(mode(path) == 0o600 for path in database_files)

    def test_files_an_older_version_left_open_are_tightened_at_start(self, tmp_path: Path) -> None:
        data_dir = tmp_path / "data"
        (data_dir / "backups").mkdir(parents=True)
        files = [
            data_dir / "levelup.sqlite3",
            data_dir / "secret_key",
            data_dir / "credential_signing_key.pem",
            data_dir / "backups" / "levelup-20260101-000000.sqlite3",
        ]
        for path in files[:3]:
            path.touch()
        (data_dir / "secret_key").write_text("s" * 80)
        files[3].write_bytes(b"")
        for path in files:
            path.chmod(0o644)
        data_dir.chmod(0o755)
        (data_dir / "backups").chmod(0o755)

        result = levelup(data_dir, "migrate")
        assert result.returncode == 0, result.stderr
        assert mode(data_dir) == 0o700
        assert mode(data_dir / "backups") == 0o700
        assert {path.name: mode(path) for path in files} == {path.name: 0o600 for path in files}

    def test_a_directory_everyone_may_write_is_refused(self, tmp_path: Path) -> None:
        shared = tmp_path / "shared"
        shared.mkdir()
        shared.chmod(0o1777)
        result = django(shared, "check")
        assert result.returncode != 0
        assert (
            f"LEVELUP_DATA_DIR: {shared} can be written by every account on this machine"
            in result.stderr
        )
        # Nothing was written into it, and its mode is left alone.
        assert list(shared.iterdir()) == []
        assert mode(shared) == 0o1777

    def test_the_signing_key_is_created_private(self, tmp_path: Path) -> None:
        from levelup.mentoring.signing import SIGNING_KEY_FILE, signing_key_load_or_create

        signing_key_load_or_create(tmp_path)
        assert mode(tmp_path / SIGNING_KEY_FILE) == 0o600
