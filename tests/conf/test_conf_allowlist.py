"""The known-infrastructure allowlist: the shipped rows, their lookup definition, and the rules that keep
it from hiding an attacker (never a namespace alone, every image must be listed, no wildcard across /)."""

import csv
import re

import pytest
from allowlist_model import (
    NOT_SPECIFIC_IMAGE,
    allowlisted,
    first_match,
    image_regex,
    row_is_specific,
    splunk_wildcard,
)
from content_names import LOOKUP_FILE, LOOKUP_NAME
from hypothesis import given
from hypothesis import strategies as st
from splunk_conf import is_true

COLUMNS = ["namespace", "workload", "user", "image", "reason"]
DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")
DAEMONSET_CONTROLLER = "system:serviceaccount:kube-system:daemon-set-controller"


@pytest.fixture(scope="module")
def rows(app_dir):
    with (app_dir / "lookups" / LOOKUP_FILE).open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def _example(pattern: str, filler: str) -> str:
    return pattern.replace("*", filler)


def _example_event(row):
    """An event the row is written for: each * filled in, one image per pattern."""
    images = [_example(p, "v1") if p != "*" else "registry.example/any:1" for p in row["image"].split(" ")]
    return row["namespace"], _example(row["workload"], "node-1"), _example(row["user"], "node-1"), images


@pytest.mark.package
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
            assert all(row[column].strip() == row[column] and row[column] for column in COLUMNS), row
            assert DNS_LABEL.fullmatch(row["namespace"]), row

    def test_no_row_allowlists_a_namespace_alone(self, rows):
        for row in rows:
            assert row_is_specific(row), row
            assert image_regex(row["image"].split(" ")) is not None, row

    def test_every_row_allowlists_what_it_is_written_for(self, rows):
        for row in rows:
            namespace, workload, user, images = _example_event(row)
            assert allowlisted(rows, namespace, workload, user, images) == row["reason"], row

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
            if "*" not in row["user"]:
                assert allowlisted(rows, namespace, workload, "alice@example.com", images) is None

    def test_daemonset_rows_only_cover_pods_the_controller_creates(self, rows):
        for row in rows:
            if row["workload"].startswith("DaemonSet/"):
                assert row["user"] == DAEMONSET_CONTROLLER, row

    def test_image_patterns_name_a_registry_or_organisation(self, rows):
        for row in rows:
            for pattern in row["image"].split(" "):
                assert re.search(NOT_SPECIFIC_IMAGE, pattern) is None, (row, pattern)


# Property tests of the model: they hold for any row an admin could write, not only the shipped ones.
_name = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)
_image = st.builds(lambda r, o, n: f"{r}.io/{o}/{n}:1", _name, _name, _name)
_generic_image_pattern = st.sampled_from(["*", "*/*", "*:*", "docker.io/*", "*/calico/*", "*.io/*/*"])


@given(
    namespace=_name,
    workload=st.sampled_from(["*", "*/*", "*/x*"]),
    image_patterns=st.lists(_generic_image_pattern, min_size=1, max_size=3),
    event_workload=st.builds(lambda k, n: f"{k}/{n}", st.sampled_from(["Pod", "DaemonSet", "Node"]), _name),
    images=st.lists(_image, min_size=1, max_size=3),
)
def test_a_row_naming_neither_workload_nor_images_never_allowlists(
    namespace, workload, image_patterns, event_workload, images
):
    row = {"namespace": namespace, "workload": workload, "user": "*", "image": " ".join(image_patterns),
           "reason": "broad"}
    assert not row_is_specific(row)
    assert allowlisted([row], namespace, event_workload, "anyone", images) is None


@given(
    allowed=st.lists(_image, min_size=1, max_size=3),
    extra=_image,
    namespace=_name,
)
def test_every_image_must_be_listed(allowed, extra, namespace):
    row = {"namespace": namespace, "workload": "DaemonSet/agent", "user": "*", "image": " ".join(allowed),
           "reason": "agent"}
    assert allowlisted([row], namespace, "DaemonSet/agent", "u", allowed) == "agent"
    expected = "agent" if extra in allowed else None
    assert allowlisted([row], namespace, "DaemonSet/agent", "u", [*allowed, extra]) == expected


@given(host=_name, rest=_name)
def test_an_image_wildcard_stays_inside_its_path_segment(host, rest):
    regex = image_regex(["quay.io/calico/*", "registry.k8s.io/kube-proxy:*"])
    assert regex is not None
    assert re.search(regex, f"quay.io/calico/{rest}:v3")
    assert not re.search(regex, f"quay.io/calico/{rest}/{host}:v3")
    assert not re.search(regex, f"quay.io/calico.{host}/{rest}")
    assert not re.search(regex, f"registry.k8s.io/kube-proxy:{rest}/{host}")
    assert not re.search(regex, f"quayXio/calico/{rest}")  # the dot is literal


@given(st.text(alphabet="()[]+?{}|\\^$ ", min_size=1, max_size=4))
def test_a_pattern_with_other_characters_fails_closed(junk):
    assert image_regex([f"quay.io/x{junk}"]) is None
    image = f"quay.io/x{junk}"
    row = {"namespace": "ns", "workload": "DaemonSet/a", "user": "*", "image": image, "reason": "r"}
    assert allowlisted([row], "ns", "DaemonSet/a", "u", [image]) is None


@pytest.mark.parametrize(
    ("pattern", "value", "matches"),
    [
        ("DaemonSet/kube-proxy", "DaemonSet/kube-proxy", True),
        ("DaemonSet/kube-proxy", "DaemonSet/kube-proxy-evil", False),
        ("DaemonSet/kube-proxy", "daemonset/kube-proxy", False),
        ("Node/*", "Node/a/b", True),  # a lookup wildcard, unlike an image one, crosses /
        ("system:node:*", "system:node:", True),
        ("system:node:*", "xsystem:node:a", False),
    ],
)
def test_lookup_wildcards_match_the_whole_value_case_sensitively(pattern, value, matches):
    assert splunk_wildcard(pattern, value) is matches


def test_null_fields_never_match():
    row = {"namespace": "ns", "workload": "*", "user": "*", "image": "quay.io/a/b:*", "reason": "r"}
    assert allowlisted([row], "ns", "", "u", ["quay.io/a/b:1"]) is None
    assert allowlisted([row], "ns", "Pod/p", "u", []) is None
    assert allowlisted([row], "ns", "Pod/p", "u", ["quay.io/a/b:1"]) == "r"
