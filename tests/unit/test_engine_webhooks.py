"""Mutating admission webhooks: requestObject is the object before them; their logged patches come after."""

import json
from typing import Any, Dict, List, Optional

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.engine_events import event, judge, obj, spec

PATCH_KEY = "patch.webhook.admission.k8s.io/round_{}_index_{}"
MUTATION_KEY = "mutation.webhook.admission.k8s.io/round_{}_index_{}"
ADD_TRUE = [{"op": "add", "path": "/spec/hostNetwork", "value": True}]
REMOVE = [{"op": "remove", "path": "/spec/hostNetwork"}]
LABEL = [{"op": "add", "path": "/metadata/labels/x", "value": "y"}]


def webhook(
    annotations: Dict[str, str], name: str, operations: Optional[List[Any]], order: str = "0_0"
) -> Dict[str, str]:
    """Adds the records the API server writes for one webhook that mutated (operations None: the patch is
    not logged, as at level Metadata)."""
    r, i = order.split("_")
    record = {"configuration": f"{name}-config", "webhook": name}
    annotations[MUTATION_KEY.format(r, i)] = json.dumps({**record, "mutated": True})
    if operations is not None:
        annotations[PATCH_KEY.format(r, i)] = json.dumps(
            {**record, "patch": operations, "patchType": "JSONPatch"}
        )
    return annotations


def pod_created(host_network: Any, annotations: Dict[str, str], **kwargs: Any) -> Dict[str, Any]:
    pod_spec = spec() if host_network == "absent" else spec(host_network)
    ev = event(request=obj(pod_spec=pod_spec), level="Request", **kwargs)
    ev["annotations"] = annotations
    return ev


def test_a_webhook_that_adds_host_network_makes_the_request_true() -> None:
    verdict = judge(pod_created("absent", webhook({}, "evil.x", ADD_TRUE)))
    assert (verdict.hostnet, verdict.evidence, verdict.spec_path) == (
        "true",
        "requestObject",
        "requestObject.spec",
    )
    assert "set by mutating webhook evil.x" in verdict.error


def test_a_request_that_asked_for_host_network_stays_true_when_a_webhook_record_removes_it() -> None:
    # The attempt is what a SOC wants, and a validating webhook can forge a mutating webhook's record.
    verdict = judge(pod_created(True, webhook({}, "fix.x", REMOVE)))
    assert (verdict.hostnet, verdict.evidence) == ("true", "requestObject")
    assert "mutating webhook fix.x removes it" in verdict.error


def test_a_webhook_that_removes_host_network_a_webhook_added_makes_the_request_false() -> None:
    annotations = webhook(webhook({}, "add.x", ADD_TRUE, "0_0"), "fix.x", REMOVE, "0_1")
    verdict = judge(pod_created(False, annotations))
    assert (verdict.hostnet, verdict.evidence) == ("false", "requestObject")
    assert "set by mutating webhook fix.x" in verdict.error


@pytest.mark.parametrize("host_network", [True, False, "absent"])
def test_a_webhook_patch_that_does_not_touch_host_network_leaves_the_verdict(host_network: Any) -> None:
    expected = "true" if host_network is True else "false"
    verdict = judge(pod_created(host_network, webhook({}, "labels.x", LABEL)))
    assert (verdict.hostnet, verdict.error) == (expected, "")


def test_webhooks_apply_in_round_and_index_order() -> None:
    # Written out of order, and index 10 after index 9 (numbers, not text).
    annotations = webhook({}, "late", REMOVE, "1_0")
    webhook(annotations, "early", ADD_TRUE, "0_10")
    webhook(annotations, "earliest", REMOVE, "0_9")
    assert judge(pod_created("absent", annotations)).hostnet == "false"
    annotations = webhook({}, "late", ADD_TRUE, "1_0")
    webhook(annotations, "early", REMOVE, "0_10")
    verdict = judge(pod_created("absent", annotations))
    assert (verdict.hostnet, verdict.error) == ("true", "set by mutating webhook late")


def test_a_webhook_on_a_patch_body_applies_after_it() -> None:
    request = [{"op": "replace", "path": "/spec/template/spec/hostNetwork", "value": False}]
    annotations = webhook(
        {}, "evil.x", [{"op": "add", "path": "/spec/template/spec/hostNetwork", "value": True}]
    )
    ev = pod_created("absent", annotations, resource="deployments", verb="patch", group="apps", code=200)
    ev["requestObject"] = request
    assert (judge(ev).hostnet, judge(ev).evidence) == ("true", "patch")
    # an untouched patch body is no longer unknown once the webhook sets the key
    ev["requestObject"] = {"metadata": {"labels": {"a": "b"}}}
    assert judge(ev).hostnet == "true"


