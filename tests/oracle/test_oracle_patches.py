"""Differential: the engine's verdict on a patch against the API server's own Go libraries (the oracle).

The audit log carries the patch as the client sent it, not the object it was applied to. So the oracle
applies each patch to every base object of patch_text.base_objects (hostNetwork true or absent, with and
without another bool a patch may copy), and the property is: when the engine says true or false, every base
for which the API server accepts the patch ends with that hostNetwork. A base for which it rejects the patch
(a failed operation, a value that does not decode) changes nothing, so it constrains no verdict; `unknown`
is never wrong, and how often the engine says it is counted (hypothesis statistics) rather than asserted.
"""

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.support.oracle import Oracle, check, check_webhook
from tests.support.patch_text import (
    WORKLOADS,
    Workload,
    audit_event,
    json_patch,
    merge_patch,
)

workloads = st.sampled_from(WORKLOADS)


@given(st.data(), workloads)
def test_json_patch_verdicts_agree_with_the_api_server(oracle: Oracle, data: Any, workload: Workload) -> None:
    patch = data.draw(json_patch(workload))
    check(oracle, workload, "json", patch, audit_event(workload, "patch", patch))


@given(st.data(), workloads)
def test_merge_patch_verdicts_agree_with_the_api_server(
    oracle: Oracle, data: Any, workload: Workload
) -> None:
    # A JSON merge patch decodes into maps first (the last of a repeated key wins, null deletes), so the
    # engine's json.loads reading is the API server's; a strategic-merge directive is an unknown field to it.
    patch = data.draw(merge_patch(workload))
    check(oracle, workload, "merge", patch, audit_event(workload, "patch", patch))


@given(st.data(), workloads, st.booleans())
def test_webhook_patch_verdicts_agree_with_the_api_server(
    oracle: Oracle, data: Any, workload: Workload, host_network: bool
) -> None:
    check_webhook(oracle, workload, host_network, data.draw(json_patch(workload)))
