"""Coverage-guided fuzzing (atheris / libFuzzer) of the pure engine, kube_hostnet.assess.

    python tests/fuzz/fuzz_assess.py [CORPUS_DIR ...] [-max_total_time=N] [libFuzzer flags]
    python tests/fuzz/fuzz_assess.py --write-seeds CORPUS_DIR

Without CORPUS_DIR it starts from a temporary copy of the real audit events of tests/fixtures/k8s-audit,
as they are and in every platform's shape (tests/support/platform_shapes.py).

`make fuzz` runs it for 600 s on fuzz-corpus/; tests/fuzz/test_fuzz_assess.py runs a fixed number of inputs
with a fixed seed in `make test`.
Each input is used twice:
1. as event text (decoded as the SDK decodes a chunk: invalid UTF-8 becomes U+FFFD), with the record a
   search would hand over for it: every invariant of verdict_checks, and a clear negative (audit_damage)
   is never true;
2. as a damage program (which damage, where, how big) applied to a clear-negative real event: the result
   is never true.
A failed invariant is an uncaught exception: libFuzzer saves the input as crash-<sha1> in the working
directory (or -artifact_prefix) and exits non-zero.
"""

import copy
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import List

import atheris

# Run as a script (`make fuzz`), not under pytest: the repository root makes `tests.support` importable.
REPO = Path(__file__).resolve().parents[2]
for path in (REPO, REPO / "package" / "bin", REPO / "tools"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

# Instrumented first: modules imported before this block would get no coverage feedback.
with atheris.instrument_imports(include=["kube_hostnet"]):
    from kube_hostnet import assess

from hostnet_tools.flatten import splunk_record  # noqa: E402
from tests.support import audit_damage  # noqa: E402
from tests.support.paths import K8S_AUDIT  # noqa: E402
from tests.support.platform_shapes import FROM_EVENT, FROM_LINE  # noqa: E402
from tests.support.verdict_checks import check_fields_untouched, check_verdict  # noqa: E402

_REAL_EVENTS = [path.read_text(encoding="utf-8").strip() for path in sorted(K8S_AUDIT.glob("*.json"))]
# The real events as they are and in every platform's shape (AKS, Fluent Bit, OpenShift, GKE, ...).
_IN_EVERY_SHAPE = [
    *_REAL_EVENTS,
    *(wrap(text) for wrap in FROM_LINE.values() for text in _REAL_EVENTS),
    *(wrap(json.loads(text)) for wrap in FROM_EVENT.values() for text in _REAL_EVENTS),
]
NEGATIVE_BASES: List[str] = [text for text in _IN_EVERY_SHAPE if audit_damage.clear_negative(text)]
MAX_DAMAGES = 6
HUGE_MAX = 100_000
DEEP_MAX = 5_000
KINDS = ("cut", "swap", "insert")


def _assess_as_a_search_would(text: str) -> str:
    fields = splunk_record(text)
    before = copy.deepcopy(fields)
    verdict = assess(text, fields)
    check_verdict(verdict)
    check_fields_untouched(before, fields)
    return verdict.hostnet


def _damage_program(data: bytes) -> List[audit_damage.Damage]:
    provider = atheris.FuzzedDataProvider(data)
    damages = []
    for _ in range(provider.ConsumeIntInRange(1, MAX_DAMAGES)):
        kind = KINDS[provider.ConsumeIntInRange(0, len(KINDS) - 1)]
        at = provider.ConsumeIntInRange(0, 1 << 20)
        piece = ""
        if kind == "swap":
            piece = audit_damage.SWAP_CHARS[provider.ConsumeIntInRange(0, len(audit_damage.SWAP_CHARS) - 1)]
        elif kind == "insert":
            pieces = audit_damage.insert_pieces(
                huge=provider.ConsumeIntInRange(1, HUGE_MAX), deep=provider.ConsumeIntInRange(1, DEEP_MAX)
            )
            piece = pieces[provider.ConsumeIntInRange(0, len(pieces) - 1)]
        damages.append(audit_damage.Damage(kind, at, piece))
    return damages


def test_one_input(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    hostnet = _assess_as_a_search_would(text)
    if hostnet == "true" and audit_damage.clear_negative(text):
        raise AssertionError(f"a clear negative is true: {text[:500]!r}")
    base = NEGATIVE_BASES[len(data) % len(NEGATIVE_BASES)]
    damages = _damage_program(data)
    if _assess_as_a_search_would(audit_damage.apply(base, damages)) == "true":
        raise AssertionError(f"damage turned a clear negative into true: {audit_damage.describe(damages)}")


def _with_seed_corpus(argv: List[str]) -> List[str]:
    """Without a corpus directory, a temporary one seeded with the real events (libFuzzer writes the
    inputs it finds into the first corpus directory, which must not be the repo's fixtures)."""
    if any(not arg.startswith("-") for arg in argv[1:]):
        return argv
    corpus = Path(tempfile.mkdtemp(prefix="fuzz_assess-"))
    write_seeds(corpus)
    print(f"corpus: {corpus}", file=sys.stderr)
    return [*argv, str(corpus)]


def write_seeds(corpus: Path) -> None:
    """The real events, and the same events in every platform's shape."""
    for seed in K8S_AUDIT.glob("*.json"):
        shutil.copy(seed, corpus / seed.name)
    for number, text in enumerate(_IN_EVERY_SHAPE[len(_REAL_EVENTS) :]):
        (corpus / f"shape-{number}.json").write_text(text, encoding="utf-8")


def main() -> None:
    if sys.argv[1:2] == ["--write-seeds"]:  # make fuzz: seed an empty corpus directory, then fuzz it
        write_seeds(Path(sys.argv[2]))
        return
    atheris.Setup(_with_seed_corpus(sys.argv), test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
