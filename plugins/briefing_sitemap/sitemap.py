"""Page URLs -> sitemap.xml (sitemaps.org 0.9), written with ElementTree. No Pelican imports."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


@dataclass(frozen=True, slots=True)
class SitemapUrl:
    loc: str                          # absolute
    lastmod: datetime | None = None   # briefings only: listing pages change with every new briefing


def render_sitemap(urls: Iterable[SitemapUrl]) -> str:
    """The sitemap document, URLs in the order given."""
    root = ET.Element("urlset", xmlns=NAMESPACE)
    for url in urls:
        element = ET.SubElement(root, "url")
        ET.SubElement(element, "loc").text = url.loc
        if url.lastmod is not None:
            ET.SubElement(element, "lastmod").text = url.lastmod.isoformat(timespec="seconds")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
