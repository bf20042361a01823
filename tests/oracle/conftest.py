"""The oracle: tests/oracle/main.go, built by `make oracle` into <OUT>/build/oracle (HOSTNET_ORACLE).

Tests that need it FAIL when it is missing (never skip): a green run must mean the engine was compared with
the API server's own libraries.
"""

import json
import os
import subprocess
from pathlib import Path
from typing import Iterator, Tuple

import pytest


class Oracle:
    """One long-running oracle process, asked one request per line."""

    def __init__(self, executable: Path) -> None:
        self.process = subprocess.Popen(
            [str(executable)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def ask(self, kind: str, patch_type: str, base: str, patch: str) -> Tuple[bool, str]:
        """(hostNetwork of the patched object, "" or why the API server rejects the request)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        request = {"kind": kind, "type": patch_type, "base": base, "patch": patch}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            pytest.fail(f"the oracle exited (code {self.process.poll()}) on {request}")
        answer = json.loads(line)
        return answer["hostNetwork"], answer["error"]

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture(scope="session")
def oracle() -> Iterator[Oracle]:
    value = os.environ.get("HOSTNET_ORACLE", "")
    if not value:
        pytest.fail("HOSTNET_ORACLE is not set: run the tests through make (make oracle builds it)")
    executable = Path(value)
    if not (executable.is_file() and os.access(executable, os.X_OK)):
        pytest.fail(f"HOSTNET_ORACLE={value} is not an executable: run make oracle first")
    running = Oracle(executable)
    yield running
    running.close()
