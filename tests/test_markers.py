"""The `protocol` and `package` markers follow from the fixtures a test uses (tests/conftest.py)."""

import pytest

# Collected, never run: the fixtures are the suite's real ones, so no build is needed to collect them.
SUITE = '''
import pytest

def test_plain():
    pass

def test_runs_the_command(command_script):
    pass

def test_runs_under_each_interpreter(python, app_dir):
    pass

def test_own_script_under_the_interpreters(interpreters):
    pass

def test_reads_the_build(app_dir):
    pass

def test_reads_the_tarball(tarball):
    pass

@pytest.fixture
def conf(app_dir):
    return app_dir

def test_reads_a_conf_of_the_build(conf):
    pass
'''
CONFTEST = """
from tests.conftest import app_dir, command_script, interpreters, python, tarball
from tests.conftest import pytest_collection_modifyitems
"""
MARKERS = """
[pytest]
addopts = --strict-markers
markers =
    protocol: runs the build
    package: reads the build
"""


def _selected(pytester: pytest.Pytester, expression: str) -> list:
    pytester.makeini(MARKERS)
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_suite=SUITE)
    result = pytester.runpytest("--collect-only", "-q", "-m", expression)
    return sorted(line.split("::")[1] for line in result.outlines if "::" in line)


def test_tests_that_run_the_built_command_are_protocol(pytester: pytest.Pytester) -> None:
    assert _selected(pytester, "protocol") == [
        "test_runs_the_command",
        "test_runs_under_each_interpreter[3.13]",
        "test_runs_under_each_interpreter[3.9]",
    ]


def test_tests_that_only_read_the_build_are_package(pytester: pytest.Pytester) -> None:
    assert _selected(pytester, "package") == [
        "test_reads_a_conf_of_the_build",
        "test_reads_the_build",
        "test_reads_the_tarball",
    ]


def test_make_unit_keeps_exactly_the_tests_that_need_no_build(pytester: pytest.Pytester) -> None:
    assert _selected(pytester, "not protocol and not package") == [
        "test_own_script_under_the_interpreters",
        "test_plain",
    ]
