"""`make bench`, third workload: the costliest single events known, and what each costs the engine.

    python -m hostnet_tools.bench_hostile --app <built app> --python <python3.9> --python <python3.13>

Every event here is one an attacker can make the API server log: any pod creator writes annotations and
patch bodies, and the last-applied annotation and the mutating-webhook records are JSON inside an event
string. Each class is built at the sizes its bound is stated at (limits.py): 64 KiB for event text only the
tolerant parser reads (a cut event, nesting too deep for json.loads), 1 MiB (no event of up to 1 MiB may
cost more than MAX_EVENT_MS of CPU), 16 MiB (above 1 MiB an event may cost at most MAX_LOADS_RATIO times
`json.loads` of its text).

Two figures per event and interpreter, each the least CPU time (time.process_time) of --repeats runs:
- engine: `kube_hostnet.assess` of the built app alone, in a fresh process of that interpreter, beside
  `json.loads` of the same text;
- command: the built `bin/hostnetcheck.py` over SCP v2 (hostnet_tools.scp) on --copies copies of the
  event, less the same run on as many copies of a small real event, per copy (the command's own CPU time:
  RUSAGE_CHILDREN around the run).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple

from hostnet_tools import scp

KIB = 1024
MIB = 1024 * KIB
TOLERANT_SIZE = 64 * KIB  # kube_hostnet.limits.MAX_TOLERANT_CHARS
PAIRS_SIZE = 128 * KIB  # kube_hostnet.limits.MAX_PAIRS_CHARS
SIZES = (1 * MIB, 16 * MIB)
MAX_EVENT_MS = 50.0
MAX_LOADS_RATIO = 5.0
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
PATCH_RECORD = "patch.webhook.admission.k8s.io/round_0_index_{}"
MUTATION_RECORD = "mutation.webhook.admission.k8s.io/round_0_index_{}"


def _event(
    request: Any, verb: str = "create", annotations: Optional[Dict[str, str]] = None
) -> Dict[str, Any]:
    """A pod request logged at Request level without a response: every piece of evidence is read."""
    event: Dict[str, Any] = {
        "kind": "Event",
        "apiVersion": "audit.k8s.io/v1",
        "level": "Request",
        "auditID": "00000000-0000-0000-0000-000000000000",
        "stage": "ResponseComplete",
        "requestURI": "/api/v1/namespaces/default/pods",
        "verb": verb,
        "user": {"username": "attacker", "groups": ["system:authenticated"]},
        "objectRef": {"resource": "pods", "namespace": "default", "name": "p", "apiVersion": "v1"},
        "responseStatus": {"metadata": {}, "code": 201},
        "requestObject": request,
    }
    if annotations is not None:
        event["annotations"] = annotations
    return event


def _pod(spec: Dict[str, Any], annotation: Optional[str] = None) -> Dict[str, Any]:
    metadata: Dict[str, Any] = {"name": "p", "namespace": "default"}
    if annotation is not None:
        metadata["annotations"] = {LAST_APPLIED: annotation}
    return {"kind": "Pod", "apiVersion": "v1", "metadata": metadata, "spec": {"hostNetwork": False, **spec}}


def _text(event: Dict[str, Any]) -> str:
    return json.dumps(event, separators=(",", ":"))


# Each class: a function of n (how much of the hostile part) giving the event text; grown to a size below.
def _annotation_invalid(n: int) -> str:  # json.loads refuses it: it once went to the tolerant parser
    return _text(_event(_pod({}, '{"spec":{"x":[' + "1," * n)))


def _annotation_deep(n: int) -> str:
    return _text(_event(_pod({}, "[" * n)))


def _annotation_huge_integer(n: int) -> str:  # one integer int() refuses, then many small ones
    return _text(_event(_pod({}, "[" + "9" * 5000 + ",1" * n + "]")))


def _webhook_records(n: int) -> str:
    return _text(_event(_pod({}), annotations={PATCH_RECORD.format(i): "{}" for i in range(n)}))


def _webhook_mutation_records(n: int) -> str:
    records = {MUTATION_RECORD.format(i): '{"mutated":false}' for i in range(n)}
    return _text(_event(_pod({}), annotations=records))


def _webhook_invalid_records(n: int) -> str:
    bad = '{"patch":[' + "1," * (127 * KIB)  # just inside MAX_WEBHOOK_RECORD_CHARS: each one is read
    return _text(_event(_pod({}), annotations={PATCH_RECORD.format(i): bad for i in range(n)}))


def _webhook_patch_operations(n: int) -> str:
    record = {"webhook": "w", "patchType": "JSONPatch", "patch": [{"op": "test", "path": "/"}] * n}
    return _text(_event(_pod({}), annotations={PATCH_RECORD.format(0): json.dumps(record)}))


def _json_patch_operations(n: int) -> str:
    return _text(_event([{"op": "test", "path": "/"}] * n, verb="patch"))


def _containers(n: int) -> str:
    return _text(_event(_pod({"hostNetwork": True, "containers": [{"image": "i"}] * n})))


def _distinct_images(n: int) -> str:
    return _text(_event(_pod({"hostNetwork": True, "containers": [{"image": f"i{i}"} for i in range(n)]})))


def _event_huge_integer(n: int) -> str:
    return _text(_event(_pod({"x": [1] * n}))).replace('"x":[1', '"x":[' + "9" * 5000 + ",1", 1)


def _event_huge_integer_last(n: int) -> str:  # json.loads once failed at the very end of the text
    return _text(_event(_pod({"x": [1] * n}))).replace("1]", "9" * 5000 + "]", 1)


def _workload_patch(body: Any) -> Dict[str, Any]:
    """A Deployment patch at Request level (no response object): the patch alone is read."""
    event = _event(body, verb="patch")
    event["objectRef"] = {"resource": "deployments", "namespace": "default", "name": "d", "apiGroup": "apps"}
    event["requestURI"] = "/apis/apps/v1/namespaces/default/deployments/d"
    event["responseStatus"] = {"metadata": {}, "code": 200}
    return event


_WRITES_TRUE = {"op": "add", "path": "/spec/template/spec/hostNetwork", "value": True}


def _json_patch_value(item: Any) -> Callable[[int], str]:
    """A JSON Patch that writes hostNetwork and a value of n items into the pod spec (read to describe it)."""
    return lambda n: _text(
        _workload_patch([_WRITES_TRUE, {"op": "add", "path": "/spec/template/spec/x", "value": [item] * n}])
    )


def _json_patch_test(n: int) -> str:  # `test` compares a value of n members with itself
    value = {f"k{i:08d}": 0 for i in range(n)}
    written = {"op": "add", "path": "/metadata/labels", "value": value}
    return _text(_workload_patch([written, {"op": "test", "path": "/metadata/labels", "value": value}]))


def _json_patch_copies(n: int) -> str:  # an object of n members, navigated, then copied 100 times
    operations: List[Dict[str, Any]] = [
        {"op": "add", "path": "/metadata/x", "value": {f"k{i:08d}": 0 for i in range(n)}},
        {"op": "add", "path": "/metadata/x/k00000000", "value": 0},
    ]
    operations += [{"op": "copy", "from": "/metadata/x", "path": f"/metadata/c{i}"} for i in range(100)]
    return _text(_workload_patch(operations))


_SPEC = "/spec/template/spec"


def _json_patch_budget_then_padded(n: int) -> str:
    """Fifteen doubling copies spend the work budget, then a true and a value of n empty objects."""
    operations: List[Dict[str, Any]] = [
        {"op": "add", "path": _SPEC + "/zz", "value": {}},
        {"op": "add", "path": _SPEC + "/zz/a", "value": ""},
    ]
    operations += [{"op": "copy", "from": _SPEC + "/zz", "path": _SPEC + f"/zz/b{i}"} for i in range(15)]
    operations += [_WRITES_TRUE, {"op": "add", "path": "/metadata/pad", "value": [{}] * n}]
    return _text(_workload_patch(operations))


def _json_patch_deep_path(n: int) -> str:  # a path of n tokens: each step names the path so far
    return _text(_workload_patch([{"op": "add", "path": "/a" * n, "value": 1}]))


def _merge_patch_numbers(n: int) -> str:
    return _text(_workload_patch({"spec": {"template": {"spec": {"hostNetwork": True, "x": [1] * n}}}}))


def _extra_before_patch(n: int) -> str:  # an impersonator's Impersonate-Extra-* headers, before the body
    event = _workload_patch([{"op": "add", "path": "/spec/template/spec", "value": {"hostNetwork": True}}])
    event["user"] = {"username": "attacker", "extra": {"requestObject": ["u" * n]}}
    return _text(event)


def _escapes(n: int) -> str:  # \u escapes: the mention test and json.loads both read every one
    return _text(_event(_pod({"x": "\u00e9" * n}))).replace("\u00e9", "\\u0041")


def _cut(body: Callable[[int], str]) -> Callable[[int], str]:
    """A cut event (no closing brackets: Splunk cut it) whose request spec ends in body(n)."""
    head = _text(_event(_pod({})))
    head = head[: head.index('"hostNetwork"')]
    return lambda n: head + '"x":' + body(n)


CLASSES: Dict[str, Tuple[Callable[[int], str], Sequence[int]]] = {
    "annotation not JSON": (_annotation_invalid, SIZES),
    # just inside MAX_ANNOTATION_CHARS (and the tolerant parser's earlier 256 KiB bound): read in full
    "annotation not JSON, at its bound": (_annotation_invalid, (256 * KIB,)),
    "annotation nested deep": (_annotation_deep, SIZES),
    "annotation huge integer": (_annotation_huge_integer, SIZES),
    "webhook records": (_webhook_records, SIZES),
    "webhook mutation records": (_webhook_mutation_records, SIZES),
    "webhook records not JSON": (_webhook_invalid_records, SIZES),
    "webhook patch operations": (_webhook_patch_operations, SIZES),
    "JSON Patch operations": (_json_patch_operations, SIZES),
    "containers, one image": (_containers, SIZES),
    "containers, distinct images": (_distinct_images, SIZES),
    "event huge integer": (_event_huge_integer, SIZES),
    "event huge integer, last": (_event_huge_integer_last, SIZES),
    "JSON Patch value of small numbers": (_json_patch_value(1), SIZES),
    "JSON Patch value of empty objects": (_json_patch_value({}), SIZES),
    # just inside MAX_PAIRS_CHARS: read a second time with its repeated keys
    "JSON Patch value of empty objects, at its bound": (_json_patch_value({}), (PAIRS_SIZE,)),
    "JSON Patch test of a large value": (_json_patch_test, SIZES),
    "JSON Patch copies of an object": (_json_patch_copies, (PAIRS_SIZE, *SIZES)),
    "JSON Patch past its work budget, then padded": (_json_patch_budget_then_padded, SIZES),
    "JSON Patch deep path": (_json_patch_deep_path, SIZES),
    "merge patch of small numbers": (_merge_patch_numbers, SIZES),
    "user.extra before a JSON Patch": (_extra_before_patch, SIZES),
    "event escapes": (_escapes, SIZES),
    "cut: small numbers": (_cut(lambda n: "[" + "1," * n), (TOLERANT_SIZE,)),
    "cut: empty arrays": (_cut(lambda n: "[" + "[]," * n), (TOLERANT_SIZE,)),
    "cut: object members": (_cut(lambda n: "{" + '"a":1,' * n), (TOLERANT_SIZE,)),
    "cut: open arrays, then bulk": (_cut(lambda n: "[" * 127 + "1," * n), (TOLERANT_SIZE,)),
    "cut: deep, then alternating": (_cut(lambda n: "[" * 200 + "[]" * n), (TOLERANT_SIZE,)),
    "deep, complete": (_cut(lambda n: "[" * n + "]" * n + "}}}"), (TOLERANT_SIZE,)),
}


def grown(make: Callable[[int], str], size: int) -> str:
    """make(n) for about the largest n whose text is at most size characters (each class grows linearly
    with n, so two small texts give the rate and a few large ones settle it)."""
    first, second = len(make(100)), len(make(200))
    rate = max(1.0, (second - first) / 100)
    n = max(1, int((size - first) / rate) + 100)
    text = make(n)
    while len(text) > size and n > 1:
        n = max(1, n - int((len(text) - size) / rate) - 1)
        text = make(n)
    return text


def hostile_events() -> List[Tuple[str, str]]:
    """(name, text) of every class at each of its sizes."""
    return [
        (f"{name} ({size // KIB:,} KiB)", grown(make, size))
        for name, (make, sizes) in CLASSES.items()
        for size in sizes
    ]


# Run by the measured interpreter: engine and json.loads times of each event in the file, as JSON lines.
_ENGINE_PROBE = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from kube_hostnet import assess
repeats = int(sys.argv[3])
def least(function, text):
    best = None
    for _ in range(repeats):
        start = time.process_time()
        result = function(text)
        spent = time.process_time() - start
        best = spent if best is None else min(best, spent)
    return best, result
def loads(text):
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError):  # what it costs json.loads to refuse it
        return None
    except ValueError:
        return json.loads(text, parse_int=float)
with open(sys.argv[2], encoding="utf-8") as events:
    for line in events:
        text = json.loads(line)
        engine, verdict = least(assess, text)
        loads_time, _ = least(loads, text)
        print(json.dumps({"engine": engine, "loads": loads_time, "hostnet": verdict.hostnet,
                          "error": verdict.error}), flush=True)
"""


