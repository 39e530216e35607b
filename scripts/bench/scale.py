"""`make bench-scale`: ingest and build at N = 1,000, 5,000 and 20,000 synthetic captures (issue 7).

For each N, in a project folder outside the repository (under --work, or a temporary folder):
- ingest: captures per second with `briefings ingest --jobs 1` and `--jobs 2`, and trafilatura.extract alone in
  one process over the same captures, as the reference;
- full build: `briefings build` (every feature: pages, topic and entity pages, search index, feeds, bundle) and
  vanilla Pelican (default theme, no plugins, Python-Markdown) over the same briefing Markdown, run in turns;
- add-one: one new capture ingested and the site rebuilt, against the full build, and whether that output is
  byte-identical to a clean build (`briefings build --full`) of the same content; for a capture of today's news
  (the usual case, the goal) and for a backdated one (an old article found late, which shifts listings);
- peak RSS of each step, output size, search index bytes, and the cost per briefing.

Then, once, the same ingest measurement on real captures: the saved pages and the plain-text dumps of
../shared/corpus/extraction-dev/, each kind on its own. Synthetic captures are small (a saved page of them is
about 8 KB, a real one about 170 KB), and trafilatura's cost grows with the page while ours grows mostly with
the article, so the two kinds of input give different ratios; the table shows both.

Times are medians of --repeat runs (3 by default); ratios compare runs made side by side in this run.

Before measuring, the project's own modules (scripts/, plugins/) are compiled to bytecode, as Python does on first
import on most machines and as pip did for every installed package, trafilatura included. Where
PYTHONDONTWRITEBYTECODE is set (this machine), Python would otherwise compile them again at every start, about
60 ms of each one-capture ingest that a user's machine does not spend.

    python scripts/bench/scale.py                        # 1,000, 5,000, 20,000 (the last takes its minutes)
    python scripts/bench/scale.py --sizes 200 --repeat 1 # a quick look
    python scripts/bench/scale.py --sizes 20000 --repeat 1 --direct-archive --no-identical-check --work DIR
                                                         # builds only: briefings written, not ingested
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import direct_archive  # noqa: E402
import synthetic  # noqa: E402
import vanilla_pelican  # noqa: E402
from measure import (Step, StepFailed, differing_files, human_bytes, median_step, python,  # noqa: E402
                     run_measured, tree_size)

REPO = Path(__file__).resolve().parents[2]
TAXONOMY = REPO / "content" / "taxonomy"
SEARCH_FOLDER = "search"
DEFAULT_SIZES = (1000, 5000, 20000)
REAL_CORPUS = synthetic.CORPUS / "extraction-dev"
REAL_KINDS = (("saved pages", ".html"), ("text dumps", ".txt"))   # (label, suffix of the corpus files)


@dataclass(slots=True)
class Result:
    """Everything measured at one N."""

    size: int
    ingest_sample: int = 0
    ingest_1: Step | None = None
    ingest_all: Step | None = None
    trafilatura: Step | None = None
    ingest_archive: Step | None = None  # the ingest of all N captures with --jobs 2 that made the archive
    build: Step | None = None
    vanilla: Step | None = None
    add_one: dict[str, tuple[Step, Step]] = field(default_factory=dict)  # kind -> (ingest, rebuild)
    output_bytes: int = 0
    output_files: int = 0
    vanilla_bytes: int = 0
    vanilla_files: int = 0
    search_bytes: int = 0
    search_largest: int = 0
    identical: dict[str, str] = field(default_factory=dict)  # kind -> "yes" or what differs
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Project:
    """The folders of one N."""

    root: Path

    @property
    def captures(self) -> Path:
        return self.root / "captures"

    @property
    def content(self) -> Path:
        return self.root / "project" / "content"

    @property
    def briefings(self) -> Path:
        return self.content / "briefings"

    @property
    def output(self) -> Path:
        return self.root / "project" / "output"

    @property
    def logs(self) -> Path:
        return self.root / "logs"


def briefings_command(*arguments: str) -> list[str]:
    return [python(), "-m", "briefings.cli", *arguments]


ADD_ONE_KINDS = ("news", "backdated")  # today's news (the usual case), and an old article found late


def prepare_captures(project: Project, size: int, extra: int) -> None:
    """size captures in project.captures (reused when already there), and `extra` more of each add-one kind apart:
    "news" ones published after the whole archive, "backdated" ones at a random date inside it."""
    have = sorted(project.captures.glob("*")) if project.captures.exists() else []
    if len(have) != size:
        shutil.rmtree(project.captures, ignore_errors=True)
        synthetic.generate(size, project.captures)
    for number, kind in enumerate(ADD_ONE_KINDS):
        shutil.rmtree(project.root / kind, ignore_errors=True)
        synthetic.generate(extra, project.root / kind, start=size + number * extra, fresh=kind == "news")


def fresh_content(project: Project) -> None:
    """An empty content folder with the project's taxonomy."""
    shutil.rmtree(project.content, ignore_errors=True)
    project.content.mkdir(parents=True)
    shutil.copytree(TAXONOMY, project.content / "taxonomy")


