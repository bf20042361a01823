"""The bundled sample: it is the generator's output, it looks like an API server's audit log, its labels
cover every event, and it holds the cases the evaluation is about."""

import collections
import json
from typing import Dict, List

import make_sample
import pytest

from hostnet_tools.auditlog import SPLUNK_TRUNCATE
from hostnet_tools.evaluate import Label, read_labels
from hostnet_tools.flatten import splunk_record
from hostnet_tools.seed_wildcard import seed_matches
from tests.support.kubernetes_truth import SPEC_PATHS, TEMPLATE_RESOURCES
from tests.support.paths import REPO

ROOT = REPO
SAMPLES = ROOT / "samples"
# Each must be in the sample for the comparison to mean anything (docs/evaluation.md).
REQUIRED_CATEGORIES = {
    "controller-pod",
    "kubectl-run",
    "kubectl-create",
    "kubectl-apply-pod",
    "kubectl-apply-update",
    "server-side-apply",
    "patch-strategic",
    "patch-merge",
    "patch-json",
    "workload-template",
    "cni-kube-proxy",
    "denied",
    "metadata-level",
    "request-received",
    "attach-exec",
    "configmap",
    "forged-annotation",
    "annotation-reverse",
    "escape",
    "whitespace",
    "wrong-case",
    "string-true",
    "hostnet-in-value",
    "duplicate-keys",
    "truncated",
}
# (objectRef.apiGroup, resource) pairs that ever served a pod spec, from the tests' own statement of truth.
SERVED_POD_SPECS = set(SPEC_PATHS)
TEMPLATE_KINDS = set(TEMPLATE_RESOURCES)


@pytest.fixture(scope="module")
def lines() -> List[str]:
    return (SAMPLES / "audit.log").read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def labels() -> Dict[int, Label]:
    return read_labels(str(SAMPLES / "audit.labels.csv"))


@pytest.fixture(scope="module")
def events(lines: List[str], labels: Dict[int, Label]) -> Dict[int, dict]:
    return {
        number: json.loads(line)
        for number, line in enumerate(lines, 1)
        if labels[number].category != "truncated"
    }


def test_committed_sample_is_the_generators_output() -> None:
    # Bytes, not text: reading text would forgive a changed line ending or encoding.
    log, labels = make_sample.render(make_sample.session())
    assert (SAMPLES / "audit.log").read_bytes() == log.encode("utf-8"), "run: python tools/make_sample.py"
    assert (SAMPLES / "audit.labels.csv").read_bytes() == labels.encode("utf-8")


def test_size_and_line_lengths(lines: List[str]) -> None:
    assert 200 <= len(lines) <= 600
    assert (SAMPLES / "audit.log").stat().st_size < 1_000_000
    assert all(0 < len(line.encode("utf-8")) <= SPLUNK_TRUNCATE for line in lines)


def test_every_event_has_one_label(lines: List[str], labels: Dict[int, Label]) -> None:
    assert sorted(labels) == list(range(1, len(lines) + 1))
    assert all(label.category and label.reason for label in labels.values())
    assert {label.category for label in labels.values()} >= REQUIRED_CATEGORIES
    assert {label.truth for label in labels.values()} == {"true", "false", "unknown"}


def test_cut_events_are_cut_at_truncate(lines: List[str], labels: Dict[int, Label]) -> None:
    cut = [lines[number - 1] for number, label in labels.items() if label.category == "truncated"]
    assert len(cut) >= 3
    for line in cut:
        assert len(line.encode("utf-8")) == SPLUNK_TRUNCATE
        with pytest.raises(ValueError):
            json.loads(line)


def test_events_look_like_the_api_servers(events: Dict[int, dict]) -> None:
    assert _audit_ids_are_unique_per_request(events)
    times = [event["requestReceivedTimestamp"] for event in events.values()]
    assert times == sorted(times)
    for event in events.values():
        assert (event["kind"], event["apiVersion"]) == ("Event", "audit.k8s.io/v1")
        assert event["level"] in ("Metadata", "Request", "RequestResponse")
        assert event["stage"] in ("RequestReceived", "ResponseStarted", "ResponseComplete")
        keys = list(event)
        if "requestObject" in keys and "responseObject" in keys:
            assert keys.index("requestObject") < keys.index("responseObject")
        if event["level"] == "Metadata" or event["stage"] == "RequestReceived":
            assert "requestObject" not in event and "responseObject" not in event


def _audit_ids_are_unique_per_request(events: Dict[int, dict]) -> bool:
    # The only repeated auditIDs are one request's RequestReceived and final stage.
    counts = collections.Counter(event["auditID"] for event in events.values())
    repeated = [audit_id for audit_id, count in counts.items() if count > 1]
    stages = {
        audit_id: sorted(event["stage"] for event in events.values() if event["auditID"] == audit_id)
        for audit_id in repeated
    }
    return all(value == ["RequestReceived", "ResponseComplete"] for value in stages.values())


def test_variety(events: Dict[int, dict], labels: Dict[int, Label]) -> None:
    template_creates = {
        event["objectRef"]["resource"]
        for number, event in events.items()
        if labels[number].truth == "true" and event["verb"] == "create"
    }
    assert template_creates >= TEMPLATE_KINDS
    assert {event["verb"] for event in events.values()} >= {"create", "update", "patch", "get", "list"}
    codes = {event.get("responseStatus", {}).get("code") for event in events.values()}
    assert {101, 200, 201, 400, 403, 422} <= codes
    assert len({event["user"]["username"] for event in events.values()}) >= 10


def test_the_seed_has_blind_spots_and_false_alarms_here(lines: List[str], labels: Dict[int, Label]) -> None:
    # Without them the comparison shows nothing: misses in the evasions, false alarms from the text.
    flagged = {number for number, line in enumerate(lines, 1) if seed_matches(splunk_record(line))}
    missed = {labels[n].category for n in labels if labels[n].truth == "true" and n not in flagged}
    false_alarms = {labels[n].category for n in flagged if labels[n].truth == "false"}
    assert {"controller-pod", "kubectl-run", "server-side-apply", "escape", "whitespace"} <= missed
    assert {"forged-annotation", "wrong-case", "duplicate-keys"} <= false_alarms
    assert any(labels[n].truth == "true" for n in flagged)


def test_what_is_labelled_true_is_a_pod_spec_some_group_served(
    events: Dict[int, dict], labels: Dict[int, Label]
) -> None:
    for number, event in events.items():
        if labels[number].truth == "true" and labels[number].category != "request-received":
            ref = event["objectRef"]
            assert (ref.get("apiGroup", ""), ref["resource"]) in SERVED_POD_SPECS, number
