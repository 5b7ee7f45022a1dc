"""Pages of mentoring. Each view parses a form, calls one service or selector, renders.

Reviews and mentee pages answer 404 to anyone who is neither the learner nor one of the
learner's active mentors; the credential verification pages are public.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from levelup.accounts.models import User
from levelup.lib.errors import ApplicationError, NotFound
from levelup.mentoring import credentials, selectors, services
from levelup.mentoring.api import base_url
from levelup.mentoring.models import NotificationSettings
from levelup.progress import selectors as progress_selectors
from levelup.progress.models import Enrollment
from levelup.roadmaps.selectors import roadmap_list


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def not_found_as_404(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """NotFound from a selector or service becomes the 404 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc

    return wrapper


# --- mentorships -----------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Your mentors, your mentees, invitations and notification settings."""
    user = _user(request)
    email = NotificationSettings.objects.filter(user=user, email_enabled=True).exists()
    return render(
        request,
        "mentoring/home.html",
        {
            "mentors": list(selectors.mentors_of(learner=user)),
            "mentees": selectors.mentee_list(mentor=user),
            "invitation": request.session.pop("mentoring_invitation", None),
            "email_enabled": email,
        },
    )


@login_required
@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    try:
        invitation, code = services.invitation_create(
            learner=_user(request), username=request.POST.get("username", "")
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        response = home(request)
        response.status_code = exc.status if exc.status != 400 else 422
        return response
    # Shown once on the next page, like a new token; only its hash is stored.
    request.session["mentoring_invitation"] = {
        "url": request.build_absolute_uri(reverse("mentoring:accept", args=[code])),
        "username": invitation.invitee.username if invitation.invitee else "",
        "expires_at": invitation.expires_at.isoformat(),
    }
    return redirect("mentoring:home")


@login_required
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, code: str) -> HttpResponse:
    """Accept an invitation to mentor (GET shows what you are agreeing to)."""
    if request.method == "POST":
        try:
            mentorship = services.invitation_accept(mentor=_user(request), code=code)
        except ApplicationError as exc:
            response = render(
                request, "mentoring/accept.html", {"code": code, "error": exc.message}
            )
            response.status_code = exc.status
            return response
        messages.success(request, f"You now mentor {mentorship.learner.name}.")
        return redirect("mentoring:mentee", mentorship.learner_id)
    return render(request, "mentoring/accept.html", {"code": code})


