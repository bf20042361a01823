"""The sample's parts: the scenario data loader, the API-server emulator and the objects it builds.

test_sample.py proves the whole reproduces the committed sample; these pin the rules each part follows, so
a new scenario step gets them too, and the seam a writer for another platform's shape relies on.
"""

import json
from pathlib import Path
from typing import Any, Dict, List, Tuple

import make_sample
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostnet_tools.auditlog import SPLUNK_TRUNCATE
from hostnet_tools.sample_data import FIELDS, LEVELS, REQUIRED, SampleDataError, Step, load_steps, parse_step
from hostnet_tools.sample_emulator import (
    RECEIVED_LABEL,
    RawJSON,
    audit_events,
    event_text,
    log_line,
    request_uri,
)
from hostnet_tools.sample_objects import built_objects, defaulted_spec
from tests.support.paths import REPO

SAMPLES = REPO / "samples"
STEPS: List[Step] = load_steps(str(make_sample.SCENARIOS))
LINES = (SAMPLES / "audit.log").read_text(encoding="utf-8").splitlines()
SMALL = next(step for step in STEPS if not step.truncate and step.object is not None)
CUT = next(step for step in STEPS if step.truncate)
# Where each resource keeps its pod spec, written out here rather than read from kube_hostnet.resources.
WORKLOAD_FACTS: Dict[str, Tuple[str, str, Tuple[str, ...]]] = {
    "deployments": ("apps/v1", "Deployment", ("spec", "template", "spec")),
    "daemonsets": ("apps/v1", "DaemonSet", ("spec", "template", "spec")),
    "statefulsets": ("apps/v1", "StatefulSet", ("spec", "template", "spec")),
    "replicasets": ("apps/v1", "ReplicaSet", ("spec", "template", "spec")),
    "replicationcontrollers": ("v1", "ReplicationController", ("spec", "template", "spec")),
    "jobs": ("batch/v1", "Job", ("spec", "template", "spec")),
    "cronjobs": ("batch/v1", "CronJob", ("spec", "jobTemplate", "spec", "template", "spec")),
    "podtemplates": ("v1", "PodTemplate", ("template", "spec")),
}
_ASSIGNED = {"uid": "u-1", "resourceVersion": "7", "creationTimestamp": "2024-11-14T09:00:00Z"}


def _plain(event: Dict[str, Any]) -> Dict[str, Any]:
    """The event as a platform that parses JSON sees it: raw bodies decoded."""
    return {key: json.loads(value) if isinstance(value, RawJSON) else value for key, value in event.items()}


def _step_line(**changes: Any) -> str:
    record = json.loads((make_sample.SCENARIOS).read_text(encoding="utf-8").splitlines()[0])
    record.update(changes)
    return json.dumps({key: value for key, value in record.items() if value is not None})


# --- the seam: the Event dict is the logged line ---------------------------------------------------------


def test_each_event_dict_is_the_line_the_log_holds() -> None:
    logged = [event for step in STEPS for event in audit_events(step)]
    assert len(logged) == len(LINES)
    for event, line in zip(logged, LINES):
        if not event.truncate:
            assert _plain(event.event) == json.loads(line)
            assert json.loads(json.dumps(_plain(event.event))) == _plain(event.event)
        else:
            assert line.encode("utf-8") == event_text(event.event).encode("utf-8")[:SPLUNK_TRUNCATE]


def test_a_raw_body_keeps_its_repeated_keys_and_escapes() -> None:
    raw = '{"spec":{"host\\u004eetwork":true,"hostNetwork" : false,"hostNetwork":true}}'
    text = event_text({"kind": "Event", "requestObject": RawJSON(raw), "stage": "ResponseComplete"})
    assert text == '{"kind":"Event","requestObject":' + raw + ',"stage":"ResponseComplete"}'


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)


