"""What every verdict must satisfy, whatever the input (docs/design.md, Output fields and rule 8).

Raises AssertionError with the offending field, so the hypothesis tests and the atheris target report the
same failures.
"""

from typing import Any, Mapping

from kube_hostnet import FIELD_NAMES, Verdict
from kube_hostnet.limits import MAX_IMAGES, MAX_OUTPUT_CHARS

HOSTNET_VALUES = ("true", "false", "unknown")
EVIDENCE_VALUES = ("responseObject", "requestObject", "patch", "last_applied", "fields", "none")
# Copied from the event, so bounded by MAX_OUTPUT_CHARS; hostnet_error is the engine's own text.
EVENT_STRINGS = ("hostnet_spec_path", "hostnet_namespace", "hostnet_workload")


def _valid_utf8(name: str, value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise AssertionError(f"{name} is not valid UTF-8: {value[:80]!r}") from error


def check_verdict(verdict: Any) -> None:
    assert isinstance(verdict, Verdict), f"assess returned {type(verdict).__name__}, not a Verdict"
    fields = verdict.as_fields()
    assert tuple(fields) == FIELD_NAMES, f"output fields {tuple(fields)} are not {FIELD_NAMES}"
    assert fields["hostnet"] in HOSTNET_VALUES, f"hostnet={fields['hostnet']!r}"
    assert fields["hostnet_evidence"] in EVIDENCE_VALUES, f"hostnet_evidence={fields['hostnet_evidence']!r}"
    assert fields["hostnet_annotation_mismatch"] in ("true", "false")
    for name, value in fields.items():
        if name == "hostnet_images":
            assert isinstance(value, list), f"hostnet_images is {type(value).__name__}, not a list"
            assert len(value) <= MAX_IMAGES, f"{len(value)} images, above MAX_IMAGES={MAX_IMAGES}"
            for image in value:
                assert isinstance(image, str), f"an image is {type(image).__name__}"
                assert len(image) <= MAX_OUTPUT_CHARS, f"an image of {len(image)} chars"
                _valid_utf8(name, image)
            continue
        assert isinstance(value, str), f"{name} is {type(value).__name__}, not str"
        _valid_utf8(name, value)
        if name in EVENT_STRINGS:
            assert len(value) <= MAX_OUTPUT_CHARS, f"{name} has {len(value)} chars"


def check_fields_untouched(before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
    assert dict(after) == dict(before), "assess mutated the fields it was given"
