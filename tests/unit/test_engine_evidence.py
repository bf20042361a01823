"""Rules 2-4 and 8 for whole objects: evidence order, JSON semantics, where the key counts, bodies missing."""

import json

import pytest

from tests.support.engine_events import event, judge, obj, spec, status


def test_response_object_is_read_before_request_object() -> None:
    # An admission webhook may change the request; the response is what was stored.
    mutated_away = judge(event(request=obj(pod_spec=spec(True)), response=obj(pod_spec=spec(False))))
    assert (mutated_away.hostnet, mutated_away.evidence) == ("false", "responseObject")
    mutated_in = judge(event(request=obj(pod_spec=spec()), response=obj(pod_spec=spec(True))))
    assert (mutated_in.hostnet, mutated_in.evidence, mutated_in.spec_path) == (
        "true",
        "responseObject",
        "responseObject.spec",
    )


@pytest.mark.parametrize(("code", "reason"), [(403, "Forbidden"), (409, "AlreadyExists"), (422, "Invalid")])
def test_a_failed_request_is_judged_on_what_it_asked_for(code: int, reason: str) -> None:
    verdict = judge(event(code=code, request=obj(pod_spec=spec(True)), response=status(code, reason)))
    assert (verdict.hostnet, verdict.evidence) == ("true", "requestObject")
    refused_plain = judge(event(code=code, request=obj(pod_spec=spec()), response=status(code, reason)))
    assert (refused_plain.hostnet, refused_plain.evidence) == ("false", "requestObject")


def test_a_status_response_alone_is_unknown() -> None:
    verdict = judge(event(code=403, response=status(403, "Forbidden")))
    assert verdict.hostnet == "unknown"
    assert "Status" in verdict.error


@pytest.mark.parametrize(
    "response",
    [
        pytest.param("a pod", id="string"),
        pytest.param(5, id="number"),
        pytest.param([obj(pod_spec=spec(False))], id="list-of-objects"),
        pytest.param(None, id="null"),
    ],
)
def test_a_response_that_is_not_an_object_is_skipped(response: object) -> None:
    verdict = judge(event(request=obj(pod_spec=spec(True)), response=response))
    assert (verdict.hostnet, verdict.evidence) == ("true", "requestObject")


def test_update_reads_the_request_object_like_create() -> None:
    assert judge(event(verb="update", level="Request", request=obj(pod_spec=spec(True)))).hostnet == "true"
    assert judge(event(verb="update", level="Request", request=obj(pod_spec=spec()))).hostnet == "false"


def test_metadata_level_is_unknown() -> None:
    verdict = judge(event(level="Metadata"))
    assert verdict.hostnet == "unknown"
    assert "level Metadata" in verdict.error


def test_request_received_stage_is_unknown() -> None:
    ev = event(level="RequestResponse")
    ev["stage"] = "RequestReceived"
    del ev["responseStatus"]
    verdict = judge(ev)
    assert verdict.hostnet == "unknown"
    assert "stage RequestReceived" in verdict.error


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(True, "true", id="json-true"),
        pytest.param(False, "false", id="json-false"),
        pytest.param("true", "false", id="string-true"),
        pytest.param(1, "false", id="number-1"),
        pytest.param(None, "false", id="null"),
        pytest.param({"on": True}, "false", id="object"),
        pytest.param([True], "false", id="list-of-true"),
    ],
)
def test_only_the_json_value_true_is_true(value: object, expected: str) -> None:
    assert judge(event(request=obj(pod_spec=spec(value)))).hostnet == expected


@pytest.mark.parametrize("key", ["HostNetwork", "hostnetwork", "hostNetwork ", "host_network"])
def test_keys_are_case_and_spelling_sensitive(key: str) -> None:
    body = obj(pod_spec={**spec(), key: True})
    assert judge(event(request=body, response=body)).hostnet == "false"


def test_unicode_escapes_in_keys_decode() -> None:
    raw = json.dumps(event(request=obj(pod_spec=spec(True)))).replace('"hostNetwork"', '"host\\u004eetwork"')
    assert "hostNetwork" not in raw
    assert judge(raw).hostnet == "true"


