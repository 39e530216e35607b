"""Topic-tagging benchmark: precision, recall and F1 per topic on a labelled article set.

    python scripts/bench/tagging.py [--corpus ../shared/corpus/topics-dev/articles.jsonl] [--misses]

Each labelled article is written as a capture file (`<id>.md`: "# title", a blank line, the text) into a
temporary folder, and the folder goes through the same `briefings tag` users run, so the figures measure
the whole path: reading, cleaning, then tagging. Exit status 1 when the worst F1 or a precision misses the
goal (issue 4: worst F1 >= 0.92, precision >= 0.90 on every topic).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "topics-dev" / "articles.jsonl"
TOPICS = ("air-defense", "sanctions", "diplomacy")
GOAL_F1 = 0.92
GOAL_PRECISION = 0.90


@dataclass(frozen=True, slots=True)
class Labelled:
    id: str
    title: str
    text: str
    topics: frozenset[str]


@dataclass(frozen=True, slots=True)
class Score:
    topic: str
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def read_corpus(path: Path) -> list[Labelled]:
    """The labelled articles; label ids use underscores (air_defense), the taxonomy hyphens."""
    articles = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            topics = frozenset(topic.replace("_", "-") for topic in record["topics"])
            articles.append(Labelled(record["id"], record["title"], record["text"], topics))
    return articles


def write_captures(articles: list[Labelled], folder: Path, suffix: str = ".md") -> list[Path]:
    """One capture per article, named by its id: Markdown ("# title") or plain text (title line)."""
    paths = []
    for article in articles:
        path = folder / f"{article.id}{suffix}"
        heading = f"# {article.title}" if suffix == ".md" else article.title
        path.write_text(f"{heading}\n\n{article.text}\n", encoding="utf-8")
        paths.append(path)
    return paths


def tag_with_cli(paths: list[Path], briefings: Path) -> dict[str, frozenset[str]]:
    """Topics per capture id, from `briefings tag` (the command users run); raises when it fails."""
    result = subprocess.run([str(briefings), "tag", *map(str, paths)], capture_output=True, text=True,
                            check=False)
    predicted: dict[str, frozenset[str]] = {}
    for line in result.stdout.splitlines():
        record = json.loads(line)
        predicted[Path(record["path"]).stem] = frozenset(record["topics"])
    missing = [path.stem for path in paths if path.stem not in predicted]
    if result.returncode != 0 or missing:
        raise SystemExit(f"briefings tag failed (exit {result.returncode}), no result for {missing}:\n"
                         f"{result.stderr}")
    return predicted


def score(articles: list[Labelled], predicted: dict[str, frozenset[str]]) -> list[Score]:
    """Per-topic counts of hits, false alarms and misses."""
    scores = []
    for topic in TOPICS:
        tp = sum(topic in a.topics and topic in predicted[a.id] for a in articles)
        fp = sum(topic not in a.topics and topic in predicted[a.id] for a in articles)
        fn = sum(topic in a.topics and topic not in predicted[a.id] for a in articles)
        scores.append(Score(topic, tp, fp, fn))
    return scores


def report(scores: list[Score]) -> str:
    lines = [f"{'topic':<12} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn"]
    for s in scores:
        lines.append(f"{s.topic:<12} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}  "
                     f"{s.true_positives:3d} {s.false_positives:3d} {s.false_negatives:3d}")
    lines.append(f"worst F1 {min(s.f1 for s in scores):.3f}   worst precision "
                 f"{min(s.precision for s in scores):.3f}   (goal F1 >= {GOAL_F1}, P >= {GOAL_PRECISION})")
    return "\n".join(lines)


def misses(articles: list[Labelled], predicted: dict[str, frozenset[str]]) -> str:
    """The articles tagged wrong, with what was expected and what came out."""
    lines = []
    for article in articles:
        got = predicted[article.id]
        if got != article.topics:
            extra, lost = sorted(got - article.topics), sorted(article.topics - got)
            lines.append(f"{article.id}  +{extra} -{lost}  {article.title[:70]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="labelled articles (JSON lines)")
    parser.add_argument("--briefings", type=Path, default=Path(sys.executable).with_name("briefings"),
                        help="the briefings program to run (default: next to this Python)")
    parser.add_argument("--suffix", choices=(".md", ".txt"), default=".md",
                        help="capture format the articles are written in (default .md)")
    parser.add_argument("--misses", action="store_true", help="also list every article tagged wrong")
    arguments = parser.parse_args(argv)
    if not arguments.corpus.is_file():
        print(f"{arguments.corpus}: labelled corpus not found", file=sys.stderr)
        return 2
    articles = read_corpus(arguments.corpus)
    with tempfile.TemporaryDirectory(prefix="bench-tagging-") as folder:
        predicted = tag_with_cli(write_captures(articles, Path(folder), arguments.suffix), arguments.briefings)
    scores = score(articles, predicted)
    print(f"{len(articles)} articles from {arguments.corpus}")
    print(report(scores))
    if arguments.misses:
        print(misses(articles, predicted))
    met = all(s.f1 >= GOAL_F1 and s.precision >= GOAL_PRECISION for s in scores)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
