"""The engine's entry point: one audit event (its text, else its extracted fields) in, one Verdict out."""

from typing import Any, Mapping, Optional

from kube_hostnet import jsonread
from kube_hostnet.auditevent import judge
from kube_hostnet.flatfields import judge_fields
from kube_hostnet.limits import MAX_TOLERANT_DEPTH
from kube_hostnet.mention import may_name_host_network
from kube_hostnet.safetext import clean
from kube_hostnet.verdict import Verdict, unknown


def assess(raw: Optional[str], fields: Optional[Mapping[str, Any]] = None) -> Verdict:
    """Never raises: a failure inside the engine is an `unknown` verdict that says so."""
    return _guarded(raw, fields, early_exit=True)


def assess_without_early_exit(raw: Optional[str], fields: Optional[Mapping[str, Any]] = None) -> Verdict:
    """assess reading every event as if it could name hostNetwork: the same verdicts, more slowly. The
    reference the early exit is tested against."""
    return _guarded(raw, fields, early_exit=False)


def _guarded(raw: Optional[str], fields: Optional[Mapping[str, Any]], early_exit: bool) -> Verdict:
    try:
        return _assess(raw, fields, early_exit)
    except Exception as exc:  # noqa: BLE001 -- one odd event must not end the search
        return unknown(f"internal error in the engine ({type(exc).__name__})")


def _assess(raw: Optional[str], fields: Optional[Mapping[str, Any]], early_exit: bool) -> Verdict:
    if raw is None or raw == "":
        return judge_fields(fields) if fields else unknown("no event text and no extracted fields")
    if not isinstance(raw, str):
        return unknown(f"event text is a {type(raw).__name__}, not a string")
    parsed = jsonread.parse(raw, object_only=True)
    if parsed.error:
        return unknown(clean(f"event {parsed.error}"))
    if not isinstance(parsed.value, dict):
        return unknown(f"event is a JSON {type(parsed.value).__name__}, not an object")
    notes = []
    if parsed.cut:
        notes.append(f"event cut after {parsed.cut_at} chars")
    if parsed.deep_skipped:
        notes.append(f"nesting deeper than {MAX_TOLERANT_DEPTH} levels skipped")
    if not early_exit:
        return judge(parsed.value, notes, text=raw)
    return judge(parsed.value, notes, lambda: may_name_host_network(raw), raw)
