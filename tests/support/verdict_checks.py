"""What every verdict must satisfy, whatever the input (docs/design.md, Output fields and rule 8).

Raises AssertionError with the offending field, so the hypothesis tests and the atheris target report the
same failures.
"""

from typing import Any, Mapping

from kube_hostnet import FIELD_NAMES, Verdict
from kube_hostnet.limits import MAX_DESCRIBED_VALUES, MAX_IMAGES, MAX_OUTPUT_CHARS
from tests.support.engine_contract import GAP_CODES

HOSTNET_VALUES = ("true", "false", "unknown")
EVIDENCE_VALUES = ("responseObject", "requestObject", "patch", "last_applied", "fields", "none")
# The tests' own statement of the gap codes (tests/support/engine_contract.py): a code the engine invents
# is caught.
GAP_VALUES = GAP_CODES
# Multivalue output fields and the most values each may hold.
MULTIVALUE_FIELDS = {
    "hostnet_images": MAX_IMAGES,
    "hostnet_req_groups": MAX_DESCRIBED_VALUES,
    "hostnet_req_src_ip": MAX_DESCRIBED_VALUES,
}
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
    if fields["hostnet"] == "unknown":  # every unknown says why, and what kind of blind spot it is
        assert fields["hostnet_error"], "an unknown verdict without a reason"
        assert fields["hostnet_gap"] in GAP_VALUES, f"hostnet_gap={fields['hostnet_gap']!r}"
    else:
        assert fields["hostnet_gap"] == "", f"a decided verdict with hostnet_gap={fields['hostnet_gap']!r}"
    for name, value in fields.items():
        if name in MULTIVALUE_FIELDS:
            assert isinstance(value, list), f"{name} is {type(value).__name__}, not a list"
            assert len(value) <= MULTIVALUE_FIELDS[name], f"{name} has {len(value)} values"
            for item in value:
                assert isinstance(item, str), f"a value of {name} is {type(item).__name__}"
                assert len(item) <= MAX_OUTPUT_CHARS, f"a value of {name} of {len(item)} chars"
                _valid_utf8(name, item)
            continue
        assert isinstance(value, str), f"{name} is {type(value).__name__}, not str"
        _valid_utf8(name, value)
        if name in EVENT_STRINGS or name.startswith("hostnet_req_"):
            assert len(value) <= MAX_OUTPUT_CHARS, f"{name} has {len(value)} chars"


def check_fields_untouched(before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
    assert dict(after) == dict(before), "assess mutated the fields it was given"
