"""How much of an audit log `make run` has read, on stderr (hostnet_tools.replay)."""

from typing import IO

PROGRESS_STEP = 5


class Progress:
    """How much of the file was read, on stderr: one whole line per PROGRESS_STEP percent.

    Whole lines, never a carriage-return counter: the table's rows go to the same terminal meanwhile.
    Steps are counted in bytes, never in time, so the output is the same on every run.
    """

    def __init__(self, total_bytes: int, err: IO[str], step: int = PROGRESS_STEP) -> None:
        self.total = max(total_bytes, 1)
        self.read = 0
        self.err = err
        self.step = step
        self._shown = -1

    def on_read(self, count: int) -> None:
        self.read += count
        percent = min(100, self.read * 100 // self.total) // self.step * self.step
        if percent > self._shown:
            self._shown = percent
            self.err.write(f"replay: {percent:3d}% of {self.total / 1e6:,.1f} MB read\n")
            self.err.flush()
