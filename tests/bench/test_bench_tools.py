"""The benchmarks' own tools (scripts/bench/): what they measure is what they report, and bench-scale runs from
end to end. The end-to-end run needs the corpus in ../shared (the synthetic captures are made from its
paragraphs) and is skipped without it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "scripts" / "bench"
sys.path.insert(0, str(BENCH))

import scale  # noqa: E402
import synthetic  # noqa: E402
from measure import Step, StepFailed, differing_files, median_step, run_measured  # noqa: E402

MB = 1024 * 1024


def test_a_measured_step_reports_the_command_s_time_peak_memory_and_cpu(tmp_path: Path) -> None:
    # 64 MB held and a fifth of a second of CPU spent, by a process that is not this one.
    burn = ("import time; block = bytearray(64 * 1024 * 1024); block[::4096] = b'x' * len(block[::4096]); "
            "end = time.process_time() + 0.2\nwhile time.process_time() < end: pass")
    step = run_measured([sys.executable, "-c", burn], cwd=tmp_path, log=tmp_path / "burn.log")
    assert step.peak_rss >= 64 * MB
    assert step.cpu_seconds >= 0.2
    assert step.seconds >= 0.2


def test_a_failed_step_raises_with_the_end_of_its_log(tmp_path: Path) -> None:
    fail = "import sys; print('the last words'); sys.exit(3)"
    with pytest.raises(StepFailed, match="exited with 3[^$]*the last words"):
        run_measured([sys.executable, "-c", fail], cwd=tmp_path, log=tmp_path / "fail.log")


def test_repeated_runs_give_the_median_times_and_the_largest_peak() -> None:
    runs = [Step(3.0, 10, 2.0), Step(1.0, 30, 9.0), Step(2.0, 20, 1.0)]
    assert median_step(runs) == Step(seconds=2.0, peak_rss=30, cpu_seconds=2.0)


def test_differing_files_names_files_missing_on_either_side_and_files_with_other_bytes(tmp_path: Path) -> None:
    for side, files in (("a", {"same.html": "x", "changed.html": "1", "only-a.js": ""}),
                        ("b", {"same.html": "x", "changed.html": "2", "sub/only-b.js": ""})):
        for name, text in files.items():
            (tmp_path / side / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / side / name).write_text(text, encoding="utf-8")
    assert differing_files(tmp_path / "a", tmp_path / "b") == ["changed.html", "only-a.js", "sub/only-b.js"]


def test_the_add_one_ratio_adds_the_ingest_to_the_rebuild() -> None:
    result = scale.Result(size=10, build=Step(20.0, 300, 19.0))
    result.add_one["news"] = (Step(0.5, 90, 0.4), Step(2.5, 200, 2.4))
    assert scale.add_one_total(result, "news") == Step(3.0, 200, 2.8)
    rows = dict(scale.add_one_rows(result, "news"))
    assert rows["add-one news: total / full build (goal <= 0.15x)"] == "0.15x"
    assert rows["add-one news: total / full build, cpu time"] == "0.15x"
    assert scale.add_one_total(result, "backdated") is None


needs_corpus = pytest.mark.skipif(not (synthetic.CORPUS / "extraction-dev").is_dir(),
                                  reason="the synthetic captures are made from ../shared/corpus")


@needs_corpus
def test_bench_scale_runs_from_end_to_end_and_finds_the_add_one_output_identical(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert scale.main(["--sizes", "12", "--repeat", "1", "--no-real", "--work", str(tmp_path)]) == 0
    table = dict(line.strip("|").split("|")[:2] for line in capsys.readouterr().out.splitlines()
                 if line.startswith("| ") and line.count("|") == 3)
    table = {key.strip(): value.strip() for key, value in table.items()}
    assert table["N briefings"] == "12"
    assert table["add-one news: output = clean build"] == "yes"
    assert table["add-one backdated: output = clean build"] == "yes"
    for row in ("ingest 2 cores / trafilatura (goal >= 1.5x)", "ours / vanilla (goal <= 1.0x)",
                "add-one news: total / full build (goal <= 0.15x)"):
        assert table[row].endswith("x") and float(table[row][:-1]) > 0
    # Twelve captures, each its own briefing, plus one of each add-one kind per repetition.
    assert len(list((tmp_path / "n12" / "project" / "content" / "briefings").glob("*.md"))) == 14


@needs_corpus
def test_synthetic_captures_are_the_same_for_the_same_index_and_seed(tmp_path: Path) -> None:
    first = synthetic.generate(3, tmp_path / "first", start=40)
    again = synthetic.generate(3, tmp_path / "again", start=40)
    other = synthetic.generate(3, tmp_path / "other", start=40, seed=synthetic.SEED + 1)
    assert [path.read_bytes() for path in first] == [path.read_bytes() for path in again]
    assert [path.read_bytes() for path in first] != [path.read_bytes() for path in other]
