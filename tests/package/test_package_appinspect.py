"""The package passes Splunk AppInspect's Cloud checks: no failure, error or future failure.

The remaining warnings are listed, with why each is acceptable, in the README (Splunk AppInspect).
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.appinspect_report import BLOCKING, blocking_count, findings

APPINSPECT = Path(sys.executable).parent / "splunk-appinspect"


def _report(result: str, summary_count: int):
    message = {
        "result": result, "message": "bad thing", "message_filename": "default/x.conf", "message_line": 3,
    }
    return {
        "summary": {result: summary_count, "success": 1},
        "reports": [{"groups": [{"checks": [
            {"name": "check_ok", "result": "success", "messages": []},
            {"name": "check_bad", "result": result, "messages": [message]},
        ]}]}],
    }


@pytest.mark.parametrize("result", BLOCKING)
def test_report_reader_lists_each_blocking_result(result):
    report = _report(result, 1)
    assert blocking_count(report) == 1
    assert [str(f) for f in findings(report)] == [f"{result}: check_bad: bad thing (default/x.conf:3)"]


def test_report_reader_lets_warnings_through():
    report = _report("warning", 1)
    assert blocking_count(report) == 0
    assert findings(report) == []
    assert len(findings(report, ("warning",))) == 1
def test_appinspect_cloud_precert_has_no_failures(tarball, tmp_path):
    output = tmp_path / "appinspect.json"
    completed = subprocess.run(
        [str(APPINSPECT), "inspect", str(tarball), "--mode", "precert", "--included-tags", "cloud",
         "--data-format", "json", "--output-file", str(output)],
        capture_output=True, text=True, timeout=900, check=False,
    )
    assert output.is_file(), f"no report (exit {completed.returncode}):\n{completed.stderr[-3000:]}"
    report = json.loads(output.read_text(encoding="utf-8"))
    problems = findings(report)
    assert not problems and blocking_count(report) == 0, "\n".join(map(str, problems)) or report["summary"]
