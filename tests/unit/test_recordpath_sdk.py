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


def test_the_vendored_splunklib_is_the_one_the_override_was_written_against(
    app_dir: Path, interpreters: Dict[str, str]
) -> None:
    check = (
        "import json, sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]; import hostnet_sdk; "
        "print(json.dumps([hostnet_sdk.version(), hostnet_sdk.problems()]))"
    )
    for python in interpreters.values():
        result = subprocess.run(
            [python, "-c", check, str(app_dir / "lib"), str(app_dir / "bin")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        version, problems = json.loads(result.stdout)
        assert (version, problems) == (hostnet_sdk.WRITTEN_AGAINST, []), python
