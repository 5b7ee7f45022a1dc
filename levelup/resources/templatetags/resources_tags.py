"""`{% expiring_certifications %}`: the dashboard's note about credentials running out.

A template tag rather than a field of the dashboard's context, because the dashboard view
lives in `levelup.progress`, below this app: templates may compose apps, imports may not
run upwards.
"""

from __future__ import annotations

from typing import Any

from django import template

from levelup.accounts.models import User
from levelup.resources.selectors import EXPIRY_WARNING_DAYS
from levelup.resources.selectors import expiring_certifications as expiring

register = template.Library()


@register.inclusion_tag("resources/_expiring.html", takes_context=True)
def expiring_certifications(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    if not isinstance(user, User):
        return {"rows": []}
    today = user.local_today()
    rows = [
        {"cert": cert, "days": (cert.expires_on - today).days}
        for cert in expiring(user=user, today=today)
        if cert.expires_on is not None
    ]
    return {"rows": rows, "window": EXPIRY_WARNING_DAYS}
