"""Supervises one search command process as splunkd does: lock-step chunks over its stdin/stdout.

Streaming and memory: records go in as an iterable of chunks (each an iterable of records; `batched`
cuts a flat stream), and come out as a generator. A writer thread encodes the next chunk while the command
works on the current one and sends it once the answer is read, so at most two input chunks and one output
chunk are in memory, and a command that writes while it reads can never deadlock on a full pipe. stderr
is drained by its own thread (the last `STDERR_KEEP` bytes are kept).

The child gets this process's environment without PYTHON* and SPLUNK_* variables (a developer's
PYTHONPATH would otherwise load package/bin instead of the built app), plus `env`; its working directory
is the dispatch directory (a temporary one unless given), as for a search process.

A command that outlives its timeout is killed, as is one whose reader stops early (splunkd cancels it).
"""

import codecs
import collections
import contextlib
import os
import shutil
import subprocess
import tempfile
import threading
import time
from typing import Callable, Deque, Dict, Iterable, Iterator, List, Mapping, NamedTuple, Optional, Tuple

from hostnet_tools.scp.wire import Chunk, ProtocolError, Record, decode_records, read_chunk

STDERR_KEEP = 1024 * 1024
DEFAULT_TIMEOUT = 300.0
_STRIPPED_ENV_PREFIXES = ("PYTHON", "SPLUNK_")


