"""The commands `make bench` compares hostnetcheck with, written out as commands splunkd could run.

- SDK floor: a pass-through splunklib StreamingCommand that adds one constant field, importing splunklib
  from the built app's `lib/` (the same vendored SDK the product uses): what every splunklib command pays
  for the protocol, CSV and records.
- parse floor: no SDK at all; the SCP v2 framing by hand and the C csv module reading each chunk body and
  writing it back with one more column. What reading and rewriting the same bytes costs in Python.
- SDK path: hostnetcheck 1.0.0, i.e. the same engine behind splunklib's own record path (a splunklib
  StreamingCommand calling the built app's hostnetcheck_stream.stream): what the record path replaced.
- record path floor: the built app's record path (hostnet_command) adding one constant field, no engine:
  what the record path costs on its own (the engine's own cost is bench_engine's, timed inside assess).

The floors answer with FLOOR_FIELD = FLOOR_VALUE on every record, which the harness checks.
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


# hostnetcheck 1.0.0's command: a splunklib StreamingCommand calling the built hostnetcheck_stream.stream
# (what UCC's generated wrapper did). Its module imports Configuration, Option, StreamingCommand,
# validators and hostnetcheck_stream first; bench_engine's timer defines it too.
SDK_PATH_COMMAND = """
@Configuration()
class SdkPathCommand(StreamingCommand):
    field = Option(name="field", require=False, validate=validators.Fieldname(), default="_raw")
    loglevel = Option(name="loglevel", require=False)

    def stream(self, records):
        return hostnetcheck_stream.stream(self, records)
"""

_SDK_PATH = (
    '''"""hostnetcheck 1.0.0 for make bench: the built engine behind splunklib's own record path."""
import sys

sys.path[:0] = [{lib!r}, {bin!r}]

from splunklib.searchcommands import (  # noqa: E402
    Configuration, Option, StreamingCommand, dispatch, validators
)

import hostnetcheck_stream  # noqa: E402

'''
    + SDK_PATH_COMMAND
    + """

dispatch(SdkPathCommand, sys.argv, sys.stdin, sys.stdout, __name__)
"""
)

_PATH_FLOOR = '''"""Record path floor for make bench: the built record path adding a constant field."""
import sys

sys.path[:0] = [{lib!r}, {bin!r}]

from splunklib.searchcommands import Configuration, dispatch  # noqa: E402

from hostnet_command import RecordPathCommand  # noqa: E402

FIELDS = {{{field!r}: {value!r}}}
VALUES = tuple(FIELDS.values())


@Configuration()
class PathFloorCommand(RecordPathCommand):
    def record_path_names(self):
        return list(FIELDS)

    def record_path_field(self):
        return "_raw"

    def record_path_judge(self, value, record_of):
        return VALUES

    def stream(self, records):
        for record in records:
            record.update(FIELDS)
            yield record


dispatch(PathFloorCommand, sys.argv, sys.stdin, sys.stdout, __name__)
'''


class Floors(NamedTuple):
    sdk: str  # path of the SDK floor command script
    parse: str  # path of the parse floor command script
    sdk_path: str  # hostnetcheck 1.0.0
    path_floor: str  # the record path without the engine


def write_floors(directory: str, app_dir: str) -> Floors:
    """Writes the commands as `<directory>/bench_floor_app/bin/*.py`, using app_dir's lib/ (and bin/)."""
    bin_dir = os.path.join(directory, "bench_floor_app", "bin")
    os.makedirs(bin_dir, exist_ok=True)
    lib = os.path.join(os.path.abspath(app_dir), "lib")
    app_bin = os.path.join(os.path.abspath(app_dir), "bin")
    floors = Floors(
        *(os.path.join(bin_dir, f"{name}.py") for name in ("sdkfloor", "parsefloor", "sdkpath", "pathfloor"))
    )
    templates = (_SDK_FLOOR, _PARSE_FLOOR, _SDK_PATH, _PATH_FLOOR)
    for path, template in zip(floors, templates):
        with open(path, "w", encoding="utf-8") as script:
            script.write(template.format(lib=lib, bin=app_bin, field=FLOOR_FIELD, value=FLOOR_VALUE))
    return floors
