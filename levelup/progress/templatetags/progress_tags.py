"""Template tags of the progress app: the learner's controls on the roadmap pages.

The roadmap app's pages know nothing of learners; a template loads these tags and
`{% learner_controls roadmap %}` puts the signed-in learner's states in the context for
`roadmaps/_item_controls.html`. So the roadmap pages get the controls without a Python
import of progress (the import stack in docs/architecture.md).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from levelup.progress.figures import status_word
from levelup.progress.selectors import learner_states_for

register = template.Library()


@register.simple_tag(takes_context=True)
def learner_controls(context: template.Context, roadmap: Any) -> str:
    """Put the learner's enrollment and item states in the context; renders nothing.

    Sets nothing for anonymous or not-enrolled visitors, so the controls stay hidden. Two
    queries when signed in: the open enrollment and its item states.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    found = learner_states_for(user=user, roadmap=roadmap)
    if found is None:
        return ""
    enrollment = found["enrollment"]
    context["learner_enrollment"] = enrollment
    context["learner_states"] = {key: s["state"] for key, s in found["states"].items()}
    context["learner_items"] = found["states"]
    context["learner_status_action"] = reverse("progress:item_status", args=[enrollment.pk])
    return ""


@register.filter
def status_label(status: str | None) -> str:
    """A learner state in the product's words: "in_progress" → "In progress", "known" → "Known"."""
    return status_word(status)