def ingest_turns(captures: Path, scratch: Path, cwd: Path, logs: Path, repeat: int) -> dict[str, list[Step]]:
    """`ingest --jobs 1`, `ingest --jobs 2` and trafilatura alone over the same captures, in turns, --repeat
    times: the runs of each, by "1", "2" and "trafilatura". Run k of --jobs J writes scratch/jobsJ-k/briefings."""
    runs: dict[str, list[Step]] = {"1": [], "2": [], "trafilatura": []}
    for turn in range(repeat):
        for jobs in ("1", "2"):
            # Each run writes into a folder of its own, and all are deleted after the last run: on ext4
            # without a journal, files deleted seconds before make every new file's inode slow to find,
            # which a curator's ingest into an archive never pays (0.15-0.4 s of system time a run here).
            runs[jobs].append(run_measured(
                briefings_command("ingest", str(captures), "--briefings",
                                  str(scratch / f"jobs{jobs}-{turn}" / "briefings"),
                                  "--taxonomy", str(TAXONOMY), "--jobs", jobs),
                cwd=cwd, log=logs / f"ingest-jobs{jobs}-{turn}.log"))
        runs["trafilatura"].append(run_measured(
            [python(), str(Path(__file__).with_name("trafilatura_alone.py")), str(captures)],
            cwd=cwd, log=logs / f"trafilatura-{turn}.log"))
    return runs


def measure_ingest(project: Project, result: Result, repeat: int, sample: int, direct: bool) -> None:
    """Throughput of our ingest with one process and with all cores, and of trafilatura alone, on the same
    captures; leaves the full archive of N briefings in project.briefings (ingested, or written directly)."""
    sample_folder = project.captures
    if sample < result.size:
        sample_folder = project.root / f"sample-{sample}"
        if len(list(sample_folder.glob("*"))) != sample:
            shutil.rmtree(sample_folder, ignore_errors=True)
            synthetic.generate(sample, sample_folder)
        result.notes.append(f"ingest throughput measured on the first {sample:,} of {result.size:,} captures")
    result.ingest_sample = min(sample, result.size)
    scratch = project.root / "ingest-scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    runs = ingest_turns(sample_folder, scratch, project.root, project.logs, repeat)
    last_briefings = scratch / f"jobs2-{repeat - 1}" / "briefings"
    result.ingest_1, result.ingest_all = median_step(runs["1"]), median_step(runs["2"])
    result.trafilatura = median_step(runs["trafilatura"])
    fresh_content(project)
    if direct:
        direct_archive.write_archive(result.size, project.briefings, TAXONOMY)
        result.notes.append("archive written directly (direct_archive.py: entities by name match, seeded "
                            "topics), not ingested; ingest figures are from the sample")
    elif sample_folder == project.captures:
        shutil.move(last_briefings, project.briefings)
        result.ingest_archive = runs["2"][-1]
    else:
        result.ingest_archive = run_measured(
            briefings_command("ingest", str(project.captures), "--briefings", str(project.briefings),
                              "--taxonomy", str(TAXONOMY), "--jobs", "2"),
            cwd=project.root, log=project.logs / "ingest-archive.log")
    shutil.rmtree(scratch, ignore_errors=True)


@dataclass(slots=True)
class RealIngest:
    """Ingest against trafilatura alone on one kind of real capture."""

    label: str
    count: int
    ingest_1: Step
    ingest_all: Step
    trafilatura: Step


def measure_real_ingest(work: Path, repeat: int, corpus: Path = REAL_CORPUS) -> list[RealIngest]:
    """measure_ingest's three commands, run in turns on the real captures of each kind; a kind the corpus
    lacks is left out."""
    results = []
    for label, suffix in REAL_KINDS:
        corpus_files = sorted(corpus.glob(f"*{suffix}"))
        if not corpus_files:
            continue
        root = work / "real" / suffix.lstrip(".")
        captures, logs = root / "captures", root / "logs"
        shutil.rmtree(root, ignore_errors=True)
        captures.mkdir(parents=True)
        for path in corpus_files:
            shutil.copyfile(path, captures / path.name)
        runs = ingest_turns(captures, root / "scratch", root, logs, repeat)
        results.append(RealIngest(label, len(corpus_files), median_step(runs["1"]), median_step(runs["2"]),
                                  median_step(runs["trafilatura"])))
        shutil.rmtree(root, ignore_errors=True)
    return results


