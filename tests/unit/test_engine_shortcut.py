"""kube_hostnet.shortcut gives the general path's verdict or none: on generated events, on the events it is
built for, on every edge it must turn away, and on the real events."""

import json
from typing import Any, Dict, List, Optional, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kube_hostnet import Verdict, annotation, assess, jsonread, pipeline, readers, shortcut
from kube_hostnet.assess import assess_without_early_exit
from kube_hostnet.request import AuditRequest
from tests.support.engine_events import LAST_APPLIED, event, obj, spec, spec_path, status
from tests.support.engine_strategies import consistent_events, mutate
from tests.support.kubernetes_truth import SPEC_PATHS
from tests.support.paths import K8S_AUDIT

_GROUPS_AND_RESOURCES = sorted(SPEC_PATHS)
_HOST = st.sampled_from(["absent", True, False, "true", None, 1])
# What a holder's last-applied annotation can be: none, JSON that says something (or nothing) of
# hostNetwork, text that cannot name it, a \u-escaped key, text that is not JSON, another JSON type.
_ANNOTATIONS = st.sampled_from(["none", "true", "false", "absent", "escaped", "not json", "number", "list"])


def _annotation(kind: str, resource: str) -> Any:
    if kind == "number":
        return 7
    if kind == "not json":
        return '{"spec": hostNetwork'
    if kind == "list":
        return json.dumps([{"hostNetwork": True}])
    if kind == "escaped":
        return json.dumps(obj(resource, spec(True))).replace("hostNetwork", "\\u0068ostNetwork")
    return json.dumps(obj(resource, spec() if kind == "absent" else spec(kind == "true")))


def _with_annotation(body: Dict[str, Any], kind: str, resource: str) -> Dict[str, Any]:
    if kind != "none":
        body.setdefault("metadata", {})["annotations"] = {LAST_APPLIED: _annotation(kind, resource)}
    return body


@st.composite
def _requests(draw: st.DrawFn) -> Dict[str, Any]:
    """Events near the shortcut's edges: each thing it checks varied on its own."""
    group, resource = draw(st.sampled_from(_GROUPS_AND_RESOURCES))
    host = draw(_HOST)
    pod_spec = spec() if host == "absent" else spec(host)
    # Weighted towards what the shortcut answers, so that each edge is met next to answered events.
    verb = draw(st.sampled_from(["create", "update", "patch", "create", "update", "patch", "get", "delete"]))
    kwargs: Dict[str, Any] = {
        "group": group or None,
        "subresource": draw(st.sampled_from([None, None, None, "status", ""])),
    }
    response_kind = draw(st.sampled_from(["object"] * 4 + ["table", "status", "other kind", "none"]))
    response: Any = _with_annotation(obj(resource, pod_spec), draw(_ANNOTATIONS), resource)
    if response_kind == "table":
        response = {"kind": "Table", "rows": [{"object": response}]}
    elif response_kind == "status":
        response = status(403, "Forbidden")
    elif response_kind == "other kind":
        response = {**response, "kind": "PartialObjectMetadata"}
    if response_kind != "none":
        kwargs["response"] = response
    request_kind = draw(st.sampled_from(["object", "patch", "list", "none"]))
    if request_kind == "object":
        kwargs["request"] = _with_annotation(obj(resource, pod_spec), draw(_ANNOTATIONS), resource)
    elif request_kind == "patch":
        patch = {"metadata": {"labels": {"a": "b"}}}
        kwargs["request"] = _with_annotation(patch, draw(_ANNOTATIONS), resource)
    elif request_kind == "list":
        kwargs["request"] = [{"op": "add", "path": "/" + "/".join(spec_path(resource)) + "/hostNetwork"}]
    return event(resource, verb, **kwargs)


def _request_of(raw: str) -> Tuple[AuditRequest, Tuple[str, ...]]:
    parsed = jsonread.parse(raw, object_only=True)
    assert isinstance(parsed.value, dict)
    notes = (f"event cut after {parsed.cut_at} chars",) if parsed.cut else ()
    notes += ("nesting skipped",) if parsed.deep_skipped else ()
    return readers.read_record(parsed.value, notes, raw)[0], notes