@given(
    body=_JSON_VALUES,
    separators=st.sampled_from(((",", ":"), (", ", ": "), (" ,", " : "))),
    around=st.text(),
)
def test_raw_text_is_written_verbatim_wherever_it_sits(
    body: Any, separators: Tuple[str, str], around: str
) -> None:
    # `around` may spell out the placeholder the writer uses: a client-chosen string must not move the body.
    raw = json.dumps(body, separators=separators)
    event = {"userAgent": around + '{"__raw__":0}', "requestObject": RawJSON(raw), "note": around}
    text = event_text(event)
    assert raw in text
    assert json.loads(text) == {"userAgent": event["userAgent"], "requestObject": body, "note": around}


# --- the API server's audit rules ------------------------------------------------------------------------


@given(step=st.sampled_from(STEPS), level=st.sampled_from(LEVELS))
def test_the_policy_level_decides_which_bodies_are_logged(step: Step, level: str) -> None:
    events = audit_events(step._replace(level=level))
    final = events[-1].event
    assert {event.event["level"] for event in events} == {level}
    has_request = step.object is not None or step.request_object is not None or step.request_body is not None
    assert ("requestObject" in final) == (level != "Metadata" and has_request)
    if level != "RequestResponse":
        assert "responseObject" not in final


@given(step=st.sampled_from(STEPS), received=st.booleans())
def test_request_received_comes_first_and_logs_no_body(step: Step, received: bool) -> None:
    events = audit_events(step._replace(logs_received=received))
    assert len(events) == (2 if received else 1)
    assert events[-1].label == step.label
    assert events[-1].event["stage"] in ("ResponseComplete", "ResponseStarted")
    if received:
        first, last = events[0].event, events[-1].event
        assert first["stage"] == "RequestReceived" and events[0].label == RECEIVED_LABEL
        assert not {"requestObject", "responseObject", "responseStatus", "annotations"} & set(first)
        assert first["auditID"] == last["auditID"]
        assert (
            first["stageTimestamp"] == first["requestReceivedTimestamp"] == last["requestReceivedTimestamp"]
        )


def test_an_rbac_denial_reads_no_body_and_admission_reads_one() -> None:
    refused = [
        (line, json.loads(line)) for line in LINES if '"code":403' in line and line.startswith('{"kind"')
    ]
    decisions = {
        ("requestObject" in event, event["annotations"]["authorization.k8s.io/decision"])
        for _, event in refused
    }
    assert decisions == {(False, "forbid"), (True, "allow")}


@pytest.mark.parametrize(
    ("verb", "object_ref", "uri"),
    [
        (
            "create",
            {"resource": "pods", "namespace": "shop", "apiVersion": "v1"},
            "/api/v1/namespaces/shop/pods",
        ),
        (
            "create",
            {"resource": "pods", "namespace": "shop", "name": "web", "apiVersion": "v1"},
            "/api/v1/namespaces/shop/pods",
        ),
        (
            "patch",
            {
                "resource": "deployments",
                "namespace": "shop",
                "name": "web",
                "apiGroup": "apps",
                "apiVersion": "v1",
            },
            "/apis/apps/v1/namespaces/shop/deployments/web",
        ),
        (
            "create",
            {
                "resource": "pods",
                "namespace": "shop",
                "name": "web",
                "apiVersion": "v1",
                "subresource": "exec",
            },
            "/api/v1/namespaces/shop/pods/web/exec",
        ),
        ("list", {"resource": "pods", "apiVersion": "v1"}, "/api/v1/pods"),
    ],
)
def test_request_uri(verb: str, object_ref: Dict[str, str], uri: str) -> None:
    assert request_uri(object_ref, verb) == uri


def test_only_an_event_said_to_be_cut_may_pass_truncate() -> None:
    with pytest.raises(ValueError, match="would not be cut"):
        log_line(audit_events(SMALL._replace(truncate=True))[-1])
    with pytest.raises(ValueError, match="would be cut"):
        log_line(audit_events(CUT._replace(truncate=False))[-1])
    cut = log_line(audit_events(CUT)[-1])
    assert len(cut.encode("utf-8")) == SPLUNK_TRUNCATE


# --- the objects of a create -----------------------------------------------------------------------------


