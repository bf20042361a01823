"""The engine's entry point: one audit record (its text, else its extracted fields) in, one Verdict out."""

from typing import Any, Mapping, Optional

from kube_hostnet import jsonread, pipeline, readers, shortcut
from kube_hostnet.gaps import CUT, NOT_AUDIT, NOT_JSON, OVERSIZED
from kube_hostnet.jsondecode import kind_of
from kube_hostnet.limits import MAX_TOLERANT_CHARS, MAX_TOLERANT_DEPTH
from kube_hostnet.mention import may_name_host_network
from kube_hostnet.readers import fields as extracted
from kube_hostnet.safetext import clean
from kube_hostnet.verdict import EVIDENCE_FIELDS, EVIDENCE_NONE, UNKNOWN, Verdict, unknown


def assess(raw: Optional[str], fields: Optional[Mapping[str, Any]] = None) -> Verdict:
    """Never raises: a failure inside the engine is an `unknown` verdict that says so."""
    try:
        return _assess(raw, fields, True)
    except Exception as exc:  # noqa: BLE001 -- one odd event must not end the search
        return _internal_error(exc)


def assess_without_early_exit(raw: Optional[str], fields: Optional[Mapping[str, Any]] = None) -> Verdict:
    """assess reading every event as if it could name hostNetwork, and through the general path only: the
    same verdicts, more slowly. The reference the early exit and kube_hostnet.shortcut are tested against."""
    try:
        return _assess(raw, fields, False)
    except Exception as exc:  # noqa: BLE001 -- one odd event must not end the search
        return _internal_error(exc)


def _internal_error(exc: Exception) -> Verdict:
    return unknown(f"internal error in the engine ({type(exc).__name__})")


def _assess(raw: Optional[str], fields: Optional[Mapping[str, Any]], early_exit: bool) -> Verdict:
    if raw is None or raw == "":
        return _from_fields(fields) if fields else unknown("no event text and no extracted fields", NOT_AUDIT)
    if not isinstance(raw, str):
        return unknown(f"event text is a {type(raw).__name__}, not a string", NOT_AUDIT)
    parsed = jsonread.parse(raw, object_only=True)
    if parsed.error:
        oversized = len(raw) > MAX_TOLERANT_CHARS and raw.lstrip().startswith("{")
        return unknown(clean(f"event {parsed.error}"), OVERSIZED if oversized else NOT_JSON)
    if not isinstance(parsed.value, dict):
        return unknown(f"event is a JSON {kind_of(parsed.value)}, not an object", NOT_AUDIT)
    notes = []
    if parsed.cut:
        notes.append(f"event cut after {parsed.cut_at} chars")
    if parsed.deep_skipped:
        notes.append(f"nesting deeper than {MAX_TOLERANT_DEPTH} levels skipped")
    request, recognized = readers.read_record(parsed.value, tuple(notes), raw)
    if early_exit:
        quick = shortcut.false_by_logged_object(request)
        verdict = quick if quick is not None else pipeline.decide(request, lambda: may_name_host_network(raw))
    else:
        verdict = pipeline.decide(request)
    if not recognized and verdict.hostnet == UNKNOWN:
        # A record cut before it could be recognized (an AKS record cut inside properties.log) is a cut one.
        return verdict._replace(gap=CUT if parsed.cut else NOT_AUDIT)
    return verdict


def _from_fields(fields: Mapping[str, Any]) -> Verdict:
    try:
        request = extracted.read(fields)
    except extracted.MultivalueField as exc:
        return unknown(f"{extracted.FIELDS_NOTE}; field {exc} has several values", NOT_AUDIT)
    verdict = pipeline.decide(request)
    # Whichever source decided, the values came from extracted fields, and the evidence says so.
    return verdict._replace(evidence=EVIDENCE_FIELDS) if verdict.evidence != EVIDENCE_NONE else verdict
