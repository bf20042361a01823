"""The adversarial classes as strategies of their own, against the oracle (see test_oracle_patches
for the property): repeated keys and nulls in JSON Patch values (native and in a webhook's audit record),
copy/move chains into hostNetwork, and events padded past the second reading's bound."""

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from kube_hostnet.assess import assess
from tests.support.oracle import Oracle, check, check_webhook
from tests.support.patch_text import (
    WORKLOADS,
    Workload,
    audit_event,
    copy_move_patch,
    json_patch,
    repeated_keys_patch,
)

workloads = st.sampled_from(WORKLOADS)
# k8s.io/apiserver/pkg/audit: maxUserAgentLength (longer ones end in "...TRUNCATED")
MAX_AUDIT_USER_AGENT = 1024 + len("...TRUNCATED")


@given(st.data(), workloads)
def test_repeated_keys_and_nulls_in_json_patch_values(oracle: Oracle, data: Any, workload: Workload) -> None:
    patch = data.draw(repeated_keys_patch(workload))
    check(oracle, workload, "json", patch, audit_event(workload, "patch", patch))


@given(st.data(), workloads)
def test_copy_and_move_chains_into_host_network(oracle: Oracle, data: Any, workload: Workload) -> None:
    patch = data.draw(copy_move_patch(workload))
    check(oracle, workload, "json", patch, audit_event(workload, "patch", patch))


@given(st.data(), workloads, st.booleans(), st.booleans())
def test_repeated_keys_and_copies_in_webhook_patches(
    oracle: Oracle, data: Any, workload: Workload, host_network: bool, copies: bool
) -> None:
    patch = data.draw(copy_move_patch(workload) if copies else repeated_keys_patch(workload))
    check_webhook(oracle, workload, host_network, patch)


@given(st.data(), workloads)
def test_the_longest_user_agent_changes_no_verdict(
    oracle: Oracle, data: Any, workload: Workload
) -> None:
    # A client's user agent, as long as an audit event holds it (the API server keeps 1,024 characters),
    # before its requestObject: the patch is still read again with its repeated keys, so the verdict is
    # the unpadded one.
    patches = (repeated_keys_patch(workload), copy_move_patch(workload), json_patch(workload))
    patch = data.draw(st.one_of(patches))
    plain = audit_event(workload, "patch", patch)
    pad = '"userAgent": "' + "u" * MAX_AUDIT_USER_AGENT + '", '
    padded = plain.replace('{"kind"', "{" + pad + '"kind"', 1)
    check(oracle, workload, "json", patch, padded)
    assert assess(padded).hostnet == assess(plain).hostnet, assess(padded).error
