"""The audit log reader on each platform's export: the records, each as the event text Splunk indexes, and
a one-line error for content of another kind."""

import base64
import gzip
import json
from pathlib import Path
from typing import Any, Dict, List

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostnet_tools.auditlog import AuditLogError, read_events
from hostnet_tools.flatten import event_text

EVENT = {
    "kind": "Event", "auditID": "a1", "verb": "create", "requestURI": "/api/v1/namespaces/s/pods?a=1&b=2",
    "objectRef": {"resource": "pods", "namespace": "s"},
}
LINE = event_text(EVENT)


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _raws(path: Path) -> List[str]:
    return [event.raw for event in read_events(str(path))]


def _log_entry(insert_id: str) -> Dict[str, Any]:
    return {
        "insertId": insert_id,
        "logName": "projects/p/logs/cloudaudit.googleapis.com%2Factivity",
        "protoPayload": {
            "@type": "type.googleapis.com/google.cloud.audit.AuditLog",
            "authenticationInfo": {"principalEmail": "dev@example.com"},
            "methodName": "io.k8s.core.v1.pods.create",
            "resourceName": "core/v1/namespaces/s/pods/web <&>",
            "serviceName": "k8s.io",
        },
        "resource": {"type": "k8s_cluster", "labels": {"cluster_name": "c1", "project_id": "p"}},
    }


def _subscription(messages: List[str], message_type: str = "DATA_MESSAGE") -> Dict[str, Any]:
    return {
        "messageType": message_type,
        "owner": "111122223333",
        "logGroup": "/aws/eks/prod/cluster",
        "logStream": "kube-apiserver-audit-0f1e",
        "subscriptionFilters": ["to-splunk"],
        "logEvents": [
            {"id": str(i), "timestamp": 1731574818000 + i, "message": m} for i, m in enumerate(messages)
        ],
    }


def test_gcloud_logging_read_gives_each_log_entry_as_one_json_object(tmp_path: Path) -> None:
    entries = [_log_entry("e1"), _log_entry("e2")]
    path = tmp_path / "gke.json"
    path.write_text(json.dumps(entries, indent=2), encoding="utf-8")  # gcloud prints indented JSON
    assert _raws(path) == [_compact(entry) for entry in entries]


def test_a_json_array_of_audit_events_and_entries_keeps_each_ones_own_text(tmp_path: Path) -> None:
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps([EVENT, _log_entry("e1")]), encoding="utf-8")
    assert _raws(path) == [LINE, _compact(_log_entry("e1"))]


@pytest.mark.parametrize("indent", [None, 2])
def test_azure_blob_records_are_one_json_object_each(tmp_path: Path, indent: Any) -> None:
    records = [
        {"category": "kube-audit", "resourceId": "/SUBSCRIPTIONS/X/MANAGEDCLUSTERS/AKS1",
         "properties": {"log": LINE, "stream": "stdout"}, "time": "2024-11-14T09:00:18Z"},
        {"category": "kube-audit-admin", "properties": {"log": "{\"cut"}},
    ]
    path = tmp_path / "PT1H.json"
    path.write_text(json.dumps({"records": records}, indent=indent), encoding="utf-8")
    raws = _raws(path)
    assert raws == [_compact(record) for record in records]
    assert json.loads(json.loads(raws[0])["properties"]["log"]) == EVENT  # the event stays a JSON string


def test_azure_blobs_one_after_another(tmp_path: Path) -> None:
    path = tmp_path / "blobs.json"
    blobs = [{"records": [{"category": "a"}]}, {"records": [{"category": "b"}]}]
    path.write_text("\n".join(json.dumps(blob) for blob in blobs), encoding="utf-8")
    assert _raws(path) == ['{"category":"a"}', '{"category":"b"}']