@login_required
@require_POST
@not_found_as_404
def end(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    services.mentorship_end(user=_user(request), mentorship_id=mentorship_id)
    messages.success(request, "The mentorship has ended.")
    return redirect("mentoring:home")


@login_required
@require_POST
def notifications(request: HttpRequest) -> HttpResponse:
    enabled = request.POST.get("email_enabled") == "on"
    services.notification_settings_update(user=_user(request), email_enabled=enabled)
    messages.success(request, f"Email notifications are {'on' if enabled else 'off'}.")
    return redirect("mentoring:home")


@login_required
@not_found_as_404
def mentee(request: HttpRequest, user_id: int) -> HttpResponse:
    """A mentee at a glance; the first open enrollment is shown, others are linked."""
    learner = selectors.mentee_get(mentor=_user(request), learner_id=user_id)
    enrollments = list(progress_selectors.enrollment_list(user=learner).exclude(status="archived"))
    if not enrollments:
        return render(request, "mentoring/mentee_empty.html", {"learner": learner})
    chosen = request.GET.get("enrollment", "")
    enrollment = next((e for e in enrollments if str(e.pk) == chosen), enrollments[0])
    return render(
        request,
        "mentoring/mentee.html",
        {
            "learner": learner,
            "enrollment": enrollment,
            "enrollments": enrollments,
            "o": selectors.mentee_overview(enrollment=enrollment),
        },
    )


@login_required
def sharing(request: HttpRequest) -> HttpResponse:
    """Choose which journal entries and item notes your mentors may read (all private by default)."""
    user = _user(request)
    if request.method == "POST":
        try:
            if request.POST.get("entry"):
                services.journal_entry_share(
                    user=user,
                    entry_id=int(request.POST["entry"]),
                    shared=request.POST.get("shared") == "1",
                )
            else:
                services.item_notes_share(
                    user=user,
                    enrollment_id=int(request.POST.get("enrollment", "0")),
                    item_key=request.POST.get("item_key", ""),
                    shared=request.POST.get("shared") == "1",
                )
        except (NotFound, ValueError) as exc:
            raise Http404(str(exc)) from exc
        return redirect("mentoring:sharing")
    return render(request, "mentoring/sharing.html", selectors.sharing_for(user=user))


# --- reviews ---------------------------------------------------------------------------


def _own(request: HttpRequest, enrollment_id: int) -> Enrollment:
    return progress_selectors.enrollment_get(user=_user(request), enrollment_id=enrollment_id)


@login_required
@not_found_as_404
def checkpoints(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """The enrollment's checkpoints with the state of each one's review."""
    enrollment = _own(request, enrollment_id)
    document = progress_selectors.document_of(enrollment)
    reviews = {r.checkpoint_slug: r for r in selectors.reviews_of_enrollment(enrollment=enrollment)}
    rows = [
        {"checkpoint": c, "review": reviews.get(c.slug)}
        for c in sorted(document.checkpoints, key=lambda c: c.month)
    ]
    return render(request, "mentoring/checkpoints.html", {"enrollment": enrollment, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
@not_found_as_404
def review_form(request: HttpRequest, enrollment_id: int, checkpoint_slug: str) -> HttpResponse:
    """The learner's self-assessment of one checkpoint; submitting freezes the snapshot."""
    enrollment = _own(request, enrollment_id)
    context = selectors.checkpoint_review_form(
        enrollment=enrollment, checkpoint_slug=checkpoint_slug
    )
    context["enrollment"] = enrollment
    if request.method == "POST":
        criteria = []
        for c in context["checkpoint"].criteria:
            raw = request.POST.get(f"rating-{c.slug}", "")
            criteria.append(
                {
                    "slug": c.slug,
                    "rating": int(raw) if raw.isdigit() else None,
                    "note": request.POST.get(f"note-{c.slug}", ""),
                }
            )
        evidence: list[dict[str, Any]] = [
            {"evidence_id": int(i)} for i in request.POST.getlist("evidence") if i.isdigit()
        ]
        if request.POST.get("new_title") or request.POST.get("new_url"):
            evidence.append(
                {"title": request.POST.get("new_title", ""), "url": request.POST.get("new_url", "")}
            )
        try:
            review = services.review_submit(
                enrollment=enrollment,
                actor=_user(request),
                checkpoint_slug=checkpoint_slug,
                criteria=criteria,
                evidence=evidence,
            )
        except NotFound:
            raise
        except ApplicationError as exc:
            # Keep what the learner chose, so a refused submission loses nothing.
            for row in context["criteria"]:
                row["posted_rating"] = request.POST.get(f"rating-{row['slug']}", "")
                row["posted_note"] = request.POST.get(f"note-{row['slug']}", "")
            context.update(
                {
                    "error": exc,
                    "picked": set(request.POST.getlist("evidence")),
                    "new_title": request.POST.get("new_title", ""),
                    "new_url": request.POST.get("new_url", ""),
                }
            )
            response = render(request, "mentoring/review_form.html", context)
            response.status_code = exc.status if exc.status != 400 else 422
            return response
        messages.success(request, "Submitted. Your mentors can claim the review now.")
        return redirect("mentoring:review", review.pk)
    return render(request, "mentoring/review_form.html", context)


@login_required
@not_found_as_404
def review(request: HttpRequest, review_id: int) -> HttpResponse:
    access = selectors.review_get_for_user(user=_user(request), review_id=review_id)
    detail = selectors.review_detail(access=access)
    return render(request, "mentoring/review.html", {"d": detail, "review": detail.review})


def _review_action(
    request: HttpRequest, review_id: int, action: Callable[[], Any], done: str
) -> HttpResponse:
    # Access first: someone with no standing gets the 404 page, not a message.
    selectors.review_get_for_user(user=_user(request), review_id=review_id)
    try:
        action()
    except NotFound:
        raise
    except ApplicationError as exc:
        access = selectors.review_get_for_user(user=_user(request), review_id=review_id)
        detail = selectors.review_detail(access=access)
        response = render(
            request, "mentoring/review.html", {"d": detail, "review": detail.review, "error": exc}
        )
        response.status_code = exc.status if exc.status != 400 else 422
        return response
    messages.success(request, done)
    return redirect("mentoring:review", review_id)


@login_required
@require_POST
@not_found_as_404
def review_claim(request: HttpRequest, review_id: int) -> HttpResponse:
    return _review_action(
        request,
        review_id,
        lambda: services.review_claim(review_id=review_id, mentor=_user(request)),
        f"Claimed for {int(services.CLAIM_DURATION.total_seconds() // 3600)} hours.",
    )


@login_required
@require_POST
@not_found_as_404
def review_comment(request: HttpRequest, review_id: int) -> HttpResponse:
    return _review_action(
        request,
        review_id,
        lambda: services.review_comment(
            review_id=review_id, author=_user(request), body=request.POST.get("body", "")
        ),
        "Comment added.",
    )


@login_required
@require_POST
@not_found_as_404
def review_decision(request: HttpRequest, review_id: int) -> HttpResponse:
    access = selectors.review_get_for_user(user=_user(request), review_id=review_id)
    document = progress_selectors.document_of(access.review.enrollment)
    checkpoint = document.checkpoint_map.get(access.review.checkpoint_slug)
    criteria: list[dict[str, Any]] = []
    for c in checkpoint.criteria if checkpoint else ():
        raw = request.POST.get(f"rating-{c.slug}", "")
        if raw == "na":
            criteria.append({"slug": c.slug, "rating": None})
        elif raw.isdigit():
            criteria.append({"slug": c.slug, "rating": int(raw)})
    decision = request.POST.get("decision", "")
    return _review_action(
        request,
        review_id,
        lambda: services.review_decide(
            review_id=review_id,
            mentor=_user(request),
            decision=decision,
            criteria=criteria,
            base_url=base_url(request),
        ),
        "Approved: the credential is issued." if decision == "approved" else "Changes requested.",
    )


@login_required
@require_POST
@not_found_as_404
def review_revoke(request: HttpRequest, review_id: int) -> HttpResponse:
    return _review_action(
        request,
        review_id,
        lambda: services.credential_revoke(
            review_id=review_id, actor=_user(request), reason=request.POST.get("reason", "")
        ),
        "The credential is revoked.",
    )


@login_required
@not_found_as_404
def credential_json(request: HttpRequest, review_id: int) -> HttpResponse:
    """Download the signed credential as a JSON file."""
    detail = selectors.review_detail(
        access=selectors.review_get_for_user(user=_user(request), review_id=review_id)
    )
    if detail.credential is None:
        raise Http404("this review has no credential")
    body = credentials.credential_download(detail.credential.document, detail.credential.jws)
    response = JsonResponse(body, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = (
        f'attachment; filename="levelup-credential-{detail.credential.pk}.json"'
    )
    return response


# --- public verification ---------------------------------------------------------------


def credential_page(request: HttpRequest, credential_id: str) -> HttpResponse:
    """Public: is this credential genuine and not revoked?"""
    result = selectors.credential_verify_by_id(credential_id=credential_id)
    if result.credential_id is None:
        raise Http404("no such credential")
    stored = selectors.credential_get(credential_id=credential_id)
    return render(request, "mentoring/credential.html", {"result": result, "credential": stored})


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Public: paste a credential (JSON or its JWS) and see whether it verifies."""
    result = None
    pasted = request.POST.get("credential", "") if request.method == "POST" else ""
    error = ""
    if request.method == "POST":
        text = pasted.strip()
        try:
            presented: Any = json.loads(text) if text.startswith("{") else text
        except ValueError:
            presented = None
            error = "credential: this is neither JSON nor a compact JWS"
        if not text:
            error = "credential: paste the downloaded JSON or its JWS"
        if not error:
            result = selectors.credential_verify(presented)
    response = render(
        request, "mentoring/verify.html", {"result": result, "pasted": pasted, "error": error}
    )
    if error:
        response.status_code = 422
    return response


# --- inbox and teams -------------------------------------------------------------------


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return render(
        request, "mentoring/inbox.html", {"items": selectors.inbox_for(user=_user(request))}
    )


@login_required
@require_http_methods(["GET", "POST"])
def teams(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    error = None
    if request.method == "POST":
        try:
            team = services.team_create(lead=user, name=request.POST.get("name", ""))
        except ApplicationError as exc:
            error = exc
        else:
            return redirect("mentoring:team", team.pk)
    roles = dict(user.team_memberships.values_list("team_id", "role"))
    response = render(
        request,
        "mentoring/teams.html",
        {
            "teams": [(t, roles.get(t.pk, "")) for t in selectors.team_list(user=user)],
            "error": error,
        },
    )
    if error:
        response.status_code = 422
    return response


@login_required
@not_found_as_404
def team(request: HttpRequest, team_id: int) -> HttpResponse:
    access = selectors.team_get_for_user(user=_user(request), team_id=team_id)
    context = selectors.team_page(access=access)
    context["roadmaps"] = list(roadmap_list())
    context["mentor_ids"] = set(
        selectors.mentors_of(learner=_user(request)).values_list("mentor_id", flat=True)
    )
    return render(request, "mentoring/team.html", context)


def _team_action(
    request: HttpRequest, team_id: int, action: Callable[[], Any], done: str
) -> HttpResponse:
    selectors.team_get_for_user(user=_user(request), team_id=team_id)
    try:
        action()
    except NotFound:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("mentoring:team", team_id)
    messages.success(request, done)
    return redirect("mentoring:team", team_id)


@login_required
@require_POST
@not_found_as_404
def team_member_add(request: HttpRequest, team_id: int) -> HttpResponse:
    return _team_action(
        request,
        team_id,
        lambda: services.team_member_add(
            team_id=team_id,
            lead=_user(request),
            username=request.POST.get("username", ""),
            role=request.POST.get("role", "member"),
        ),
        "Added to the team.",
    )


@login_required
@require_POST
@not_found_as_404
def team_assign(request: HttpRequest, team_id: int) -> HttpResponse:
    return _team_action(
        request,
        team_id,
        lambda: services.team_roadmap_assign(
            team_id=team_id,
            lead=_user(request),
            roadmap_slug=request.POST.get("roadmap", ""),
            usernames=request.POST.getlist("members"),
        ),
        "Roadmap assigned.",
    )


@login_required
@require_POST
@not_found_as_404
def team_lead_mentor(request: HttpRequest, team_id: int) -> HttpResponse:
    return _team_action(
        request,
        team_id,
        lambda: services.team_lead_mentor_consent(
            team_id=team_id, member=_user(request), lead_username=request.POST.get("lead", "")
        ),
        "Your lead is now your mentor.",
    )
