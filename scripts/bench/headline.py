"""Dump-headline benchmark and trainer: title accuracy of the text-dump cleaner (briefings.dump_headline) on
the dev dumps.

    python scripts/bench/headline.py [--corpus ../shared/corpus/extraction-dev] [--misses]
    python scripts/bench/headline.py --train      # 5-fold CV by page, then the TOML for headline.toml

Each dump goes through briefings.extract.clean in this process, so the figures are the cleaner's final titles;
training records the lines and selection the cleaner hands dump_headline.pick_headline (unittest.mock.patch)
and cross-validates its weights by page. The reference is the page's og:title / JSON-LD headline
(extraction.reference_metadata, compared with extraction.same_title). Pages often declare an SEO variant
that the dump never prints, so accuracy is given over all pages and over the "fair" pages, whose reference
is printed as a line of the dump; a miss whose words are mostly the reference's is counted as plausible.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extraction import DEFAULT_CORPUS, reference_metadata, same_title  # noqa: E402

from briefings import dump_headline, extract_text  # noqa: E402
from briefings.documents import RawArticle  # noqa: E402
from briefings.dump_lines import Line, load_rules  # noqa: E402
from briefings.extract import clean  # noqa: E402
from briefings.read_raw import read_raw  # noqa: E402
from briefings.html_metadata import strip_site_suffix  # noqa: E402

FOLDS = 5
L2 = 10.0
PLAUSIBLE_SHARE = 0.5     # share of the reference's words a plausible miss holds (and of its own words)
Picker = Callable[[list[Line], list[Line]], str]


@dataclass(frozen=True)
class Page:
    page_id: str
    reference: str
    lines: list[Line]             # the capture's lines, as the cleaner handed them to pick_headline
    selected: list[Line]          # the article lines it chose ([] when the title came with the capture)
    raw: RawArticle

    @property
    def fair(self) -> bool:
        """True when the reference title is printed as a line of the dump."""
        return any(is_reference(line.text, self.reference) for line in self.lines)


def is_reference(text: str, reference: str) -> bool:
    return same_title(text, reference) or same_title(strip_site_suffix(text), reference)


def load_pages(corpus: Path) -> list[Page]:
    """Every dev dump with a reference title, with the lines and selection the cleaner picks a title from."""
    pages = []
    for html in sorted(corpus.glob("*.html")):
        reference, _ = reference_metadata(html.read_text(encoding="utf-8", errors="replace"))
        dump = html.with_suffix(".txt")
        if not reference or not dump.is_file():
            continue
        raw = read_raw(dump)   # as ingest and `briefings extract` read it
        calls: list[tuple[list[Line], list[Line]]] = []

        def record(lines: list[Line], selected: list[Line]) -> str:
            calls.append((lines, selected))
            return ""

        with mock.patch.object(dump_headline, "pick_headline", record):
            clean(raw)
        lines, selected = calls[-1] if calls else (capture_lines(raw), [])
        pages.append(Page(dump.stem, reference, lines, selected, raw))
    return pages


def capture_lines(raw: RawArticle) -> list[Line]:
    capture = extract_text.read_capture(raw.text, load_rules())
    return capture.lines if capture else []


def final_titles(pages: list[Page]) -> list[str]:
    """The cleaner's title for each page."""
    return [clean(page.raw).title for page in pages]


def plausible(title: str, reference: str) -> bool:
    """True for a miss holding most of the reference's words, and mostly those (an SEO variant)."""
    ours, theirs = set(_words(title)), set(_words(strip_site_suffix(reference)))
    shared = len(ours & theirs)
    return bool(ours) and shared >= PLAUSIBLE_SHARE * len(theirs) and shared >= PLAUSIBLE_SHARE * len(ours)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def report(label: str, pages: list[Page], titles: list[str]) -> None:
    hits = [same_title(title, page.reference) for page, title in zip(pages, titles)]
    fair = [hit for page, hit in zip(pages, hits) if page.fair]
    close = sum(plausible(title, page.reference) for page, title, hit in zip(pages, titles, hits) if not hit)
    print(f"{label:<28} all {sum(hits)}/{len(hits)} = {sum(hits) / len(hits):.3f}   fair {sum(fair)}/{len(fair)}"
          f" = {sum(fair) / max(len(fair), 1):.3f}   misses plausibly right {close}")


def print_misses(pages: list[Page], titles: list[str]) -> None:
    for page, title in zip(pages, titles):
        if not same_title(title, page.reference):
            mark = "fair" if page.fair else ("plausible" if plausible(title, page.reference) else "")
            print(f"{page.page_id[:8]} {mark:<9} ours {title!r}\n{'':18} ref  {page.reference!r}")


