"""ES and other apps can use the add-on's objects, and search peers receive what hostnetcheck needs."""

import re
from pathlib import Path

from tests.support.content_names import (
    APP_ID,
    BLIND_SPOT_RULE_NAME,
    COVERAGE_REPORT_NAME,
    GAPS_LOOKUP_FILE,
    GAPS_LOOKUP_NAME,
    LOOKUP_FILE,
    LOOKUP_NAME,
    RULE_NAME,
)
from tests.support.splunk_conf import effective_meta, read_conf


def _objects(conf):
    yield from (("macros", name) for name in conf("macros") if name != "default")
    yield "commands", "hostnetcheck"
    yield "lookups", LOOKUP_FILE
    yield "transforms", LOOKUP_NAME
    yield "savedsearches", RULE_NAME
    yield "lookups", GAPS_LOOKUP_FILE
    yield "transforms", GAPS_LOOKUP_NAME
    yield "savedsearches", BLIND_SPOT_RULE_NAME
    yield "savedsearches", COVERAGE_REPORT_NAME


def test_objects_are_exported_to_system_and_readable_by_all(app_dir, conf):
    meta = read_conf(app_dir / "metadata" / "default.meta")
    assert "hostnetcheck" in conf("commands")
    for object_type, name in _objects(conf):
        assert effective_meta(meta, object_type, name, "export") == "system", (object_type, name)
        access = effective_meta(meta, object_type, name, "access") or ""
        assert re.search(r"read\s*:\s*\[\s*\*\s*\]", access), (object_type, name)


def _splunk_path_regex(pattern: str) -> "re.Pattern[str]":
    """distsearch.conf's pattern language: ... is anything, * anything but a separator, . a literal dot."""
    regex = ""
    index = 0
    while index < len(pattern):
        if pattern.startswith("...", index):
            regex += ".*"
            index += 3
            continue
        char = pattern[index]
        regex += "[^/\\\\]*" if char == "*" else re.escape(char)
        index += 1
    return re.compile(regex)


def _replicated(conf, relative: str) -> bool:
    allowlist = conf("distsearch")["replicationAllowlist"].values()
    return any(_splunk_path_regex(p).fullmatch(relative) for p in allowlist)


def test_lib_and_bin_replicate_to_search_peers(app_dir: Path, conf):
    files = [p for d in ("lib", "bin") for p in (app_dir / d).rglob("*") if p.is_file()]
    assert any(p.name == "hostnetcheck.py" for p in files) and any("splunklib" in p.parts for p in files)
    for path in files:
        relative = f"apps/{APP_ID}/{path.relative_to(app_dir).as_posix()}"
        assert _replicated(conf, relative), relative


def test_replication_allowlist_stays_inside_the_app(conf):
    for outside in ("apps/other_app/lib/x.py", f"apps/{APP_ID}/local/passwords.conf", "system/local/x.py"):
        assert not _replicated(conf, outside), outside
