"""Runs a built search command the way splunkd runs it: SCP v2, the "chunked 1.0" protocol, over stdin/stdout.

Used by the protocol tests, `make run` (replay of audit logs) and `make bench`. Nothing here imports
splunklib: the driver speaks the wire format, so it checks the SDK instead of trusting it.

- `wire`: the pure codec (chunk framing, CSV as splunkd writes it and splunklib answers, `__mv_` encoding);
- `session`: splunkd's side of a session (getinfo, execute chunks, the final `finished` chunk, transcript
  replay) and the two entry points `run_command` and `replay_transcript`;
- `process`: the child process, its environment, the writer and stderr threads and the timeout.

Every name is re-exported here, so callers import `from hostnet_tools import scp` only.

Usage::

    from hostnet_tools import scp

    with scp.run_command(app_dir + "/bin/hostnetcheck.py", "/path/python3.13",
                         scp.batched(records, 50_000), args=["loglevel=DEBUG"]) as run:
        run.getinfo.metadata["type"]           # "streaming"
        for reply in run.replies():            # one per execute chunk; reply.records(), reply.messages
            ...
    run.returncode, run.stderr, run.messages   # after the block

    result = scp.run_command(script, python, [records]).collect()   # everything in lists, for tests

    with scp.replay_transcript(script, python, gzip.open(path).read(), args=["loglevel=INFO"]) as run:
        records = list(run.records())
"""

from hostnet_tools.scp.process import DEFAULT_TIMEOUT, STDERR_KEEP, Collected, CommandRun, child_environment
from hostnet_tools.scp.session import (
    MAX_RESULT_ROWS,
    SPLUNK_VERSION,
    app_of,
    command_of,
    execute_frames,
    getinfo_metadata,
    replay_transcript,
    rewrite_transcript,
    run_command,
)
from hostnet_tools.scp.wire import (
    CHUNKED_IDX,
    MV_PREFIX,
    Chunk,
    InRecord,
    InValue,
    ProtocolError,
    Record,
    Value,
    as_read,
    batched,
    chunk_fieldnames,
    decode_header,
    decode_multivalue,
    decode_records,
    encode_chunk,
    encode_multivalue,
    encode_records,
    read_chunk,
    split_frames,
)

__all__ = [
    "CHUNKED_IDX",
    "DEFAULT_TIMEOUT",
    "MAX_RESULT_ROWS",
    "MV_PREFIX",
    "SPLUNK_VERSION",
    "STDERR_KEEP",
    "Chunk",
    "Collected",
    "CommandRun",
    "InRecord",
    "InValue",
    "ProtocolError",
    "Record",
    "Value",
    "app_of",
    "as_read",
    "batched",
    "child_environment",
    "chunk_fieldnames",
    "command_of",
    "decode_header",
    "decode_multivalue",
    "decode_records",
    "encode_chunk",
    "encode_multivalue",
    "encode_records",
    "execute_frames",
    "getinfo_metadata",
    "read_chunk",
    "replay_transcript",
    "rewrite_transcript",
    "run_command",
    "split_frames",
]