@given(host_network=st.sampled_from((None, False, True)))
def test_defaulting_omits_host_network_false(host_network: Any) -> None:
    manifest: Dict[str, Any] = {"containers": [{"name": "a", "image": "busybox:1.36"}]}
    if host_network is not None:
        manifest["hostNetwork"] = host_network
    spec = defaulted_spec(manifest)
    assert ("hostNetwork" in spec) == (host_network is True)
    assert spec["dnsPolicy"] == ("ClusterFirstWithHostNet" if host_network else "ClusterFirst")


@pytest.mark.parametrize("resource", sorted(WORKLOAD_FACTS))
def test_a_workload_keeps_its_pod_spec_where_kubernetes_does(resource: str) -> None:
    api_version, kind, path = WORKLOAD_FACTS[resource]
    sent = {
        "name": "w",
        "labels": {"app": "w"},
        "spec": {"containers": [{"name": "a", "image": "busybox:1.36"}], "hostNetwork": True},
        "assigned": _ASSIGNED,
    }
    for body in built_objects(resource, "ns", sent):
        assert (body["apiVersion"], body["kind"]) == (api_version, kind)
        node = body
        for key in path:
            node = node[key]
        assert node["hostNetwork"] is True


def test_a_pod_is_stored_with_what_admission_adds() -> None:
    sent = {
        "generateName": "web-",
        "spec": {"containers": [{"name": "a", "image": "busybox:latest"}]},
        "nodeName": "worker-1",
        "assigned": {**_ASSIGNED, "name": "web-x2k"},
    }
    request, response = built_objects("pods", "shop", sent)
    assert "name" not in request["metadata"] and response["metadata"]["name"] == "web-x2k"
    assert request["spec"]["containers"][0]["imagePullPolicy"] == "Always"
    assert response["spec"]["nodeName"] == "worker-1" and "nodeName" not in request["spec"]
    assert response["spec"]["serviceAccountName"] == "default"
    assert response["spec"]["volumes"][-1]["name"].startswith("kube-api-access-")


# --- the data loader -------------------------------------------------------------------------------------


def test_the_first_line_parses() -> None:
    step = parse_step(_step_line())
    assert step == STEPS[0]._replace(line=0)


@given(key=st.text(min_size=1).filter(lambda key: key not in FIELDS))
def test_an_unknown_field_is_refused(key: str) -> None:
    with pytest.raises(SampleDataError, match="unknown fields"):
        parse_step(_step_line(**{key: 1}))


@pytest.mark.parametrize("key", REQUIRED)
def test_a_missing_field_is_refused(key: str) -> None:
    record = json.loads(_step_line())
    record.pop(key, None)
    with pytest.raises(SampleDataError, match="missing fields"):
        parse_step(json.dumps(record))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"truth": "yes"}, "truth must be"),
        ({"level": "None"}, "level must be"),
        ({"code": "200"}, "code must be"),
        ({"requestObject": {}, "requestBody": "{}"}, "not both"),
        ({"responseObject": {}, "statusResponse": True}, "not both"),
        ({"object": {"spec": {}, "assigned": {}}}, "has no pod spec"),
        ({"resource": "pods", "object": {"spec": {}, "assigned": {}}}, "name or generateName"),
        ({"resource": "pods", "object": {"spec": {}, "assigned": {}, "replicas": 2}}, "unknown fields"),
        ({"resource": "jobs", "object": {"spec": {}, "assigned": {}}}, "needs name and labels"),
    ],
)
def test_a_bad_step_is_refused_with_its_reason(changes: Dict[str, Any], message: str) -> None:
    with pytest.raises(SampleDataError, match=message):
        parse_step(_step_line(**changes), "scenarios.jsonl:1")


def test_not_json_is_refused_with_its_place(tmp_path: Path) -> None:
    data = tmp_path / "scenarios.jsonl"
    data.write_text(_step_line() + "\n{oops\n", encoding="utf-8")
    with pytest.raises(SampleDataError, match=r"scenarios.jsonl:2: not JSON"):
        load_steps(str(data))
