"""What hostnetcheck adds to each event under the engine contract the searches are written against.

Stated here independently of the engine: the fields the command describes the request with (hostnet_req_*),
the shape it recognised, and the fixed list of gap codes with those a client can cause by padding its
request. The conf tests check the searches and the gap lookup against this list, so a search that reads a
field the command does not give, or a lookup that misses a gap, fails.
"""

from kube_hostnet import FIELD_NAMES

REQUEST_FIELDS = (
    "hostnet_req_shape",
    "hostnet_req_user", "hostnet_req_groups", "hostnet_req_impersonated_user",
    "hostnet_req_src_ip", "hostnet_req_user_agent",
    "hostnet_req_verb", "hostnet_req_resource", "hostnet_req_subresource", "hostnet_req_namespace",
    "hostnet_req_name", "hostnet_req_response_code", "hostnet_req_stage", "hostnet_req_audit_id",
    "hostnet_req_cluster",
)
GAP_FIELD = "hostnet_gap"
COMMAND_FIELDS = frozenset(FIELD_NAMES) | frozenset(REQUEST_FIELDS) | {GAP_FIELD}

GAP_CODES = (
    "no_body", "patch_effect_unlogged", "webhook_patch_unlogged", "cut", "oversized", "not_json",
    "backend_truncated", "unreadable", "not_audit",
)
ATTACKER_INFLUENCED = frozenset({"cut", "oversized", "not_json", "backend_truncated"})

# The seed's output columns, and the command field each is now made from.
SEED_COLUMNS = {
    "user": "hostnet_req_user",
    "src_ip": "hostnet_req_src_ip",
    "verb": "hostnet_req_verb",
    "objectRef.name": "hostnet_req_name",
    "objectRef.namespace": "hostnet_req_namespace",
    "objectRef.resource": "hostnet_req_resource",
    "responseStatus.code": "hostnet_req_response_code",
    "stage": "hostnet_req_stage",
    "userAgent": "hostnet_req_user_agent",
}
