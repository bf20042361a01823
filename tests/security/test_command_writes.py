"""At run time the command writes nothing but its log: a search under Python 3.9 and 3.13 on a copy of the
built add-on, with SPLUNK_HOME, HOME, TMPDIR and the dispatch directory all inside one temporary tree;
afterwards the only file that is new or changed anywhere in that tree is the add-on's log.

Bytecode caching is switched off (PYTHONDONTWRITEBYTECODE): __pycache__ is the interpreter's doing, not
the command's.
"""

import shutil
from pathlib import Path
from typing import Dict, Tuple

from hostnet_logging import LOG_FILE_NAME
from hostnet_tools import scp

Snapshot = Dict[str, Tuple[int, int]]


def _snapshot(root: Path) -> Snapshot:
    return {
        str(path.relative_to(root)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in root.rglob("*")
        if path.is_file() or path.is_dir()
    }


def test_search_writes_only_the_log(
    tmp_path: Path, app_dir: Path, python: str, audit_events: Dict[str, str]
) -> None:
    app = tmp_path / "splunk" / "etc" / "apps" / app_dir.name
    shutil.copytree(app_dir, app, ignore=shutil.ignore_patterns("__pycache__"))
    log_dir = tmp_path / "splunk" / "var" / "log" / "splunk"
    dispatch = tmp_path / "splunk" / "var" / "run" / "splunk" / "dispatch" / "1700000000.1"
    for directory in (log_dir, dispatch, tmp_path / "home", tmp_path / "tmp"):
        directory.mkdir(parents=True)
    env = {
        "SPLUNK_HOME": str(tmp_path / "splunk"),
        "HOME": str(tmp_path / "home"),
        "TMPDIR": str(tmp_path / "tmp"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    records = [{"_raw": text} for text in audit_events.values()] + [{"_raw": "not JSON"}, {"other": "x"}]
    before = _snapshot(tmp_path)

    run = scp.run_command(
        str(app / "bin" / "hostnetcheck.py"),
        python,
        [records, records],
        args=["loglevel=DEBUG"],
        env=env,
        dispatch_dir=str(dispatch),
    ).collect()

    assert run.returncode == 0, run.stderr
    assert len(run.records) == 2 * len(records)
    after = _snapshot(tmp_path)
    changed = sorted(name for name, stat in after.items() if before.get(name) != stat)
    log = str((log_dir / LOG_FILE_NAME).relative_to(tmp_path))
    # The log's directory changes only because the log file was created in it.
    assert [name for name in changed if name != str(log_dir.relative_to(tmp_path))] == [log]
    assert (log_dir / LOG_FILE_NAME).stat().st_size > 0