def our_build(project: Project, output: Path, log: str, full: bool = False) -> Step:
    """`briefings build`: incremental, or with --full everything from scratch (what the full-build rows time)."""
    command = briefings_command("build", "--content", str(project.content), "--output", str(output))
    return run_measured(command + (["--full"] if full else []), cwd=project.root, log=project.logs / log)


def measure_builds(project: Project, result: Result, repeat: int) -> bool:
    """Our full build and vanilla Pelican's over the same briefings, in turns; returns whether ours built (a
    failure is noted in the result, and vanilla is still measured)."""
    vanilla_output = project.root / "vanilla-output"
    settings = vanilla_pelican.write_settings(project.root, project.briefings, vanilla_output)
    ours: list[Step] = []
    vanilla: list[Step] = []
    for turn in range(repeat):
        if len(ours) == turn:
            try:
                ours.append(our_build(project, project.output, f"build-{turn}.log", full=True))
            except StepFailed:
                result.notes.append(f"our build run {turn} failed, left out of the median (log "
                                    f"{project.logs / f'build-{turn}.log'})")
        vanilla.append(run_measured(vanilla_pelican.command(python(), settings), cwd=project.root,
                                    log=project.logs / f"vanilla-{turn}.log"))
    result.build = median_step(ours) if ours else None
    result.vanilla = median_step(vanilla)
    result.output_bytes, result.output_files = tree_size(project.output)
    result.vanilla_bytes, result.vanilla_files = tree_size(vanilla_output)
    search = project.output / SEARCH_FOLDER
    scripts = [path for path in search.rglob("*") if path.is_file() and not path.name.startswith("lunr")]
    result.search_bytes = sum(path.stat().st_size for path in scripts)
    result.search_largest = max((path.stat().st_size for path in scripts), default=0)
    shutil.rmtree(vanilla_output, ignore_errors=True)
    return bool(ours)


def measure_add_one(project: Project, result: Result, repeat: int, check_identical: bool) -> None:
    """For each add-one kind: ingest one new capture and rebuild, --repeat times (one more briefing each time);
    then, optionally, a clean build of the same content to compare with the incrementally rebuilt output."""
    for kind in ADD_ONE_KINDS:
        ingests, builds = [], []
        for turn, capture in enumerate(sorted((project.root / kind).iterdir())[:repeat]):
            ingests.append(run_measured(
                briefings_command("ingest", str(capture), "--briefings", str(project.briefings),
                                  "--taxonomy", str(TAXONOMY), "--jobs", "1"),
                cwd=project.root, log=project.logs / f"add-{kind}-ingest-{turn}.log"))
            builds.append(our_build(project, project.output, f"add-{kind}-build-{turn}.log"))
        result.add_one[kind] = (median_step(ingests), median_step(builds))
        if check_identical:
            clean = project.root / "clean-output"
            shutil.rmtree(clean, ignore_errors=True)
            run_measured(briefings_command("build", "--content", str(project.content), "--output", str(clean),
                                           "--full"),
                         cwd=project.root, log=project.logs / f"clean-build-{kind}.log")
            differ = differing_files(project.output, clean)
            result.identical[kind] = "yes" if not differ else f"no: {len(differ)} files differ, e.g. {differ[0]}"
            shutil.rmtree(clean, ignore_errors=True)


