"""Shared by the event reader and the extracted-fields reader: the annotation mismatch and the error text."""

from typing import Iterable, Optional

from kube_hostnet.annotation import LastApplied, as_applied_value
from kube_hostnet.safetext import clean
from kube_hostnet.verdict import FALSE, TRUE


def annotation_mismatch(object_value: Optional[str], applied: Optional[LastApplied]) -> bool:
    """Rule 6: the object evidence and the last-applied annotation both know hostNetwork and differ."""
    if object_value not in (TRUE, FALSE) or applied is None:
        return False
    applied_value = as_applied_value(applied)
    return applied_value is not None and applied_value != object_value


def join_reasons(reasons: Iterable[str]) -> str:
    unique = []
    for reason in reasons:
        if reason and reason not in unique:
            unique.append(reason)
    if not unique:
        return ""  # most verdicts: no reason to give
    return clean("; ".join(unique))
