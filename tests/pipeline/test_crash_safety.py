"""`kill -9` in the middle of an ingest of hundreds of captures leaves no partial briefing; a re-run completes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from briefings.write_briefing import read_existing

ROOT = Path(__file__).resolve().parents[2]
BRIEFINGS_CLI = Path(sys.executable).with_name("briefings")
CAPTURES = 500


def capture(number: int) -> str:
    paragraphs = "\n\n".join(
        f"Report {number}, part {part}: the regional council in district {number} approved repairs to "
        f"{part + 3} bridges and {number % 7 + 2} schools on Tuesday, after a debate of {part + 2} hours "
        f"about the cost of materials, code {number * 31 + part}."
        for part in range(6))
    return f"Council approves repairs in district {number} | Local | council-news.example\n\n{paragraphs}\n"


def test_killed_ingest_leaves_only_whole_briefings_and_a_rerun_completes(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for number in range(CAPTURES):
        (inbox / f"district-{number:03d}.txt").write_text(capture(number), encoding="utf-8")
    briefings = tmp_path / "briefings"
    command = [str(BRIEFINGS_CLI), "ingest", str(inbox), "--briefings", str(briefings),
               "--taxonomy", str(ROOT / "content" / "taxonomy"), "--jobs", "2"]

    running = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    while len(list(briefings.glob("*.md"))) < 10 and running.poll() is None:
        time.sleep(0.02)
    assert running.poll() is None, "the ingest finished before it could be killed: make the inbox larger"
    os.killpg(running.pid, signal.SIGKILL)  # the whole process group: the ingest and its workers
    running.wait()
    assert running.returncode == -signal.SIGKILL

    partial = list(briefings.glob("*.md"))
    assert 10 <= len(partial) < CAPTURES
    assert [path for path in partial if read_existing(path).hand_edited] == [], "a briefing was cut short"

    rerun = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert rerun.returncode == 0, rerun.stderr
    assert len(list(briefings.glob("*.md"))) == CAPTURES
    assert list(briefings.glob("tmp-*")) == []
    assert f"{len(partial)} unchanged" in rerun.stdout
