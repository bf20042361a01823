"""The index terms Splunk extracts from an event's raw text, and whether a search's bare terms select it.

A small model of the default index-time segmenter (segmenters.conf of Splunk 10.x, `[indexing]`, which
keeps the global MAJOR and MINOR lists and INTERMEDIATE_MAJORS = false):

- the text is split at every MAJOR breaker; each piece between two majors is a major segment;
- each major segment is split again at every MINOR breaker; the pieces are indexed as well
  (segmenters.conf.spec: "for each minor breaker found, Splunk indexes the token from the last major
  breaker to the current minor breaker and from the last minor breaker to the current minor breaker");
- terms are case-insensitive (the lexicon is lower case).

The model indexes the major segments and the minor pieces. It leaves out the prefixes "from the last
major breaker to the current minor breaker" (`a.b` of `a.b.c`): a search term that contains no breaker
at all is found through a minor piece, and those are the only terms the searches rely on, so leaving the
prefixes out can only make the model select fewer events than Splunk, never more.

The correlation searches' first lines are conjunctions of OR-groups of such bare words, e.g.
`(pods OR deployments) (create OR patch)`; `selects` evaluates that form on a raw event.
"""

import re
from typing import FrozenSet, Iterable, List, Sequence, Set

# segmenters.conf, global MAJOR and MINOR (system/default, Splunk 10.x). `\s` is a space; the conf's `\\`
# is one backslash.
MAJOR: Sequence[str] = (
    "[", "]", "<", ">", "(", ")", "{", "}", "|", "!", ";", ",", "'", '"', "*", "\n", "\r", " ", "\t",
    "&", "?", "+", "%21", "%26", "%2526", "%3B", "%7C", "%20", "%2B", "%3D", "--", "%2520", "%5D", "%5B",
    "%3A", "%0A", "%2C", "%28", "%29",
)
MINOR: Sequence[str] = ("/", ":", "=", "@", ".", "-", "$", "#", "%", "\\", "_")


def _alternation(breakers: Iterable[str]) -> "re.Pattern[str]":
    # Longest first, so %2526 is one breaker and not % followed by 2526. Splunk matches the %xx codes in
    # either case (URL encoding is case-insensitive); the model does too.
    ordered = sorted(breakers, key=len, reverse=True)
    return re.compile("|".join(re.escape(b) for b in ordered), re.IGNORECASE)


_MAJOR = _alternation(MAJOR)
_MINOR = _alternation(MINOR)
# A search term the model can evaluate: no breaker inside, no wildcard, no field=value.
_BARE_TERM = re.compile(r"[A-Za-z0-9]+")


def major_segments(raw: str) -> List[str]:
    return [segment for segment in _MAJOR.split(raw) if segment]


def index_terms(raw: str) -> Set[str]:
    """The terms of `raw` in the lexicon, lower case (see the module docstring for what is left out)."""
    terms: Set[str] = set()
    for segment in major_segments(raw):
        terms.add(segment.lower())
        terms.update(piece.lower() for piece in _MINOR.split(segment) if piece)
    return terms


def is_bare_term(word: str) -> bool:
    return _BARE_TERM.fullmatch(word) is not None


def term_groups(search: str) -> List[FrozenSet[str]]:
    """The OR-groups of bare words of a search's first line, e.g. `(a OR b) (c OR d)` -> [{a, b}, {c, d}].

    Only parenthesised groups count; field=value clauses and the macro's text outside them are the
    caller's. A group holding anything but bare words joined by OR is refused rather than half-read.
    """
    groups = []
    for found in re.finditer(r"\(([^()]*)\)", search):
        words = found.group(1).split()
        terms = words[0::2]
        if not words or any(joiner != "OR" for joiner in words[1::2]) or len(words) % 2 == 0:
            raise ValueError(f"not an OR-group of bare words: ({found.group(1)})")
        bad = [term for term in terms if not is_bare_term(term)]
        if bad:
            raise ValueError(f"terms with breakers or wildcards cannot be modelled: {bad}")
        groups.append(frozenset(term.lower() for term in terms))
    return groups


def selects(groups: Sequence[FrozenSet[str]], raw: str) -> bool:
    """Whether an event with this raw text holds a term of every group, as Splunk's index lookup finds it."""
    terms = index_terms(raw)
    return all(group & terms for group in groups)
