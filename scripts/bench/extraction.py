"""Extraction benchmark: our cleaner beside trafilatura, on saved pages and on their text dumps.

    python scripts/bench/extraction.py [--corpus ../shared/corpus/extraction-dev] [--keep DIR]

One run over the corpus: `briefings extract --format text` (the command users run) on the .html pages and on
the .txt dumps, trafilatura.extract on the same pages (the dumps wrapped as HTML), each in its own process
so ms/page is whole-process wall time on both sides. Scores come from the benchmark's own score.py; title and
date accuracy compare `briefings extract --format json` with the page's og:title / JSON-LD.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "extraction-dev"
DEFAULT_SCORER = ROOT.parent / "shared" / "bench" / "extraction" / "score.py"
BRIEFINGS = Path(sys.executable).with_name("briefings")


@dataclass(frozen=True)
class Run:
    name: str
    out_dir: Path
    seconds: float
    pages: int

    @property
    def ms_per_page(self) -> float:
        return 1000 * self.seconds / max(self.pages, 1)

    def ms_without(self, startup: float) -> float:
        """ms/page once the process's fixed start-up time is taken off."""
        return 1000 * max(self.seconds - startup, 0.0) / max(self.pages, 1)


def startup_seconds(command: list[str]) -> float:
    """The best of three wall times of a command that only starts up (imports)."""
    times = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--scorer", type=Path, default=DEFAULT_SCORER)
    parser.add_argument("--keep", type=Path, help="write predictions here instead of a temporary folder")
    parser.add_argument("--train-line-model", action="store_true",
                        help="fit the text-dump line models on the corpus (5-fold CV by page), print TOML")
    parser.add_argument("--baseline", choices=["html", "text"], help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.baseline:  # the trafilatura side, run as its own process by run_baseline()
        return trafilatura_baseline(arguments.baseline, arguments.paths, arguments.out)
    if not (arguments.corpus / "ground-truth.json").is_file():
        print(f"bench: no corpus at {arguments.corpus} (ground-truth.json missing)", file=sys.stderr)
        return 2
    if arguments.train_line_model:
        return train_line_models(arguments.corpus, arguments.scorer)
    with tempfile.TemporaryDirectory(prefix="bench-extraction-") as temporary:
        work = arguments.keep or Path(temporary)
        return run_bench(arguments.corpus, arguments.scorer, work)


def run_bench(corpus: Path, scorer: Path, work: Path) -> int:
    """Run both extractors on both inputs, print the table; returns the exit status."""
    pages = {"html": sorted(corpus.glob("*.html")), "text": sorted(corpus.glob("*.txt"))}
    rows = []
    for kind, label in (("html", "HTML pages"), ("text", "text dumps")):
        ours = run_ours(pages[kind], work / f"ours-{kind}", f"ours ({label})")
        theirs = run_baseline(kind, pages[kind], work / f"trafilatura-{kind}", f"trafilatura ({label})")
        rows.append((kind, label, score(scorer, corpus, ours), ours, score(scorer, corpus, theirs), theirs))
    # Our start-up per input kind: the HTML cleaner imports trafilatura on first use, the text cleaner never.
    startups = {"html": startup_seconds([sys.executable, "-c", "import briefings.cli, briefings.extract_html"]),
                "text": startup_seconds([str(BRIEFINGS), "extract", "--help"])}
    theirs_startup = startup_seconds([sys.executable, "-c", "import trafilatura"])
    print(f"{'input':<12} {'extractor':<12} {'P':>6} {'R':>6} {'F1':>6} {'ms/page':>8} {'w/o startup':>12}")
    for kind, label, our_score, ours, their_score, theirs in rows:
        startup = {"ours": startups[kind], "trafilatura": theirs_startup}
        for name, figures, run in (("ours", our_score, ours), ("trafilatura", their_score, theirs)):
            print(f"{label:<12} {name:<12} {figures['precision']:6.3f} {figures['recall']:6.3f} "
                  f"{figures['f1']:6.3f} {run.ms_per_page:8.1f} {run.ms_without(startup[name]):12.1f}")
        print(f"{'':<12} speed ratio ours/trafilatura: {ours.ms_per_page / max(theirs.ms_per_page, 1e-9):.2f} "
              f"({ours.ms_without(startup['ours']) / max(theirs.ms_without(startup['trafilatura']), 1e-9):.2f} "
              f"without process startup: ours {startup['ours']:.2f} s, trafilatura {startup['trafilatura']:.2f} s)")
    for kind, label in (("html", "HTML pages"), ("text", "text dumps")):
        ours_ms, theirs_ms = in_process_speed(kind, pages[kind])
        print(f"{label:<12} in one process, cleaning only: ours {ours_ms:.1f} ms/page, trafilatura "
              f"{theirs_ms:.1f} ms/page, ratio {ours_ms / max(theirs_ms, 1e-9):.2f}")
    print_metadata_accuracy(corpus, pages, work)
    return 0


def in_process_speed(kind: str, paths: list[Path]) -> tuple[float, float]:
    """ms/page of briefings.extract.clean and of trafilatura.extract on the same decoded pages, one process
    (file reading, encoding detection, output writing and interpreter start-up left out on both sides)."""
    import hashlib
    from datetime import datetime, timezone

    import trafilatura

    from briefings.documents import RawArticle
    from briefings.errors import ExtractionError
    from briefings.extract import clean

    texts = [path.read_text(encoding="utf-8", errors="replace") for path in paths]
    raws = [RawArticle(source=path, kind="html" if kind == "html" else "text", text=text,
                       sha256=hashlib.sha256(text.encode()).hexdigest(), encoding="utf-8",
                       captured=datetime.now(timezone.utc)) for path, text in zip(paths, texts)]
    inputs = texts if kind == "html" else [wrap_as_html(text) for text in texts]
    # One untimed page each first: our cleaners import their extractors on first use.
    _clean_or_refuse(clean, raws[0], ExtractionError)
    trafilatura.extract(inputs[0], include_comments=False)
    ours = theirs = 0.0
    for raw, page in zip(raws, inputs):
        started = time.perf_counter()
        _clean_or_refuse(clean, raw, ExtractionError)
        middle = time.perf_counter()
        trafilatura.extract(page, include_comments=False)
        ours, theirs = ours + middle - started, theirs + time.perf_counter() - middle
    return 1000 * ours / max(len(paths), 1), 1000 * theirs / max(len(paths), 1)


def _clean_or_refuse(clean: Any, raw: Any, refusal: type[Exception]) -> None:
    try:
        clean(raw)
    except refusal:
        pass


def run_ours(paths: list[Path], out_dir: Path, name: str) -> Run:
    """`briefings extract --format text` over all paths in one process, timed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    subprocess.run([str(BRIEFINGS), "extract", "--format", "text", "--out", str(out_dir), *map(str, paths)],
                   check=False, stdout=subprocess.DEVNULL)
    return Run(name, out_dir, time.perf_counter() - started, len(paths))


def run_baseline(kind: str, paths: list[Path], out_dir: Path, name: str) -> Run:
    """trafilatura over all paths in one process (this script in --baseline mode), timed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--baseline", kind, "--out", str(out_dir), *map(str, paths)],
                   check=True)
    return Run(name, out_dir, time.perf_counter() - started, len(paths))


