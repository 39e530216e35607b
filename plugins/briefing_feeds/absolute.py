"""HTML fragment -> the same fragment with every link absolute. No Pelican imports."""

from __future__ import annotations

import html

import lxml.html


def absolute_links(fragment: str, base_url: str) -> str:
    """The fragment with href/src resolved against base_url (feed readers have no page to resolve from)."""
    if not fragment.strip():
        return fragment
    wrapper = lxml.html.fragment_fromstring(fragment, create_parent="div")
    wrapper.make_links_absolute(base_url, resolve_base_href=False)
    children = "".join(lxml.html.tostring(child, encoding="unicode") for child in wrapper)
    return html.escape(wrapper.text or "", quote=False) + children
