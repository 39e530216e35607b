"""Page URLs -> sitemap.xml (sitemaps.org 0.9). No Pelican imports.

Written as text, one line per element, the layout ElementTree's `indent` gives: building an element tree for
every page of a large archive took longer than the rest of the sitemap's work. Only text nodes vary, and
xml.sax.saxutils.escape escapes them as ElementTree does (&, <, >).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


@dataclass(frozen=True, slots=True)
class SitemapUrl:
    loc: str                          # absolute
    lastmod: datetime | None = None   # briefings only: listing pages change with every new briefing


def render_sitemap(urls: Iterable[SitemapUrl]) -> str:
    """The sitemap document, URLs in the order given."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{NAMESPACE}">']
    for url in urls:
        lines += ["  <url>", f"    <loc>{escape(url.loc)}</loc>"]
        if url.lastmod is not None:
            lines.append(f"    <lastmod>{url.lastmod.isoformat(timespec='seconds')}</lastmod>")
        lines.append("  </url>")
    if len(lines) == 2:
        return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NAMESPACE}" />\n'
    lines.append("</urlset>\n")
    return "\n".join(lines)
