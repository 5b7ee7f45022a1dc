"""Pages of mentoring: mentorships, checkpoint reviews, credentials, teams, inbox."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from levelup.mentoring import views

app_name = "mentoring"
urlpatterns: list[URLPattern | URLResolver] = [
    path("mentoring/", views.home, name="home"),
    path("mentoring/invite/", views.invite, name="invite"),
    path("mentoring/accept/<str:code>/", views.accept, name="accept"),
    path("mentoring/mentorships/<int:mentorship_id>/end/", views.end, name="end"),
    path("mentoring/notifications/", views.notifications, name="notifications"),
    path("mentoring/sharing/", views.sharing, name="sharing"),
    path("mentees/<int:user_id>/", views.mentee, name="mentee"),
    path("enrollments/<int:enrollment_id>/checkpoints/", views.checkpoints, name="checkpoints"),
    path(
        "enrollments/<int:enrollment_id>/checkpoints/<slug:checkpoint_slug>/review/",
        views.review_form,
        name="review_form",
    ),
    path("reviews/<int:review_id>/", views.review, name="review"),
    path("reviews/<int:review_id>/claim/", views.review_claim, name="review_claim"),
    path("reviews/<int:review_id>/comment/", views.review_comment, name="review_comment"),
    path("reviews/<int:review_id>/decision/", views.review_decision, name="review_decision"),
    path("reviews/<int:review_id>/revoke/", views.review_revoke, name="review_revoke"),
    path("reviews/<int:review_id>/credential.json", views.credential_json, name="credential_json"),
    path("credentials/verify/", views.verify, name="verify"),
    path("credentials/<str:credential_id>/", views.credential_page, name="credential"),
    path("inbox/", views.inbox, name="inbox"),
    path("teams/", views.teams, name="teams"),
    path("teams/<int:team_id>/", views.team, name="team"),
    path("teams/<int:team_id>/members/", views.team_member_add, name="team_member_add"),
    path("teams/<int:team_id>/assign/", views.team_assign, name="team_assign"),
    path("teams/<int:team_id>/lead-mentor/", views.team_lead_mentor, name="team_lead_mentor"),
]