def trafilatura_baseline(kind: str, paths: list[Path], out_dir: Path) -> int:
    """trafilatura.extract (comments off) on each page, a dump wrapped as HTML; writes out_dir/<stem>.txt."""
    import trafilatura

    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        if kind == "text":
            text = wrap_as_html(text)
        body = trafilatura.extract(text, include_comments=False) or ""
        (out_dir / f"{path.stem}.txt").write_text(body, encoding="utf-8")
    return 0


def wrap_as_html(dump: str) -> str:
    """A text dump as the simplest HTML page: one <p> per line."""
    paragraphs = "".join(f"<p>{html.escape(line)}</p>\n" for line in dump.splitlines() if line.strip())
    return f"<html><body>\n{paragraphs}</body></html>"


def score(scorer: Path, corpus: Path, run: Run) -> dict[str, float]:
    """P/R/F1 of a run from the benchmark's score.py (its --json summary)."""
    summary = run.out_dir.with_suffix(".score.json")
    subprocess.run([sys.executable, str(scorer), str(run.out_dir), str(corpus / "ground-truth.json"),
                    "--bootstrap", "0", "--worst", "0", "--json", str(summary)],
                   check=True, stdout=subprocess.DEVNULL)
    overall: dict[str, float] = json.loads(summary.read_text(encoding="utf-8"))["overall"]
    return overall


