"""The ingest reference: trafilatura.extract over captures in one process, nothing else.

Saved HTML captures are passed as they are; plain-text captures are wrapped one <p> per line (see
synthetic.as_html), so trafilatura gets the same text our ingest reads.

    python scripts/bench/trafilatura_alone.py FOLDER     # prints "<captures> <seconds>"
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import as_html  # noqa: E402


def extract_all(folder: Path) -> int:
    """Extract every capture of the folder; returns how many gave text."""
    extracted = 0
    for path in sorted(folder.iterdir()):
        if trafilatura.extract(as_html(path.name, path.read_text(encoding="utf-8"))):
            extracted += 1
    return extracted


def main() -> int:
    folder = Path(sys.argv[1])
    start = time.perf_counter()
    extracted = extract_all(folder)
    print(extracted, f"{time.perf_counter() - start:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
