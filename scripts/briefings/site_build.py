"""What the site plugins share about incremental builds. No Pelican imports.

plugins/briefing_incremental puts the build's output store in Pelican's settings (so also in the template
context) under STORE_KEY; the search, related and bundle plugins look it up there and work incrementally when it
is there. article_key() is what stands for a briefing's content without reading its file.
"""

from __future__ import annotations

import os
import weakref
from typing import Any

STORE_KEY = "briefing_output_store"

# Per briefing object, for one build; never stored on the article, which Pelican's content cache pickles.
_KEYS: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


def article_key(article: Any) -> str:
    """A briefing's file path, size and modification time (one stat per build). Our reader makes a briefing's
    metadata and body from its file alone (and the file's time, for a hand-edited briefing), so while the key,
    the code and the settings are unchanged, so is everything a page or a search entry shows of it."""
    key = _KEYS.get(article)
    if key is None:
        stat = os.stat(article.source_path)
        key = _KEYS[article] = f"{article.source_path}:{stat.st_size}:{stat.st_mtime_ns}"
    return key
