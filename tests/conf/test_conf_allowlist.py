"""The known-infrastructure allowlist: the shipped rows, their lookup definition, and the rules that keep
it from hiding an attacker (never a namespace alone, every image must be listed, no wildcard across /)."""

import csv
import re

import pytest

from hostnet_tools.allowlist import (
    NOT_SPECIFIC_IMAGE,
    allowlisted,
    first_match,
    image_regex,
    load_allowlist,
    row_is_specific,
)
from tests.support.content_names import LOOKUP_FILE, LOOKUP_NAME
from tests.support.splunk_conf import is_true

COLUMNS = ["namespace", "workload", "user", "image", "reason"]
DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")
DAEMONSET_CONTROLLER = "system:serviceaccount:kube-system:daemon-set-controller"


@pytest.fixture(scope="module")
def rows(app_dir):
    with (app_dir / "lookups" / LOOKUP_FILE).open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS
    return load_allowlist(str(app_dir))


def _example(pattern: str, filler: str) -> str:
    return pattern.replace("*", filler)


def _example_event(row):
    """An event the row is written for: each * filled in, one image per pattern."""
    images = [_example(p, "v1") if p != "*" else "registry.example/any:1" for p in row.image.split(" ")]
    return row.namespace, _example(row.workload, "node-1"), _example(row.user, "node-1"), images
class TestShippedRows:
    def test_lookup_definition(self, conf):
        stanza = conf("transforms")[LOOKUP_NAME]
        assert stanza["filename"] == LOOKUP_FILE
        wildcards = set(re.findall(r"WILDCARD\((\w+)\)", stanza["match_type"]))
        assert wildcards == {"workload", "user"}  # namespace matches exactly, image is checked by eval
        assert is_true(stanza["case_sensitive_match"])
        assert stanza["max_matches"] == "1"

    def test_every_row_is_complete(self, rows):
        assert rows
        for row in rows:
            assert all(value.strip() == value and value for value in row), row
            assert DNS_LABEL.fullmatch(row.namespace), row

    def test_no_row_allowlists_a_namespace_alone(self, rows):
        for row in rows:
            assert row_is_specific(row), row
            assert image_regex(row.image.split(" ")) is not None, row

    def test_every_row_allowlists_what_it_is_written_for(self, rows):
        for row in rows:
            namespace, workload, user, images = _example_event(row)
            assert allowlisted(rows, namespace, workload, user, images) == row.reason, row

    def test_no_row_is_hidden_by_an_earlier_one(self, rows):
        for later, row in enumerate(rows):
            namespace, workload, user, _ = _example_event(row)
            assert first_match(rows[:later + 1], namespace, workload, user) is row, row

    def test_an_unlisted_image_or_another_user_or_namespace_is_not_allowlisted(self, rows):
        for row in rows:
            namespace, workload, user, images = _example_event(row)
            with_tool = [*images, "docker.io/attacker/tool:1"]
            assert allowlisted(rows, namespace, workload, user, with_tool) is None
            assert allowlisted(rows, "default", workload, user, images) is None
            if "*" not in row.user:
                assert allowlisted(rows, namespace, workload, "alice@example.com", images) is None

    def test_daemonset_rows_only_cover_pods_the_controller_creates(self, rows):
        for row in rows:
            if row.workload.startswith("DaemonSet/"):
                assert row.user == DAEMONSET_CONTROLLER, row

    def test_image_patterns_name_a_registry_or_organisation(self, rows):
        for row in rows:
            for pattern in row.image.split(" "):
                assert re.search(NOT_SPECIFIC_IMAGE, pattern) is None, (row, pattern)
