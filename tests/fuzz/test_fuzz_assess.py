"""Runs the atheris target (fuzz_assess.py) for a bounded time; `make fuzz` runs it for longer.

The run is bounded by libFuzzer's -max_total_time, not judged by it: the test fails only on a crash (a
broken invariant or an exception escaping assess), whatever the machine's speed.
"""

import shutil
import subprocess
import sys
from pathlib import Path

FUZZ_SECONDS = 20
TARGET = Path(__file__).resolve().parent / "fuzz_assess.py"
SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "k8s-audit"


def test_fuzzer_finds_no_crash_from_the_real_events(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in SEEDS.glob("*.json"):
        shutil.copy(seed, corpus / seed.name)
    artifacts = tmp_path / "artifacts"
    artifacts.mkdir()
    result = subprocess.run(
        [
            sys.executable,
            str(TARGET),
            str(corpus),
            f"-max_total_time={FUZZ_SECONDS}",
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
    assert "stat::number_of_executed_units" in result.stderr, result.stderr[-2000:]
