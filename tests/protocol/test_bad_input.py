"""Input that is not a clean audit event never breaks the search (docs/design.md rules 7 and 8).

Each event comes out unchanged with hostnet=unknown, and the command exits 0 with no error message.
"""

from typing import Dict, List

from hostnet_tools import scp
from kube_hostnet import FIELD_NAMES

NO_RAW = [{"message": "no event text here"}, {"message": "", "other": ["a", "b"]}]


def _bad_raw(audit_events: Dict[str, str]) -> List[Dict[str, scp.InValue]]:
    pod = audit_events["falco_create_nginx_pod_nohostnetwork.json"]
    return [
        {"_raw": "this is not JSON {"},
        {"_raw": pod[:400]},  # cut before the pod spec: it might have held hostNetwork
        {"_raw": '{"a":' * 60000 + "1" + "}" * 60000},  # deeper than any recursive parser goes
        {"_raw": '{"verb":"create","objectRef":{"resource":"pods"},"requestObject":"\\ud800"}'},
        {"_raw": '{"kind":"Event","padding":"' + "x" * (3 * 1024 * 1024) + '"'},  # multi-MB, cut
        {"_raw": ["two", "events"]},  # a multivalue event field
    ]


def test_bad_events_come_out_unchanged_and_unknown(
    command_script: str, python: str, audit_events: Dict[str, str]
) -> None:
    chunks = [NO_RAW, _bad_raw(audit_events)]

    run = scp.run_command(command_script, python, chunks).collect()

    assert run.returncode == 0, run.stderr
    assert run.errors == []
    for sent, reply in zip(chunks, run.replies):
        received = reply.records()
        assert len(received) == len(sent)
        for record, got in zip(sent, received):
            assert {name: got[name] for name in record} == record
            assert set(FIELD_NAMES) <= set(got)
            assert got["hostnet"] == "unknown", got["hostnet_error"]
