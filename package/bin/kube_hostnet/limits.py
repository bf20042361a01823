"""Size and depth bounds of the engine, each chosen from what the Kubernetes API server and Splunk produce.

Lengths are counted in characters of the decoded event text; a character is at least one byte of the
indexed event, so a bound in characters is never tighter than the same bound in bytes.
"""

KIB = 1024
MIB = 1024 * KIB

# The API server refuses request bodies above 3 MB and etcd stores objects of at most 1.5 MB, so a real
# audit event with both requestObject and responseObject stays far below this. Anything bigger is not an
# audit event we could judge, and parsing it would only spend the search's memory.
MAX_EVENT_CHARS = 16 * MIB

# The tolerant parser is pure Python (about 50x slower than json.loads): its worst case, a cut event that
# is one long array of small numbers, costs about 2.4 us per character, so 5 s at 2 MiB (measured). It only
# has to read events that Splunk cut at TRUNCATE (10,000 bytes by default) or that nest too deeply for
# json.loads. 256 KiB reads every cut event of a default or moderately raised TRUNCATE and holds one hostile
# event to well under a second; a larger cut event is `unknown` with its size, which the hunting search in
# the README finds.
MAX_TOLERANT_CHARS = 256 * KIB

# The deepest place the engine reads is responseObject.spec.jobTemplate.spec.template.spec.hostNetwork
# (8 levels) and containers' images one level below; Kubernetes objects rarely nest beyond 30 levels.
# Deeper containers are skipped by the tolerant parser instead of built, so hostile nesting costs neither
# memory nor recursion.
MAX_TOLERANT_DEPTH = 128

# Output fields are for people and lookups: Kubernetes names are at most 253 characters and image
# references a few hundred, so longer strings are cut rather than copied into every result row.
MAX_OUTPUT_CHARS = 1024

# A pod has a handful of containers; the multivalue field stops growing at this many distinct images.
MAX_IMAGES = 64

# The request's groups and source IPs are lists a client cannot lengthen at will (the authenticator and the
# proxies in front of the API server write them), but a forged record can: the description stops here.
MAX_DESCRIBED_VALUES = 64