def child_environment(env: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    child = {
        name: value for name, value in os.environ.items() if not name.startswith(_STRIPPED_ENV_PREFIXES)
    }
    child.update(env or {})
    return child


class Collected(NamedTuple):
    """A finished run, all in memory: for tests and small inputs."""

    getinfo: Chunk
    replies: List[Chunk]
    returncode: int
    stderr: str

    @property
    def records(self) -> List[Record]:
        return [record for reply in self.replies for record in reply.records()]

    @property
    def messages(self) -> List[Tuple[str, str]]:
        return [message for chunk in [self.getinfo, *self.replies] for message in chunk.messages]

    @property
    def errors(self) -> List[str]:
        """The texts of the ERROR and FATAL messages: what fails a search in the Job Inspector."""
        return [text for level, text in self.messages if level in ("ERROR", "FATAL")]


class CommandRun:
    """One run of a search command process, driven lock-step like splunkd.

    `requests(dispatch_dir)` gives the framed chunks to send, getinfo first. Enter the context to start the
    process and read the getinfo answer (`getinfo`); `replies()` yields the rest; leaving the context waits
    for the exit (or kills a command that outlives `timeout` seconds, counted from the start).
    """

    def __init__(
        self,
        script: str,
        python: str,
        requests: Callable[[str], Iterable[bytes]],
        *,
        env: Optional[Mapping[str, str]] = None,
        dispatch_dir: Optional[str] = None,
        timeout: Optional[float] = DEFAULT_TIMEOUT,
    ) -> None:
        self.script = os.path.abspath(script)
        self.python = python
        self._requests = requests
        self._env = child_environment(env)
        self._own_dispatch_dir = dispatch_dir is None
        self.dispatch_dir = dispatch_dir or ""
        self._timeout = timeout
        self._process: Optional[subprocess.Popen[bytes]] = None
        self._may_send = threading.Semaphore(1)
        self._stop = threading.Event()
        self._writer: Optional[threading.Thread] = None
        self._stderr_reader: Optional[threading.Thread] = None
        self._stderr_tail: Deque[bytes] = collections.deque()
        self._stderr_size = 0
        self._writer_error: Optional[BaseException] = None
        self._killer: Optional[threading.Timer] = None
        self._ended = False
        self.timed_out = False
        self.returncode: Optional[int] = None
        self.messages: List[Tuple[str, str]] = []
        self._getinfo: Optional[Chunk] = None
        self._replies: Iterator[Chunk] = iter(())

    # context and lifecycle

    def __enter__(self) -> "CommandRun":
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def start(self) -> None:
        if self._own_dispatch_dir:
            self.dispatch_dir = os.path.join(tempfile.mkdtemp(prefix="hostnet-scp-"), f"{time.time():.3f}")
            os.makedirs(self.dispatch_dir)
        frames = iter(self._requests(self.dispatch_dir))
        self._process = subprocess.Popen(
            [self.python, self.script],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=self._env,
            cwd=self.dispatch_dir,
        )
        if self._timeout is not None:
            self._killer = threading.Timer(self._timeout, self._kill_for_timeout)
            self._killer.daemon = True
            self._killer.start()
        self._writer = threading.Thread(
            target=self._write_all, args=(frames,), name="scp-writer", daemon=True
        )
        self._stderr_reader = threading.Thread(target=self._drain_stderr, name="scp-stderr", daemon=True)
        self._writer.start()
        self._stderr_reader.start()
        self._replies = self._read_replies()
        self._getinfo = next(self._replies, None)

    @property
    def getinfo(self) -> Chunk:
        if self._getinfo is None:
            raise ProtocolError(f"the command answered nothing to getinfo; stderr: {self.stderr[-2000:]}")
        return self._getinfo

    def replies(self) -> Iterator[Chunk]:
        """The answers to the execute chunks, in order, as they arrive."""
        return self._replies

    def records(self) -> Iterator[Record]:
        for reply in self._replies:
            yield from decode_records(reply.body)

    def close(self) -> int:
        """Reads what is left, waits for the exit, removes a temporary dispatch dir; the exit code."""
        if self.returncode is not None:
            return self.returncode
        for _ in self._replies:
            pass
        process = self._started()
        self.returncode = process.wait()
        if self._killer is not None:
            self._killer.cancel()
        for thread in (self._writer, self._stderr_reader):
            if thread is not None:
                thread.join()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
        if self._own_dispatch_dir and self.dispatch_dir:
            shutil.rmtree(os.path.dirname(self.dispatch_dir), ignore_errors=True)
        if self._writer_error is not None:
            raise self._writer_error
        return self.returncode

    def collect(self) -> Collected:
        """Runs to the end and returns everything (enters the context itself when needed)."""
        if self._process is None:
            self.start()
        replies = list(self._replies)
        returncode = self.close()
        return Collected(self.getinfo, replies, returncode, self.stderr)

    @property
    def stderr(self) -> str:
        return codecs.decode(b"".join(self._stderr_tail), "utf-8", "replace")

    # threads

    def _started(self) -> "subprocess.Popen[bytes]":
        if self._process is None:
            raise RuntimeError("the command has not been started")
        return self._process

    def _kill_for_timeout(self) -> None:
        self.timed_out = True
        if self._process is not None:
            self._process.kill()

    def _write_all(self, frames: Iterator[bytes]) -> None:
        stdin = self._started().stdin
        if stdin is None:
            return
        try:
            for frame in frames:
                self._may_send.acquire()
                if self._stop.is_set():
                    break
                stdin.write(frame)
                stdin.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the command exited; the reader reports what it said before
        except Exception as error:  # noqa: BLE001 -- the caller's records raised: close() re-raises it
            self._writer_error = error
        finally:
            with contextlib.suppress(OSError):
                stdin.close()

    def _drain_stderr(self) -> None:
        stderr = self._started().stderr
        while stderr is not None:
            block = stderr.read1(65536)  # type: ignore[attr-defined]
            if not block:
                return
            self._stderr_tail.append(block)
            self._stderr_size += len(block)
            while self._stderr_size - len(self._stderr_tail[0]) >= STDERR_KEEP:
                self._stderr_size -= len(self._stderr_tail.popleft())

    def _read_replies(self) -> Iterator[Chunk]:
        process = self._started()
        stdout = process.stdout
        if stdout is None:
            return
        finished = False
        try:
            while True:
                chunk = read_chunk(stdout)
                if chunk is None:
                    finished = True
                    return
                self.messages.extend(chunk.messages)
                self._may_send.release()
                yield chunk
        finally:
            self._stop.set()
            self._may_send.release()
            if not finished and process.poll() is None:
                process.kill()  # the consumer stopped early or the stream broke: splunkd would cancel
