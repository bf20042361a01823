"""The oracle: tests/oracle/main.go, built by `make oracle` into <OUT>/build/oracle (HOSTNET_ORACLE).

Tests that need it FAIL when it is missing (never skip): a green run must mean the engine was compared with
the API server's own libraries.
"""

import os
from pathlib import Path
from typing import Iterator

import pytest

from tests.support.oracle import Oracle


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
