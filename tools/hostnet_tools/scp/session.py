"""splunkd's side of a search command session, as the bytes it sends in order.

A session (what splunkd writes, from the recordings in tests/fixtures/splunkd and splunkd 8.2.1 transcripts
in NDietrich/Splunk-CustomSearchProtocol-v2 `example_messages/`):

- first a getinfo chunk (`{"action":"getinfo","preview":false,"streaming_command_will_restart":false,
  "searchinfo":{...}}`, no body); the command answers with its configuration (`{"type":"streaming",...}`);
- then execute chunks `{"action":"execute","finished":false}` whose body is CSV: a header, one row per record;
  the command answers each with one chunk (`{"finished":false}` + CSV, inspector messages in the metadata);
- splunkd 8.x/9.x ends with `{"action":"execute","finished":true}` whose body is only the CSV header;
- splunkd waits for the answer to a chunk before it sends the next one (lock-step); so does this driver.

`run_command` scripts a session from records, `replay_transcript` replays a recorded one retargeted to the
command under test; both hand the script to `process.CommandRun`, which runs it.
"""

import os
import secrets
import urllib.parse
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence

from hostnet_tools.scp.process import DEFAULT_TIMEOUT, CommandRun
from hostnet_tools.scp.wire import (
    InRecord,
    ProtocolError,
    chunk_fieldnames,
    encode_chunk,
    encode_records,
    split_frames,
)

SPLUNK_VERSION = "9.3.2"
# splunkd's default and splunklib's flush threshold.
MAX_RESULT_ROWS = 50000


def getinfo_metadata(
    args: Sequence[str],
    *,
    dispatch_dir: str,
    app: str,
    command: str = "hostnetcheck",
    raw_args: Optional[Sequence[str]] = None,
    search: Optional[str] = None,
    sid: Optional[str] = None,
    owner: str = "admin",
    username: str = "admin",
    splunk_version: str = SPLUNK_VERSION,
    earliest_time: str = "0",
    latest_time: str = "0",
    maxresultrows: int = MAX_RESULT_ROWS,
) -> Dict[str, Any]:
    """A getinfo message with every searchinfo key splunkd 8.x/9.x sends, in splunkd's order."""
    raw = list(raw_args) if raw_args is not None else list(args)
    if search is None:
        search = " ".join(["search index=k8s sourcetype=_json |", command, *raw])
    return {
        "action": "getinfo",
        "preview": False,
        "streaming_command_will_restart": False,
        "searchinfo": {
            "args": list(args),
            "raw_args": raw,
            "dispatch_dir": dispatch_dir,
            "sid": sid if sid is not None else os.path.basename(os.path.normpath(dispatch_dir)),
            "app": app,
            "owner": owner,
            "username": username,
            "session_key": secrets.token_urlsafe(48),
            "splunkd_uri": "https://127.0.0.1:8089",
            "splunk_version": splunk_version,
            "search": urllib.parse.quote(search, safe=""),
            "command": command,
            "maxresultrows": maxresultrows,
            "earliest_time": earliest_time,
            "latest_time": latest_time,
        },
    }


def app_of(script: str) -> str:
    """The app a command belongs to: `<apps>/<app>/bin/<command>.py` -> `<app>`."""
    return os.path.basename(os.path.dirname(os.path.dirname(os.path.abspath(script))))


def command_of(script: str) -> str:
    return os.path.splitext(os.path.basename(script))[0]


def execute_frames(
    chunks: Iterable[Iterable[InRecord]],
    *,
    fieldnames: Optional[Sequence[str]] = None,
    mv_layout: str = "grouped",
    line_terminator: str = "\n",
) -> Iterator[bytes]:
    """Execute chunks for each chunk of records, then the final header-only `finished` chunk.

    A chunk is materialised only when the writer asks for it. `fieldnames` fixes the header of every chunk
    (so an empty chunk still has one); otherwise each chunk's header comes from its records and the final
    chunk repeats the last header of a chunk with records, as splunkd 8.x/9.x does.
    """
    last_names: Optional[List[str]] = list(fieldnames) if fieldnames is not None else None
    for chunk in chunks:
        records = list(chunk)
        names = list(fieldnames) if fieldnames is not None else chunk_fieldnames(records)
        if records or last_names is None:
            last_names = names
        body = encode_records(records, names, mv_layout=mv_layout, line_terminator=line_terminator)
        yield encode_chunk({"action": "execute", "finished": False}, body)
    final_body = b""
    if last_names is not None:
        final_body = encode_records([], last_names, mv_layout=mv_layout, line_terminator=line_terminator)
    yield encode_chunk({"action": "execute", "finished": True}, final_body)



def run_command(
    script: str,
    python: str,
    chunks: Iterable[Iterable[InRecord]],
    args: Sequence[str] = (),
    *,
    raw_args: Optional[Sequence[str]] = None,
    env: Optional[Mapping[str, str]] = None,
    dispatch_dir: Optional[str] = None,
    fieldnames: Optional[Sequence[str]] = None,
    mv_layout: str = "grouped",
    line_terminator: str = "\n",
    timeout: Optional[float] = DEFAULT_TIMEOUT,
    searchinfo: Optional[Mapping[str, Any]] = None,
) -> CommandRun:
    """Runs `script` on these chunks of records as splunkd would. `searchinfo` overrides getinfo keys."""

    def requests(dispatch: str) -> Iterator[bytes]:
        getinfo = getinfo_metadata(
            args, dispatch_dir=dispatch, app=app_of(script), command=command_of(script), raw_args=raw_args
        )
        getinfo["searchinfo"].update(searchinfo or {})
        yield encode_chunk(getinfo)
        yield from execute_frames(
            chunks, fieldnames=fieldnames, mv_layout=mv_layout, line_terminator=line_terminator
        )

    return CommandRun(script, python, requests, env=env, dispatch_dir=dispatch_dir, timeout=timeout)


def rewrite_transcript(
    transcript: bytes,
    args: Sequence[str],
    *,
    dispatch_dir: str,
    app: str,
    raw_args: Optional[Sequence[str]] = None,
) -> Iterator[bytes]:
    """A recorded splunkd stream with its getinfo args, raw_args, app and dispatch_dir replaced."""
    frames = split_frames(transcript)
    first = next(frames, None)
    if first is None or first[0].metadata.get("action") != "getinfo":
        raise ProtocolError("a transcript starts with a getinfo chunk")
    getinfo = dict(first[0].metadata)
    searchinfo = dict(getinfo.get("searchinfo") or {})
    searchinfo.update(
        args=list(args),
        raw_args=list(raw_args) if raw_args is not None else list(args),
        app=app,
        dispatch_dir=dispatch_dir,
    )
    getinfo["searchinfo"] = searchinfo
    yield encode_chunk(getinfo, first[0].body)
    for _chunk, raw in frames:
        yield raw


def replay_transcript(
    script: str,
    python: str,
    transcript: bytes,
    args: Sequence[str] = (),
    *,
    env: Optional[Mapping[str, str]] = None,
    dispatch_dir: Optional[str] = None,
    timeout: Optional[float] = DEFAULT_TIMEOUT,
) -> CommandRun:
    """Replays a raw recorded splunkd stream (bytes) into `script`, getinfo retargeted to it."""
    return CommandRun(
        script,
        python,
        lambda dispatch: rewrite_transcript(transcript, args, dispatch_dir=dispatch, app=app_of(script)),
        env=env,
        dispatch_dir=dispatch_dir,
        timeout=timeout,
    )