def test_aws_logs_filter_log_events_gives_each_message_verbatim(tmp_path: Path) -> None:
    cut = LINE[:30] + "[Truncated...]"
    output = {
        "events": [
            {"logStreamName": "audit-0f1e", "timestamp": 1, "message": LINE, "eventId": "1"},
            {"logStreamName": "audit-0f1e", "timestamp": 3, "message": cut, "eventId": "2"},
        ],
        "searchedLogStreams": [{"logStreamName": "kube-apiserver-audit-0f1e", "searchedCompletely": True}],
        "nextToken": "abc",
    }
    path = tmp_path / "events.json"
    path.write_text(json.dumps(output, indent=4), encoding="utf-8")
    assert _raws(path) == [LINE, cut]
    assert [event.number for event in read_events(str(path))] == [1, 2]


def test_cloudwatch_subscription_records_gzip_and_concatenated_as_firehose_delivers(tmp_path: Path) -> None:
    first = _subscription([LINE, "second"])
    health = "CWL CONTROL MESSAGE: Checking health of destination Firehose."
    control = _subscription([health], "CONTROL_MESSAGE")
    last = _subscription(["third"])
    # Firehose writes each record gzip-compressed, one after another, with no separator.
    path = tmp_path / "firehose-object"
    path.write_bytes(b"".join(gzip.compress(json.dumps(r).encode()) for r in (first, control, last)))
    assert _raws(path) == [LINE, "second", "third"]
    plain = tmp_path / "concatenated.json"
    plain.write_text("".join(json.dumps(r) for r in (first, control, last)), encoding="utf-8")
    assert _raws(plain) == [LINE, "second", "third"]


def test_cloudwatch_subscription_data_in_a_lambda_event(tmp_path: Path) -> None:
    data = base64.b64encode(gzip.compress(json.dumps(_subscription([LINE])).encode())).decode()
    path = tmp_path / "lambda-event.json"
    path.write_text(json.dumps({"awslogs": {"data": data}}), encoding="utf-8")
    assert _raws(path) == [LINE]


def test_fluent_bit_envelopes_are_json_lines(tmp_path: Path) -> None:
    lines = [_compact({"log": LINE, "stream": "stdout"}), _compact({"log": LINE[:20]})]
    path = tmp_path / "fluent-bit.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _raws(path) == lines


def test_a_log_copied_from_the_middle_of_a_line_is_still_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "tail.log"
    path.write_text('ce":"pods"}}\n' + LINE + "\n", encoding="utf-8")
    assert _raws(path) == ['ce":"pods"}}', LINE]


@pytest.mark.parametrize(
    "content",
    [
        "line,truth,category\n1,true,x\n",
        "apiVersion: audit.k8s.io/v1\nkind: Policy\n",
        '{"foo": 1, "bar": [1, 2]}',
        "{}",
        "[1, 2, 3]",
        '{"events": [{"logStreamName": "s", "timestamp": 1}]}',
        '{"records": ["not an object"]}',
        '{"awslogs": {"data": "not base64!"}}',
        "\x00\x01binary\x02\n\x03",
    ],
)
def test_content_of_another_kind_is_a_one_line_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "export.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AuditLogError) as raised:
        list(read_events(str(path)))
    message = str(raised.value)
    assert message.startswith(f"{path}: unknown format: ") and "\n" not in message


_SCALAR = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
_RECORD = st.dictionaries(st.text(max_size=6), _SCALAR, min_size=1, max_size=4)


@given(st.lists(_RECORD, max_size=6), st.sampled_from([None, 2]))
def test_azure_records_property(tmp_path_factory: pytest.TempPathFactory, records: List[Dict[str, Any]],
                                indent: Any) -> None:
    path = tmp_path_factory.mktemp("prop") / "PT1H.json"
    path.write_text(json.dumps({"records": records}, indent=indent), encoding="utf-8")
    assert [json.loads(raw) for raw in _raws(path)] == records


@given(st.lists(st.text(st.characters(codec="utf-8"), min_size=1, max_size=30), max_size=6))
def test_cloudwatch_messages_property(tmp_path_factory: pytest.TempPathFactory, messages: List[str]) -> None:
    path = tmp_path_factory.mktemp("prop") / "sub.json.gz"
    path.write_bytes(gzip.compress(json.dumps(_subscription(messages)).encode()))
    # Each message is one event exactly as CloudWatch holds it (a blank one is no event, as in Splunk).
    assert _raws(path) == [message for message in messages if message]
