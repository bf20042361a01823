"""Audit events as Splunk's JSON extraction presents them (hostnet_tools.flatten), on the Falco events."""

import json
from typing import Any, Dict

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostnet_tools import flatten

POD = "falco_create_nginx_pod_hostnetwork.json"
PATCH = "falco_modify_cluster_role_node_problem_detector.json"
NO_HOSTNETWORK = "falco_create_nginx_pod_nohostnetwork.json"
ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration"


@pytest.fixture(scope="module")
def records(audit_events: Dict[str, str]) -> Dict[str, Dict[str, flatten.Value]]:
    return {name: flatten.splunk_record(text) for name, text in audit_events.items()}


def test_metadata_fields_are_the_seed_detections(
    records: Dict[str, Dict[str, flatten.Value]], audit_events: Dict[str, str]
) -> None:
    pod = records[POD]

    assert pod["_raw"] == audit_events[POD]
    assert list(pod)[:6] == ["_raw", "_time", "host", "index", "source", "sourcetype"]
    assert (pod["source"], pod["sourcetype"]) == ("kubernetes", "_json")
    assert pod["_time"] == "1540544968.664442"  # requestReceivedTimestamp 2018-10-26T09:09:28.664442Z


def test_fields_the_seed_detection_searches(records: Dict[str, Dict[str, flatten.Value]]) -> None:
    pod, patch = records[POD], records[PATCH]

    assert pod["objectRef.resource"] == "pods"
    assert pod["verb"] == "create"
    assert pod["responseStatus.code"] == "201"
    assert pod["sourceIPs{}"] == "::1"
    assert pod["user.groups{}"] == [
        "system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated",
    ]  # fmt: skip
    assert patch[f"requestObject.metadata.annotations.{ANNOTATION}"] == (
        json.loads(patch["_raw"])["requestObject"]["metadata"]["annotations"][ANNOTATION]  # type: ignore[arg-type]
    )


def test_booleans_arrays_and_nested_arrays_of_objects(records: Dict[str, Dict[str, flatten.Value]]) -> None:
    pod = records[POD]

    assert pod["requestObject.spec.hostNetwork"] == "true"
    assert pod["requestObject.spec.containers{}.image"] == "nginx"
    assert pod["responseObject.spec.tolerations{}.tolerationSeconds"] == ["300", "300"]
    assert pod["requestObject.metadata.ownerReferences{}.controller"] == "true"
    assert pod["requestObject.metadata.creationTimestamp"] == "null"
    assert "requestObject.spec.hostNetwork" not in records[NO_HOSTNETWORK]
    # Empty objects (`"resources":{}`, `"status":{}`) are no field.
    assert not [name for name in pod if name.startswith("requestObject.status")]


def test_splunk_rules_on_edge_shapes() -> None:
    text = '{"a":[[1,2],[3]],"e":[],"o":{},"n":null,"f":false,"x":1.50,"k":"1","k":2,"s":"\\u00e9\\n"}'

    fields = flatten.flatten(flatten.parse_event(text))

    assert fields == {
        "a{}{}": ["1", "2", "3"],
        "n": "null",
        "f": "false",
        "x": "1.50",
        "k": ["1", "2"],
        "s": "é\n",
    }


def test_text_that_is_not_json_gives_only_the_metadata_fields(audit_events: Dict[str, str]) -> None:
    cut = audit_events[POD][:500]

    record = flatten.splunk_record(cut, host="node-1", index="k8s")

    assert record == {
        "_raw": cut,
        "_time": "0",
        "host": "node-1",
        "index": "k8s",
        "source": "kubernetes",
        "sourcetype": "_json",
    }


def test_nesting_deeper_than_the_parser_gives_only_the_metadata_fields() -> None:
    depth = 100000
    text = "[" * depth + "]" * depth

    record = flatten.splunk_record(text)

    assert record["_raw"] == text
    assert list(record) == ["_raw", "_time", "host", "index", "source", "sourcetype"]


def test_deep_objects_flatten_to_one_long_name() -> None:
    depth = 500
    fields = flatten.flatten(flatten.parse_event('{"k":' * depth + "true" + "}" * depth))

    assert fields == {".".join(["k"] * depth): "true"}


def test_event_key_does_not_override_splunks_own_fields() -> None:
    record = flatten.splunk_record('{"host":"from-event","index":"x","other":"y"}')

    assert (record["host"], record["index"], record["other"]) == ("minikube", "main", "y")


@pytest.mark.parametrize(
    ("timestamp", "epoch"),
    [
        ("2018-10-26T09:09:28.664442Z", "1540544968.664442"),
        ("2018-10-26T09:09:28Z", "1540544968"),
        ("2018-10-26T11:09:28.123456789+02:00", "1540544968.123456"),
        ("2018-10-26T09:09:28.500-00:30", "1540546768.5"),
        ("yesterday", None),
    ],
)
def test_epoch_text(timestamp: str, epoch: str) -> None:
    assert flatten.epoch_text(timestamp) == epoch


def test_event_text_escapes_as_the_api_server_does() -> None:
    text = flatten.event_text({"a": "<b>&\u2028", "é": 1})

    assert text == '{"a":"\\u003cb\\u003e\\u0026\\u2028","é":1}'
    assert json.loads(text) == {"a": "<b>&\u2028", "é": 1}


# Keys without "." or "{": then only an array on the path can give a field several values.
_keys = st.text(st.characters(whitelist_categories=("Ll", "Lu", "Nd")), min_size=1, max_size=6)
_json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8))
_json_values = st.recursive(
    _json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(_keys, children, max_size=4)
    ),
    max_leaves=25,
)


def _scalar_leaves(value: Any) -> int:
    if isinstance(value, dict):
        return sum(_scalar_leaves(child) for child in value.values())
    if isinstance(value, list):
        return sum(_scalar_leaves(child) for child in value)
    return 1


@given(event=st.dictionaries(_keys, _json_values, max_size=5))
def test_every_scalar_becomes_exactly_one_field_value(event: Dict[str, Any]) -> None:
    fields = flatten.flatten(flatten.parse_event(json.dumps(event)))

    values = [value for field in fields.values() for value in (field if isinstance(field, list) else [field])]
    assert len(values) == _scalar_leaves(event)
    assert all("{}" in name for name, field in fields.items() if isinstance(field, list))


@pytest.mark.parametrize("timestamp", ["2018-14-26T13:42:46Z", "2018-00-26T13:42:46Z"])
def test_a_timestamp_shaped_like_a_date_but_not_one_gives_no_time(timestamp: str) -> None:
    assert flatten.epoch_text(timestamp) is None


def test_an_event_with_an_impossible_timestamp_still_flattens() -> None:
    raw = '{"kind":"Event","verb":"create","requestReceivedTimestamp":"2018-14-26T13:42:46.000000Z"}'
    record = flatten.splunk_record(raw)
    assert record["verb"] == "create"
    assert record["_raw"] == raw
