"""`{% load form_tokens %}{% form_token %}`: the hidden one-time token of a create form."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from levelup.accounts.formtokens import FIELD, form_token_new

register = template.Library()


@register.simple_tag
def form_token() -> SafeString:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, form_token_new())
