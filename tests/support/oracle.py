"""The oracle process: tests/oracle/main.go, built by `make oracle` (the API server's own Go libraries)."""

import json
import subprocess
from pathlib import Path
from typing import List, Tuple

import pytest
from hypothesis import event

from kube_hostnet import assess
from tests.support.patch_text import Workload, audit_event, base_objects, webhook_record


class Oracle:
    """One long-running oracle process, asked one request per line."""

    def __init__(self, executable: Path) -> None:
        self.process = subprocess.Popen(
            [str(executable)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def ask(self, kind: str, patch_type: str, base: str, patch: str) -> Tuple[bool, str]:
        """(hostNetwork of the patched object, "" or why the API server rejects the request)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        request = {"kind": kind, "type": patch_type, "base": base, "patch": patch}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            pytest.fail(f"the oracle exited (code {self.process.poll()}) on {request}")
        answer = json.loads(line)
        return answer["hostNetwork"], answer["error"]

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


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


def check_webhook(oracle: Oracle, workload: Workload, host_network: bool, patch: str) -> None:
    """A create whose object is known (a base with that hostNetwork), then a mutating webhook's JSON Patch
    as the audit annotation records it: the oracle applies the patch to exactly that object."""
    base = base_objects(workload)[0 if host_network else 2]
    annotations = {"patch.webhook.admission.k8s.io/round_0_index_0": webhook_record(patch)}
    verdict = assess(audit_event(workload, "create", base, annotations))
    hn, err = oracle.ask(workload.kind, "json", base, patch)
    event(f"engine {verdict.hostnet}; oracle {'rejects' if err else hn}")
    if host_network:
        # The request asked for hostNetwork: true as an attempt, whatever a webhook record says (rule 2).
        assert verdict.hostnet == "true", (verdict.error, patch)
    elif verdict.hostnet in ("true", "false") and not err:
        assert hn == (verdict.hostnet == "true"), (
            f"engine says {verdict.hostnet} ({verdict.error!r}), the API server ends with {hn}\n{patch}"
        )
