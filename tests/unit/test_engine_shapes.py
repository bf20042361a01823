"""One request, every shape: a native event wrapped as AKS, Fluent Bit and OpenShift deliver it, and
re-expressed as the GKE LogEntry GKE writes for it (hostnet_tools.platform_shapes), gets the native
event's verdict and request description, except what the shape does not carry."""

import json
from typing import Any, Dict, Tuple

from hypothesis import given
from hypothesis import strategies as st

from hostnet_tools import platform_shapes
from hostnet_tools.platform_shapes import CREATED_LOST, JSON_PATCH_LOST
from kube_hostnet import Verdict, assess
from tests.support.engine_events import HOSTNET_POD, fixture_event, fixture_text, obj, spec, status
from tests.support.engine_events import event as native_event
from tests.support.engine_strategies import consistent_events
from tests.support.paths import FIXTURES

AKS_FIXTURE = FIXTURES / "aks" / "aks_kube_audit_hostnetwork_pod.json"
# What the verdict says of the pod spec: the same for every shape of one request.
VERDICT_FIELDS = ("hostnet", "evidence", "spec_path", "namespace", "workload", "images", "gap")
# What GKE's LogEntry carries of the request (src_ip: its one callerIp, the first of sourceIPs).
GKE_DESCRIBED = ("user", "user_agent", "verb", "resource", "subresource", "namespace", "audit_id")
addresses = st.sampled_from(["10.0.0.7", "192.168.4.2", "2001:db8::9"])
names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-.:@", min_size=1, max_size=16)


@st.composite
def requests(draw: st.DrawFn) -> Dict[str, Any]:
    """A consistent event with who asked, from where, and the authorizer's annotations."""
    event = draw(consistent_events())
    event["auditID"] = draw(names)
    event["user"] = {"username": draw(names), "groups": draw(st.lists(names, max_size=3))}
    event["sourceIPs"] = draw(st.lists(addresses, max_size=3))
    event["userAgent"] = draw(names)
    event["stageTimestamp"] = "2024-11-14T09:00:00.000000Z"
    event["annotations"] = {"authorization.k8s.io/decision": "allow", "authorization.k8s.io/reason": ""}
    return event


def judged(record: Any) -> Verdict:
    return assess(record if isinstance(record, str) else json.dumps(record), {})


def about_the_spec(verdict: Verdict) -> Tuple[Any, ...]:
    return tuple(getattr(verdict, name) for name in VERDICT_FIELDS)


def wrapped(event: Dict[str, Any]) -> Dict[str, Tuple[str, str, Any]]:
    """name -> (hostnet_req_shape, hostnet_req_cluster, the record)."""
    text = json.dumps(event)
    aks, openshift = platform_shapes.AKS_RESOURCE_ID, platform_shapes.OPENSHIFT_CLUSTER_ID
    return {
        "aks": ("k8s_audit:properties.log", aks, platform_shapes.aks_record(text)),
        "aks parsed": ("k8s_audit:properties.log", aks, platform_shapes.aks_record(text, as_object=True)),
        "fluent bit": ("k8s_audit:log", "", platform_shapes.fluent_bit_record(text)),
        "openshift": ("k8s_audit", openshift, platform_shapes.openshift_record(event)),
    }


@given(requests())
def test_an_envelope_changes_neither_verdict_nor_description(event: Dict[str, Any]) -> None:
    native = judged(event)
    for name, (shape, cluster, record) in wrapped(event).items():
        verdict = judged(record)
        assert about_the_spec(verdict) == about_the_spec(native), name
        # The cluster is what an envelope adds; everything else describes the same request.
        assert (verdict.request.shape, verdict.request.cluster) == (shape, cluster), name
        assert verdict.request._replace(shape="", cluster="") == native.request._replace(shape="")


