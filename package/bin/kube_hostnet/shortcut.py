"""The commonest verdict, reached without the general path's bookkeeping.

Nearly every event a search hands the command writes a workload whose logged response is the object, and
that object's pod spec does not set hostNetwork true: rule 2's first source decides false, and rule 6 finds
a mismatch only where the last-applied annotation says true. pipeline.decide reaches that verdict through
an Evidence, a Reading per source and lists of notes, reasons and gaps; here the same rules
(scope.in_scope, sources.object_in_response, podspec.plain_spec, annotation.read_text) are asked directly
and nothing else is built. Any other event gets None and takes the general path.

The annotation is not decoded when its text cannot name hostNetwork (kube_hostnet.mention): decoded, it
could then only be absent, unreadable or not an object at the path, never true. (Such text leaves the
event's own text able to name hostNetwork only where something else in the event does, which is when
pipeline.decide reads the annotation: the two agree.) tests/unit/test_engine_shortcut.py holds every
verdict given here to the general path's (assess_without_early_exit).
"""

from typing import Optional

from kube_hostnet.annotation import annotation_text, read_text
from kube_hostnet.mention import may_name_host_network
from kube_hostnet.podspec import HOST_NETWORK, plain_spec
from kube_hostnet.request import AuditRequest
from kube_hostnet.scope import in_scope
from kube_hostnet.sources import annotation_holders, object_in_response
from kube_hostnet.verdict import EVIDENCE_RESPONSE_OBJECT, FALSE, TRUE, Verdict


def false_by_logged_object(request: AuditRequest) -> Optional[Verdict]:
    """pipeline.decide's verdict when it is false read from the logged object with nothing to add; None
    for any other event."""
    if request.notes or request.event_cut or request.from_extracted_fields:
        return None  # each adds a note, a gap or another way to read the bodies
    if type(request.object_ref) is not dict:
        return None
    scope = in_scope(request)
    if scope.path is None or scope.reason or scope.verb_lost:
        return None
    # read_object's reading of a plain object: false unless hostNetwork is JSON true.
    spec = plain_spec(object_in_response(request), scope.path)
    if spec is None or spec.get(HOST_NETWORK) is True:
        return None
    # Rule 6 reads the first annotation found (sources.Evidence.annotation).
    mismatch = False
    for owner, holder in annotation_holders(request, False):
        text = annotation_text(holder)
        if text is None:
            continue
        if isinstance(text, str) and may_name_host_network(text):
            mismatch = read_text(text, scope.path, owner).hostnet == TRUE
        break
    return Verdict(FALSE, EVIDENCE_RESPONSE_OBJECT, "", mismatch, "", "", "", (), request.description)