def print_metadata_accuracy(corpus: Path, pages: dict[str, list[Path]], work: Path) -> None:
    """Title and date accuracy of `briefings extract --format json` against og:title / JSON-LD."""
    references = {path.stem: reference_metadata(path.read_text(encoding="utf-8", errors="replace"))
                  for path in pages["html"]}
    for kind, label in (("html", "HTML pages"), ("text", "text dumps")):
        out_dir = work / f"ours-{kind}-json"
        out_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run([str(BRIEFINGS), "extract", "--format", "json", "--out", str(out_dir),
                        *map(str, pages[kind])], check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        titles = dates = title_total = date_total = 0
        for stem, (ref_title, ref_date) in sorted(references.items()):
            record = read_json(out_dir / f"{stem}.json")
            if ref_title:
                title_total += 1
                titles += same_title(record.get("title", ""), ref_title)
            if ref_date:
                date_total += 1
                found = record.get("date_source") == "capture"
                dates += found and str(record.get("published", ""))[:10] == ref_date
        print(f"{label:<12} title accuracy {titles}/{title_total} = {titles / max(title_total, 1):.3f}   "
              f"date accuracy {dates}/{date_total} = {dates / max(date_total, 1):.3f}")


def read_json(path: Path) -> dict[str, str]:
    try:
        data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
        return data
    except (OSError, ValueError):
        return {}


OG_TITLE = re.compile(r"""<meta[^>]+property=["']og:title["'][^>]*content=(?:"([^"]+)"|'([^']+)')""", re.I)
OG_TITLE_REVERSED = re.compile(r"""<meta[^>]+content=(?:"([^"]+)"|'([^']+)')[^>]*property=["']og:title["']""", re.I)
LD_HEADLINE = re.compile(r'"headline"\s*:\s*"((?:[^"\\]|\\.)+)"')
LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"(\d{4}-\d{2}-\d{2})')
META_PUBLISHED = re.compile(r"""<meta[^>]+(?:article:published_time|datePublished)["'][^>]*content=["'](\d{4}-\d{2}-\d{2})""",
                            re.I)


def reference_metadata(page: str) -> tuple[str, str]:
    """(title, YYYY-MM-DD) the page declares about itself (og:title / JSON-LD), "" where it declares none."""
    match = OG_TITLE.search(page) or OG_TITLE_REVERSED.search(page) or LD_HEADLINE.search(page)
    title = html.unescape(next(group for group in match.groups() if group)) if match else ""
    date_match = LD_PUBLISHED.search(page) or META_PUBLISHED.search(page)
    return title, date_match.group(1) if date_match else ""


def same_title(ours: str, reference: str) -> bool:
    """True when the titles hold the same words, or ours is the reference without a site suffix."""
    ours_key, reference_key = fold(ours), fold(reference)
    return bool(ours_key) and (ours_key == reference_key or reference_key.startswith(ours_key)
                               and len(ours_key) >= 0.6 * len(reference_key))


def fold(text: str) -> str:
    return re.sub(r"\W+", "", html.unescape(text).casefold())


# ---- training the text-dump line models (logistic regression, weights go to boilerplate.toml) ----

FOLDS = 5
L2 = 1.0
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5)


@dataclass
class TrainingPage:
    page_id: str
    truth: str
    capture: Any                   # briefings.extract_text.TextCapture
    line_rows: list[tuple[float, ...]]    # LINE_FEATURES order
    labels: list[float]


def train_line_models(corpus: Path, scorer: Path) -> int:
    """Fit both line models with 5-fold cross-validation by page; print CV figures and the TOML tables."""
    from briefings.dump_lines import load_rules

    rules = load_rules()
    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    score_module = load_scorer(scorer)
    pages = [training_page(page_id, truth[page_id].get("articleBody") or "", corpus, rules, score_module)
             for page_id in sorted(truth) if (corpus / f"{page_id}.txt").is_file()]
    folds = [pages[i::FOLDS] for i in range(FOLDS)]
    fold_models = [fit_models([page for j, fold in enumerate(folds) if j != index for page in fold], 0.5)
                   for index in range(FOLDS)]
    best_threshold, best_f1 = 0.5, -1.0
    for threshold in THRESHOLDS:
        scored = [score_module.score_page(page.page_id, page.truth,
                                          predict_text(page, (models[0], replace(models[1], threshold=threshold)),
                                                       rules))
                  for models, held_out in zip(fold_models, folds) for page in held_out]
        overall = score_module.aggregate(scored)
        print(f"{FOLDS}-fold cv by page, threshold {threshold}: P {overall['precision']:.3f} "
              f"R {overall['recall']:.3f} F1 {overall['f1']:.3f}", file=sys.stderr)
        if overall["f1"] > best_f1:
            best_threshold, best_f1 = threshold, overall["f1"]
    from briefings.dump_lines import CONTEXT_FEATURES, LINE_FEATURES

    line_model, context_model = fit_models(pages, best_threshold)
    print(model_toml("line_model", line_model, LINE_FEATURES) + "\n"
          + model_toml("context_model", context_model, CONTEXT_FEATURES))
    return 0


