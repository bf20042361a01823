"""The two floors `make bench` compares hostnetcheck with, written out as commands splunkd could run.

- SDK floor: a pass-through splunklib StreamingCommand that adds one constant field, importing splunklib
  from the built app's `lib/` (the same vendored SDK the product uses). hostnetcheck can never be cheaper
  than this: it is the protocol, CSV and record handling every splunklib command pays.
- parse floor: no SDK at all; the SCP v2 framing by hand and the C csv module reading each chunk body and
  writing it back with one more column. The least any Python command could cost on the same bytes.

Both answer with FLOOR_FIELD = FLOOR_VALUE on every record, which the harness checks.
"""

import os
from typing import NamedTuple

FLOOR_FIELD = "bench_floor"
FLOOR_VALUE = "1"

_SDK_FLOOR = '''"""SDK floor for make bench: splunklib StreamingCommand adding one constant field."""
import sys

sys.path.insert(0, {lib!r})

from splunklib.searchcommands import Configuration, StreamingCommand, dispatch  # noqa: E402


@Configuration()
class BenchFloorCommand(StreamingCommand):
    def stream(self, records):
        for record in records:
            record[{field!r}] = {value!r}
            yield record


dispatch(BenchFloorCommand, sys.argv, sys.stdin, sys.stdout, __name__)
'''

_PARSE_FLOOR = '''"""Parse floor for make bench: SCP v2 framing by hand, C csv reader and writer."""
import csv
import io
import json
import sys

FIELD, VALUE = {field!r}, {value!r}


def answer(stdout, metadata, body):
    meta = json.dumps(metadata).encode("utf-8")
    stdout.write(b"chunked 1.0,%d,%d\\n" % (len(meta), len(body)) + meta + body)
    stdout.flush()


def main():
    csv.field_size_limit(2**31 - 1)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        header = stdin.readline()
        if not header:
            return
        meta_length, body_length = (int(part) for part in header.split(b",")[1:3])
        metadata = json.loads(stdin.read(meta_length))
        body = stdin.read(body_length)
        if metadata.get("action") == "getinfo":
            answer(stdout, {{"type": "streaming"}}, b"")
            continue
        rows = csv.reader(io.StringIO(body.decode("utf-8"), newline=""))
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\\r\\n")
        names = next(rows, None)
        if names is not None:
            writer.writerow(names + [FIELD, "__mv_" + FIELD])
            for row in rows:
                row += (VALUE, "")
                writer.writerow(row)
        finished = bool(metadata.get("finished"))
        answer(stdout, {{"finished": finished}}, out.getvalue().encode("utf-8"))
        if finished:
            return


main()
'''


class Floors(NamedTuple):
    sdk: str  # path of the SDK floor command script
    parse: str  # path of the parse floor command script


def write_floors(directory: str, app_dir: str) -> Floors:
    """Writes both floor commands as `<directory>/bench_floor_app/bin/*.py`, the SDK one using app_dir/lib."""
    bin_dir = os.path.join(directory, "bench_floor_app", "bin")
    os.makedirs(bin_dir, exist_ok=True)
    lib = os.path.join(os.path.abspath(app_dir), "lib")
    floors = Floors(os.path.join(bin_dir, "sdkfloor.py"), os.path.join(bin_dir, "parsefloor.py"))
    for path, template in ((floors.sdk, _SDK_FLOOR), (floors.parse, _PARSE_FLOOR)):
        with open(path, "w", encoding="utf-8") as script:
            script.write(template.format(lib=lib, field=FLOOR_FIELD, value=FLOOR_VALUE))
    return floors
