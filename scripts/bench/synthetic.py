"""Synthetic archives for the benchmarks: N raw captures built from real paragraphs, deterministically.

Captures look like the seeds in ../shared/corpus/seeds/: a plain-text page dump ("Title | Section | site" line,
the title repeated, a byline with the date, body paragraphs with a heading now and then, a "Related posts"
block and a cookie line), and about one in eight is a saved HTML page (menus, <article>, meta tags, a related
block and a cookie banner). The text is real: paragraphs of the extraction corpus' ground truth and sentences
of the topics corpus, mixed by a seeded random generator, so capture i is the same on every run and machine.

Nothing is written into the repository: the corpus texts are third-party and stay outside it.

    python scripts/bench/synthetic.py 1000 /tmp/captures     # writes /tmp/captures/000000_<hash>.txt ...
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import random
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
SEED = 20_070_501
HTML_SHARE = 0.125
FIRST_DAY = datetime(2019, 1, 1, tzinfo=timezone.utc)
DAYS_SPAN = 7 * 365  # dates over seven years, 2019 to 2025
WORDS_MIN, WORDS_MAX = 600, 900
LEAD_SHARE = 0.45  # at most this share comes from one source article: coherent text, never a near-duplicate

SITES = (
    ("london-news-net.preview-domain.com", "London News Net"),
    ("kyiv-observer.example.com", "Kyiv Observer"),
    ("balticwire.example.net", "Baltic Wire"),
    ("defence-brief.example.org", "Defence Brief"),
    ("eastern-desk.example.com", "The Eastern Desk"),
    ("worldreport.example.net", "World Report"),
)
SECTIONS = ("World", "Europe", "Politics", "Defence", "Business", "Analysis", "Opinion", "Technology")
AUTHORS = ("Olena Kravets", "James Whitfield", "Marta Nowak", "Daniel Okafor", "Sofia Lindqvist",
           "Reuters", "AFP", "Staff writer", "Priya Raman", "Tomas Berzins")
HEADINGS = ("What happens next", "Background", "Reaction", "The wider picture", "Why it matters",
            "Analysis", "On the ground", "The numbers")
COOKIE_LINE = ("This website uses cookies to improve your experience. We'll assume you're ok with this, but you "
               "can opt-out if you wish. Accept Read More")
MENU = ("Home", "World", "Europe", "Politics", "Business", "Defence", "Opinion", "Subscribe", "Sign in")
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+(?=[A-Z“\"])")


@dataclass(frozen=True, slots=True)
class SourceText:
    paragraphs: tuple[str, ...]
    sentences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Capture:
    name: str          # file name: <index>_<hash>.txt or .html
    text: str          # the file's content
    mtime: float       # capture time written as the file's modification time
    title: str
    published: datetime
    paragraphs: tuple[str, ...]


@lru_cache(maxsize=2)
def load_sources(corpus: Path = CORPUS) -> tuple[SourceText, ...]:
    """Every source article of the two corpora as paragraphs and sentences; raises FileNotFoundError without
    the corpus."""
    truth = json.loads((corpus / "extraction-dev" / "ground-truth.json").read_text(encoding="utf-8"))
    sources = [_source(_paragraphs_of_body(record["articleBody"])) for _, record in sorted(truth.items())]
    with open(corpus / "topics-dev" / "articles.jsonl", encoding="utf-8") as lines:
        for line in lines:
            sources.append(_source(_paragraphs_of_sentences(split_sentences(json.loads(line)["text"]))))
    return tuple(source for source in sources if source.paragraphs and source.sentences)


def split_sentences(text: str) -> list[str]:
    """Sentences of a text, split after . ! ? followed by a capital letter or an opening quote."""
    return [sentence.strip() for sentence in _SENTENCE_END.split(" ".join(text.split())) if sentence.strip()]


def _paragraphs_of_body(body: str) -> list[str]:
    # One-line fragments (captions, "Advertisement", bylines) are not the paragraphs a capture is made of.
    return [" ".join(line.split()) for line in body.splitlines() if len(line.split()) >= 12]


def _paragraphs_of_sentences(sentences: list[str]) -> list[str]:
    # The topics corpus has no paragraph breaks: two to four sentences make one, deterministically.
    paragraphs, start = [], 0
    while start < len(sentences):
        size = 2 + (start % 3)
        paragraphs.append(" ".join(sentences[start:start + size]))
        start += size
    return [paragraph for paragraph in paragraphs if len(paragraph.split()) >= 12]


def _source(paragraphs: list[str]) -> SourceText:
    sentences = [s for p in paragraphs for s in split_sentences(p) if 6 <= len(s.split()) <= 30 and "|" not in s]
    return SourceText(paragraphs=tuple(paragraphs), sentences=tuple(sentences))


def make_capture(index: int, sources: Sequence[SourceText], seed: int = SEED, fresh: bool = False) -> Capture:
    """Capture number `index` of the synthetic archive: the same for the same index, seed and corpus. A `fresh`
    capture is today's news: published after every capture of the archive (index minutes after its last day)."""
    rng = random.Random(f"{seed}:{index}")
    lead = sources[rng.randrange(len(sources))]
    title = make_title(rng, lead)
    paragraphs = tuple(pick_paragraphs(rng, lead, sources))
    published = FIRST_DAY + timedelta(days=rng.randrange(DAYS_SPAN), minutes=rng.randrange(6 * 60, 22 * 60))
    if fresh:
        published = FIRST_DAY + timedelta(days=DAYS_SPAN, minutes=index)
    captured = published + timedelta(hours=rng.randrange(1, 72))
    host, site = SITES[rng.randrange(len(SITES))]
    section, author = rng.choice(SECTIONS), rng.choice(AUTHORS)
    related = [make_title(rng, rng.choice(sources)) for _ in range(3)]
    body = with_headings(rng, paragraphs)
    digest = hashlib.sha256(f"{seed}:{index}:{title}".encode()).hexdigest()[:16]
    if rng.random() < HTML_SHARE:
        text = html_page(title, site, host, section, author, published, body, related)
        name = f"{index:06d}_{digest}.html"
    else:
        text = text_dump(title, host, section, author, published, body, related, rng)
        name = f"{index:06d}_{digest}.txt"
    return Capture(name=name, text=text, mtime=captured.timestamp(), title=title, published=published,
                   paragraphs=paragraphs)


