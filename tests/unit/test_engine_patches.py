"""Rule 2 for verb=patch: JSON Patch (RFC 6902), merge / strategic-merge / server-side-apply bodies."""

import json

import pytest

from kube_hostnet.patches import pointer_tokens
from tests.support.engine_events import event, judge, obj, spec


def patched(body: object, resource: str = "pods", code: int = 200) -> str:
    group = None if resource == "pods" else "apps"
    return json.dumps(event(resource, "patch", group=group, level="Request", request=body, code=code))


@pytest.mark.parametrize(
    ("operations", "expected"),
    [
        pytest.param([{"op": "add", "path": "/spec/hostNetwork", "value": True}], "true", id="add-true"),
        pytest.param(
            [{"op": "replace", "path": "/spec/hostNetwork", "value": True}], "true",
            id="replace-true",
        ),
        pytest.param(
            [{"op": "replace", "path": "/spec/hostNetwork", "value": False}], "false",
            id="replace-false",
        ),
        pytest.param(
            [{"op": "add", "path": "/spec/hostNetwork", "value": "true"}], "false",
            id="add-string-true",
        ),
        pytest.param([{"op": "remove", "path": "/spec/hostNetwork"}], "false", id="remove"),
        # an ancestor replaced by a value that holds the key, or does not
        pytest.param(
            [{"op": "replace", "path": "/spec", "value": spec(True)}], "true",
            id="replace-spec-holding-true",
        ),
        pytest.param(
            [{"op": "replace", "path": "/spec", "value": spec()}], "false",
            id="replace-spec-without-it",
        ),
        pytest.param([{"op": "remove", "path": "/spec"}], "false", id="remove-spec"),
        # in order, the last one wins
        pytest.param(
            [
                {"op": "add", "path": "/spec/hostNetwork", "value": True},
                {"op": "remove", "path": "/spec/hostNetwork"},
            ],
            "false",
            id="add-then-remove",
        ),
        pytest.param(
            [
                {"op": "remove", "path": "/spec/hostNetwork"},
                {"op": "add", "path": "/spec/hostNetwork", "value": True},
            ],
            "true",
            id="remove-then-add",
        ),
        pytest.param(
            [
                {"op": "add", "path": "/spec/hostNetwork", "value": True},
                {"op": "add", "path": "/spec/containers/0/image", "value": "x"},
            ],
            "true",
            id="add-then-other-path",
        ),
        # test does not change it; a descendant of the key is not the key
        pytest.param(
            [
                {"op": "add", "path": "/spec/hostNetwork", "value": True},
                {"op": "test", "path": "/spec/hostNetwork", "value": True},
            ],
            "true",
            id="add-then-test",
        ),
    ],
)
def test_json_patch_on_a_pod(operations: list, expected: str) -> None:
    verdict = judge(patched(operations))
    assert (verdict.hostnet, verdict.evidence) == (expected, "patch")


@pytest.mark.parametrize("kind", ["copy", "move"])
def test_json_patch_copy_or_move_into_host_network_from_the_unseen_object_is_unknown(kind: str) -> None:
    verdict = judge(patched([{"op": kind, "from": "/metadata/labels/x", "path": "/spec/hostNetwork"}]))
    assert verdict.hostnet == "unknown"
    assert "a value from /metadata/labels/x, which the event does not show" in verdict.error


def test_json_patch_move_away_from_host_network_is_false() -> None:
    verdict = judge(
        patched(
            [
                {"op": "add", "path": "/spec/hostNetwork", "value": True},
                {"op": "move", "from": "/spec/hostNetwork", "path": "/metadata/labels/x"},
            ]
        )
    )
    assert verdict.hostnet == "false"


def test_json_patch_on_a_deployment_template_ancestor() -> None:
    operations = [
        {"op": "replace", "path": "/spec/template", "value": {"spec": spec(True, images=("a", "b"))}}
    ]
    verdict = judge(patched(operations, "deployments"))
    assert (verdict.hostnet, verdict.spec_path, verdict.images) == (
        "true",
        "requestObject.spec.template.spec",
        ("a", "b"),
    )
    # the pod's path is not the deployment's
    assert (
        judge(patched([{"op": "add", "path": "/spec/hostNetwork", "value": True}], "deployments")).hostnet
        == "unknown"
    )