class Figure(NamedTuple):
    event: str
    chars: int
    python: str
    engine_ms: float
    loads_ms: float
    command_ms: Optional[float]
    hostnet: str
    error: str

    @property
    def within_bound(self) -> bool:
        if self.chars <= MIB:
            return self.engine_ms <= MAX_EVENT_MS
        return self.engine_ms <= MAX_LOADS_RATIO * self.loads_ms


def engine_figures(
    app: str, python: str, events: Sequence[Tuple[str, str]], repeats: int
) -> List[Dict[str, Any]]:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as out:
        for _, text in events:
            out.write(json.dumps(text) + "\n")
    try:
        probe = subprocess.run(
            [python, "-c", _ENGINE_PROBE, os.path.join(app, "bin"), out.name, str(repeats)],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        os.unlink(out.name)
    if probe.returncode != 0:
        raise RuntimeError(f"{python}: the engine probe failed: {probe.stderr[-3000:]}")
    return [json.loads(line) for line in probe.stdout.splitlines()]


def command_cpu(app: str, python: str, text: str, copies: int) -> float:
    """CPU seconds of one run of the built command over `copies` records holding text."""
    script = os.path.join(app, "bin", "hostnetcheck.py")
    records = [{"_raw": text, "_time": "1714521600"}] * copies
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with scp.run_command(script, python, [records], timeout=None) as run:
        answered = run.collect().records
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if len(answered) != copies or any("hostnet" not in record for record in answered):
        raise RuntimeError(f"{python}: the command answered {len(answered)} of {copies} records")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def command_ms(app: str, python: str, text: str, *, baseline: str, copies: int, repeats: int) -> float:
    """The command's CPU per copy of text, over the same run on a small real event (least of repeats)."""
    hostile = min(command_cpu(app, python, text, copies) for _ in range(repeats))
    plain = min(command_cpu(app, python, baseline, copies) for _ in range(repeats))
    return max(0.0, hostile - plain) * 1000 / copies


def figures(args: argparse.Namespace) -> List[Figure]:
    events = hostile_events()
    baseline = _text(_event(_pod({"containers": [{"name": "c", "image": "nginx"}]})))
    found = []
    for python in args.python:
        measured = engine_figures(args.app, python, events, args.repeats)
        for (name, text), engine in zip(events, measured):
            command = None
            if args.copies:
                copies = max(1, args.copies * MIB // len(text))
                command = command_ms(
                    args.app, python, text, baseline=baseline, copies=copies, repeats=args.repeats
                )
            found.append(
                Figure(
                    name,
                    len(text),
                    _version(python),
                    engine["engine"] * 1000,
                    engine["loads"] * 1000,
                    command,
                    engine["hostnet"],
                    engine["error"][:70],
                )
            )
            figure = found[-1]
            print(f"{figure.python} {name}: engine {figure.engine_ms:.1f} ms", file=sys.stderr, flush=True)
    return found


def _version(python: str) -> str:
    result = subprocess.run(
        [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() or python


def table(found: Sequence[Figure]) -> List[str]:
    lines = [
        "| event | chars | Python | engine CPU ms | json.loads ms | engine / json.loads | command CPU ms "
        "| within bound | hostnet | hostnet_error |",
        "|---|---:|---|---:|---:|---:|---:|---|---|---|",
    ]
    for figure in found:
        ratio = figure.engine_ms / figure.loads_ms if figure.loads_ms else float("inf")
        command = f"{figure.command_ms:.1f}" if figure.command_ms is not None else "-"
        cells = [
            figure.event,
            f"{figure.chars:,}",
            figure.python,
            f"{figure.engine_ms:.1f}",
            f"{figure.loads_ms:.1f}",
            f"{ratio:.1f}x",
            command,
            "yes" if figure.within_bound else "NO",
            figure.hostnet,
            figure.error.replace("|", "/"),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def slowest(found: Sequence[Figure]) -> List[str]:
    lines = []
    for python in dict.fromkeys(figure.python for figure in found):
        mine = [figure for figure in found if figure.python == python]
        small = [figure for figure in mine if figure.chars <= MIB]
        worst = max(small, key=lambda figure: figure.engine_ms)
        line = f"- Python {python}, slowest event of up to 1 MiB: {worst.event}"
        line += f", engine {worst.engine_ms:.1f} ms"
        commands = [figure for figure in small if figure.command_ms is not None]
        if commands:
            worst_command = max(commands, key=lambda figure: figure.command_ms or 0.0)
            line += f"; through the command: {worst_command.event}, {worst_command.command_ms:.1f} ms"
        lines.append(line)
    return lines


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m hostnet_tools.bench_hostile", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--app", default=os.environ.get("HOSTNET_APP_DIR"), help="the built add-on directory")
    parser.add_argument("--python", action="append", help="an interpreter to measure under (repeatable)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure; the least is kept")
    parser.add_argument(
        "--copies", type=int, default=8, help="MiB of copies per command run (0: engine figures only)"
    )
    parser.add_argument("--check-bounds", action="store_true", help="exit 1 when an event is over its bound")
    args = parser.parse_args(argv)
    if not args.app or not os.path.isfile(os.path.join(args.app, "bin", "hostnetcheck.py")):
        parser.error("--app must be a built add-on (make package), or set HOSTNET_APP_DIR")
    args.python = args.python or [sys.executable]
    return args


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    found = figures(args)
    print("\n".join(["## Slowest events", "", *slowest(found), "", *table(found)]))
    return 1 if args.check_bounds and not all(figure.within_bound for figure in found) else 0


if __name__ == "__main__":
    sys.exit(main())
