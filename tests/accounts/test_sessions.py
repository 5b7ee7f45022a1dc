"""The hand-written session and user lookups behave as Django's own (accounts/sessions.py,
lib/rows.py): what a signed-in browser sees, and the values the rows turn into."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from levelup.accounts.models import User
from levelup.accounts.tokens import api_token_authenticate, api_token_create
from levelup.lib.errors import NotFound
from levelup.progress.selectors import enrollment_get
from levelup.progress.services import enrollment_create
from levelup.roadmaps.services import roadmap_load_file

pytestmark = pytest.mark.django_db

DB_ENGINE = "levelup.accounts.sessions"
CACHED_ENGINE = "levelup.accounts.cached_sessions"  # what servers sharing Redis use


@pytest.fixture(params=[DB_ENGINE, CACHED_ENGINE])
def engine(request: pytest.FixtureRequest, settings) -> str:
    settings.SESSION_ENGINE = request.param
    return str(request.param)


@pytest.fixture
def db_engine(settings) -> None:
    """The row lookup itself (the cached engine keeps answering from the cache, as
    Django's does, until the session expires there)."""
    settings.SESSION_ENGINE = DB_ENGINE


SETTINGS = "/accounts/password/"  # any page that needs a signed-in user
TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny.yaml"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_signed_in_browser_sees_its_pages(alice: User, engine: str) -> None:
    answer = signed_in(alice).get(SETTINGS)
    assert answer.status_code == 200
    assert answer.wsgi_request.user.pk == alice.pk


def test_an_expired_session_is_signed_out(alice: User, db_engine: None) -> None:
    client = signed_in(alice)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    answer = client.get(SETTINGS)
    assert answer.status_code == 302
    assert "/accounts/login/" in answer["Location"]


def test_an_unknown_session_key_is_signed_out(alice: User, db_engine: None) -> None:
    client = signed_in(alice)
    Session.objects.all().delete()
    assert client.get(SETTINGS).status_code == 302


def test_a_deactivated_user_is_signed_out(alice: User, engine: str) -> None:
    client = signed_in(alice)
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert client.get(SETTINGS).status_code == 302


def test_a_session_from_before_the_backend_existed_stays_signed_in(
    alice: User, engine: str
) -> None:
    from importlib import import_module

    from django.contrib.auth import BACKEND_SESSION_KEY

    client = signed_in(alice)
    key = client.cookies["sessionid"].value
    old = import_module(engine).SessionStore(session_key=key)
    old[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    old.save()
    answer = client.get(SETTINGS)
    assert answer.status_code == 200
    assert answer.wsgi_request.user.pk == alice.pk


def test_a_password_change_elsewhere_signs_the_session_out(alice: User, engine: str) -> None:
    client = signed_in(alice)
    alice.set_password("a-new-password-for-alice-42")
    alice.save()
    assert client.get(SETTINGS).status_code == 302


def test_the_token_lookup_loads_fields_as_the_orm_does(alice: User) -> None:
    """Datetimes come back aware and booleans as booleans on SQLite and PostgreSQL."""
    issued = api_token_create(user=alice, name="t", can_write=True)
    token = api_token_authenticate(issued.secret)
    assert token is not None
    assert token.can_write is True
    assert isinstance(token.created_at, dt.datetime) and token.created_at.tzinfo is not None
    from_orm = User.objects.get(pk=alice.pk)
    for field in User._meta.concrete_fields:
        assert getattr(token.user, field.attname) == getattr(from_orm, field.attname), field.name


def test_enrollment_get_leaves_the_document_deferred(alice: User, bob: User) -> None:
    roadmap_load_file(path=TINY)
    enrollment = enrollment_create(user=alice, roadmap_slug="tiny")
    found = enrollment_get(user=alice, enrollment_id=enrollment.pk)
    assert found.roadmap.slug == "tiny"
    assert found.user is alice
    assert found.version.content_hash == enrollment.version.content_hash
    assert "document" in found.version.get_deferred_fields()
    assert found.version.document == enrollment.version.document  # loads on use
    assert found.start_date == enrollment.start_date
    with pytest.raises(NotFound):
        enrollment_get(user=bob, enrollment_id=enrollment.pk)