def make_title(rng: random.Random, source: SourceText) -> str:
    """A headline from a real sentence: its first 6 to 14 words, no final stop, often in Title Case."""
    words = rng.choice(source.sentences).rstrip(".!?").split()
    words = words[:rng.randint(6, min(14, len(words)))]
    while words and words[-1].lower() in {"the", "a", "an", "of", "to", "and", "in", "on", "for", "by", "with"}:
        words.pop()
    title = " ".join(words).strip(" ,;:—-\"“”‘’'") or " ".join(words)
    if rng.random() < 0.6:
        title = " ".join(word[:1].upper() + word[1:] if len(word) > 3 else word for word in title.split())
    return title


def pick_paragraphs(rng: random.Random, lead: SourceText, sources: Sequence[SourceText]) -> Iterator[str]:
    """600-900 words: a run of consecutive paragraphs of the lead article, then paragraphs of random others."""
    target = rng.randint(WORDS_MIN, WORDS_MAX)
    words = 0
    start = rng.randrange(len(lead.paragraphs))
    for paragraph in lead.paragraphs[start:]:
        if words + len(paragraph.split()) > target * LEAD_SHARE:
            break
        words += len(paragraph.split())
        yield paragraph
    while words < target:
        source = sources[rng.randrange(len(sources))]
        paragraph = source.paragraphs[rng.randrange(len(source.paragraphs))]
        if len(paragraph.split()) > 160:  # one paragraph should not make half an article
            continue
        words += len(paragraph.split())
        yield paragraph


def with_headings(rng: random.Random, paragraphs: Sequence[str]) -> list[tuple[str, str]]:
    """(kind, text) blocks: the paragraphs, with a subheading before about one in six after the third."""
    blocks = []
    for position, paragraph in enumerate(paragraphs):
        if position >= 3 and rng.random() < 0.16:
            blocks.append(("heading", rng.choice(HEADINGS)))
        blocks.append(("paragraph", paragraph))
    return blocks


