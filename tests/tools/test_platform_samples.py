"""The platform samples (samples/gke, samples/aks): the generator's output, shaped as each platform exports
them, a counterpart for every native event, and (protocol) every verdict of the built command as labelled."""

import json
from pathlib import Path
from typing import Any, Dict, List

import make_platform_samples
import make_sample
import pytest

from hostnet_tools import evaluate, sample_emulator
from hostnet_tools.evaluate import Label, read_labels, read_sample
from tests.support.paths import REPO

ROOT = REPO
SAMPLES = ROOT / "samples"
PLATFORMS = make_platform_samples.PLATFORMS


def sample(platform: str) -> Path:
    return SAMPLES / platform / make_platform_samples.SAMPLE_NAME


def labels_of(platform: str) -> Dict[int, Label]:
    return read_labels(str(SAMPLES / platform / make_platform_samples.LABELS_NAME))


@pytest.fixture(scope="module")
def native() -> List[Any]:
    return make_sample.session()


@pytest.mark.parametrize("platform", PLATFORMS)
def test_committed_platform_sample_is_the_generators_output(platform: str, native: List[Any]) -> None:
    text, labels = make_platform_samples.render(platform, make_platform_samples.records(platform, native))
    hint = "run: python tools/make_platform_samples.py"
    assert sample(platform).read_bytes() == text.encode("utf-8"), hint
    assert (SAMPLES / platform / make_platform_samples.LABELS_NAME).read_bytes() == labels.encode("utf-8"), (
        hint
    )


def test_the_gke_sample_is_a_gcloud_array_of_k8s_audit_entries(native: List[Any]) -> None:
    entries = json.loads(sample("gke").read_text(encoding="utf-8"))
    assert isinstance(entries, list)
    for entry in entries:
        assert list(entry) == sorted(entry)
        payload = entry["protoPayload"]
        assert payload["@type"] == "type.googleapis.com/google.cloud.audit.AuditLog"
        assert payload["serviceName"] == "k8s.io" and payload["methodName"].startswith("io.k8s.")
        assert entry["resource"]["type"] == "k8s_cluster"
        if "request" in payload:
            assert isinstance(payload["request"], dict) and "@type" in payload["request"]
    # GKE's policy omits RequestReceived: every other native event has its entry, in order.
    expected = [logged.event["auditID"] for logged in native if logged.event["stage"] != "RequestReceived"]
    assert [entry["insertId"] for entry in entries] == expected
    assert len(expected) < len(native)


def test_the_aks_sample_is_a_storage_blob_of_kube_audit_records(native: List[Any]) -> None:
    blob = json.loads(sample("aks").read_text(encoding="utf-8"))
    assert list(blob) == ["records"]
    records = blob["records"]
    assert len(records) == len(native)
    for record, logged in zip(records, native):
        assert record["category"] == "kube-audit"
        assert record["operationName"] == "Microsoft.ContainerService/managedClusters/diagnosticLogs/Read"
        assert record["properties"]["log"] == sample_emulator.event_text(
            logged.event
        )  # the API server's line


@pytest.mark.parametrize("platform", PLATFORMS)
def test_labels_differ_from_the_native_ones_only_where_said(platform: str, native: List[Any]) -> None:
    kept = [logged for logged in native if platform != "gke" or logged.event["stage"] != "RequestReceived"]
    labels = labels_of(platform)
    assert sorted(labels) == [event.number for event in read_sample(str(sample(platform)))]
    assert len(labels) == len(kept)
    differs = {
        (platform, logged.event["auditID"])
        for number, logged in enumerate(kept, start=1)
        if labels[number] != logged.label
    }
    assert differs == {key for key in make_platform_samples.PLATFORM_LABELS if key[0] == platform}
    assert all(labels[number].category == logged.label.category for number, logged in enumerate(kept, 1))


def test_the_azure_blob_is_read_record_by_record(tmp_path: Path) -> None:
    blob = tmp_path / "PT1H.json"
    blob.write_text(json.dumps({"records": [{"a": 1}, {"b": "x"}]}, indent=1), encoding="utf-8")
    assert [(event.number, event.raw) for event in read_sample(str(blob))] == [
        (1, '{"a":1}'),
        (2, '{"b":"x"}'),
    ]
    lines = tmp_path / "audit.log"
    lines.write_text('{"kind":"Event"}\n{"kind":"Event"}\n', encoding="utf-8")
    assert [event.number for event in read_sample(str(lines))] == [1, 2]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_built_command_gives_every_label(app_dir: Path, python: str, platform: str) -> None:
    labels = labels_of(platform)
    judged = evaluate.judge(str(app_dir), python, str(sample(platform)), labels)
    assert len(judged) == len(labels)
    wrong = evaluate.mismatches(judged)
    assert wrong == [], "\n".join(wrong)
    truths = {item.label.truth for item in judged}
    assert truths == {"true", "false", "unknown"}