@given(requests())
def test_gke_judges_its_entry_as_the_native_event_it_carries(event: Dict[str, Any]) -> None:
    converted = platform_shapes.gke_entry(event)
    assert converted is not None
    gke, carried = judged(converted.entry), judged(converted.carried)
    assert about_the_spec(gke) == about_the_spec(carried)
    if not converted.lost:
        assert converted.carried == event
    assert gke.request.shape == "gke_audit"
    assert gke.request.cluster == f"{platform_shapes.PROJECT}/{platform_shapes.CLUSTER}"
    for name in GKE_DESCRIBED:
        assert getattr(gke.request, name) == getattr(carried.request, name), name
    assert gke.request.src_ip == carried.request.src_ip[:1]
    # GKE's resourceName also names the object a create made.
    created = platform_shapes.created_name(event) if event["verb"] == "create" else ""
    assert gke.request.name == (carried.request.name or created)
    # Not carried by GKE: the user's groups, the stage; a code only where the status or a Status says it.
    assert (gke.request.groups, gke.request.stage) == ((), "")
    assert gke.request.response_code in ("", "401", "403", carried.request.response_code)


@given(requests())
def test_gke_loses_only_what_it_cannot_carry(event: Dict[str, Any]) -> None:
    converted = platform_shapes.gke_entry(event)
    assert converted is not None
    lost = set(converted.lost)
    assert (JSON_PATCH_LOST in lost) == isinstance(event.get("requestObject"), list)
    patch_created = event["verb"] == "patch" and event["responseStatus"]["code"] == 201
    assert (CREATED_LOST in lost) == patch_created
    if not lost:
        assert about_the_spec(judged(converted.entry)) == about_the_spec(judged(event))


def test_gke_writes_no_request_received_event() -> None:
    event = native_event(request=obj(pod_spec=spec(True)))
    event["stage"] = "RequestReceived"
    del event["requestObject"]
    assert platform_shapes.gke_entry(event) is None


def test_a_json_patch_that_decided_is_unknown_on_gke() -> None:
    operations = [{"op": "add", "path": "/spec/hostNetwork", "value": True}]
    event = native_event(verb="patch", request=operations, code=200, level="Request", name="web")
    assert judged(event).hostnet == "true"
    converted = platform_shapes.gke_entry(event)
    assert converted is not None and converted.lost == (JSON_PATCH_LOST,)
    assert "request" not in converted.entry["protoPayload"]
    verdict = judged(converted.entry)
    assert (verdict.hostnet, verdict.gap) == ("unknown", "no_body")


def test_a_refused_create_on_gke_keeps_true_and_its_code() -> None:
    event = native_event(request=obj(pod_spec=spec(True)), response=status(403, "Forbidden"), code=403)
    converted = platform_shapes.gke_entry(event)
    assert converted is not None and converted.entry["protoPayload"]["status"]["code"] == 7
    verdict = judged(converted.entry)
    assert (verdict.hostnet, verdict.evidence, verdict.request.response_code) == (
        "true",
        "requestObject",
        "403",
    )


def test_the_real_falco_event_in_an_aks_record() -> None:
    record = json.loads(AKS_FIXTURE.read_text(encoding="utf-8"))
    assert record["properties"]["log"] == fixture_text(HOSTNET_POD).rstrip("\n")
    verdict, native = judged(record), judged(fixture_event(HOSTNET_POD))
    assert verdict.hostnet == "true"
    assert about_the_spec(verdict) == about_the_spec(native)
    assert verdict.request.shape == "k8s_audit:properties.log"
    assert verdict.request.cluster.endswith("/MANAGEDCLUSTERS/EXAMPLE-AKS")


def test_method_groups() -> None:
    assert platform_shapes.method_group("") == ""
    assert platform_shapes.method_group("apps") == "apps"
    assert platform_shapes.method_group("rbac.authorization.k8s.io") == "authorization.rbac"
    assert platform_shapes.method_group("example.com") == "com.example"


@given(requests(), st.data())
def test_a_cut_gke_entry_never_turns_true_into_false_nor_anything_into_true(
    event: Dict[str, Any], data: st.DataObject
) -> None:
    converted = platform_shapes.gke_entry(event)
    assert converted is not None
    text = json.dumps(converted.entry, sort_keys=True)
    full = judged(text).hostnet
    anchors = [text.index(key) for key in ('"hostNetwork"', '"resourceName"', '"spec"') if key in text]
    end = data.draw(st.integers(1, len(text) - 1))
    if anchors and data.draw(st.booleans()):
        end = min(max(1, data.draw(st.sampled_from(anchors)) + data.draw(st.integers(-5, 40))), len(text) - 1)
    cut = judged(text[:end])
    assert cut.hostnet != ("false" if full == "true" else "true")
    assert cut.hostnet != "unknown" or cut.gap == "cut"  # an entry without its last brace is a cut one
