"""Email notifications through Django's email backend, sent only to users who turned them on."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail

from levelup.accounts.models import User
from levelup.mentoring.models import NotificationSettings

logger = logging.getLogger(__name__)


def notify(*, user: User, subject: str, body: str) -> bool:
    """Mail `user` if they opted in and have an address; a mail failure never fails the action."""
    if not user.email:
        return False
    if not NotificationSettings.objects.filter(user=user, email_enabled=True).exists():
        return False
    try:
        send_mail(
            f"[levelup] {subject}",
            body,
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
            fail_silently=False,
        )
    except Exception:  # the action already happened; a lost mail is logged, not raised
        logger.exception("could not send a notification to user %s", user.pk)
        return False
    return True
