"""Differential: the engine's verdict on a patch against the API server's own Go libraries (the oracle).

The audit log carries the patch as the client sent it, not the object it was applied to. So the oracle
applies each patch to every base object of patch_text.base_objects (hostNetwork true or absent, with and
without another bool a patch may copy), and the property is: when the engine says true or false, every base
for which the API server accepts the patch ends with that hostNetwork. A base for which it rejects the patch
(a failed operation, a value that does not decode) changes nothing, so it constrains no verdict; `unknown`
is never wrong, and how often the engine says it is counted (hypothesis statistics) rather than asserted.
"""

from typing import Any, List, Tuple

from conftest import Oracle
from hypothesis import event, given
from hypothesis import strategies as st

from kube_hostnet import assess
from tests.oracle.patch_text import (
    WORKLOADS,
    Workload,
    audit_event,
    base_objects,
    json_patch,
    merge_patch,
    webhook_record,
)


def _agrees(verdict: str, answers: List[Tuple[bool, str]]) -> List[Tuple[int, bool, str]]:
    """The bases the verdict is wrong for: (index, oracle's hostNetwork, "")."""
    if verdict not in ("true", "false"):
        return []
    return [(i, hn, err) for i, (hn, err) in enumerate(answers) if not err and hn != (verdict == "true")]


def check(oracle: Oracle, workload: Workload, patch_type: str, patch: str, event_text: str) -> None:
    verdict = assess(event_text)
    answers = [oracle.ask(workload.kind, patch_type, base, patch) for base in base_objects(workload)]
    accepted = {hn for hn, err in answers if not err}
    event(f"engine {verdict.hostnet}; oracle {sorted(accepted) if accepted else 'rejects'}")
    wrong = _agrees(verdict.hostnet, answers)
    assert not wrong, (
        f"engine says {verdict.hostnet} ({verdict.error!r}), the API server ends with hostNetwork "
        f"{[hn for _, hn, _ in wrong]} for bases {[i for i, _, _ in wrong]}\n"
        f"patch: {patch}\noracle: {answers}"
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


def check_webhook(oracle: Oracle, workload: Workload, host_network: bool, patch: str) -> None:
    """A create whose object is known (a base with that hostNetwork), then a mutating webhook's JSON Patch
    as the audit annotation records it: the oracle applies the patch to exactly that object."""
    base = base_objects(workload)[0 if host_network else 2]
    annotations = {"patch.webhook.admission.k8s.io/round_0_index_0": webhook_record(patch)}
    verdict = assess(audit_event(workload, "create", base, annotations))
    hn, err = oracle.ask(workload.kind, "json", base, patch)
    event(f"engine {verdict.hostnet}; oracle {'rejects' if err else hn}")
    if verdict.hostnet in ("true", "false") and not err:
        assert hn == (verdict.hostnet == "true"), (
            f"engine says {verdict.hostnet} ({verdict.error!r}), the API server ends with {hn}\n{patch}"
        )


@given(st.data(), workloads, st.booleans())
def test_webhook_patch_verdicts_agree_with_the_api_server(
    oracle: Oracle, data: Any, workload: Workload, host_network: bool
) -> None:
    check_webhook(oracle, workload, host_network, data.draw(json_patch(workload)))
