"""Template helpers shared by every levelup page: `{% load levelup_tags %}`.

- `{{ text|markdown }}`: Markdown to HTML, sanitised with nh3 (safe tags only,
  links limited to http, https and mailto).
- `{{ 7.5|hours }}` → "7.5 h"; `{% hours_range 6 8 %}` → "6–8 h".
- `{{ when|day }}` → "Sun 29 Nov 2026"; `{{ monday|week_of }}` → "Week of 23 Nov 2026".
- `{{ mapping|get_item:key }}`: dictionary lookup with a variable key.
- `{{ request.path|startswith:"/journal/" }}`: for `aria-current` in navigation.
- `{% builtin_roadmap_url %}`: the path of the built-in roadmap's page.
- `{% month_axis phases duration today_month=… progress=… %}`: the phase
  timeline SVG with its text table (see `levelup.roadmaps.timeline`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import markdown as markdown_lib
import nh3
from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from levelup.lib.dates import date_display, week_title
from levelup.roadmaps.timeline import PhaseLike, month_axis_svg

register = template.Library()

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "kbd", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str | None) -> SafeString:
    """Markdown to sanitised HTML; raw HTML in the source survives only if allow-listed."""
    if not text:
        return mark_safe("")
    html = markdown_lib.markdown(str(text), extensions=["fenced_code", "tables", "sane_lists"])
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    # nh3 removed everything outside the allow-list, so the result is safe to mark.
    return mark_safe(cleaned)  # noqa: S308


@register.filter(name="day")
def day_filter(value: Any) -> str:
    """`{{ value|day }}` → "Sun 29 Nov 2026": the one way pages write a date."""
    return date_display(value)


@register.filter(name="week_of")
def week_of_filter(value: Any) -> str:
    """`{{ week_start|week_of }}` → "Week of 23 Nov 2026"."""
    return week_title(value) if value else ""


@register.filter(name="markdown")
def markdown_filter(text: str | None) -> SafeString:
    return render_markdown(text)


def format_number(value: float | Decimal | int) -> str:
    """7.50 → "7.5", 8.0 → "8", 0.25 → "0.25"."""
    text = f"{Decimal(str(value)).quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def hours(value: float | Decimal | int | str | None) -> str:
    """An amount of hours: 7.5 → "7.5 h". Empty for None or a non-number."""
    if value is None or value == "":
        return ""
    try:
        return f"{format_number(Decimal(str(value)))} h"
    except ArithmeticError:
        return ""


@register.simple_tag
def hours_range(low: float | Decimal | int, high: float | Decimal | int) -> str:
    """A target range: (6, 8) → "6–8 h"; (2, 2) → "2 h"."""
    if Decimal(str(low)) == Decimal(str(high)):
        return hours(low)
    return f"{format_number(low)}–{format_number(high)} h"


@register.filter
def get_item(mapping: Mapping[str, Any] | None, key: str) -> Any:
    """`{{ states|get_item:item_key }}`; None when the mapping or key is missing."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def startswith(value: str | None, prefix: str) -> bool:
    return bool(value) and str(value).startswith(prefix)


@register.simple_tag
def builtin_roadmap_url() -> str:
    from levelup.roadmaps.services import BUILTIN_SLUG

    return reverse("roadmaps:detail", args=[BUILTIN_SLUG])


@register.inclusion_tag("roadmaps/_timeline.html")
def month_axis(
    phases: Sequence[PhaseLike],
    duration_months: int,
    today_month: float | None = None,
    progress: Mapping[str, float] | None = None,
    title: str = "Phases on a month axis",
    element_id: str = "timeline",
    caption: str = "The phases as a table",
) -> dict[str, Any]:
    """The phase timeline with its text table; usable from any page.

    Missing template variables arrive as "", so both optional inputs treat
    anything that is not a number or a mapping as absent.
    """
    today = float(today_month) if isinstance(today_month, int | float | Decimal) else None
    timeline = month_axis_svg(
        phases,
        int(duration_months),
        today_month=today,
        progress=progress if isinstance(progress, Mapping) else None,
        title=title,
        element_id=element_id,
    )
    return {
        "timeline": timeline,
        "title": title,
        "caption": caption,
        "has_progress": any(row.percent is not None for row in timeline.rows),
    }
