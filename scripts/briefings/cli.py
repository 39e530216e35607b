"""The `briefings` command line: find inputs, run the stages, report, set the exit code.

Only this module catches PipelineError: one line per failed file on stderr, the rest of the run carries on,
and the exit status is 1 when anything failed.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import signal
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING
from pathlib import Path

from briefings import __version__
from briefings.errors import PipelineError
from briefings.names import printable_path
from briefings.project import PROJECT_ROOT, settings_file

if TYPE_CHECKING:
    from briefings.prepare import TaggingFiles

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
# Each command imports what it needs when it runs: `briefings build` then starts without the cleaning and tagging
# code (0.2 s of every rebuild). The extract formats are briefings.to_formats.FORMATS (a test checks they match).
EXTRACT_FORMATS = ("json", "markdown", "text")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; returns the process exit status."""
    parser = build_parser()
    arguments = parser.parse_args(argv)
    try:
        return int(arguments.run(arguments))
    except PipelineError as error:
        print(f"briefings: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefings", description="Curated briefing archives: raw article "
                                     "captures in; a searchable static site, feeds and an offline bundle out.")
    parser.add_argument("--version", action="version", version=f"briefings {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    command = commands.add_parser("ingest", help="raw captures -> briefings in content/briefings/",
                                  description="Clean, tag and summarise raw captures into Markdown briefings. "
                                  "Captures are never modified; briefings edited by hand are never overwritten.")
    command.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                         help="capture files or folders (default: content/raw/)")
    add_content_options(command)
    command.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)),
                         help="worker processes (default: all cores)")
    command.add_argument("--force", action="store_true",
                         help="process captures that already have a briefing again (hand edits still kept)")
    command.set_defaults(run=run_ingest)

    command = commands.add_parser("extract", help="the cleaning step alone",
                                  description="Write the cleaned body of each capture to DIR/<stem>.<ext>.")
    command.add_argument("--format", choices=EXTRACT_FORMATS, default="text",
                         help="text: one paragraph per line; markdown: the body as Markdown; json: body + metadata")
    command.add_argument("--out", type=Path, required=True, metavar="DIR")
    command.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    command.set_defaults(run=run_extract)

    command = commands.add_parser("tag", help="topics and entities of captures or briefings, as JSON lines")
    command.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    command.add_argument("--explain", action="store_true", help="add the signals that fired and the scores")
    add_content_options(command)
    command.set_defaults(run=run_tag)

    command = commands.add_parser("build", help="build the site with Pelican (fatal warnings)")
    add_site_options(command)
    command.add_argument("--siteurl", help="the site's public URL, used in feeds (default: from pelican.conf.py)")
    command.add_argument("--full", action="store_true",
                         help="render every page from scratch, ignoring what the last build left (the result is the "
                              "same; only slower)")
    command.set_defaults(run=run_build)

    command = commands.add_parser("serve", help="preview the built site on http://127.0.0.1:PORT/")
    command.add_argument("--output", type=Path, default=Path("output"), metavar="DIR")
    command.add_argument("--port", type=int, default=8000)
    command.set_defaults(run=run_serve)

    command = commands.add_parser("bundle", help="(re)write output/briefings-offline.zip from the built site")
    command.add_argument("--output", type=Path, default=Path("output"), metavar="DIR")
    command.set_defaults(run=run_bundle)
    return parser


def add_content_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--briefings", type=Path, default=Path("content/briefings"), metavar="DIR",
                         help="where briefings are written (default: content/briefings)")
    command.add_argument("--taxonomy", type=Path, default=None, metavar="DIR",
                         help="folder with topics.toml and entities.toml (default: content/taxonomy)")


def add_site_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--settings", type=Path, default=None, metavar="FILE",
                         help="Pelican settings (default: pelican.conf.py of the project)")
    command.add_argument("--content", type=Path, default=None, metavar="DIR", help="content folder")
    command.add_argument("--output", type=Path, default=None, metavar="DIR", help="output folder")


def tagging_files(taxonomy: Path | None) -> TaggingFiles:
    from briefings.prepare import TaggingFiles

    folder = taxonomy or _existing(Path("content/taxonomy"), PROJECT_ROOT / "content/taxonomy")
    return TaggingFiles(topics=(folder / "topics.toml").resolve(), entities=(folder / "entities.toml").resolve())


def _existing(*candidates: Path) -> Path:
    return next((path for path in candidates if path.exists()), candidates[-1])