def run_size(size: int, work: Path, arguments: argparse.Namespace, say: Callable[[str], None]) -> Result:
    project = Project(work / f"n{size}")
    result = Result(size=size)
    result.notes.append("load average at start: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    say(f"N={size:,}: generating captures in {project.captures}")
    prepare_captures(project, size, arguments.repeat)
    say(f"N={size:,}: ingest")
    measure_ingest(project, result, arguments.repeat, arguments.ingest_sample or size, arguments.direct_archive)
    say(f"N={size:,}: full builds (ours and vanilla Pelican, {arguments.repeat} each)")
    if not measure_builds(project, result, arguments.repeat):
        return result
    say(f"N={size:,}: add-one rebuilds")
    measure_add_one(project, result, arguments.repeat, not arguments.no_identical_check)
    result.notes.append("load average at end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    return result


# --- The table ----------------------------------------------------------------------------------------------------

def rate(count: int, step: Step | None) -> float:
    return count / step.seconds if step and step.seconds else 0.0


def ratio(a: Step | None, b: Step | None) -> str:
    return f"{a.seconds / b.seconds:.2f}x" if a and b and b.seconds else "-"


def seconds(step: Step | None) -> str:
    return f"{step.seconds:.2f} s (cpu {step.cpu_seconds:.2f} s)" if step else "-"


def cpu_ms(count: int, step: Step | None) -> str:
    return f"{1000 * step.cpu_seconds / count:.1f}" if step and count else "-"


def cpu_ratio(a: Step | None, b: Step | None) -> str:
    return f"{a.cpu_seconds / b.cpu_seconds:.2f}x" if a and b and b.cpu_seconds else "-"


def rss(step: Step | None) -> str:
    return human_bytes(step.peak_rss) if step else "-"


def add_one_total(result: Result, kind: str) -> Step | None:
    """Ingest plus rebuild of one add-one kind (medians of each)."""
    if kind not in result.add_one:
        return None
    ingest, build = result.add_one[kind]
    return Step(ingest.seconds + build.seconds, max(ingest.peak_rss, build.peak_rss),
                ingest.cpu_seconds + build.cpu_seconds)


def add_one_rows(result: Result, kind: str) -> list[tuple[str, str]]:
    ingest, build = result.add_one.get(kind, (None, None))
    total = add_one_total(result, kind)
    goal = " (goal <= 0.15x)" if kind == "news" else ""
    return [
        (f"add-one {kind}: ingest one capture", seconds(ingest)),
        (f"add-one {kind}: rebuild", seconds(build)),
        (f"add-one {kind}: total / full build{goal}", ratio(total, result.build)),
        (f"add-one {kind}: total / full build, cpu time", cpu_ratio(total, result.build)),
        (f"add-one {kind}: output = clean build", result.identical.get(kind, "not checked")),
        (f"peak RSS add-one {kind} (ingest, rebuild)", f"{rss(ingest)}, {rss(build)}"),
    ]


def table_rows(result: Result) -> list[tuple[str, str]]:
    n = result.size
    sample = result.ingest_sample
    return [
        ("ingest --jobs 1 (captures/s)", f"{rate(sample, result.ingest_1):.1f}"),
        ("ingest --jobs 2 (captures/s)", f"{rate(sample, result.ingest_all):.1f}"),
        ("trafilatura alone, 1 process (captures/s)", f"{rate(sample, result.trafilatura):.1f}"),
        ("ingest 2 cores / trafilatura (goal >= 1.5x)", ratio(result.trafilatura, result.ingest_all)),
        ("ingest cpu ms per capture, ours / trafilatura",
         f"{cpu_ms(sample, result.ingest_1)} / {cpu_ms(sample, result.trafilatura)}"),
        ("ingest 2 cores / 1 process", ratio(result.ingest_1, result.ingest_all)),
        ("ingest of all N, --jobs 2, once (captures/s)",
         f"{rate(n, result.ingest_archive):.1f}" if result.ingest_archive else "-"),
        ("full build, ours", seconds(result.build)),
        ("full build, vanilla Pelican", seconds(result.vanilla)),
        ("ours / vanilla (goal <= 1.0x)", ratio(result.build, result.vanilla)),
        ("ours / vanilla, cpu time", cpu_ratio(result.build, result.vanilla)),
        ("ours per briefing (ms)", f"{1000 * result.build.seconds / n:.2f}" if result.build else "-"),
        ("vanilla per briefing (ms)", f"{1000 * result.vanilla.seconds / n:.2f}" if result.vanilla else "-"),
        *add_one_rows(result, "news"),
        *add_one_rows(result, "backdated"),
        ("peak RSS ingest --jobs 1", rss(result.ingest_1)),
        ("peak RSS ingest --jobs 2 (largest process)", rss(result.ingest_all)),
        ("peak RSS trafilatura alone", rss(result.trafilatura)),
        ("peak RSS ingest of all N (largest process)", rss(result.ingest_archive)),
        ("peak RSS full build, ours", rss(result.build)),
        ("peak RSS full build, vanilla", rss(result.vanilla)),
        ("output, ours (bytes / files)", f"{human_bytes(result.output_bytes)} / {result.output_files:,}"),
        ("output, vanilla (bytes / files)", f"{human_bytes(result.vanilla_bytes)} / {result.vanilla_files:,}"),
        ("search index (all files / largest)", f"{human_bytes(result.search_bytes)} / "
                                               f"{human_bytes(result.search_largest)}"),
        ("search index bytes per briefing", f"{result.search_bytes / n:.0f}"),
    ]


def print_table(results: Sequence[Result], repeat: int) -> None:
    columns = [[value for _, value in table_rows(result)] for result in results]
    labels = [label for label, _ in table_rows(results[0])]
    header = ["N briefings"] + [f"{result.size:,}" for result in results]
    widths = [max(len(label) for label in labels + [header[0]])] + [
        max(len(header[i + 1]), *(len(value) for value in column)) for i, column in enumerate(columns)]
    print(f"\nbench-scale: medians of {repeat} run(s) (wall time, and cpu = user + system of the process tree); "
          f"peak RSS is the largest of the runs, {os.cpu_count()} cores")
    print("| " + " | ".join(cell.ljust(width) for cell, width in zip(header, widths)) + " |")
    print("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    for row, label in enumerate(labels):
        cells = [label] + [column[row] for column in columns]
        print("| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths)) + " |")
    for result in results:
        for note in result.notes:
            print(f"note (N={result.size:,}): {note}")


def print_real_table(results: Sequence[RealIngest], repeat: int) -> None:
    print(f"\ningest on real captures ({REAL_CORPUS.name}), medians of {repeat} run(s), each kind on its own")
    header = ("captures", "n", "--jobs 1 (c/s)", "--jobs 2 (c/s)", "trafilatura (c/s)",
              "2 cores / trafilatura (goal >= 1.5x)", "cpu ms per capture, ours / trafilatura")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for real in results:
        cells = (real.label, str(real.count), f"{rate(real.count, real.ingest_1):.1f}",
                 f"{rate(real.count, real.ingest_all):.1f}", f"{rate(real.count, real.trafilatura):.1f}",
                 ratio(real.trafilatura, real.ingest_all),
                 f"{cpu_ms(real.count, real.ingest_1)} / {cpu_ms(real.count, real.trafilatura)}")
        print("| " + " | ".join(cells) + " |")


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=lambda text: [int(size) for size in text.split(",")],
                        default=list(DEFAULT_SIZES), help="comma-separated N (default 1000,5000,20000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per step; medians are reported (default 3)")
    parser.add_argument("--work", type=Path, default=None,
                        help="keep captures, archives and logs here and reuse the captures next time "
                             "(default: a temporary folder, removed at the end)")
    parser.add_argument("--ingest-sample", type=int, default=1000,
                        help="measure ingest throughput (3 processes x --repeat runs) on the first K captures "
                             "(default 1000; 0 = all N); the archive of all N is still ingested once, with "
                             "--jobs 2, and that run is reported too")
    parser.add_argument("--direct-archive", action="store_true",
                        help="write the N briefings directly instead of ingesting them (fast; use with "
                             "--ingest-sample, which still measures ingest)")
    parser.add_argument("--no-identical-check", action="store_true",
                        help="skip the clean build that checks the add-one output is byte-identical")
    parser.add_argument("--no-real", action="store_true",
                        help="skip the ingest measurement on the real captures of extraction-dev")
    arguments = parser.parse_args(argv)
    if arguments.work and arguments.work.resolve().is_relative_to(REPO):
        parser.error(f"{arguments.work}: inside the repository; the corpus texts must stay outside it")
    return arguments


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    vanilla_pelican.check_markdown_installed()
    for folder in ("scripts", "plugins"):   # see the module's docstring
        compileall.compile_dir(REPO / folder, quiet=1)
    temporary = None if arguments.work else tempfile.TemporaryDirectory(prefix="bench-scale-")
    work = arguments.work or Path(temporary.name)  # type: ignore[union-attr]
    results = []
    try:
        for size in arguments.sizes:
            results.append(run_size(size, work, arguments, lambda text: print(text, file=sys.stderr, flush=True)))
            print_table(results, arguments.repeat)
        if not arguments.no_real:
            print("real captures: ingest", file=sys.stderr, flush=True)
            real = measure_real_ingest(work, arguments.repeat)
            if real:
                print_real_table(real, arguments.repeat)
            else:
                print(f"\nno real captures in {REAL_CORPUS}: that table is left out")
    except StepFailed as error:
        print(f"bench-scale: {error}", file=sys.stderr)
        if results:
            print_table(results, arguments.repeat)
        return 1
    finally:
        if temporary:
            temporary.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
