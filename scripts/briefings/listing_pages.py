"""Listing pages anchored at the oldest briefing, so that adding a new briefing rewrites one page, not all.

Pelican numbers listing pages from the newest briefing: page 2 holds briefings 51 to 100 counted from the newest,
so one new briefing moves every briefing one place and changes every page of every listing it is on. Here the
briefings are cut into *chunks* of `per_page` counted from the oldest, and chunk c (1 = oldest) is written to
`<name>.page-<c>.html`, whose content never changes while only newer briefings arrive. The listing's main page
(`<name>.html`) shows the newest chunk, with the chunk before it while the newest is not full, so it holds
between `per_page` and `2 * per_page - 1` briefings (all of them when there are fewer). A page never shows a
number that depends on how many briefings exist, except the main page, which is rewritten anyway.

A chunk name holds a dot, which slugs never do, so `entities/f.page-16.html` cannot collide with the entity page
of a slug like "f-16". No Pelican imports.
"""

from __future__ import annotations

import math
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ListingPage(Generic[T]):
    """One page of a listing; `object_list` is newest first. URLs are relative to the site root."""

    object_list: Sequence[T]
    save_as: str
    url: str
    is_main: bool
    chunk: int                   # 1 = the oldest chunk; the main page carries the number of its oldest chunk
    newer_url: str | None        # the page of the next newer briefings
    older_url: str | None
    newest_url: str | None       # the main page, when it is not already `newer_url`
    oldest_url: str | None       # chunk 1, when it is not already `older_url`


def chunk_name(name: str, chunk: int) -> str:
    """The file of one chunk of the listing saved as `name`: topics/x.html -> topics/x.page-3.html."""
    stem, extension = posixpath.splitext(name)
    return f"{stem}.page-{chunk}{extension}"


def main_page_chunk(count: int, per_page: int) -> int:
    """The oldest chunk shown on the main page: the newest chunk, or the one before it while the newest is not
    full (so the main page never shows a lone briefing)."""
    chunks = max(1, math.ceil(count / per_page))
    newest_is_full = count % per_page == 0
    return chunks if newest_is_full or chunks == 1 else chunks - 1


def listing_pages(items: Sequence[T], name: str, url: str, per_page: int) -> list[ListingPage[T]]:
    """The pages of a listing of items (newest first) saved as `name` at `url`: the main page first, then the
    chunk pages from the newest to the oldest. A listing with no items still has its (empty) main page."""
    count = len(items)
    first_main = main_page_chunk(count, per_page)

    def chunk_url(chunk: int) -> str:
        return url if chunk >= first_main else chunk_name(url, chunk)

    def items_of(chunk: int) -> Sequence[T]:
        """Chunk `chunk` (counted from the oldest) as a newest-first slice of items."""
        return items[max(0, count - chunk * per_page): count - (chunk - 1) * per_page]

    older = first_main - 1
    pages = [ListingPage(object_list=items[: count - older * per_page], save_as=name, url=url, is_main=True,
                         chunk=first_main, newer_url=None, older_url=chunk_url(older) if older else None,
                         newest_url=None, oldest_url=chunk_url(1) if older > 1 else None)]
    for chunk in range(older, 0, -1):
        newer = chunk_url(chunk + 1)
        pages.append(ListingPage(
            object_list=items_of(chunk), save_as=chunk_name(name, chunk), url=chunk_url(chunk),
            is_main=False, chunk=chunk, newer_url=newer, older_url=chunk_url(chunk - 1) if chunk > 1 else None,
            newest_url=url if newer != url else None, oldest_url=chunk_url(1) if chunk > 2 else None))
    return pages


def listing_files(name: str, count: int, per_page: int | None) -> list[str]:
    """The files of a listing of `count` briefings saved as `name` (one file when per_page is None)."""
    if not per_page:
        return [name]
    return [name] + [chunk_name(name, chunk) for chunk in range(main_page_chunk(count, per_page) - 1, 0, -1)]
