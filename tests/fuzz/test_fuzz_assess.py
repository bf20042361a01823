"""Runs the atheris target (fuzz_assess.py) for a fixed number of inputs; `make fuzz` runs it for 600 s.

A fixed run count and seed (not -max_total_time) make every run explore the same inputs on any machine, so
a crash found here is reproducible and a green run means the same thing everywhere. The test fails only on a
crash (a broken invariant or an exception escaping assess).
"""

import shutil
import subprocess
import sys
from pathlib import Path

from tests.support.paths import K8S_AUDIT

# About 6 s on the 2-core CI machine (~1000 inputs/s).
FUZZ_RUNS = 6000
FUZZ_SEED = 1
TARGET = Path(__file__).resolve().parent / "fuzz_assess.py"
# libFuzzer's -rss_limit_mb (2 GB) reads the process's peak RSS, and on Linux a process started from pytest
# (vfork, then exec) begins with pytest's own peak: after a test that held 2 GB the fuzzer stops at its
# first input with "out-of-memory". Started from a small launcher instead, it counts only its own memory.
_LAUNCH = "import subprocess, sys; sys.exit(subprocess.run(sys.argv[1:]).returncode)"


def test_fuzzer_finds_no_crash_from_the_real_events(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in K8S_AUDIT.glob("*.json"):
        shutil.copy(seed, corpus / seed.name)
    artifacts = tmp_path / "artifacts"
    artifacts.mkdir()
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            _LAUNCH,
            sys.executable,
            str(TARGET),
            str(corpus),
            f"-runs={FUZZ_RUNS}",
            f"-seed={FUZZ_SEED}",
            f"-artifact_prefix={artifacts}/",
            "-print_final_stats=1",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    crashes = sorted(path.name for path in artifacts.iterdir())
    assert result.returncode == 0 and not crashes, (
        f"crashes {crashes} in {artifacts}:\n{result.stderr[-4000:]}"
    )
    assert f"stat::number_of_executed_units: {FUZZ_RUNS}\n" in result.stderr, result.stderr[-2000:]
