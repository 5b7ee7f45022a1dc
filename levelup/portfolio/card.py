"""The share card: a 1200×630 SVG made on the server from the public portfolio only.

SVG rather than PNG: it is text we write with the standard library (no imaging
dependency), sharp at every size, and renders in browsers and most chat apps. Sites that
insist on a raster `og:image` will show the link without the picture; a PNG would need
an imaging library (Pillow or cairo) that levelup does not otherwise keep.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from levelup.portfolio.selectors import PublicPortfolio

WIDTH, HEIGHT = 1200, 630


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def card_svg(portfolio: PublicPortfolio) -> str:
    """The card: name, roadmap, journey month, percent done and checkpoints passed.

    A figure whose section is off is left out, so the card shows no more than the page.
    """
    name = escape(_clip(portfolio.name, 40))
    roadmap = escape(_clip(portfolio.roadmap_title or "levelup", 36))
    lines: list[str] = []
    if portfolio.journey_month:
        lines.append(f"Month {portfolio.journey_month} of {portfolio.duration_months}")
    if portfolio.month_label:
        lines.append(portfolio.month_label)
    subtitle = escape(" · ".join(lines))
    figures: list[tuple[str, str]] = []
    if portfolio.sections.get("progress") and portfolio.percent is not None:
        figures.append((f"{portfolio.percent:g}%", "done"))
    if portfolio.sections.get("checkpoints") and portfolio.checkpoints_total:
        figures.append(
            (f"{len(portfolio.checkpoints)} of {portfolio.checkpoints_total}", "checkpoints passed")
        )
    bar = ""
    if portfolio.sections.get("progress") and portfolio.percent is not None:
        filled = round(1040 * max(0.0, min(100.0, portfolio.percent)) / 100)
        bar = (
            '<rect x="80" y="520" width="1040" height="24" rx="12" fill="#dbe4f0"/>'
            f'<rect x="80" y="520" width="{filled}" height="24" rx="12" fill="#2f6fdb"/>'
        )
    figure_svg = "".join(
        f'<text x="{80 + i * 420}" y="420" font-size="88" font-weight="700" fill="#10243e">'
        f"{escape(value)}</text>"
        f'<text x="{80 + i * 420}" y="470" font-size="32" fill="#4a5b70">{escape(label)}</text>'
        for i, (value, label) in enumerate(figures)
    )
    title = f"{name}: {roadmap}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{title}">'
        f"<title>{title}</title>"
        '<rect width="100%" height="100%" fill="#f6f8fb"/>'
        '<rect x="0" y="0" width="24" height="630" fill="#2f6fdb"/>'
        '<g font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif">'
        f'<text x="80" y="120" font-size="40" fill="#4a5b70">{name}</text>'
        f'<text x="80" y="200" font-size="52" font-weight="700" fill="#10243e">{roadmap}</text>'
        f'<text x="80" y="260" font-size="34" fill="#4a5b70">{subtitle}</text>'
        f"{figure_svg}{bar}"
        '<text x="1120" y="600" font-size="26" fill="#7b8aa0" text-anchor="end">levelup</text>'
        "</g></svg>"
    )