@pytest.mark.parametrize(
    "annotations",
    [
        pytest.param(
            webhook({}, "hidden.x", None),  # level Metadata: only the mutation record
            id="mutated-without-patch",
        ),
        pytest.param(
            {
                PATCH_KEY.format(0, 0): "{not json",
                MUTATION_KEY.format(0, 0): '{"webhook":"w","mutated":true}',
            },
            id="unreadable-patch",
        ),
        pytest.param(
            {PATCH_KEY.format(0, 0): json.dumps({"webhook": "w", "patch": ADD_TRUE, "patchType": "Other"})},
            id="unknown-patch-type",
        ),
        pytest.param({MUTATION_KEY.format(0, 0): "{unreadable"}, id="unreadable-mutation"),
        # after the last decision
        pytest.param(
            webhook(webhook({}, "early.x", REMOVE, "0_0"), "hidden.x", None, "0_1"),
            id="hidden-after-an-early-remove",
        ),
    ],
)
def test_a_mutation_without_a_readable_patch_makes_false_unknown(annotations: Dict[str, str]) -> None:
    verdict = judge(pod_created("absent", annotations))
    assert (verdict.hostnet, verdict.evidence) == ("unknown", "none")
    assert "a mutating webhook changed the object; its patch is not logged" in verdict.error
    assert judge(pod_created(True, annotations)).hostnet in ("true", "unknown")


def test_an_unlogged_mutation_before_a_deciding_patch_does_not_matter() -> None:
    annotations = webhook(webhook({}, "hidden.x", None, "0_0"), "fix.x", REMOVE, "0_1")
    assert judge(pod_created(False, annotations)).hostnet == "false"
    annotations = webhook(webhook({}, "hidden.x", None, "0_0"), "evil.x", ADD_TRUE, "0_1")
    assert judge(pod_created(False, annotations)).hostnet == "true"


def test_an_unlogged_mutation_leaves_true_true() -> None:
    assert judge(pod_created(True, webhook({}, "hidden.x", None))).hostnet == "true"


def test_a_webhook_that_did_not_mutate_changes_nothing() -> None:
    annotations = {
        MUTATION_KEY.format(0, 0): json.dumps({"configuration": "c", "webhook": "w", "mutated": False})
    }
    assert judge(pod_created("absent", annotations)).hostnet == "false"


def test_the_response_object_is_already_mutated() -> None:
    ev = pod_created("absent", webhook({}, "evil.x", ADD_TRUE))
    ev["responseObject"] = obj(pod_spec=spec())
    verdict = judge(ev)
    assert (verdict.hostnet, verdict.evidence, verdict.error) == ("false", "responseObject", "")


def test_annotations_cut_by_the_event_cut_make_false_unknown() -> None:
    raw = json.dumps(pod_created("absent", webhook({}, "labels.x", LABEL, "0_0")))
    cut = raw[: raw.rindex("}}") - 5]  # inside the last annotation value
    verdict = judge(cut)
    assert verdict.hostnet == "unknown"
    assert "annotations" in verdict.error


def test_the_reproducer_of_the_review() -> None:
    # /tmp/rev1/f3: a pod created without hostNetwork; a webhook adds it; the event logs the patch.
    annotations = webhook({}, "evil.x", ADD_TRUE)
    ev = event(request={"kind": "Pod", "metadata": {"name": "x"}, "spec": spec()}, level="Request")
    ev["annotations"] = annotations
    assert judge(ev).hostnet == "true"


@settings(max_examples=120)
@given(
    st.sampled_from([True, False, "absent"]),
    st.lists(st.sampled_from(["add", "remove", "label", "hidden"]), max_size=4),
)
def test_the_last_webhook_that_touches_host_network_decides(base: Any, changes: List[str]) -> None:
    """A model of the API server: each webhook in order sets, removes or leaves hostNetwork; a hidden one
    (patch not logged) could do anything. A request that asked for hostNetwork is true whatever follows."""
    annotations: Dict[str, str] = {}
    state: Optional[bool] = base is True  # None: a hidden webhook ran after the last known change
    for index, change in enumerate(changes):
        operations = {"add": ADD_TRUE, "remove": REMOVE, "label": LABEL, "hidden": None}[change]
        webhook(annotations, f"w{index}", operations, f"0_{index}")
        if change in ("add", "remove"):
            state = change == "add"
        elif change == "hidden" and state is not True:
            state = None
    expected = "true" if base is True else {True: "true", False: "false", None: "unknown"}[state]
    assert judge(pod_created(base, annotations)).hostnet == expected
