"""Size and depth bounds of the engine, each chosen from what the Kubernetes API server and Splunk produce.

Lengths are counted in characters of the decoded event text; a character is at least one byte of the
indexed event, so a bound in characters is never tighter than the same bound in bytes.
"""

MIB = 1024 * 1024

# The API server refuses request bodies above 3 MB and etcd stores objects of at most 1.5 MB, so a real
# audit event with both requestObject and responseObject stays far below this. Anything bigger is not an
# audit event we could judge, and parsing it would only spend the search's memory.
MAX_EVENT_CHARS = 16 * MIB

# The tolerant parser is pure Python (about 50x slower than json.loads). It only has to read events that
# Splunk cut at TRUNCATE (10,000 bytes by default; admins raise it to a few hundred KB at most) or that
# nest too deeply for json.loads, so 2 MiB covers every real case while bounding the time per event.
MAX_TOLERANT_CHARS = 2 * MIB

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
