"""The private parts of splunklib the record path relies on (hostnet_sdk) are those of the vendored splunklib,
which must be the version they were written against: under both of Splunk's interpreters, in the build."""

import json
import subprocess
from pathlib import Path
from typing import Dict

import pytest

import hostnet_sdk
from tests.support.paths import REPO

REQUIREMENTS = REPO / "package" / "lib" / "requirements.txt"


def test_the_pinned_splunklib_is_the_one_the_override_was_written_against() -> None:
    pins = [line.strip() for line in REQUIREMENTS.read_text(encoding="utf-8").splitlines()]

    assert f"splunk-sdk=={hostnet_sdk.WRITTEN_AGAINST}" in pins


def test_this_splunklib_has_every_private_part_unchanged() -> None:
    assert hostnet_sdk.problems() == []


def test_a_changed_private_method_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(hostnet_sdk.MIRRORED, "RecordWriter._write_record", "0" * 16)
    monkeypatch.setattr(hostnet_sdk, "USED", (*hostnet_sdk.USED, "RecordWriter._no_such_attribute"))

    found = hostnet_sdk.problems()

    assert any("RecordWriter._write_record" in problem for problem in found), found
    assert any("RecordWriter._no_such_attribute" in problem for problem in found), found


def test_another_splunklib_version_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hostnet_sdk, "SUPPORTED", False)

    assert hostnet_sdk.problems()[0].startswith(f"splunklib {hostnet_sdk.version()} is not")


def _in_the_built_app(python: str, app_dir: Path, code: str) -> object:
    """What `code`, run by `python` with the built app's lib/ and bin/ first on sys.path, prints (JSON)."""
    paths = [str(app_dir / "lib"), str(app_dir / "bin")]
    result = subprocess.run(
        [python, "-c", "import sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]; " + code, *paths],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_vendored_splunklib_is_the_one_the_override_was_written_against(
    app_dir: Path, interpreters: Dict[str, str]
) -> None:
    check = "import json, hostnet_sdk; print(json.dumps([hostnet_sdk.version(), hostnet_sdk.problems()]))"
    for python in interpreters.values():
        assert _in_the_built_app(python, app_dir, check) == [hostnet_sdk.WRITTEN_AGAINST, []], python


def test_the_command_starts_without_splunklib_client_and_service_still_works(
    app_dir: Path, interpreters: Dict[str, str]
) -> None:
    check = (
        "import json, hostnet_sdk, hostnetcheck_stream; "
        "loaded = 'splunklib.client' in sys.modules; "
        "from splunklib.searchcommands import search_command; "
        "service = search_command.Service(host='localhost', port=8089, token='t'); "
        "import splunklib.client as client; "
        "print(json.dumps([loaded, type(service) is client.Service, isinstance(client.Service, type)]))"
    )
    for python in interpreters.values():
        assert _in_the_built_app(python, app_dir, check) == [False, True, True], python


def test_another_splunklib_is_imported_as_it_is(app_dir: Path, interpreters: Dict[str, str]) -> None:
    # Its searchcommands may import more of splunklib.client than Service: no placeholder stands in for it.
    check = (
        "import json, splunklib; splunklib.__version__ = '9.9.9'; import hostnet_sdk; "
        "loaded = 'splunklib.client' in sys.modules; "
        "from splunklib.searchcommands import search_command; import splunklib.client as client; "
        "print(json.dumps([loaded, search_command.Service is client.Service]))"
    )
    for python in interpreters.values():
        assert _in_the_built_app(python, app_dir, check) == [True, True], python