def _holds(raw: str) -> Optional[Verdict]:
    """The shortcut's verdict for raw (None when it has none), after checking it against the general
    path, on the request and through assess."""
    assert assess(raw) == assess_without_early_exit(raw)
    parsed = jsonread.parse(raw, object_only=True)
    if parsed.error or not isinstance(parsed.value, dict):
        return None
    request, _ = _request_of(raw)
    quick = shortcut.false_by_logged_object(request)
    if quick is not None:
        assert quick == pipeline.decide(request)
    return quick


_CHANGES = st.sampled_from(["none", "none", "cut", "damage"])


@settings(max_examples=400)
@given(ev=_requests() | consistent_events(), change=_CHANGES, data=st.data())
def test_the_shortcut_is_the_general_path_or_steps_aside(ev: Dict[str, Any], change: str, data: Any) -> None:
    raw = json.dumps(ev)
    if change == "cut":
        raw = raw[: data.draw(st.integers(1, len(raw) - 1))]
    elif change == "damage":
        raw = mutate(raw, data)
    _holds(raw)


def test_the_generated_events_take_the_shortcut_and_its_mismatch() -> None:
    # Without this the property above could pass while the shortcut never answered.
    verdicts: List[Optional[Verdict]] = []

    @settings(max_examples=300, derandomize=True)
    @given(ev=_requests())
    def collect(ev: Dict[str, Any]) -> None:
        verdicts.append(_holds(json.dumps(ev)))

    collect()
    taken = [verdict for verdict in verdicts if verdict is not None]
    assert len(taken) >= len(verdicts) // 10, len(taken)
    assert any(verdict.annotation_mismatch for verdict in taken)
    assert any(verdict is None for verdict in verdicts)


def _pod_event(response: Any, request: Any = None, **kwargs: Any) -> str:
    body = {"request": request} if request is not None else {}
    return json.dumps(event("pods", "create", response=response, **body, **kwargs))


def _annotated(value: Any) -> Dict[str, Any]:
    return obj(pod_spec=spec(False), annotation=value if isinstance(value, str) else json.dumps(value))


def test_a_false_object_with_a_true_annotation_is_a_mismatch() -> None:
    verdict = _holds(_pod_event(_annotated(obj(pod_spec=spec(True)))))
    assert verdict is not None and verdict.hostnet == "false" and verdict.annotation_mismatch


def test_the_request_bodys_annotation_is_read_before_the_responses() -> None:
    # The request's annotation is absent-of-hostNetwork, the response's says true: the first one decides.
    raw = _pod_event(_annotated(obj(pod_spec=spec(True))), request=_annotated(obj(pod_spec=spec())))
    verdict = _holds(raw)
    assert verdict is not None and not verdict.annotation_mismatch


def test_an_annotation_that_cannot_name_host_network_is_not_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    text = json.dumps(obj(pod_spec=spec()))

    def refuse(*args: Any) -> Any:
        raise AssertionError("decoded")

    monkeypatch.setattr(shortcut, "read_text", refuse)
    request, _ = _request_of(_pod_event(_annotated(text)))
    verdict = shortcut.false_by_logged_object(request)
    assert verdict is not None and not verdict.annotation_mismatch
    assert annotation.read_text(text, ("spec",), "o").hostnet == annotation.ABSENT


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(_pod_event(obj(pod_spec=spec(True))), id="true: described by the general path"),
        pytest.param(_pod_event(status(403, "Forbidden")), id="a Status"),
        pytest.param(_pod_event({"kind": "Table", "rows": [obj(), obj()]}), id="a Table without the object"),
        pytest.param(_pod_event({**obj(), "kind": "PartialObjectMetadata"}), id="another kind"),
        pytest.param(json.dumps(event("pods", "get", response=obj())), id="a read"),
        pytest.param(
            json.dumps(event("pods", "update", subresource="status", response=obj())), id="a subresource"
        ),
        pytest.param(
            json.dumps(event("configmaps", "create", response={"kind": "ConfigMap"})), id="no pod spec"
        ),
        pytest.param(_pod_event(obj())[:-40], id="cut"),
        pytest.param(_pod_event({"kind": "Pod", "spec": []}), id="a spec that is not an object"),
    ],
)
def test_what_the_shortcut_turns_away(raw: str) -> None:
    assert _holds(raw) is None


def test_every_real_event_agrees() -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted(K8S_AUDIT.glob("*.json"))]
    assert texts
    taken = [_holds(text) for text in texts]
    assert any(verdict is not None for verdict in taken)
