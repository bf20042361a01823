"""The verdict the detection engine returns for one audit event, and its Splunk field names."""

from typing import Dict, List, NamedTuple, Tuple, Union

TRUE = "true"
FALSE = "false"
UNKNOWN = "unknown"

# hostnet_evidence values: where the verdict was read.
RESPONSE_OBJECT = "responseObject"
REQUEST_OBJECT = "requestObject"
PATCH = "patch"
LAST_APPLIED = "last_applied"
FIELDS = "fields"
NONE = "none"

FIELD_NAMES = (
    "hostnet",
    "hostnet_evidence",
    "hostnet_error",
    "hostnet_annotation_mismatch",
    "hostnet_spec_path",
    "hostnet_namespace",
    "hostnet_workload",
    "hostnet_images",
)


class Verdict(NamedTuple):
    hostnet: str
    evidence: str = NONE
    error: str = ""
    annotation_mismatch: bool = False
    spec_path: str = ""
    namespace: str = ""
    workload: str = ""
    images: Tuple[str, ...] = ()

    def as_fields(self) -> Dict[str, Union[str, List[str]]]:
        return {
            "hostnet": self.hostnet,
            "hostnet_evidence": self.evidence,
            "hostnet_error": self.error,
            "hostnet_annotation_mismatch": TRUE if self.annotation_mismatch else FALSE,
            "hostnet_spec_path": self.spec_path,
            "hostnet_namespace": self.namespace,
            "hostnet_workload": self.workload,
            "hostnet_images": list(self.images),
        }


def unknown(reason: str) -> Verdict:
    return Verdict(UNKNOWN, error=reason)
