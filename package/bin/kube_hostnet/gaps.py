"""Why an in-scope write could not be judged: one code per kind of blind spot (hostnet_gap).

Each code names something an audit pipeline can fix, and the shipped lookup hostnet_gaps.csv says how (the
audit-policy rule, the Splunk setting). The attacker-influenced ones are those a client can cause at will
by padding its own request, so a second detection watches them.
"""

NO_BODY = "no_body"  # Metadata-level policy, RequestReceived stage: no object or patch logged
PATCH_EFFECT_UNLOGGED = "patch_effect_unlogged"  # a patch that does not say, and no response object
WEBHOOK_PATCH_UNLOGGED = "webhook_patch_unlogged"  # a mutating webhook changed the object, patch unlogged
CUT = "cut"  # the record's text ends early: Splunk TRUNCATE, CloudWatch's 256 KB cut
OVERSIZED = "oversized"  # above the engine's parse bounds
NOT_JSON = "not_json"
BACKEND_TRUNCATED = "backend_truncated"  # the API server's --audit-log-truncate-* removed the bodies
UNREADABLE = "unreadable"  # wrong types and other malformed content
NOT_AUDIT = "not_audit"  # JSON that is no audit shape the engine knows

GAPS = (
    NO_BODY,
    PATCH_EFFECT_UNLOGGED,
    WEBHOOK_PATCH_UNLOGGED,
    CUT,
    OVERSIZED,
    NOT_JSON,
    BACKEND_TRUNCATED,
    UNREADABLE,
    NOT_AUDIT,
)
ATTACKER_INFLUENCED = frozenset((CUT, OVERSIZED, NOT_JSON, BACKEND_TRUNCATED))
