"""The verdict the detection engine returns for one audit event, and its Splunk field names."""

from typing import Dict, List, NamedTuple, Tuple, Union

from kube_hostnet.request import Description

TRUE = "true"
FALSE = "false"
UNKNOWN = "unknown"

# hostnet_evidence values: where the verdict was read.
EVIDENCE_RESPONSE_OBJECT = "responseObject"
EVIDENCE_REQUEST_OBJECT = "requestObject"
EVIDENCE_PATCH = "patch"
EVIDENCE_LAST_APPLIED = "last_applied"
EVIDENCE_FIELDS = "fields"
EVIDENCE_NONE = "none"

# The request description (kube_hostnet.request.Description) is written under one prefix: REQUEST_PREFIX
# followed by the Description field's name, e.g. hostnet_req_user, hostnet_req_src_ip.
REQUEST_PREFIX = "hostnet_req_"

VERDICT_FIELD_NAMES = (
    "hostnet",
    "hostnet_evidence",
    "hostnet_error",
    "hostnet_gap",
    "hostnet_annotation_mismatch",
    "hostnet_spec_path",
    "hostnet_namespace",
    "hostnet_workload",
    "hostnet_images",
)
REQUEST_FIELD_NAMES = tuple(REQUEST_PREFIX + name for name in Description._fields)
FIELD_NAMES = VERDICT_FIELD_NAMES + REQUEST_FIELD_NAMES

_NO_REQUEST = Description()


class Verdict(NamedTuple):
    hostnet: str
    evidence: str = EVIDENCE_NONE
    error: str = ""
    annotation_mismatch: bool = False
    spec_path: str = ""
    namespace: str = ""
    workload: str = ""
    images: Tuple[str, ...] = ()
    request: Description = _NO_REQUEST  # what the record says of the request, whatever the verdict
    gap: str = ""  # kube_hostnet.gaps: why an unknown is unknown

    def field_values(self) -> Tuple[Union[str, Tuple[str, ...]], ...]:
        """The value of each of FIELD_NAMES, in that order: a str, or a tuple of str for a multivalue one."""
        return (
            self.hostnet,
            self.evidence,
            self.error,
            self.gap,
            TRUE if self.annotation_mismatch else FALSE,
            self.spec_path,
            self.namespace,
            self.workload,
            self.images,
            *self.request,
        )

    def as_fields(self) -> Dict[str, Union[str, List[str]]]:
        return {
            name: value if isinstance(value, str) else list(value)
            for name, value in zip(FIELD_NAMES, self.field_values())
        }


def unknown(reason: str, gap: str = "") -> Verdict:
    return Verdict(UNKNOWN, error=reason, gap=gap)
