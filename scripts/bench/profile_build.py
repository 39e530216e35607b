"""Where a build's time goes: our full build (or vanilla Pelican) under cProfile, summarised.

Prints three views of one profiled build:
- the phases of Pelican's work (reading, article pages, listing pages, our signal receivers, feeds, bundle);
- our own code: plugins and theme templates, by cumulative time;
- self time by package (jinja2, markdown_it, lunr, pelican, zipfile...), where the CPU actually is.

    python scripts/bench/profile_build.py 1000 --work /tmp/bench-profile       # generates and ingests once
    python scripts/bench/profile_build.py --content DIR                         # an existing content folder
"""

from __future__ import annotations

import argparse
import pstats
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic  # noqa: E402
import vanilla_pelican  # noqa: E402
from measure import python  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
PHASES = (  # (label, file suffix, function name): cumulative time of these Pelican functions
    ("read every briefing (all generate_context)", "pelican/generators.py", "generate_context"),
    ("  of which Readers.read_file (reader + Markdown)", "pelican/readers.py", "read_file"),
    ("write output (all generate_output, incl. signals)", "pelican/generators.py", "generate_output"),
    ("  article pages", "pelican/generators.py", "generate_articles"),
    ("  direct templates (index, tags, archives)", "pelican/generators.py", "generate_direct_templates"),
    ("  tag pages", "pelican/generators.py", "generate_tags"),
    ("  category pages", "pelican/generators.py", "generate_categories"),
    ("  author pages", "pelican/generators.py", "generate_authors"),
    ("  Pelican feeds", "pelican/generators.py", "generate_feeds"),
    ("  Writer.write_file (render + write, Pelican's pages)", "pelican/writers.py", "write_file"),
    ("signals.finalized receivers (bundle)", "briefing_bundle/plugin.py", "bundle_output"),
)
PACKAGES = ("/plugins/", "/theme/", "jinja2", "markdown_it", "markdown/", "lunr", "pelican/", "feedgenerator",
            "zipfile", "datasketch", "lxml", "bs4", "dateutil", "json", "re/", "pathlib", "posixpath", "os.py")


def profile(command: list[str], target: Path) -> pstats.Stats:
    """Run a Python command line (after `python`) under cProfile; returns its statistics."""
    subprocess.run([python(), "-m", "cProfile", "-o", str(target), *command], check=True,
                   stdout=subprocess.DEVNULL)
    return pstats.Stats(str(target))


def cumulative(stats: pstats.Stats, suffix: str, name: str) -> float:
    """Cumulative seconds of the functions called name in files ending in suffix (outermost calls only)."""
    return sum(row[3] for (filename, _, function), row in stats.stats.items()  # type: ignore[attr-defined]
               if filename.endswith(suffix) and function == name)


def total_time(stats: pstats.Stats) -> float:
    return float(stats.total_tt)  # type: ignore[attr-defined]


def our_functions(stats: pstats.Stats, limit: int) -> list[tuple[float, float, int, str]]:
    """(cumulative s, self s, calls, where) of functions in plugins/ and theme/, biggest first."""
    rows = []
    for (filename, line, function), (_, calls, self_time, cum_time, _) in stats.stats.items():  # type: ignore
        if "/plugins/briefing_" in filename or "/theme/templates/" in filename:
            where = filename.split("/plugins/")[-1] if "/plugins/" in filename else \
                "theme/" + filename.split("/theme/")[-1]
            rows.append((cum_time, self_time, calls, f"{where}:{line}({function})"))
    return sorted(rows, reverse=True)[:limit]


def self_time_by_package(stats: pstats.Stats) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for (filename, _, function), row in stats.stats.items():  # type: ignore[attr-defined]
        package = next((name for name in PACKAGES if name in filename), None)
        if package is None:
            package = "builtins: " + function if filename == "~" else "other"
        totals[package] += row[2]
    return dict(sorted(totals.items(), key=lambda item: -item[1]))


def report(stats: pstats.Stats, title: str, limit: int) -> None:
    total = total_time(stats)
    print(f"\n== {title}: {total:.2f} s profiled (cProfile overhead included)")
    print("-- Pelican phases (cumulative)")
    for label, suffix, name in PHASES:
        seconds = cumulative(stats, suffix, name)
        if seconds:
            print(f"  {label:52s} {seconds:7.2f} s {100 * seconds / total:5.1f}%")
    print("-- our plugins and templates (cumulative, self, calls)")
    for cum_time, self_time, calls, where in our_functions(stats, limit):
        print(f"  {cum_time:7.2f} s {100 * cum_time / total:5.1f}%  self {self_time:6.2f} s  {calls:8d}  {where}")
    print("-- self time by package")
    for package, seconds in list(self_time_by_package(stats).items())[:limit]:
        print(f"  {package:40s} {seconds:7.2f} s {100 * seconds / total:5.1f}%")


def prepare_content(size: int, work: Path) -> Path:
    """Content of `size` ingested synthetic captures under work (reused when already there)."""
    content = work / f"n{size}" / "content"
    if len(list((content / "briefings").glob("*.md"))) != size:
        shutil.rmtree(content, ignore_errors=True)
        captures = synthetic.generate(size, work / f"n{size}" / "captures")
        shutil.copytree(REPO / "content" / "taxonomy", content / "taxonomy")
        subprocess.run([python(), "-m", "briefings.cli", "ingest", str(captures[0].parent), "--briefings",
                        str(content / "briefings"), "--taxonomy", str(content / "taxonomy")], check=True)
    return content


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", type=int, nargs="?", default=1000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-profile"))
    parser.add_argument("--content", type=Path, default=None, help="profile this content folder instead")
    parser.add_argument("--vanilla", action="store_true", help="profile vanilla Pelican as well")
    parser.add_argument("--limit", type=int, default=25)
    arguments = parser.parse_args(argv)
    content = arguments.content or prepare_content(arguments.size, arguments.work)
    work = arguments.work
    work.mkdir(parents=True, exist_ok=True)
    ours = profile(["-m", "pelican", str(content), "--settings", str(REPO / "pelican.conf.py"), "--output",
                    str(work / "profile-output"), "--fatal", "warnings"], work / "ours.prof")
    report(ours, f"our build of {content}", arguments.limit)
    if arguments.vanilla:
        settings = vanilla_pelican.write_settings(work, content / "briefings", work / "profile-vanilla")
        vanilla = profile(vanilla_pelican.command(python(), settings)[1:], work / "vanilla.prof")
        report(vanilla, "vanilla Pelican", arguments.limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
