"""`briefings build` runs Pelican's command line in its own process: its exit status must still say how the build
ended (a failed build exits 1: tests/test_end_to_end.py)."""

from __future__ import annotations

import signal
from pathlib import Path

import pelican
import pytest

from briefings import cli


def test_a_build_stopped_by_ctrl_c_exits_130_although_pelican_returns(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    called: list[list[str]] = []

    def pelican_main(argv: list[str]) -> None:
        """What pelican.main does when Ctrl-C stops a build: it logs a warning and returns."""
        called.append(argv)
        try:
            signal.raise_signal(signal.SIGINT)
        except KeyboardInterrupt:
            return

    monkeypatch.setattr(pelican, "main", pelican_main)
    handler = signal.getsignal(signal.SIGINT)
    status = cli.main(["build", "--content", str(tmp_path / "content"), "--output", str(tmp_path / "output")])
    assert called and called[0][0] == str(tmp_path / "content") and "--fatal" in called[0]
    assert status == 130
    assert signal.getsignal(signal.SIGINT) is handler


def test_a_build_pelican_ends_normally_exits_0(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pelican, "main", lambda argv: None)
    assert cli.main(["build", "--content", str(tmp_path / "content")]) == 0
