"""Measuring one benchmark step: wall time and peak memory of a command, sizes of what it wrote.

Each step runs as its own process tree under GNU time (/usr/bin/time), whose %M is the largest resident set of
the process or of any descendant it waited for (Pelican started by `briefings build`, ingest's worker
processes): the peak of the biggest single process, not the sum over parallel workers. It is read there and
not from our own os.wait4, because Linux counts a child's memory from before its exec, a copy of the parent's,
in its peak: every step would then weigh at least as much as this benchmark process.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

LOG_TAIL_CHARS = 3000
GNU_TIME = "/usr/bin/time"


class StepFailed(RuntimeError):
    """A measured command exited with a non-zero status."""


@dataclass(frozen=True, slots=True)
class Step:
    seconds: float
    peak_rss: int        # bytes
    cpu_seconds: float = 0.0  # user + system time of the whole process tree: steadier than wall time on a
                              # machine shared with other work, but blind to what parallelism gains


def run_measured(command: Sequence[str], cwd: Path, log: Path, env: dict[str, str] | None = None) -> Step:
    """Run the command to its end; returns its wall time and peak RSS. Raises StepFailed with the log's tail."""
    log.parent.mkdir(parents=True, exist_ok=True)
    usage = log.with_suffix(".time")
    timed = [GNU_TIME, "--format", "%M %U %S", "--output", str(usage), *command]
    with open(log, "w", encoding="utf-8") as output:
        start = time.perf_counter()
        status = subprocess.run(timed, cwd=cwd, stdout=output, stderr=subprocess.STDOUT, check=False,
                                env={**os.environ, **(env or {})}).returncode
        seconds = time.perf_counter() - start
    if status != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-LOG_TAIL_CHARS:]
        raise StepFailed(f"{' '.join(command)} exited with {status} (log {log}):\n{tail}")
    kilobytes, user, system = usage.read_text(encoding="utf-8").split()[-3:]
    return Step(seconds=seconds, peak_rss=int(kilobytes) * 1024, cpu_seconds=float(user) + float(system))


def median_step(steps: Sequence[Step]) -> Step:
    """The median times and the largest peak RSS of repeated runs of one step."""
    return Step(seconds=statistics.median(step.seconds for step in steps), peak_rss=max(s.peak_rss for s in steps),
                cpu_seconds=statistics.median(step.cpu_seconds for step in steps))


def tree_size(folder: Path, exclude_suffix: str = "") -> tuple[int, int]:
    """(bytes, files) of every regular file below folder, leaving out names ending in exclude_suffix."""
    total = files = 0
    for path in folder.rglob("*"):
        if path.is_file() and not (exclude_suffix and path.name.endswith(exclude_suffix)):
            total += path.stat().st_size
            files += 1
    return total, files


def differing_files(left: Path, right: Path) -> list[str]:
    """Relative paths present in only one of two trees or with different bytes, sorted."""
    def listing(root: Path) -> dict[str, Path]:
        return {path.relative_to(root).as_posix(): path for path in root.rglob("*") if path.is_file()}

    a, b = listing(left), listing(right)
    differ = set(a) ^ set(b)
    differ.update(name for name in set(a) & set(b) if a[name].read_bytes() != b[name].read_bytes())
    return sorted(differ)


def python() -> str:
    """The interpreter running the benchmark (the project's virtualenv under `make`)."""
    return sys.executable


def human_bytes(count: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if abs(count) < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} GB"
