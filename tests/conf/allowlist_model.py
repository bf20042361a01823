"""What the kubernetes_hostnet_allowlist macro decides, in Python, so that its rules can be tested here.

No Splunk runs in these tests, so the SPL cannot be executed. This model restates the macro: the tests prove
the model's safety properties (hypothesis) and that the macro contains the model's regular expressions and
wildcard translation verbatim, so the two cannot drift apart silently.
"""

import re
from typing import Mapping, Optional, Sequence

# The regular expressions of the macro, exactly as they appear in its eval expressions.
PATTERN_OUTSIDE_CHARSET = "[^A-Za-z0-9._:@/*-]"
SPECIFIC_WORKLOAD = "^[A-Za-z]+/[A-Za-z0-9]"
NOT_SPECIFIC_IMAGE = "^(?![A-Za-z0-9._:@-]+/[A-Za-z0-9])"
# How the macro turns an image pattern into a regular expression: `.` is literal, `*` stays inside one
# path segment, and a lone `*` means any image.
IMAGE_DOT = ("[.]", "[.]")
IMAGE_STAR = ("[*]", "[^/]*")
ANY_IMAGE = ".*"

Row = Mapping[str, str]


def splunk_wildcard(pattern: str, value: str) -> bool:
    """A lookup WILDCARD match: * is any run of characters, everything else literal, case-sensitive."""
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, value, re.S) is not None


def image_regex(patterns: Sequence[str]) -> Optional[str]:
    if any(re.search(PATTERN_OUTSIDE_CHARSET, p) for p in patterns):
        return None
    alternatives = [
        ANY_IMAGE if p == "*" else re.sub(IMAGE_STAR[0], IMAGE_STAR[1], re.sub(IMAGE_DOT[0], IMAGE_DOT[1], p))
        for p in patterns
    ]
    return "^(" + "|".join(alternatives) + ")$"


def row_is_specific(row: Row) -> bool:
    """A row names a workload (Kind/name) or only registry-qualified images: never a namespace alone."""
    patterns = row["image"].split(" ")
    return bool(re.search(SPECIFIC_WORKLOAD, row["workload"])) or not any(
        re.search(NOT_SPECIFIC_IMAGE, p) for p in patterns
    )


def first_match(rows: Sequence[Row], namespace: str, workload: str, user: str) -> Optional[Row]:
    """The lookup: namespace exact, workload and user WILDCARD, first row in file order (max_matches = 1)."""
    for row in rows:
        if (
            row["namespace"] == namespace
            and splunk_wildcard(row["workload"], workload)
            and splunk_wildcard(row["user"], user)
        ):
            return row
    return None


def allowlisted(
    rows: Sequence[Row], namespace: str, workload: str, user: str, images: Sequence[str]
) -> Optional[str]:
    """The reason of the row that allowlists this event, or None."""
    if not namespace or not workload or not user:
        return None  # Splunk's lookup does not match a null input field
    row = first_match(rows, namespace, workload, user)
    if row is None or not images or not row["reason"]:
        return None
    regex = image_regex(row["image"].split(" "))
    if regex is None:
        return None
    if any(re.search(regex, image) is None for image in images):
        return None
    return row["reason"] if row_is_specific(row) else None
