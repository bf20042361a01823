"""The adversarial classes of the hardening review and the enveloped shapes, through the built command as
splunkd runs it, under both of Splunk's interpreters. Each expected verdict is what docs/design.md says;
1.0.0 answered differently on every row marked so."""

import json
from typing import Any, Dict, List, Tuple

from hostnet_tools import flatten, scp

_POD = {
    "kind": "Pod",
    "apiVersion": "v1",
    "metadata": {"name": "web", "namespace": "default"},
    "spec": {"hostNetwork": True, "containers": [{"name": "c", "image": "nginx"}]},
}
_PARTIAL = {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": {"name": "web"}}


def _event(verb: str = "create", **extra: Any) -> Dict[str, Any]:
    return {
        "kind": "Event",
        "apiVersion": "audit.k8s.io/v1",
        "level": "RequestResponse",
        "auditID": "4d8f",
        "stage": "ResponseComplete",
        "verb": verb,
        "user": {"username": "mallory", "groups": ["system:authenticated"]},
        "sourceIPs": ["10.1.2.3"],
        "objectRef": {"resource": "pods", "namespace": "default", "name": "web", "apiVersion": "v1"},
        "responseStatus": {"code": 201},
        **extra,
    }


_REMOVE = json.dumps(
    {
        "configuration": "c",
        "webhook": "strip.example.com",
        "patch": [{"op": "remove", "path": "/spec/hostNetwork"}],
        "patchType": "JSONPatch",
    }
)

def _patch_text(body: str, code: int = 200, user_agent: int = 1024 + len("...TRUNCATED")) -> str:
    """A pod patch at Request level whose requestObject is body as written (repeated keys kept)."""
    event = _event("patch", level="Request", responseStatus={"code": code}, requestObject="__BODY__")
    if user_agent:
        event = {"userAgent": "u" * user_agent, **event}
    return json.dumps(event).replace('"__BODY__"', body)


# (name, event, hostnet, hostnet_gap, hostnet_req_shape): 1.0.0 answered otherwise on each.
CASES: List[Tuple[str, Any, str, str, str]] = [
    ("transformed response", _event(requestObject=_POD, responseObject=_PARTIAL), "true", "", "k8s_audit"),
    (
        "webhook record removing hostNetwork",
        _event(
            requestObject=_POD,
            annotations={"patch.webhook.admission.k8s.io/round_0_index_0": _REMOVE},
            level="Request",
        ),
        "true",
        "",
        "k8s_audit",
    ),
    (
        "forged last-applied in a merge patch",
        _event(
            "patch",
            level="Request",
            responseStatus={"code": 200},
            requestObject={
                "metadata": {
                    "annotations": {
                        "kubectl.kubernetes.io/last-applied-configuration": json.dumps(
                            {"spec": {"hostNetwork": True}}
                        )
                    }
                }
            },
        ),
        "unknown",
        "patch_effect_unlogged",
        "k8s_audit",
    ),
    (
        "truncating audit backend",
        _event(annotations={"audit.k8s.io/truncated": "true"}),
        "unknown",
        "backend_truncated",
        "k8s_audit",
    ),
    (
        "AKS record, the event as a JSON string",
        {"category": "kube-audit", "properties": {"log": json.dumps(_event(requestObject=_POD))}},
        "true",
        "",
        "k8s_audit:properties.log",
    ),
    (
        # Go's typed decoding merges a repeated object key and ignores null for a bool (1.0.0: false).
        "JSON Patch value with a repeated key and a null",
        json.dumps(_event("patch", responseStatus={"code": 200}, requestObject=[])).replace(
            '"requestObject": []',
            '"requestObject": [{"op": "add", "path": "/spec", '
            '"value": {"hostNetwork": true, "hostNetwork": null, "containers": []}}]',
        ),
        "true",
        "",
        "k8s_audit",
    ),
    (
        # The source is a value the same patch wrote (1.0.0: unknown).
        "JSON Patch copy of a value the patch wrote",
        _event(
            "patch",
            responseStatus={"code": 200},
            requestObject=[
                {"op": "add", "path": "/spec/hostPID", "value": True},
                {"op": "copy", "from": "/spec/hostPID", "path": "/spec/hostNetwork"},
            ],
        ),
        "true",
        "",
        "k8s_audit",
    ),
    (
        # Invalid JSON in a 255 KiB annotation went to the slow tolerant parser (1.0.0: about a second).
        "huge invalid last-applied annotation on a cut-free create",
        _event(
            requestObject={
                **_POD,
                "metadata": {
                    "name": "web",
                    "annotations": {
                        "kubectl.kubernetes.io/last-applied-configuration": "{" + "[" * 255 * 1024
                    },
                },
            }
        ),
        "true",
        "",
        "k8s_audit",
    ),
    (
        # Repeated keys survive only in the text, read again where the body is: the longest user agent an
        # audit event holds does not get in the way (1.0.0: false, the last key wins).
        "JSON Patch repeated keys behind the longest user agent",
        _patch_text('[{"op":"add","path":"/spec","value":{"hostNetwork":true,"hostNetwork":null}}]'),
        "true",
        "",
        "k8s_audit",
    ),
    (
        # A number int() refuses made every number a float, the status code too (5717762: unknown).
        "server-side apply holding a number of 5,000 digits",
        _patch_text('{"metadata":{"labels":{"a":"b"}},"x":' + "9" * 5000 + "}", code=201, user_agent=0),
        "false",
        "",
        "k8s_audit",
    ),
    (
        # A test of a value of 30,000 members is more work than one patch may cost: it asked for hostNetwork.
        "JSON Patch past the work budget that writes true",
        _patch_text(
            "["
            + '{"op":"add","path":"/spec/hostNetwork","value":true},'
            + '{"op":"add","path":"/metadata/labels","value":__BIG__},'
            + '{"op":"test","path":"/metadata/labels","value":__BIG__}]',
            user_agent=0,
        ).replace("__BIG__", json.dumps({f"k{i}": "v" for i in range(30_000)})),
        "true",
        "",
        "k8s_audit",
    ),
    (
        "Fluent Bit record",
        {"log": json.dumps(_event(requestObject=_POD)), "stream": "stdout"},
        "true",
        "",
        "k8s_audit:log",
    ),
]


def test_adversarial_classes_and_envelopes_through_the_built_command(
    command_script: str, python: str
) -> None:
    records = [
        flatten.splunk_record(case[1] if isinstance(case[1], str) else json.dumps(case[1])) for case in CASES
    ]

    run = scp.run_command(command_script, python, [records]).collect()

    assert run.returncode == 0, run.stderr
    assert len(run.records) == len(CASES)
    got = [
        (case[0], record["hostnet"], record["hostnet_gap"], record["hostnet_req_shape"])
        for case, record in zip(CASES, run.records)
    ]
    assert got == [(name, hostnet, gap, shape) for name, _, hostnet, gap, shape in CASES]
    assert all(record["hostnet_req_user"] == "mallory" for record in run.records)
    assert run.records[0]["hostnet_req_src_ip"] == "10.1.2.3"
