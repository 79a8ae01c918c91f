"""QR codes to the live handbook, as inline SVG (no image files, nothing fetched)."""

from __future__ import annotations

import segno

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import Html, h
from preparedness_handbook.macros.site.pages import doc_path, page_url


def live_url(ctx: BuildContext, key: str) -> str | None:
    """The hosted page of a page key, or None when the organization has no site URL."""
    base = ctx.hb.organization.site_url
    if not base:
        return None
    return str(base).rstrip("/") + "/" + page_url(doc_path(key), directory_urls=True)


def qr_svg(url: str, label: str = "") -> Html:
    """A QR code as an SVG element sized by its container (viewBox, no width/height)."""
    # Error level M survives a crease or a coffee ring on a printed page.
    svg = segno.make(url, error="m", micro=False).svg_inline(scale=1, border=2, omitsize=True, dark="#000", light="#fff")
    # segno's markup holds no text from the data (the URL is only encoded as modules); the title
    # goes in after its opening <svg …> tag.
    opening, rest = svg.split(">", 1)
    opening = opening.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" role="img" ', 1)
    return Html(opening + ">") + h("<title>{}</title>", label or url) + Html(rest)
