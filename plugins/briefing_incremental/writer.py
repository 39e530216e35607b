"""A Pelican Writer that paginates from the oldest briefing and leaves alone the pages whose inputs did not change.

Pelican renders and writes every page of every build. This writer, for each page it is asked to write, computes
the page's fingerprint (fingerprints.py) and, when the store (store.py) holds that page from a build with the
same fingerprint, puts the old file back instead of rendering it. Paginated listings are cut with
briefings.listing_pages (anchored at the oldest briefing), so a new briefing changes only the first page of each
listing it is on.
"""

from __future__ import annotations

import posixpath
from typing import Any

from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from briefings.listing_pages import listing_pages
from briefings.site_build import STORE_KEY

from .fingerprints import page_fingerprint
from .store import OutputStore


class IncrementalWriter(Writer):  # type: ignore[misc]  # Pelican is untyped
    """Writer.write_file with anchored pagination and reuse of unchanged pages; feeds are Pelican's (unused)."""

    def __init__(self, output_path: str, settings: dict[str, Any] | None = None) -> None:
        super().__init__(output_path, settings=settings)
        # Set by the plugin when the build starts; None (DELETE_OUTPUT_DIRECTORY off) renders every page.
        self.store: OutputStore | None = (settings or {}).get(STORE_KEY)

    def write_file(self, name: Any, template: Any, context: dict[str, Any], relative_urls: bool = False,
                   paginated: dict[str, list[Any]] | None = None, template_name: str | None = None,
                   override_output: bool = False, url: str | None = None, **kwargs: Any) -> None:
        if not name:
            return
        if paginated is None:  # as Pelican does: a listing's briefings are passed as `articles` and `dates`
            paginated = {key: value for key, value in kwargs.items() if key in ("articles", "dates")}
        per_page = self._per_page(template_name)
        if not paginated or not per_page:
            self._write_page(name, template, context, relative_urls, template_name, override_output, url, kwargs)
            return
        pages = {key: listing_pages(items, name, url or name, per_page) for key, items in paginated.items()}
        for number in range(len(next(iter(pages.values())))):
            page_kwargs = dict(kwargs)
            for key, key_pages in pages.items():
                page_kwargs[f"{key}_page"] = key_pages[number]
            first = next(iter(pages.values()))[number]
            self._write_page(first.save_as, template, context, relative_urls, template_name, override_output,
                             first.url, page_kwargs)

    def _per_page(self, template_name: str | None) -> int | None:
        templates = self.settings.get("PAGINATED_TEMPLATES", {})
        if template_name not in templates:
            return None
        return int(templates[template_name] or self.settings.get("DEFAULT_PAGINATION") or 0) or None

    def _write_page(self, name: str, template: Any, context: dict[str, Any], relative_urls: bool,
                    template_name: str | None, override_output: bool, url: str | None,
                    page: dict[str, Any]) -> None:
        """Render and write one page, or put the previous build's copy back when its inputs are unchanged."""
        store = self.store
        rule = posixpath.splitext(posixpath.basename(template.name))[0]
        fingerprint = page_fingerprint(store.code, name, rule, page, context) if store else None
        if store and fingerprint:
            self._check_claim(name, override_output)   # before the old page is back: a stopped build leaves none
            if store.reuse(name, fingerprint):
                self._claim(name, override_output)
                return
        super().write_file(name, template, context, relative_urls=relative_urls, paginated={},
                           template_name=template_name, override_output=override_output, url=url, **page)

    def _check_claim(self, name: str, override: bool) -> None:
        """Pelican's own check (Writer._open_w) that two pages never share a file, for a page put back instead of
        written: two briefings with one slug stop the build whichever of them is rendered and which put back.
        Stricter in one case: where Pelican would skip a page over a file an overriding page wrote (a listing
        named like a briefing's page), the build stops, as that file is the one to be put back."""
        path = sanitised_join(self.output_path, name)
        if path in self._overridden_files or (path in self._written_files and not override):
            raise FileOverwriteFailedError(f'Failed to overwrite "{path}" as Pelican has already written to it '
                                           "previously")

    def _claim(self, name: str, override: bool) -> None:
        """Record a page put back, as Pelican's writer records the files it writes."""
        path = sanitised_join(self.output_path, name)
        if override:
            self._overridden_files.add(path)
        self._written_files.add(path)
