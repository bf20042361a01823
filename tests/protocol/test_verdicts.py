"""Real audit events (Falco's minikube traces), shaped as Splunk presents them, through the built command.

The expected verdicts follow docs/design.md, one per real event, each with why; a stub that answered
`unknown` for every event would fail them.
"""

import json
from typing import Dict, List

from hostnet_tools import flatten, scp

HOSTNETWORK_POD = "falco_create_nginx_pod_hostnetwork.json"
EXPECTED_VERDICTS = {
    HOSTNETWORK_POD: "true",  # requestObject and responseObject spec.hostNetwork: true
    "falco_create_nginx_pod_nohostnetwork.json": "false",  # full pod, no hostNetwork
    "falco_create_deployment.json": "false",  # full Deployment, spec.template.spec without hostNetwork
    "falco_modify_cluster_role_node_problem_detector.json": "false",  # clusterroles: no pod spec
    "falco_attach_pod.json": "false",  # pods/attach: a subresource creates no pod
}


def _verdicts(names: List[str], received: List[scp.Record]) -> Dict[str, str]:
    assert len(received) == len(names)
    return {name: str(record["hostnet"]) for name, record in zip(names, received)}


def test_falco_events_as_splunk_indexes_them(
    command_script: str, python: str, audit_events: Dict[str, str]
) -> None:
    names = sorted(audit_events)
    records = [flatten.splunk_record(audit_events[name]) for name in names]

    run = scp.run_command(command_script, python, [records]).collect()

    assert run.returncode == 0, run.stderr
    received = run.records
    assert _verdicts(names, received) == EXPECTED_VERDICTS
    by_name = dict(zip(names, received))
    pod = by_name[HOSTNETWORK_POD]
    assert pod["hostnet_evidence"] == "responseObject"
    assert pod["hostnet_namespace"] == "default"
    assert pod["hostnet_workload"] == "ReplicaSet/nginx-deployment-754c877bcd"
    assert pod["hostnet_images"] == "nginx"
    for out_of_scope in ("falco_attach_pod.json", "falco_modify_cluster_role_node_problem_detector.json"):
        assert by_name[out_of_scope]["hostnet_evidence"] == "none"


def test_field_option_reads_the_event_from_an_envelope(
    command_script: str, python: str, audit_events: Dict[str, str]
) -> None:
    # A collector that wraps each audit line: the event is the text of the envelope's `log` field.
    names = sorted(audit_events)
    records = []
    for name in names:
        envelope = {"log": audit_events[name], "stream": "stdout"}
        records.append(flatten.splunk_record(json.dumps(envelope), sourcetype="kube:audit"))

    run = scp.run_command(command_script, python, [records], args=["field=log"]).collect()

    assert run.returncode == 0, run.stderr
    assert _verdicts(names, run.records) == EXPECTED_VERDICTS