def load_scorer(scorer: Path) -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_score", scorer)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_score"] = module
    spec.loader.exec_module(module)
    return module


def training_page(page_id: str, truth: str, corpus: Path, rules: Any, score_module: Any) -> TrainingPage:
    """A dump's lines, their features, and labels: 1 when most of a line's shingles are in the true body."""
    from briefings.extract_text import line_features, read_capture

    capture = read_capture((corpus / f"{page_id}.txt").read_text(encoding="utf-8"), rules)
    assert capture is not None, f"{page_id}.txt is empty"
    true_tokens = score_module.tokens(truth)
    true_shingles = score_module.shingles(true_tokens)
    short_grams = {tuple(true_tokens[i:i + n]) for n in (1, 2, 3) for i in range(len(true_tokens) - n + 1)}
    labels = []
    for line in capture.lines:
        tokens = score_module.tokens(line.text)
        if len(tokens) >= 4:
            grams = score_module.shingles(tokens)
            inside = sum(count for gram, count in grams.items() if gram in true_shingles)
            labels.append(1.0 if inside >= 0.5 * sum(grams.values()) else 0.0)
        else:
            labels.append(1.0 if tokens and tuple(tokens) in short_grams else 0.0)
    return TrainingPage(page_id, truth, capture, line_features(capture.lines, capture.title), labels)


def fit_models(pages: list[TrainingPage], threshold: float) -> tuple[Any, Any]:
    """The line model on all lines, then the context model on out-of-fold line-model probabilities."""
    from briefings.dump_lines import CONTEXT_FEATURES, LINE_FEATURES, LineModel
    from briefings.extract_text import context_features

    line_model = fit_logistic([row for page in pages for row in page.line_rows],
                              [label for page in pages for label in page.labels], 0.5, LINE_FEATURES)
    inner = [pages[i::FOLDS] for i in range(FOLDS)]
    context_rows: list[tuple[float, ...]] = []
    context_labels: list[float] = []
    for index, held_out in enumerate(inner):
        rest = [page for j, fold in enumerate(inner) if j != index for page in fold]
        model = fit_logistic([row for page in rest for row in page.line_rows],
                             [label for page in rest for label in page.labels], 0.5, LINE_FEATURES)
        for page in held_out:
            context_rows += context_features([model.probability(row) for row in page.line_rows])
            context_labels += page.labels
    context_model = fit_logistic(context_rows, context_labels, threshold, CONTEXT_FEATURES)
    assert isinstance(line_model, LineModel)
    return line_model, context_model


def fit_logistic(rows: list[tuple[float, ...]], labels: list[float], threshold: float,
                 names: tuple[str, ...]) -> Any:
    """L2-regularised logistic regression (L-BFGS) over rows of feature values in `names` order; returns a
    LineModel."""
    import numpy as np
    from scipy.optimize import minimize  # type: ignore[import-untyped]

    from briefings.dump_lines import LineModel

    x = np.array(rows, dtype=float)
    y = np.array(labels)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])

    def loss(w: Any) -> tuple[float, Any]:
        margin = z @ w
        p = 1 / (1 + np.exp(-margin))
        value = np.sum(np.logaddexp(0, margin) - y * margin) + 0.5 * L2 * np.sum(w[:-1] ** 2)
        gradient = z.T @ (p - y) + L2 * np.append(w[:-1], 0)
        return float(value), gradient

    w = minimize(loss, np.zeros(z.shape[1]), jac=True, method="L-BFGS-B").x
    weights = {name: float(w[i] / scale[i]) for i, name in enumerate(names)}
    bias = float(w[-1] - sum(w[i] * mean[i] / scale[i] for i in range(len(names))))
    return LineModel.from_weights(bias=bias, weights=weights, names=names, threshold=threshold)


def predict_text(page: TrainingPage, models: tuple[Any, Any], rules: Any) -> str:
    """The body the cleaner would write for a dump with these models."""
    from briefings.extract_text import article_blocks

    trial = replace(rules, line_model=models[0], context_model=models[1])
    return "\n".join(block.text for block in article_blocks(page.capture, trial).blocks)


def model_toml(name: str, model: Any, names: tuple[str, ...]) -> str:
    weights = "\n".join(f"{key} = {value:.6g}" for key, value in sorted(zip(names, model.weights)))
    return f"[text.{name}]\nbias = {model.bias:.6g}\nthreshold = {model.threshold}\n\n" \
           f"[text.{name}.weights]\n{weights}\n"


if __name__ == "__main__":
    sys.exit(main())
