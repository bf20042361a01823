"""What the .tar.gz holds: one app directory, the Splunk content, and nothing compiled or left over."""

import configparser
import stat
import tarfile

import pytest

APP_ID = "TA-kubernetes-hostnet"
COMPILED_SUFFIXES = (".so", ".pyd", ".dll", ".dylib", ".exe", ".pyc", ".pyo")
REQUIRED = (
    "default/app.conf", "default/commands.conf", "default/searchbnf.conf", "default/macros.conf",
    "default/savedsearches.conf", "default/transforms.conf", "default/distsearch.conf",
    "metadata/default.meta", "lookups/kubernetes_hostnet_known_infrastructure.csv", "bin/hostnetcheck.py",
    "bin/hostnetcheck_stream.py", "bin/hostnet_logging.py", "bin/kube_hostnet/__init__.py",
    "lib/splunklib/__init__.py",
)


@pytest.fixture(scope="module")
def members(tarball):
    with tarfile.open(tarball, "r:gz") as archive:
        return {m.name.rstrip("/"): m for m in archive.getmembers()}


def test_one_top_level_directory_named_after_the_app(members):
    assert {name.split("/", 1)[0] for name in members} == {APP_ID}
    assert all(not m.issym() and not m.islnk() for m in members.values())


def test_the_splunk_content_is_packaged(members):
    missing = [path for path in REQUIRED if f"{APP_ID}/{path}" not in members]
    assert not missing


def test_nothing_compiled_cached_or_local(members):
    unwanted = [
        name for name in members
        if name.endswith(COMPILED_SUFFIXES)
        or "/__pycache__" in name
        or name.startswith((f"{APP_ID}/local/", f"{APP_ID}/metadata/local.meta"))
        or any(part.startswith(".") for part in name.split("/"))
    ]
    assert not unwanted


def test_no_file_is_world_writable_or_unreadable(members):
    for name, member in members.items():
        assert member.mode & stat.S_IRUSR, name
        assert not member.mode & stat.S_IWOTH, name


def test_app_conf_names_the_app(tarball):
    with tarfile.open(tarball, "r:gz") as archive:
        handle = archive.extractfile(f"{APP_ID}/default/app.conf")
        assert handle is not None
        app_conf = configparser.ConfigParser(interpolation=None)
        app_conf.read_string(handle.read().decode("utf-8"))
    assert app_conf["package"]["id"] == APP_ID
    assert app_conf["ui"]["label"] == "Kubernetes Host Network Detection"
    assert tarball.name == f"{APP_ID}-{app_conf['launcher']['version']}.tar.gz"
