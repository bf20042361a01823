"""Size and depth bounds of the engine, each chosen from what the Kubernetes API server and Splunk produce.

Lengths are counted in characters of the decoded event text; a character is at least one byte of the
indexed event, so a bound in characters is never tighter than the same bound in bytes.
"""

from math import isqrt

KIB = 1024
MIB = 1024 * KIB

# The API server refuses request bodies above 3 MB and etcd stores objects of at most 1.5 MB, so a real
# audit event with both requestObject and responseObject stays far below this. Anything bigger is not an
# audit event we could judge, and parsing it would only spend the search's memory.
MAX_EVENT_CHARS = 16 * MIB

# The tolerant parser only reads event text that json.loads refused: an event Splunk cut at TRUNCATE
# (10,000 bytes by default) or one nesting too deeply for json.loads; strings inside an event (annotations,
# webhook records) are whole and never reach it (jsonread.parse_complete). It reads a container json.loads'
# scanner can read whole in one C call, and walks in Python only the containers still open at the cut (or
# too deep), so its cost is its steps (MAX_TOLERANT_STEPS) plus, for each open container, one failed C read
# up to the cut. 64 KiB reads every cut event of the default TRUNCATE and of one raised six-fold; a larger
# cut event is `unknown` with its size, which the hunting search in the README finds. At 64 KiB the failed
# reads of the containers open at the cut of a real event (about 7 of them) cost about 7 ms; at the earlier
# 256 KiB they alone cost about 30 ms of the 50 ms an event may take.
MAX_TOLERANT_CHARS = 64 * KIB

# The tolerant parser's Python loop: a step reads one token, or one run of brackets in a skipped subtree.
# Its costliest steps (a cut event that is one long array of small numbers) take 0.9-1.3 us each under
# Python 3.9 and 3.13, and up to 2.6 us on a loaded 2-core machine (python -m hostnet_tools.bench_hostile),
# so 12,000 steps hold the parser to about 30 ms at worst, inside the 50 ms an event of up to 1 MiB may
# cost. Real cut events need far fewer: at most about 5,600 over cuts of the bench workload's events
# padded to 55 KB with 800 labels (a flat object on the way to the cut costs four steps a member).
MAX_TOLERANT_STEPS = 12_000

# A failed attempt to read a container whole (it is open at the cut) is charged as steps: json.loads'
# scanner reads about 32 characters in the time of one step (about 50 ns a character, measured).
CHARS_PER_TOLERANT_STEP = 32

# JSON inside an event string costs json.loads more than the event text around it: the event's reader only
# scans the string, reading its content builds every value (a string of small numbers costs about 20 times
# the event's json.loads). Such text is bounded by what the API server accepts, not by the event:
# - the last-applied annotation: the API server refuses an object whose annotations total more than
#   256 KiB (apimachinery TotalAnnotationSizeLimitB), so a larger one belongs to a request that failed;
MAX_ANNOTATION_CHARS = 256 * KIB
# - a mutating webhook's patch record: real ones (sidecar injectors) are tens of KB; a larger one is an
#   unreadable record (the webhook's change is not known), and the verdict is `unknown`, never `false`.
MAX_WEBHOOK_RECORD_CHARS = 256 * KIB

# The deepest place the engine reads is responseObject.spec.jobTemplate.spec.template.spec.hostNetwork
# (8 levels) and containers' images one level below; Kubernetes objects rarely nest beyond 30 levels.
# Containers the tolerant parser walks itself (open at the cut, or too deep for json.loads) are skipped
# instead of built below this depth, so hostile nesting costs neither memory nor recursion.
MAX_TOLERANT_DEPTH = 128

# Output fields are for people and lookups: Kubernetes names are at most 253 characters and image
# references a few hundred, so longer strings are cut rather than copied into every result row.
MAX_OUTPUT_CHARS = 1024

# A pod has a handful of containers; the multivalue field stops growing at this many distinct images.
MAX_IMAGES = 64

# The request's groups and source IPs are lists a client cannot lengthen at will (the authenticator and the
# proxies in front of the API server write them), but a forged record can: the description stops here.
MAX_DESCRIBED_VALUES = 64

# The API server accepts JSON Patches of up to 10,000 operations; applying them costs the engine about
# 0.1-0.2 ms per KiB, so a 1 MiB patch costs ~150 ms (bench_hostile). Real patches have a handful of
# operations: a patch (the request's, or one webhook record's) with more is `unknown`, said to be a bound.
MAX_PATCH_OPERATIONS = 1000

# A JSON Patch's work is not its length: `copy` duplicates what it navigated and `test` compares whole
# values (walkbudget). One reading (the request's patch, or all of an event's webhook records together)
# visits at most this many values, about 1 us each at worst: 10 ms. Real patches visit a few hundred. Past
# it, a patch that writes true on the way to hostNetwork is still an attempt (true); any other is unknown.
MAX_PATCH_NODES = 10_000
# Navigating a path of n tokens costs n * (n + 1) / 2 of that budget (each step names the path so far), so
# a longer path than this is past the budget before it is split (the deepest place read is 8 tokens).
MAX_POINTER_TOKENS = (isqrt(8 * MAX_PATCH_NODES + 1) - 1) // 2  # 140: the largest n within the budget

# A JSON Patch body is read a second time with every repeated key kept (godecode.Pairs), at up to 60 ns a
# character (a body of small objects), after walking to it past the members before it: only when it starts
# within this many characters of the event (the API server writes a few KiB before it: the user agent is cut
# at 1 KiB) and ends within as many of its start, about 8 ms. Real JSON Patch bodies are a few KiB. Beyond
# it, the values json.loads kept can prove true, never false: such a patch is true or unknown (oversized).
MAX_PAIRS_CHARS = 128 * KIB

# An event logs one record pair per mutating webhook that ran (a cluster has a few); a request cannot add
# records, but a webhook can write audit annotations at will, and each record is parsed and applied. Past
# this many records or this much record text the rest are not read: a false verdict becomes unknown.
MAX_WEBHOOK_RECORDS = 64
MAX_WEBHOOK_TEXT_CHARS = 256 * KIB

# A pod has a handful of containers; images are looked for in at most this many of each list.
MAX_CONTAINERS_WALKED = 256
