"""Static checks of the code the add-on ships in bin/ (ours, not the vendored lib/): no dynamic code, no
deserialisation of code, no processes, no network, and no file writes except through the logging module.

An AST scan, so aliases (`import subprocess as sp`, `from os import system`) are caught where a text
search would not be. bandit (-ll: medium and high) runs on the same files as a second opinion.
"""

import ast
import json
import subprocess
import sys
from pathlib import Path
from typing import Iterator, List, Optional

import pytest

from tests.support.paths import REPO

SHIPPED_BIN = REPO / "package" / "bin"

# Modules whose import alone is a finding: code execution, deserialisation, processes, network, and the
# file-system writers (shutil, tempfile, pathlib) that would let a write bypass the `open` check below.
FORBIDDEN_MODULES = {
    "pickle", "cPickle", "_pickle", "marshal", "shelve", "dill", "code", "codeop",
    "subprocess", "multiprocessing", "pty", "ctypes", "cffi",
    "socket", "ssl", "socketserver", "asyncio", "selectors", "select",
    "urllib", "urllib2", "urllib3", "http", "httplib", "requests", "socks", "ftplib", "smtplib",
    "telnetlib", "poplib", "imaplib", "xmlrpc", "webbrowser",
    "shutil", "tempfile", "pathlib",
}  # fmt: skip
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "breakpoint", "input"}
# os functions that run processes or change the file system.
FORBIDDEN_OS = {
    "system", "popen", "fork", "forkpty", "kill", "killpg", "startfile",
    "open", "fdopen", "write", "writev", "pwrite", "truncate", "ftruncate",
    "remove", "unlink", "rmdir", "removedirs", "rename", "renames", "replace",
    "mkdir", "makedirs", "mkfifo", "mknod", "link", "symlink", "chmod", "chown", "lchown", "utime",
}  # fmt: skip
FORBIDDEN_OS_PREFIXES = ("exec", "spawn", "posix_spawn")
OPEN_CALLS = {"open", "io.open", "codecs.open"}
WRITE_MODE_CHARS = set("wax+")


def shipped_files() -> List[Path]:
    return sorted(path for path in SHIPPED_BIN.rglob("*.py") if "__pycache__" not in path.parts)


def _dotted(node: ast.AST) -> Optional[str]:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def _mode(call: ast.Call) -> Optional[ast.AST]:
    for keyword in call.keywords:
        if keyword.arg == "mode":
            return keyword.value
    return call.args[1] if len(call.args) > 1 else None


def _os_finding(name: str) -> bool:
    return name in FORBIDDEN_OS or name.startswith(FORBIDDEN_OS_PREFIXES)


def findings(source: str, filename: str = "<source>") -> Iterator[str]:
    """Each forbidden import or call in source, as `file:line: what`."""
    tree = ast.parse(source, filename)
    os_names = {"os"}  # names bound to the os module in this file
    for node in ast.walk(tree):
        where = f"{filename}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import):
            for alias in node.names:
                root = alias.name.split(".")[0]
                if root in FORBIDDEN_MODULES:
                    yield f"{where}: import {alias.name}"
                if alias.name == "os" and alias.asname:
                    os_names.add(alias.asname)
        elif isinstance(node, ast.ImportFrom) and node.module:
            root = node.module.split(".")[0]
            if root in FORBIDDEN_MODULES:
                yield f"{where}: from {node.module} import ..."
            if node.module == "os":
                for alias in node.names:
                    if _os_finding(alias.name):
                        yield f"{where}: from os import {alias.name}"
        elif isinstance(node, ast.Call):
            name = _dotted(node.func) or ""
            base, _, attr = name.rpartition(".")
            if name in FORBIDDEN_CALLS or (base in os_names and _os_finding(attr)):
                yield f"{where}: {name}()"
            elif name in OPEN_CALLS:
                mode = _mode(node)
                if mode is not None and not (
                    isinstance(mode, ast.Constant)
                    and isinstance(mode.value, str)
                    and not WRITE_MODE_CHARS & set(mode.value)
                ):
                    yield f"{where}: {name}() with a mode that may write"


def test_shipped_code_is_found() -> None:
    names = {path.name for path in shipped_files()}
    assert {"hostnetcheck_stream.py", "hostnet_logging.py", "assess.py"} <= names


@pytest.mark.parametrize("path", shipped_files(), ids=lambda path: str(path.relative_to(SHIPPED_BIN)))
def test_shipped_module_has_no_forbidden_import_or_call(path: Path) -> None:
    assert list(findings(path.read_text(encoding="utf-8"), str(path.relative_to(REPO)))) == []


@pytest.mark.parametrize(
    "source",
    [
        "import pickle",
        "import subprocess as sp",
        "from urllib.request import urlopen",
        "import http.client",
        "from socket import socket",
        "eval('1')",
        "exec('x = 1')",
        "compile('1', 'f', 'eval')",
        "__import__('os')",
        "import os\nos.system('id')",
        "import os as o\no.popen('id')",
        "from os import execv",
        "import os\nos.spawnl(0, 'x')",
        "import os\nos.remove('f')",
        "open('f', 'w')",
        "open('f', mode='a')",
        "open('f', 'r+')",
        "import io\nio.open('f', 'wb')",
        "m = 'w'\nopen('f', m)",
        "import shutil",
        "from pathlib import Path",
        "import tempfile",
    ],
)
def test_scanner_catches_each_forbidden_form(source: str) -> None:
    assert list(findings(source)) != []


@pytest.mark.parametrize(
    "source",
    ["open('f')", "open('f', 'r', encoding='utf-8')", "import os\nos.path.join('a', 'b')", "import logging"],
)
def test_scanner_lets_reads_and_logging_through(source: str) -> None:
    assert list(findings(source)) == []


def test_bandit_finds_no_medium_or_high_issue() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-r", str(SHIPPED_BIN), "-ll", "-f", "json", "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout)
    scanned = [name for name in report["metrics"] if name != "_totals"]
    assert len(scanned) == len(shipped_files()), "bandit did not scan every shipped module"
    issues = [
        f"{i['filename']}:{i['line_number']}: {i['test_id']} {i['issue_text']}" for i in report["results"]
    ]
    assert issues == [] and result.returncode == 0, "\n".join(issues) or result.stderr
