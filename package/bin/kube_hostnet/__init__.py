"""Decides whether a Kubernetes API server audit event creates or changes a pod spec with hostNetwork.

Pure: no splunklib, no I/O. See docs/design.md for the rules.
"""

from kube_hostnet.assess import assess
from kube_hostnet.verdict import FIELD_NAMES, Verdict

__all__ = ["FIELD_NAMES", "Verdict", "assess"]