@pytest.mark.parametrize(
    "pointer",
    [
        "/spec~1template/spec/hostNetwork",  # one token "spec/template", not two
        "/spec~01template/spec/hostNetwork",  # ~01 is "~1", not "/"
        "/spec/template/spec/host~0Network",
        "/spec/template/spec/hostNetwork~1x",
        "spec/template/spec/hostNetwork",  # the API server reads it as /template/spec/hostNetwork
    ],
)
def test_json_pointer_escapes_are_tokens_not_separators(pointer: str) -> None:
    verdict = judge(patched([{"op": "add", "path": pointer, "value": True}], "deployments"))
    assert verdict.hostnet == "unknown"


@pytest.mark.parametrize(
    ("pointer", "tokens"),
    [
        pytest.param("", None, id="empty"),  # the API server rejects a path without '/'
        pytest.param("/", ("",), id="root"),
        pytest.param("/a~1b/c", ("a/b", "c"), id="escaped-slash"),
        pytest.param("/a~01", ("a~1",), id="escaped-tilde-then-1"),
        pytest.param("/~0~1", ("~/",), id="tilde-and-slash"),
        pytest.param(
            "a/b", ("b",),  # what comes before the first '/' is ignored
            id="text-before-first-slash",
        ),
        pytest.param("x/spec/hostNetwork", ("spec", "hostNetwork"), id="prefix-before-the-path"),
        pytest.param("hostNetwork", None, id="no-slash"),
        pytest.param(5, None, id="not-a-string"),
    ],
)
def test_pointer_tokens_follow_rfc_6901(pointer: object, tokens: object) -> None:
    assert pointer_tokens(pointer) == tokens


def test_json_pointer_escapes_decode_in_other_tokens() -> None:
    # A key with '/' (annotations) is escaped as ~1; the pointer still reaches hostNetwork afterwards.
    operations = [
        {"op": "add", "path": "/metadata/annotations/a~1b", "value": "x"},
        {"op": "add", "path": "/spec/hostNetwork", "value": True},
    ]
    assert judge(patched(operations)).hostnet == "true"


def test_json_patch_that_does_not_touch_host_network_is_unknown() -> None:
    verdict = judge(patched([{"op": "replace", "path": "/spec/containers/0/image", "value": "x"}]))
    assert (verdict.hostnet, verdict.evidence) == ("unknown", "none")
    assert "patch does not touch hostNetwork" in verdict.error


@pytest.mark.parametrize(
    "operations",
    [
        pytest.param([{"path": "/spec/hostNetwork", "value": False}], id="without-op"),  # no op
        pytest.param([{"op": "frobnicate", "path": "/spec/hostNetwork", "value": False}], id="unknown-op"),
    ],
)
def test_unreadable_json_patch_operations_on_host_network_are_unknown(operations: list) -> None:
    assert judge(patched(operations)).hostnet == "unknown"


@pytest.mark.parametrize("element", ["add", 5, None, []])
def test_an_operation_that_is_not_an_object_fails_the_whole_patch(element: object) -> None:
    # DecodePatch cannot read it into an operation (null reads as one without an op)
    verdict = judge(patched([element, {"op": "add", "path": "/spec/hostNetwork", "value": True}]))
    assert verdict.hostnet == "unknown"
    assert "operation 0 is not an object (the patch fails)" in verdict.error


def test_an_add_without_a_value_inserts_null() -> None:
    # op.value() is nil, which marshals as null: the typed decode leaves hostNetwork false
    operations = [
        {"op": "add", "path": "/spec/hostNetwork", "value": True},
        {"op": "add", "path": "/spec/hostNetwork"},
    ]
    assert judge(patched(operations)).hostnet == "false"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param({"spec": {"hostNetwork": True}}, "true", id="true"),
        pytest.param({"spec": {"hostNetwork": False}}, "false", id="false"),
        pytest.param({"spec": {"hostNetwork": None}}, "false", id="null-deletes"),  # null deletes the key
        pytest.param({"spec": None}, "false", id="null-spec"),
        pytest.param({"spec": {"hostNetwork": "true"}}, "false", id="string-true"),
        pytest.param({"spec": {"$patch": "replace", "hostNetwork": True}}, "true", id="patch-replace-true"),
        pytest.param(
            {"spec": {"$retainKeys": ["hostNetwork"], "hostNetwork": True}}, "true",
            id="retain-keys-true",
        ),
        # false under both patch types: strategic merge drops the key, JSON merge writes a non-true value
        pytest.param({"spec": {"$patch": "delete", "hostNetwork": False}}, "false", id="patch-delete-false"),
        pytest.param({"spec": {"$patch": "delete", "hostNetwork": None}}, "false", id="patch-delete-null"),
    ],
)
def test_merge_and_strategic_merge_bodies(body: dict, expected: str) -> None:
    verdict = judge(patched(body))
    described = "requestObject.spec" if expected == "true" else ""  # the spec path only describes true
    assert (verdict.hostnet, verdict.evidence, verdict.spec_path) == (expected, "patch", described)


