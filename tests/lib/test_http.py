"""GET on an address that only takes a form's POST goes to the page holding the form."""

from __future__ import annotations

from typing import Any

import pytest

from levelup.progress.services import enrollment_create


@pytest.fixture
def enrollment(alice: Any, builtin: Any) -> Any:
    roadmap, _ = builtin
    return enrollment_create(user=alice, roadmap_slug=roadmap.slug)


def test_get_on_quick_add_goes_to_the_sessions_page(
    web_for: Any, alice: Any, enrollment: Any
) -> None:
    response = web_for(alice).get("/journal/sessions/add/")
    assert response.status_code == 302
    assert response["Location"] == "/journal/sessions/"
    response = web_for(alice).get(f"/journal/sessions/add/?enrollment={enrollment.pk}")
    assert response["Location"] == f"/journal/sessions/?enrollment={enrollment.pk}"


def test_get_on_plan_settings_goes_to_the_plan(web_for: Any, alice: Any, enrollment: Any) -> None:
    response = web_for(alice).get(f"/plan/{enrollment.pk}/settings/")
    assert response.status_code == 302
    assert response["Location"] == f"/plan/{enrollment.pk}/#settings-heading"
    response = web_for(alice).get(f"/plan/{enrollment.pk}/calendar/")
    assert response["Location"] == f"/plan/{enrollment.pk}/#calendar"


def test_get_on_a_status_change_goes_to_the_dashboard(
    web_for: Any, alice: Any, enrollment: Any
) -> None:
    response = web_for(alice).get(f"/enrollments/{enrollment.pk}/status/")
    assert (response.status_code, response["Location"]) == (302, "/dashboard/")


def test_get_on_logout_goes_home_and_keeps_the_session(web_for: Any, alice: Any) -> None:
    client = web_for(alice)
    response = client.get("/accounts/logout/")
    assert (response.status_code, response["Location"]) == (302, "/")
    # A GET must not sign out (a link on another site could otherwise do it).
    assert client.get("/accounts/profile/").status_code == 200


def test_get_on_token_revoke_goes_to_the_tokens_page(web_for: Any, alice: Any) -> None:
    response = web_for(alice).get("/accounts/tokens/1/revoke/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/tokens/")


def test_anonymous_get_on_a_post_only_address_asks_to_sign_in(web_for: Any, db: Any) -> None:
    response = web_for(None).get("/journal/sessions/add/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_other_methods_still_answer_405(web_for: Any, alice: Any) -> None:
    response = web_for(alice).put("/journal/sessions/add/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_debug_is_off_without_any_setting(tmp_path: Any) -> None:
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "LEVELUP_DATA_DIR": str(tmp_path)}
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='levelup.settings';"
            "django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False"
    env["LEVELUP_DEBUG"] = "1"
    out = subprocess.run(
        [sys.executable, "-c", "import levelup.settings as s; print(s.DEBUG)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "True"
