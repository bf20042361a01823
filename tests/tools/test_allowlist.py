"""The allowlist rule (hostnet_tools.allowlist): properties that hold for any row an admin could write, not
only the shipped ones (those are checked in tests/conf/test_conf_allowlist.py), and reading the lookup."""

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostnet_tools.allowlist import (
    AllowlistRow,
    allowlisted,
    image_regex,
    load_allowlist,
    row_is_specific,
    splunk_wildcard,
)

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
    row = AllowlistRow(namespace, workload, "*", " ".join(image_patterns), "broad")
    assert not row_is_specific(row)
    assert allowlisted([row], namespace, event_workload, "anyone", images) is None


@given(
    allowed=st.lists(_image, min_size=1, max_size=3),
    extra=_image,
    namespace=_name,
)
def test_every_image_must_be_listed(allowed, extra, namespace):
    row = AllowlistRow(namespace, "DaemonSet/agent", "*", " ".join(allowed), "agent")
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
    row = AllowlistRow("ns", "DaemonSet/a", "*", image, "r")
    assert allowlisted([row], "ns", "DaemonSet/a", "u", [image]) is None


@given(allowed=st.lists(_image, min_size=1, max_size=3), namespace=_name)
def test_an_image_with_one_final_newline_matches_as_splunks_match_with_pcres_default_dollar(
    allowed, namespace
):
    # PCRE's default $ (no DOLLAR_ENDONLY), which Splunk's match() uses on the macro's ^(...)$, also
    # matches before a final newline; Python's $ with re.search does the same. A second newline, or a
    # newline anywhere else, is part of the value and no literal pattern matches it.
    rows = [AllowlistRow(namespace, "DaemonSet/agent", "*", " ".join(allowed), "agent")]
    with_newline = [image + "\n" for image in allowed]
    assert allowlisted(rows, namespace, "DaemonSet/agent", "u", with_newline) == "agent"
    assert allowlisted(rows, namespace, "DaemonSet/agent", "u", [allowed[0] + "\n\n"]) is None
    assert allowlisted(rows, namespace, "DaemonSet/agent", "u", ["\n" + allowed[0]]) is None


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
    row = AllowlistRow("ns", "*", "*", "quay.io/a/b:*", "r")
    assert allowlisted([row], "ns", "", "u", ["quay.io/a/b:1"]) is None
    assert allowlisted([row], "ns", "Pod/p", "u", []) is None
    assert allowlisted([row], "ns", "Pod/p", "u", ["quay.io/a/b:1"]) == "r"


def test_allowlist_is_read_from_the_app(tmp_path: Path) -> None:
    kube_proxy = AllowlistRow(
        "kube-system", "DaemonSet/kube-proxy", "*", "registry.k8s.io/kube-proxy:* k8s.gcr.io/kube-proxy:*",
        "kube-proxy",
    )
    assert load_allowlist(str(tmp_path)) == []
    lookups = tmp_path / "lookups"
    lookups.mkdir()
    (lookups / "kubernetes_hostnet_known_infrastructure.csv").write_text(
        "namespace,workload,user,image,reason\n" + ",".join(kube_proxy) + "\n", encoding="utf-8"
    )
    assert load_allowlist(str(tmp_path)) == [kube_proxy]
