"""The engine's table of pod-spec resources agrees, row by row, with the tests' own statement of it."""

import pytest

from kube_hostnet import resources
from tests.support.kubernetes_truth import BY_RESOURCE, KINDS, POD_SPEC_HOLDERS, SPEC_PATHS, PodSpecHolder


def test_the_engine_knows_exactly_the_resources_that_hold_a_pod_spec() -> None:
    assert sorted(resources.BY_RESOURCE) == sorted(BY_RESOURCE)
    assert len(resources.POD_SPEC_RESOURCES) == len(POD_SPEC_HOLDERS)


@pytest.mark.parametrize("truth", POD_SPEC_HOLDERS, ids=[row.resource for row in POD_SPEC_HOLDERS])
def test_the_engines_row_agrees_with_the_truth(truth: PodSpecHolder) -> None:
    row = resources.BY_RESOURCE.get(truth.resource)
    assert row is not None, f"the engine does not know {truth.resource}"
    assert row.kind == truth.kind
    assert sorted(row.groups) == sorted(truth.groups)
    assert row.spec_path == truth.spec_path
    # The group that serves it today is one that ever served it, and the template holds the spec.
    assert row.group in truth.groups
    assert row.spec_path == ((*row.template_path, "spec") if row.template_path else ("spec",))


def test_the_engines_lookups_agree_with_the_truth() -> None:
    assert resources.POD_SPEC_PATHS == SPEC_PATHS
    assert resources.KIND_OF_RESOURCE == KINDS
    for (group, resource), path in SPEC_PATHS.items():
        assert resources.pod_spec_path(group, resource) == path
    # A group that never served a resource (extensions and StatefulSets) names no pod spec.
    every_group = {group for row in POD_SPEC_HOLDERS for group in row.groups}
    for row in POD_SPEC_HOLDERS:
        for group in every_group - set(row.groups):
            assert resources.pod_spec_path(group, row.resource) is None, (group, row.resource)