def text_dump(title: str, host: str, section: str, author: str, published: datetime,
              body: list[tuple[str, str]], related: list[str], rng: random.Random) -> str:
    """A select-all copy of a page, shaped like the seeds."""
    dateline = rng.choice((f"By {author} · {published:%B} {published.day}, {published:%Y}",
                           f"{published.day} {published:%B %Y} {published:%H:%M} · {author}",
                           f"Published {published:%Y-%m-%d}"))
    lines = [f"{title} | {section} | {host}", "", title, "", dateline, "", title, ""]
    for _, text in body:
        lines += [text, ""]
    lines += ["Related posts", ""] + [line for title_ in related for line in (title_, "")]
    lines += ["", COOKIE_LINE]
    return "\n".join(lines)


def html_page(title: str, site: str, host: str, section: str, author: str, published: datetime,
              body: list[tuple[str, str]], related: list[str]) -> str:
    """A saved article page: menus, meta tags, the article, a related block, a footer and a cookie banner."""
    e = html.escape
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:80]
    url = f"https://{host}/{section.lower()}/{published:%Y/%m/%d}/{slug}"
    menu = "".join(f'<li><a href="/{item.lower()}">{e(item)}</a></li>' for item in MENU)
    paragraphs = "\n".join(f"<h2>{e(text)}</h2>" if kind == "heading" else f"<p>{e(text)}</p>" for kind, text in body)
    links = "".join(f'<li><a href="/related/{n}">{e(text)}</a></li>' for n, text in enumerate(related))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{e(title)} | {e(site)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:title" content="{e(title)}">
<meta property="og:site_name" content="{e(site)}">
<meta property="og:url" content="{e(url)}">
<meta property="article:published_time" content="{published.isoformat(timespec='seconds')}">
<meta name="author" content="{e(author)}">
<link rel="canonical" href="{e(url)}">
<link rel="stylesheet" href="/assets/site.css">
<script src="/assets/analytics.js"></script>
</head>
<body>
<header class="site-header"><a class="logo" href="/">{e(site)}</a>
<nav class="main-nav"><ul>{menu}</ul></nav>
<form class="search" action="/search"><input type="search" name="q" placeholder="Search"><button>Search</button></form>
</header>
<main>
<article class="post">
<p class="section-label"><a href="/{section.lower()}">{e(section)}</a></p>
<h1 class="headline">{e(title)}</h1>
<p class="byline">By <span class="author">{e(author)}</span> ·
<time datetime="{published.isoformat(timespec='seconds')}">{published:%B} {published.day}, {published:%Y}</time></p>
<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on X</a> <a href="#">Email</a></div>
<div class="article-body">
{paragraphs}
</div>
</article>
<aside class="related"><h3>Related posts</h3><ul>{links}</ul></aside>
</main>
<footer class="site-footer"><p>© {published:%Y} {e(site)}. All rights reserved.</p>
<ul><li><a href="/about">About us</a></li><li><a href="/privacy">Privacy policy</a></li></ul></footer>
<div class="cookie-banner">{e(COOKIE_LINE)}</div>
</body>
</html>
"""


def as_html(name: str, text: str) -> str:
    """A capture file's text as an HTML document for trafilatura: saved pages as they are, text dumps one <p>
    a line."""
    if name.endswith((".html", ".htm")):
        return text
    lines = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.splitlines() if line.strip())
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>\n{lines}</body></html>"


def generate(count: int, folder: Path, start: int = 0, seed: int = SEED,
             corpus: Path = CORPUS, fresh: bool = False) -> list[Path]:
    """Write captures start .. start+count-1 into folder (created); returns their paths in index order."""
    sources = load_sources(corpus)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for index in range(start, start + count):
        capture = make_capture(index, sources, seed, fresh)
        path = folder / capture.name
        path.write_text(capture.text, encoding="utf-8")
        os.utime(path, (capture.mtime, capture.mtime))
        written.append(path)
    return written


def captures(count: int, start: int = 0, seed: int = SEED, corpus: Path = CORPUS) -> Iterator[Capture]:
    """Captures start .. start+count-1 in memory."""
    sources = load_sources(corpus)
    return (make_capture(index, sources, seed) for index in range(start, start + count))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--start", type=int, default=0, help="index of the first capture (default 0)")
    parser.add_argument("--seed", type=int, default=SEED)
    arguments = parser.parse_args(argv)
    repo = Path(__file__).resolve().parents[2]
    if arguments.folder.resolve().is_relative_to(repo):
        parser.error(f"{arguments.folder}: inside the repository; the corpus texts must stay outside it")
    paths = generate(arguments.count, arguments.folder, arguments.start, arguments.seed)
    print(f"{len(paths)} captures in {arguments.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
