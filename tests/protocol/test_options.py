"""The command's options (field=, loglevel=) and its log file, through the built command."""

import configparser
import shutil
from pathlib import Path
from typing import List

from hostnet_tools import scp

LOG_FILE = Path("var") / "log" / "splunk" / "ta_kubernetes_hostnet.log"
RECORDS = [{"_raw": "{}", "n": str(number)} for number in range(3)]


def test_unknown_option_is_a_clear_error(command_script: str, python: str) -> None:
    run = scp.run_command(command_script, python, [RECORDS], args=["nope=1"]).collect()

    assert any("nope" in text for text in run.errors), run.getinfo.metadata
    assert run.records == []


def test_bad_field_value_is_a_clear_error(command_script: str, python: str) -> None:
    run = scp.run_command(command_script, python, [RECORDS], args=["field=9 lives"]).collect()

    assert any("field" in text and "9 lives" in text for text in run.errors)
    assert run.records == []


def test_unknown_log_level_warns_and_every_event_comes_out(command_script: str, python: str) -> None:
    run = scp.run_command(command_script, python, [RECORDS], args=["loglevel=NOPE"]).collect()

    assert run.returncode == 0, run.stderr
    assert run.errors == []
    assert any(level == "WARN" and "NOPE" in text for level, text in run.messages), run.messages
    assert [record["n"] for record in run.records] == ["0", "1", "2"]


def _run_with_splunk_home(command_script: str, python: str, tmp_path: Path, args: List[str]) -> str:
    (tmp_path / LOG_FILE).parent.mkdir(parents=True)
    env = {"SPLUNK_HOME": str(tmp_path)}
    run = scp.run_command(command_script, python, [RECORDS], args=args, env=env).collect()
    assert run.returncode == 0, run.stderr
    assert len(run.records) == len(RECORDS)
    log = tmp_path / LOG_FILE
    return log.read_text(encoding="utf-8") if log.exists() else ""


def test_loglevel_debug_writes_debug_lines_to_the_add_on_log(
    command_script: str, python: str, tmp_path: Path
) -> None:
    log = _run_with_splunk_home(command_script, python, tmp_path, ["loglevel=DEBUG"])

    assert any(" DEBUG " in line for line in log.splitlines()), log


def test_default_level_from_the_app_conf_writes_no_debug_lines(
    command_script: str, python: str, tmp_path: Path, app_dir: Path
) -> None:
    settings = configparser.ConfigParser()
    settings.read(app_dir / "default" / "ta_kubernetes_hostnet_settings.conf")
    assert settings.get("logging", "loglevel") == "INFO", "the shipped default this test relies on"

    log = _run_with_splunk_home(command_script, python, tmp_path, [])

    assert not any(" DEBUG " in line for line in log.splitlines()), log


def test_level_saved_in_the_app_local_conf_is_used_without_loglevel(
    python: str, tmp_path: Path, app_dir: Path
) -> None:
    app_copy = tmp_path / "etc" / "apps" / app_dir.name
    shutil.copytree(app_dir, app_copy, symlinks=True)
    (app_copy / "local").mkdir(exist_ok=True)
    (app_copy / "local" / "ta_kubernetes_hostnet_settings.conf").write_text(
        "[logging]\nloglevel = DEBUG\n", encoding="utf-8"
    )

    log = _run_with_splunk_home(str(app_copy / "bin" / "hostnetcheck.py"), python, tmp_path, [])

    assert any(" DEBUG " in line for line in log.splitlines()), log


_HANDLER_CONF = """[loggers]
keys = root

[handlers]
keys = forwarding

[formatters]
keys =

[logger_root]
level = WARNING
handlers = forwarding

[handler_forwarding]
class = forwarding_handler.Handler
args = ()
"""
_HANDLER_MODULE = """import logging
from splunklib.client import connect  # noqa: F401 -- what a handler forwarding to splunkd imports


class Handler(logging.StreamHandler):
    pass
"""


def test_a_logging_conf_whose_handler_imports_splunklib_client_still_starts_the_command(
    app_dir: Path, python: str, tmp_path: Path
) -> None:
    # splunklib loads an admin's local/logging.conf while searchcommands is being imported, which is when
    # the command has a placeholder in place of splunklib.client (hostnet_sdk): every name must still be
    # splunklib.client's.
    app = tmp_path / app_dir.name
    shutil.copytree(app_dir, app)
    (app / "local").mkdir(exist_ok=True)
    (app / "local" / "logging.conf").write_text(_HANDLER_CONF, encoding="utf-8")
    (app / "bin" / "forwarding_handler.py").write_text(_HANDLER_MODULE, encoding="utf-8")

    run = scp.run_command(str(app / "bin" / "hostnetcheck.py"), python, [RECORDS]).collect()

    assert run.returncode == 0, run.stderr
    assert [record["n"] for record in run.records] == ["0", "1", "2"]
