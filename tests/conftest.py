"""Shared fixtures: the built add-on, Splunk's two Python interpreters, the copied reference data.

Tests that need the build FAIL when it is missing (never skip): a green run must mean the built command was
exercised. Build with `make package OUT=<dir>` and point HOSTNET_APP_DIR / HOSTNET_TARBALL at it.

Markers come from the fixtures a test uses, never by hand: `protocol` when it runs the built command
(`command_script`, or Splunk's interpreters through `python` / `interpreters` together with the build),
else `package` when it reads the build or its tarball (`app_dir`, `tarball`, and every fixture built on
them such as `conf`). So `make unit` (`-m "not protocol and not package"`) leaves out exactly the tests
that need `make package`; a test that runs Splunk's interpreters on scripts of its own stays a unit test.

Hypothesis runs under one of the profiles below, chosen by HOSTNET_HYPOTHESIS_PROFILE (default `suite`);
a test sets only what it needs on top (`@settings(max_examples=...)`), never a profile of its own.
"""

import glob
import gzip
import os
import subprocess
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional

import pytest
from hypothesis import HealthCheck, settings

from tests.support.paths import K8S_AUDIT, SPLUNKD

pytest_plugins = ("pytester",)

COMMAND = "hostnetcheck"
# Splunk 9.3-10.1 run add-on Python under 3.9, 10.2+ under 3.13: the command must work under both.
INTERPRETERS = {"3.9": "PY39", "3.13": "PY313"}

# A loaded 2-core CI machine can take longer than hypothesis's 200 ms per example: a deadline there is flaky,
# and nothing in this suite may depend on timing. The damaged-event strategies draw 200,000-character
# strings on purpose, which hypothesis's size health checks would otherwise reject.
settings.register_profile(
    "suite",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
# The same examples on every run, and a failure prints the blob that reproduces it.
settings.register_profile("ci", settings.get_profile("suite"), derandomize=True, print_blob=True)
# Ten times the default count, for a deliberate long run (a test's own max_examples still wins).
settings.register_profile("thorough", settings.get_profile("suite"), max_examples=1000)
settings.load_profile(os.environ.get("HOSTNET_HYPOTHESIS_PROFILE", "suite"))

# The fixtures that mean a test needs `make package`, and the ones that mean it runs what was built.
READS_THE_BUILD = frozenset({"app_dir", "tarball"})
RUNS_A_COMMAND = frozenset({"command_script", "interpreters"})


def derived_marker(fixturenames: Iterable[str]) -> Optional[str]:
    """`protocol`, `package` or None for a test that uses these fixtures (their closure)."""
    used = set(fixturenames)
    if "command_script" in used or (used & RUNS_A_COMMAND and used & READS_THE_BUILD):
        return "protocol"
    if used & READS_THE_BUILD:
        return "package"
    return None


def pytest_collection_modifyitems(items: List[pytest.Item]) -> None:
    # fixturenames is the closure: `python` brings `interpreters`; `conf`, `command_script` bring `app_dir`.
    for item in items:
        marker = derived_marker(getattr(item, "fixturenames", ()))
        if marker is not None:
            item.add_marker(marker)


def _pyenv_default(version: str) -> str:
    found = sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python{version}")))
    return found[-1] if found else ""


def _version_of(python: str) -> str:
    """`major.minor` of an interpreter, as it reports it itself (a path or a wrong PY39= can lie)."""
    result = subprocess.run(
        [python, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        pytest.fail(f"{python} does not run: {result.stderr.strip()}")
    major, minor = result.stdout.strip().strip("()").split(", ")
    return f"{major}.{minor}"


def _built(variable: str, what: str) -> Path:
    value = os.environ.get(variable, "")
    if not value:
        pytest.fail(f"{variable} is not set: run make package OUT=<dir> and set {variable} to {what}")
    path = Path(value)
    if not path.exists():
        pytest.fail(f"{variable}={value} does not exist: run make package (OUT=<dir>) first")
    return path


@pytest.fixture(scope="session")
def app_dir() -> Path:
    """The built add-on directory (`<OUT>/output/TA-kubernetes-hostnet`)."""
    app = _built("HOSTNET_APP_DIR", "<OUT>/output/TA-kubernetes-hostnet")
    if not (app / "bin" / f"{COMMAND}.py").is_file():
        pytest.fail(f"{app} has no bin/{COMMAND}.py: run make package (OUT=<dir>) to build it")
    return app


@pytest.fixture(scope="session")
def tarball() -> Path:
    """The packaged add-on (`<OUT>/dist/TA-kubernetes-hostnet-<version>.tar.gz`)."""
    return _built("HOSTNET_TARBALL", "<OUT>/dist/TA-kubernetes-hostnet-<version>.tar.gz")


@pytest.fixture(scope="session")
def command_script(app_dir: Path) -> str:
    """The command as splunkd starts it: the UCC-generated `bin/hostnetcheck.py` of the build."""
    return str(app_dir / "bin" / f"{COMMAND}.py")


@pytest.fixture(scope="session")
def interpreters() -> Dict[str, str]:
    """Splunk's interpreters by version: env PY39 / PY313, else the newest ~/.pyenv 3.9.* / 3.13.*."""
    found: Dict[str, str] = {}
    for version, variable in INTERPRETERS.items():
        path = os.environ.get(variable) or _pyenv_default(version)
        if not path or not os.access(path, os.X_OK):
            pytest.fail(f"no Python {version}: set {variable} to Splunk's Python {version} interpreter")
        actual = _version_of(path)
        if actual != version:
            pytest.fail(f"{variable}={path} is Python {actual}, not {version}: use Splunk's {version}")
        found[version] = path
    return found


@pytest.fixture(params=sorted(INTERPRETERS))
def python(request: pytest.FixtureRequest, interpreters: Dict[str, str]) -> str:
    """Each test that takes this runs once per Splunk interpreter."""
    return interpreters[request.param]


@pytest.fixture(scope="session")
def audit_events() -> Dict[str, str]:
    """The Falco audit events by file name, each as Splunk indexes it: the file's one line, no line break."""
    paths = sorted(K8S_AUDIT.glob("*.json"))
    return {path.name: path.read_text(encoding="utf-8").rstrip("\r\n") for path in paths}


@pytest.fixture(scope="session")
def splunkd_transcript() -> Callable[[str], bytes]:
    """Reads a recorded splunkd stream by name: `splunkd_transcript("countmatches")`."""

    def read(name: str) -> bytes:
        with gzip.open(SPLUNKD / f"{name}.input.gz", "rb") as recorded:
            return recorded.read()

    return read