def test_merge_body_on_a_deployment_template() -> None:
    body = {"spec": {"template": {"spec": {"hostNetwork": True}}}}
    assert judge(patched(body, "deployments")).hostnet == "true"
    assert judge(patched({"spec": {"hostNetwork": True}}, "deployments")).hostnet == "unknown"


def test_a_merge_body_that_does_not_touch_host_network_is_unknown() -> None:
    verdict = judge(patched({"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c"}]}}))
    assert (verdict.hostnet, verdict.evidence) == ("unknown", "none")
    assert "patch does not touch hostNetwork" in verdict.error


def test_server_side_apply_that_creates_the_object_without_the_key_is_false() -> None:
    body = obj(pod_spec=spec())
    created = judge(patched(body, code=201))
    assert (created.hostnet, created.evidence) == ("false", "patch")
    assert judge(patched(body, code=200)).hostnet == "unknown"
    assert judge(patched(obj(pod_spec=spec(True)), code=201)).hostnet == "true"


def test_the_201_rule_needs_the_integer_code() -> None:
    raw = patched(obj(pod_spec=spec()), code=201).replace('"code": 201', '"code": "201"')
    assert judge(raw).hostnet == "unknown"


@pytest.mark.parametrize("body", [5, "spec: {hostNetwork: true}", None])
def test_a_patch_body_that_is_neither_array_nor_object_is_unknown(body: object) -> None:
    assert judge(patched(body)).hostnet == "unknown"


def test_a_merge_body_with_a_spec_of_the_wrong_type_is_unknown() -> None:
    verdict = judge(patched({"spec": 5}))
    assert verdict.hostnet == "unknown"
    assert "not an object" in verdict.error


def test_the_response_object_decides_over_the_patch() -> None:
    ev = json.loads(patched({"metadata": {"labels": {"a": "b"}}}))
    ev["responseObject"] = obj(pod_spec=spec(True))
    verdict = judge(ev)
    assert (verdict.hostnet, verdict.evidence) == ("true", "responseObject")


def test_a_patch_status_response_leaves_the_body_to_decide() -> None:
    ev = json.loads(patched({"spec": {"hostNetwork": True}}, code=422))
    ev["responseObject"] = {"kind": "Status", "code": 422}
    assert judge(ev).evidence == "patch"


def test_a_cut_json_patch_is_unknown_unless_it_already_set_true() -> None:
    setting = patched(
        [
            {"op": "add", "path": "/spec/hostNetwork", "value": True},
            {"op": "remove", "path": "/spec/hostNetwork"},
        ]
    )
    cut = setting[: setting.index('"remove"') - 10]
    assert judge(cut).hostnet == "true"
    removing = patched(
        [
            {"op": "remove", "path": "/spec/hostNetwork"},
            {"op": "add", "path": "/spec/hostNetwork", "value": True},
        ]
    )
    verdict = judge(removing[: removing.index('"add"') - 10])
    assert verdict.hostnet == "unknown"
    assert "cut" in verdict.error


# --- JSON Patch paths as the API server reads them (evanphx/json-patch v4) ---------------------------------


@pytest.mark.parametrize(
    ("pointer", "expected"),
    [
        ("x/spec/template/spec/hostNetwork", "true"),  # the part before the first '/' is ignored
        ("spec/template/spec/hostNetwork", "unknown"),  # so this is /template/spec/hostNetwork: untouched
        ("/spec/template/spec/hostNetwork", "true"),
    ],
)
def test_json_patch_paths_are_split_at_every_slash(pointer: str, expected: str) -> None:
    operations = [
        {"op": "add", "path": "/spec/template/spec/hostNetwork", "value": False},
        {"op": "replace", "path": pointer, "value": True},
    ]
    if expected == "unknown":
        operations = operations[1:]
    assert judge(patched(operations, "deployments")).hostnet == expected


