"""Learner Markdown to safe HTML.

Notes and write-ups are the learner's own text but are shown back in pages (and, later, to
mentors), so the HTML that Markdown produces is passed through nh3's allow-list: no
scripts, no event handlers, no `javascript:` links, and every link gets `rel="noopener"`.
"""

from __future__ import annotations

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}


def markdown_to_html(text: str) -> SafeString:
    """Render Markdown and keep only harmless HTML (safe to put in a template as is)."""
    if not text:
        return mark_safe("")
    raw = markdown_lib.markdown(text, extensions=["fenced_code", "tables", "sane_lists"])
    clean = nh3.clean(
        raw,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitized by nh3 just above
