"""`briefings serve` serves an output folder on localhost, as a reader's browser would fetch it."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_answers_with_the_output_folder_s_files(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!DOCTYPE html><title>Briefings</title>", encoding="utf-8")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "briefings.cli", "serve", "--output", str(tmp_path),
                               "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=2) as response:
                    assert response.read() == b"<!DOCTYPE html><title>Briefings</title>"
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, server.stderr.read() if server.stderr else ""
                time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=10)
