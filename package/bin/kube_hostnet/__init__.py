"""Decides whether a Kubernetes API server audit record creates or changes a pod spec with hostNetwork.

Pure: no splunklib, no I/O. See docs/design.md for the rules.

Module map, in the order a record travels:
- assess: the entry point; parses the text (jsonread) and never raises;
- readers/: one module per audit shape, each mapping a record onto the one AuditRequest (request);
- scope: rule 1, which requests are judged; resources: the one table of Kubernetes facts;
- pipeline: the evidence loop (rules 2-6); sources: the evidence sources in their order;
- podspec, patches, webhooks, annotation: what an object, a patch, a webhook record and the last-applied
  annotation say about hostNetwork; identity: the namespace and workload named for the analyst;
- patchapply, patchoutcome: a JSON Patch applied as the API server applies it, and what its typed decode
  leaves in hostNetwork; godecode: JSON as Go decodes it; bodytext: a patch body read again from the text
  with its repeated keys; walkbudget: the work one patch reading may do;
- verdict: the Verdict and its output fields; gaps: why an unknown is unknown;
- evidence: the mismatch of rule 6 and the error text; mention: the sound early exit;
- jsondecode: json's decoder with numbers kept as their text; jsonread: it, with a bounded tolerant
  parser for cut events; limits: every bound and why;
  safetext: strings made safe for output fields.
"""

from kube_hostnet.assess import assess
from kube_hostnet.verdict import FIELD_NAMES, Verdict

__all__ = ["FIELD_NAMES", "Verdict", "assess"]
