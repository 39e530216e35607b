"""What the site plugins share about incremental builds. No Pelican imports.

plugins/briefing_incremental puts the build's output store in Pelican's settings (so also in the template
context) under STORE_KEY; the search, related and bundle plugins look it up there and work incrementally when it
is there. article_key() is what stands for a briefing's content without reading its file.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

STORE_KEY = "briefing_output_store"

# Per briefing object, for one build (forget_article_keys() starts the next): id -> (the briefing, its key). The
# briefing is held so that its id is not reused. Never stored on the article, which Pelican's content cache
# pickles. A plain dict: a WeakKeyDictionary lookup cost more than the rest of an unchanged page's check.
_KEYS: dict[int, tuple[Any, str]] = {}


def article_key(article: Any) -> str:
    """A briefing's file path, size and modification time (one stat per build). Our reader makes a briefing's
    metadata and body from its file alone (and the file's time, for a hand-edited briefing), so while the key,
    the code and the settings are unchanged, so is everything a page or a search entry shows of it."""
    known = _KEYS.get(id(article))
    if known is not None:
        return known[1]
    stat = os.stat(article.source_path)
    key = f"{article.source_path}:{stat.st_size}:{stat.st_mtime_ns}"
    _KEYS[id(article)] = (article, key)
    return key


def forget_article_keys() -> None:
    """Start a build: files may have changed since the last one in this process."""
    _KEYS.clear()


def digest(*parts: object) -> str:
    """A short stable hash of the parts' text forms: what a fingerprint of a page's or a feed's inputs is made of."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(str(part).encode("utf-8", "surrogatepass"))
        hasher.update(b"\x00")
    return hasher.hexdigest()
