"""API: GET /me/export, POST /me/import, DELETE /me.

`DELETE /me` joins the accounts router's `/me` path: ninja serves one path from one
router, and a second router's `/me` would never be reached. The function lives here, above
everything it deletes; only its route is attached to the accounts router.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router, Schema

from levelup.accounts.api import router as accounts_router
from levelup.accounts.models import User
from levelup.accounts.throttle import client_address
from levelup.datatransfer import archive
from levelup.lib.errors import Invalid
from levelup.lib.schemas import Error, Line, unstorable_value

router = Router(tags=["data"])


class AccountImportOut(Schema):
    counts: dict[str, int]
    total: int


class DeleteIn(Schema):
    password: Line


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def export_filename(user: User) -> str:
    return f"levelup-{user.username}-{user.local_today().isoformat()}.json"


@router.get("/me/export", response={200: dict[str, Any]})
def export(request: HttpRequest) -> HttpResponse:
    """Everything you own, as one versioned JSON archive (format in docs/data.md)."""
    user = _user(request)
    response = JsonResponse(
        archive.account_export(user=user), json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Disposition"] = f'attachment; filename="{export_filename(user)}"'
    return response


@router.post("/me/import", response={201: AccountImportOut, 409: Error, 422: Error})
def import_(request: HttpRequest) -> tuple[int, dict[str, Any]]:
    """Restore an archive into this account, which must be new (hold no data).

    The body is the archive exactly as `GET /me/export` gave it. A bad or changed archive
    answers 422 with the reason, and nothing is written.
    """
    try:
        # read(), not .body: the request-size middleware lets an archive through up to
        # its own cap (50 MB), above the 2.5 MB Django allows `.body` for other requests.
        data = json.loads(request.read())
    except (ValueError, UnicodeDecodeError) as exc:
        raise Invalid.for_field("archive", f"is not JSON ({exc})") from None
    bad = unstorable_value(data)
    if bad:
        raise Invalid.for_field(f"archive.{bad[0]}", bad[1])
    counts = archive.account_import(user=_user(request), archive=data)
    return 201, {"counts": counts, "total": sum(counts.values())}


@accounts_router.delete(
    "/me", response={204: None, 403: Error, 422: Error, 429: Error}, tags=["data"]
)
def me_delete(request: HttpRequest, payload: DeleteIn) -> HttpResponse:
    """Delete your account and everything in it. Send your password; tokens stop at once."""
    user = _user(request)
    archive.account_delete(user=user, password=payload.password, client=client_address(request))
    if hasattr(request, "session"):
        logout(request)
    return HttpResponse(status=204)