def run_ingest(arguments: argparse.Namespace) -> int:
    # numpy's OpenBLAS starts a thread per core as it loads, and each spins for about 0.1 s of CPU before it
    # sleeps, taking a core from the ingest; ingest never calls BLAS. Read once, when numpy is first imported.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # Imported here: duplicate detection pulls in numpy, which the other commands do not need.
    from briefings.ingest import IngestSettings, ingest

    paths = arguments.paths or [Path("content/raw")]
    settings = IngestSettings(briefings_dir=arguments.briefings, tagging=tagging_files(arguments.taxonomy),
                              project_root=Path.cwd(), jobs=max(1, arguments.jobs), force=arguments.force)
    progress = ProgressBar() if sys.stderr.isatty() else None
    report = ingest(paths, settings, progress=progress)
    if progress:
        progress.finish()
    for notice in report.notices:
        if notice.message:
            print(notice.message, file=sys.stderr)
    print(report.summary())
    return EXIT_FAILED if report.failed else EXIT_OK


class ProgressBar:
    """A one-line progress bar on stderr, drawn only on a terminal."""

    WIDTH = 30

    def __call__(self, done: int, total: int) -> None:
        filled = self.WIDTH * done // max(total, 1)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total}")
        sys.stderr.flush()

    def finish(self) -> None:
        sys.stderr.write("\n")


def run_extract(arguments: argparse.Namespace) -> int:
    from briefings.to_formats import write_extracted

    failed = False
    for path in arguments.paths:
        try:
            write_extracted(path, arguments.out, arguments.format)
        except PipelineError as error:
            print(f"briefings: {error}", file=sys.stderr)
            failed = True
    return EXIT_FAILED if failed else EXIT_OK


def run_tag(arguments: argparse.Namespace) -> int:
    from briefings.prepare import load_tagging_rules
    from briefings.tag_topics import explain_document, tag_document
    from briefings.to_formats import document_for_tagging

    taxonomy, gazetteer = load_tagging_rules(tagging_files(arguments.taxonomy))
    failed = False
    for path in arguments.paths:
        try:
            document = document_for_tagging(path)
        except PipelineError as error:
            print(f"briefings: {error}", file=sys.stderr)
            failed = True
            continue
        tagging = tag_document(document, taxonomy, gazetteer)
        record: dict[str, object] = {
            "path": str(path), "topics": list(tagging.topics),
            "entities": [{"name": entity.name, "kind": entity.kind} for entity in tagging.entities]}
        if arguments.explain:
            record["explain"] = explain_document(document, taxonomy, gazetteer)
        print(json.dumps(record, ensure_ascii=False, sort_keys=True))
    return EXIT_FAILED if failed else EXIT_OK


def run_build(arguments: argparse.Namespace) -> int:
    settings = arguments.settings or settings_file()
    content = arguments.content or settings.parent / "content"
    # The content cache and the incremental-build state live beside the content folder's project.
    cache = content.resolve().parent / ".briefings-cache" / "build"
    command = [str(content), "--settings", str(settings), "--fatal", "warnings", "--cache-path", str(cache)]
    if arguments.output:
        command += ["--output", str(arguments.output)]
    if arguments.siteurl:
        command += ["--extra-settings", f"SITEURL={json.dumps(arguments.siteurl)}"]
    if arguments.full:
        command += ["--ignore-cache", "--extra-settings", "BRIEFING_FULL_BUILD=true"]
    return run_pelican(command)


def run_pelican(command: list[str]) -> int:
    """Pelican's own command line, in this process (a second interpreter cost a start-up on every rebuild). It
    exits with its error's code when the build fails, and returns when it succeeds, but also when Ctrl-C stopped
    it (it logs a warning): an interrupted build must not exit 0, so the interrupt is noticed here."""
    import pelican  # here, not at the top: 0.2 s of every other command's start

    interrupts: list[int] = []

    def notice(signal_number: int, frame: object) -> None:
        interrupts.append(signal_number)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, notice)
    try:
        pelican.main(command)
    except SystemExit as stop:   # sys.exit(code) when the build failed
        if isinstance(stop.code, int):
            return stop.code
        return EXIT_FAILED if stop.code else EXIT_OK
    finally:
        signal.signal(signal.SIGINT, previous)
    if interrupts:
        raise KeyboardInterrupt  # main() exits 130
    return EXIT_OK


def run_serve(arguments: argparse.Namespace) -> int:
    import http.server  # here, not at the top: 40 ms of every other command's start

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(arguments.output))
    with http.server.ThreadingHTTPServer(("127.0.0.1", arguments.port), handler) as server:
        print(f"Serving {printable_path(arguments.output)} on http://127.0.0.1:{arguments.port}/ (Ctrl-C stops)")
        server.serve_forever()
    return EXIT_OK


def run_bundle(arguments: argparse.Namespace) -> int:
    sys.path.insert(0, str(PROJECT_ROOT / "plugins"))
    from briefing_bundle.bundle import write_bundle  # the Pelican plugin's own function, so both zip alike

    print(write_bundle(arguments.output))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
