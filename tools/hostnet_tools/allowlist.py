"""What the kubernetes_hostnet_allowlist macro decides, in Python: one rule for `make run` and the tests.

No Splunk runs here, so the SPL cannot be executed. This module restates the macro
(package/default/macros.conf) over the shipped lookup (lookups/kubernetes_hostnet_known_infrastructure.csv,
its definition in transforms.conf). The tests prove its safety properties and that the macro contains its
regular expressions and wildcard translation verbatim, so the two cannot drift apart silently.
"""

import csv
import os
import re
from typing import List, NamedTuple, Optional, Sequence

from hostnet_tools.seed_wildcard import spl_wildcard

ALLOWLIST_CSV = os.path.join("lookups", "kubernetes_hostnet_known_infrastructure.csv")

# The regular expressions of the macro, exactly as they appear in its eval expressions.
PATTERN_OUTSIDE_CHARSET = "[^A-Za-z0-9._:@/*-]"
SPECIFIC_WORKLOAD = "^[A-Za-z]+/[A-Za-z0-9]"
NOT_SPECIFIC_IMAGE = "^(?![A-Za-z0-9._:@-]+/[A-Za-z0-9])"
# How the macro turns an image pattern into a regular expression: `.` is literal, `*` stays inside one
# path segment, and a lone `*` means any image.
IMAGE_DOT = ("[.]", "[.]")
IMAGE_STAR = ("[*]", "[^/]*")
ANY_IMAGE = ".*"


class AllowlistRow(NamedTuple):
    """A row of the lookup; the field names are its CSV columns."""

    namespace: str
    workload: str
    user: str
    image: str  # space-separated image patterns
    reason: str


def load_allowlist(app_dir: str) -> List[AllowlistRow]:
    """The rows of the shipped known-infrastructure lookup; [] when the app has none."""
    path = os.path.join(app_dir, ALLOWLIST_CSV)
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return [
                AllowlistRow(*(row.get(column) or "" for column in AllowlistRow._fields))
                for row in csv.DictReader(handle)
            ]
    except FileNotFoundError:
        return []


def splunk_wildcard(pattern: str, value: str) -> bool:
    """A lookup WILDCARD match: * is any run of characters, everything else literal, case-sensitive."""
    return spl_wildcard(pattern, case_sensitive=True).fullmatch(value) is not None


def image_regex(patterns: Sequence[str]) -> Optional[str]:
    """The macro's regex for a row's image patterns; None (nothing matches) when a pattern has other
    characters."""
    if any(re.search(PATTERN_OUTSIDE_CHARSET, p) for p in patterns):
        return None
    alternatives = [
        ANY_IMAGE if p == "*" else re.sub(IMAGE_STAR[0], IMAGE_STAR[1], re.sub(IMAGE_DOT[0], IMAGE_DOT[1], p))
        for p in patterns
    ]
    return "^(" + "|".join(alternatives) + ")$"


def row_is_specific(row: AllowlistRow) -> bool:
    """A row names a workload (Kind/name) or only registry-qualified images: never a namespace alone."""
    patterns = row.image.split(" ")
    return bool(re.search(SPECIFIC_WORKLOAD, row.workload)) or not any(
        re.search(NOT_SPECIFIC_IMAGE, p) for p in patterns
    )


def first_match(
    rows: Sequence[AllowlistRow], namespace: str, workload: str, user: str
) -> Optional[AllowlistRow]:
    """The lookup: namespace exact, workload and user WILDCARD, first row in file order (max_matches = 1)."""
    for row in rows:
        if (
            row.namespace == namespace
            and splunk_wildcard(row.workload, workload)
            and splunk_wildcard(row.user, user)
        ):
            return row
    return None


def allowlisted(
    rows: Sequence[AllowlistRow], namespace: str, workload: str, user: str, images: Sequence[str]
) -> Optional[str]:
    """The reason of the row that allowlists this event, or None."""
    if not namespace or not workload or not user:
        return None  # Splunk's lookup does not match a null input field
    row = first_match(rows, namespace, workload, user)
    if row is None or not images or not row.reason:
        return None
    regex = image_regex(row.image.split(" "))
    if regex is None:
        return None
    # re.search with the macro's ^(...)$, as Splunk's match() does it: PCRE's default $, like Python's,
    # also matches before a final newline.
    if any(re.search(regex, image) is None for image in images):
        return None
    return row.reason if row_is_specific(row) else None