def test_whitespace_is_irrelevant() -> None:
    raw = json.dumps(event(request=obj(pod_spec=spec(True))), indent="\t", separators=(" ,\r\n", " :  "))
    assert judge(raw).hostnet == "true"


@pytest.mark.parametrize(("first", "last"), [("true", "false"), ("false", "true")])
def test_a_repeated_key_takes_its_last_value(first: str, last: str) -> None:
    raw = json.dumps(event(request=obj(pod_spec=spec("X")))).replace(
        '"hostNetwork": "X"', f'"hostNetwork": {first}, "hostNetwork": {last}'
    )
    assert judge(raw).hostnet == last


@pytest.mark.parametrize(
    "pod_spec",
    [
        pytest.param(
            {"containers": [{"name": "c", "image": "nginx", "hostNetwork": True}]},
            id="in-a-container",
        ),
        pytest.param({
            "containers": [
                {"name": "c", "image": "nginx", "env": [{"name": "X", "value": '"hostNetwork":true'}]}
            ]
        }, id="in-an-env-value"),
        pytest.param(
            {"containers": [{"name": "c", "image": "nginx"}], "securityContext": {"hostNetwork": True}},
            id="in-the-security-context",
        ),
        pytest.param({"template": {"spec": {"hostNetwork": True}}}, id="in-a-nested-template"),
    ],
)
def test_host_network_below_the_pod_spec_level_does_not_count(pod_spec: dict) -> None:
    body = obj(pod_spec=pod_spec)
    assert judge(event(request=body, response=body)).hostnet == "false"


def test_host_network_in_a_label_or_annotation_value_does_not_count() -> None:
    body = obj(pod_spec=spec(), labels={"hostNetwork": "true"}, annotations={"note": '"hostNetwork":true'})
    assert judge(event(request=body, response=body)).hostnet == "false"


def test_deployment_spec_host_network_is_not_the_pod_spec() -> None:
    body = obj("deployments", spec())
    body["spec"]["hostNetwork"] = True
    verdict = judge(event("deployments", group="apps", request=body, response=body))
    assert (verdict.hostnet, verdict.evidence) == ("false", "responseObject")


def test_a_pod_spec_in_a_configmap_does_not_count() -> None:
    body = {
        "kind": "ConfigMap",
        "data": {"pod.json": json.dumps(obj(pod_spec=spec(True)))},
        "spec": spec(True),
    }
    assert judge(event("configmaps", request=body, response=body)).hostnet == "false"


@pytest.mark.parametrize(
    "bad_spec",
    [
        pytest.param(5, id="number"),
        pytest.param("spec", id="string"),
        pytest.param([spec(True)], id="list-of-specs"),
        pytest.param(None, id="null"),
    ],
)
def test_a_spec_of_the_wrong_type_is_unknown(bad_spec: object) -> None:
    body = obj()
    body["spec"] = bad_spec
    verdict = judge(event(request=body, response=body))
    assert verdict.hostnet == "unknown"
    assert "responseObject.spec is not an object" in verdict.error


def test_a_template_of_the_wrong_type_is_unknown() -> None:
    body = obj("deployments")
    body["spec"]["template"] = 7
    verdict = judge(event("deployments", group="apps", request=body))
    assert verdict.hostnet == "unknown"
    assert "requestObject.spec.template is not an object" in verdict.error


def test_a_complete_object_without_a_pod_spec_is_false() -> None:
    body = obj()
    del body["spec"]
    assert judge(event(request=body)).hostnet == "false"


def test_a_request_object_that_is_not_an_object_is_unknown() -> None:
    verdict = judge(event(request=[obj(pod_spec=spec(True))]))
    assert verdict.hostnet == "unknown"
    assert "requestObject is not an object" in verdict.error


@pytest.mark.parametrize("raw", ["[]", "5", '"event"', "null"])
def test_an_event_that_is_not_an_object_is_unknown(raw: str) -> None:
    verdict = judge(raw)
    assert verdict.hostnet == "unknown"
    assert "not an object" in verdict.error


@pytest.mark.parametrize("raw", ["not json", '{"verb": "create"} trailing', "{'verb': 'create'}", "\x00"])
def test_text_that_is_not_json_is_unknown(raw: str) -> None:
    verdict = judge(raw)
    assert verdict.hostnet == "unknown"
    assert "not valid JSON" in verdict.error
