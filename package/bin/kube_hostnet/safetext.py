"""Makes strings taken from an event safe to write into Splunk output fields."""

from kube_hostnet.limits import MAX_OUTPUT_CHARS

_ELLIPSIS = "..."


def clean(text: str) -> str:
    """Valid UTF-8 (json.loads keeps lone surrogate escapes, which Splunk's CSV writer cannot encode) and
    no longer than MAX_OUTPUT_CHARS."""
    if len(text) > MAX_OUTPUT_CHARS:
        text = text[: MAX_OUTPUT_CHARS - len(_ELLIPSIS)] + _ELLIPSIS
    elif text.isascii():  # the common case (names, images), without the cost of an encoding
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # Through UTF-16, a split surrogate pair joins again and each lone surrogate becomes one U+FFFD.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text
