"""The portfolio as a static site: a zip of `index.html`, `style.css` and `card.svg`.

The page is rendered from the same public data and body template as `/u/<username>/`,
with relative links, so the folder can be put on any static host as it is.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from levelup.portfolio.card import card_svg
from levelup.portfolio.selectors import PublicPortfolio

# A fixed timestamp makes the same portfolio give the same zip, byte for byte.
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def _stylesheet() -> str:
    found = finders.find("levelup/app.css")
    path = Path(found) if isinstance(found, str) else settings.BASE_DIR / "static/levelup/app.css"
    return path.read_text(encoding="utf-8")


def portfolio_zip(portfolio: PublicPortfolio) -> bytes:
    """The zip's bytes."""
    html = render_to_string(
        "portfolio/static_page.html",
        {"p": portfolio, "card_url": "card.svg", "static_export": True},
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in (
            ("index.html", html),
            ("style.css", _stylesheet()),
            ("card.svg", card_svg(portfolio)),
        ):
            info = zipfile.ZipInfo(f"{portfolio.username}-portfolio/{name}", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()
