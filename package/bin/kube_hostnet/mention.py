"""Whether an event's text can name hostNetwork at all, decided on the text without parsing it.

Soundness: in JSON text a letter of a key or string is either written as itself or as a `\\u00XX` escape
(the two-character escapes `\\" \\\\ \\/ \\b \\f \\n \\r \\t` give no letters, and escapes above `\\u00ff`
give no ASCII). So a decoded key or string contains `hostNetwork` only if the text contains it literally or
contains a `\\u` escape. The last-applied annotation is JSON inside a JSON string, decoded a second time: a
letter there is literal in the event text or spelled by an escape whose characters (`\\`, `u`, hex digits)
are themselves literal (then the event text holds `\\u`) or escaped (then it holds a `\\u` escape too). JSON
Patch pointer escapes (`~0`, `~1`) give `~` and `/`, never letters.

The same holds for every JSON text inside an event string, e.g. the mutating webhook records in the
event's `annotations` (kube_hostnet.webhooks), whose JSON Patch paths are decoded a second time.

Hence: when `may_name_host_network(text)` is false, no key or string the engine decodes (event, patch,
annotation, webhook patch) is or contains `hostNetwork`. The escapes Go's encoder writes for HTML safety
(`&`, `<`, `>`, U+2028, U+2029) are let through: they give none of the characters above, and the API
server writes them often (`&` in every request URI with two query parameters).
"""

import re

from kube_hostnet.podspec import HOST_NETWORK

# A \u escape other than those of &, <, >, U+2028 and U+2029 (hex digits in either case).
_LETTER_ESCAPE = re.compile(r"\\u(?!00(?:26|3[cCeE])|202[89])")


def may_name_host_network(text: str) -> bool:
    """False only when no key or string decoded from text can contain hostNetwork (see module doc)."""
    return HOST_NETWORK in text or _LETTER_ESCAPE.search(text) is not None