def microseconds_per_page(pages: list[Page], picker: Picker, repeats: int = 20) -> float:
    """Mean wall time of a picker per page (pick_headline's weights loaded first)."""
    dump_headline.load_model()
    started = time.perf_counter()
    for _ in range(repeats):
        for page in pages:
            picker(page.lines, page.selected)
    return 1e6 * (time.perf_counter() - started) / (repeats * len(pages))


# ---- training: a conditional logit (one softmax over each page's candidates) ----

@dataclass(frozen=True)
class Candidates:
    rows: Any                     # numpy array, one row of HEADLINE_FEATURES per candidate
    positive: Any                 # bool array: the candidate is the reference title


def candidates_of(page: Page) -> Candidates | None:
    """The page's candidate features and labels; None when no candidate is the reference. Where the dump
    never prints the reference, the candidates holding most of its words (plausible()) are the headline."""
    import numpy as np

    indices = dump_headline.headline_candidates(page.lines, page.selected)
    texts = [page.lines[index].text for index in indices]
    positive = np.array([is_reference(text, page.reference) for text in texts], dtype=bool)
    if not positive.any():
        positive = np.array([plausible(strip_site_suffix(text), page.reference) for text in texts], dtype=bool)
    if not positive.any():
        return None
    rows = np.array(dump_headline.headline_features(page.lines, page.selected, indices), dtype=float)
    return Candidates(rows, positive)


def fit(groups: list[Candidates]) -> dump_headline.HeadlineModel:
    """L2-regularised conditional logit: maximise each page's probability mass on its positive candidates."""
    import numpy as np
    from scipy.optimize import minimize  # type: ignore[import-untyped]

    stacked = np.vstack([group.rows for group in groups])
    mean, scale = stacked.mean(axis=0), stacked.std(axis=0) + 1e-9
    scaled = [((group.rows - mean) / scale, group.positive) for group in groups]

    def loss(w: Any) -> tuple[float, Any]:
        value, gradient = 0.5 * L2 * float(w @ w), L2 * w
        for rows, positive in scaled:
            scores = rows @ w
            top = scores.max()
            weights = np.exp(scores - top)
            everything, wanted = weights.sum(), weights[positive].sum()
            value += float(np.log(everything) - np.log(wanted))
            gradient = gradient + rows.T @ (weights / everything) - rows[positive].T @ (weights[positive] / wanted)
        return value, gradient

    w = minimize(loss, np.zeros(stacked.shape[1]), jac=True, method="L-BFGS-B").x
    # Scores only rank candidates within a page, so the standardising shift drops out: weights / scale suffice.
    return dump_headline.HeadlineModel(tuple(float(value) for value in w / scale))


def train(pages: list[Page], misses: bool) -> int:
    """Cross-validate by page, print the figures and the TOML table fitted on all pages."""
    groups = {page.page_id: candidates_of(page) for page in pages}
    usable = [page for page in pages if groups[page.page_id] is not None]
    print(f"training pages (a candidate is the reference): {len(usable)}/{len(pages)}")
    folds = [pages[index::FOLDS] for index in range(FOLDS)]
    titles: dict[str, str] = {}
    for index, held_out in enumerate(folds):
        rest = [groups[page.page_id] for j, fold in enumerate(folds) if j != index for page in fold]
        model = fit([group for group in rest if group is not None])
        with mock.patch.object(dump_headline, "load_model", lambda: model):
            for page, title in zip(held_out, final_titles(held_out)):
                titles[page.page_id] = title
    report(f"{FOLDS}-fold CV by page", pages, [titles[page.page_id] for page in pages])
    if misses:
        print_misses(pages, [titles[page.page_id] for page in pages])
    model = fit([group for group in groups.values() if group is not None])
    print(model_toml(model))
    return 0


def model_toml(model: dump_headline.HeadlineModel) -> str:
    weights = "\n".join(f"{name} = {value:.4g}" for name, value in sorted(zip(dump_headline.HEADLINE_FEATURES,
                                                                                model.weights)))
    return f"[headline.weights]\n{weights}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--train", action="store_true", help="fit headline.toml's weights (5-fold CV by page)")
    parser.add_argument("--misses", action="store_true", help="list the pages whose title is wrong")
    arguments = parser.parse_args(argv)
    pages = load_pages(arguments.corpus)
    if not pages:
        print(f"bench: no dumps with a reference title in {arguments.corpus}", file=sys.stderr)
        return 2
    if arguments.train:
        return train(pages, arguments.misses)
    titles = final_titles(pages)
    report("dump_headline.pick_headline", pages, titles)
    print(f"µs/page: pick_headline {microseconds_per_page(pages, dump_headline.pick_headline):.0f}")
    if arguments.misses:
        print_misses(pages, titles)
    return 0


if __name__ == "__main__":
    sys.exit(main())