@pytest.mark.parametrize(
    "invalid",
    [
        pytest.param(
            {"op": "add", "path": "", "value": obj(pod_spec=spec(True))},  # only replace and test take ""
            id="add-at-empty-path",
        ),
        pytest.param({"op": "remove", "path": "spec"}, id="remove-without-slash"),
        pytest.param({"op": "add", "value": True}, id="add-without-path"),  # no path at all
        pytest.param({"op": "copy", "from": "", "path": "/metadata/labels/x"}, id="copy-from-empty"),
        pytest.param(
            {"op": "move", "from": "metadata", "path": "/spec/hostNetwork"},
            id="move-from-without-slash",
        ),
    ],
)
@pytest.mark.parametrize("position", ["before", "after"])
def test_an_operation_without_a_valid_pointer_fails_the_whole_patch(invalid: dict, position: str) -> None:
    setting = {"op": "add", "path": "/spec/hostNetwork", "value": True}
    operations = [invalid, setting] if position == "before" else [setting, invalid]
    verdict = judge(patched(operations))
    assert verdict.hostnet == "unknown"
    assert "no valid" in verdict.error and "the patch fails" in verdict.error


def test_a_test_of_the_whole_document_pins_it() -> None:
    # evanphx/json-patch v4 compares the whole document for a test with path "": where it passes, the
    # document is that value, so what follows is read against it
    pinned = [
        {"op": "test", "path": "", "value": obj(pod_spec=spec(True))},
        {"op": "add", "path": "/spec/dnsPolicy", "value": "Default"},
    ]
    assert judge(patched(pinned)).hostnet == "true"
    # an empty document has no /spec to add into: the patch fails whatever the object was
    empty = [
        {"op": "test", "path": "", "value": {}},
        {"op": "add", "path": "/spec/hostNetwork", "value": True},
    ]
    verdict = judge(patched(empty))
    assert verdict.hostnet == "unknown"
    assert "the patch fails" in verdict.error


# --- strategic-merge directives: the audit log does not say if the body was strategic or JSON merge -------


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            {"spec": {"template": {"spec": {"$patch": "delete", "hostNetwork": True}}}},  # the same map
            id="delete-beside-it",
        ),
        pytest.param(
            {"spec": {"template": {"$patch": "replace", "spec": {"$patch": "delete", "hostNetwork": True}}}},
            id="replace-above-delete-beside",
        ),
        pytest.param(
            {"spec": {"$patch": "delete", "template": {"spec": {"hostNetwork": True}}}},  # an ancestor
            id="delete-on-the-template",
        ),
        pytest.param(
            {"$patch": "delete", "spec": {"template": {"spec": {"hostNetwork": True}}}},
            id="delete-at-the-top",
        ),
        pytest.param(
            {"spec": {"template": {"spec": {"$patch": "delete", "hostNetwork": True, "containers": []}}}},
            id="delete-beside-it-and-containers",
        ),
    ],
)
def test_host_network_true_beside_a_dropping_directive_is_true(body: dict) -> None:
    verdict = judge(patched(body, "deployments"))
    assert (verdict.hostnet, verdict.evidence) == ("true", "patch")
    assert "a strategic-merge directive would drop it; as a JSON merge patch it is applied" in verdict.error


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"spec": {"$patch": "replace", "containers": []}}, id="replace-spec"),
        pytest.param({"spec": {"$patch": "delete"}}, id="delete-spec"),
        pytest.param({"spec": {"$retainKeys": ["containers"], "containers": []}}, id="retain-other-keys"),
        pytest.param(
            {"$patch": "replace", "metadata": {"labels": {"a": "b"}}},  # an ancestor without spec
            id="replace-at-the-top",
        ),
    ],
)
def test_a_directive_that_would_unset_an_absent_key_is_unknown(body: dict) -> None:
    verdict = judge(patched(body))
    assert (verdict.hostnet, verdict.evidence) == ("unknown", "none")
    assert "as a JSON merge patch it leaves hostNetwork unchanged" in verdict.error
    # created by the patch (server-side apply): absent is unset under either reading
    assert judge(patched(body, code=201)).hostnet == "false"


# --- rule 5 in merge bodies: a cut map may have lost a later duplicate key ---------------------------------


@pytest.mark.parametrize(("value", "expected"), [("false", "unknown"), ("null", "unknown"), ("true", "true")])
def test_a_cut_map_holding_host_network_decides_only_true(value: str, expected: str) -> None:
    raw = patched(
        {"spec": {"template": {"spec": {"hostNetwork": "VALUE", "containers": [{"name": "a"}]}}}},
        "deployments",
    )
    raw = raw.replace('"VALUE"', value)
    cut = raw[: raw.index('"containers"') + 20]
    verdict = judge(cut)
    assert verdict.hostnet == expected
    assert "cut" in verdict.error
    assert judge(raw).hostnet == ("true" if value == "true" else "false")  # complete, the value decides
