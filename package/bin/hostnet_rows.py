"""The CSV rows of one execute chunk's body, read from stdin in bounded pieces, with the bytes they came from.

splunklib reads a whole body, decodes it into one str and parses it from a StringIO. Here the body is read
PIECE_BYTES at a time and cut into lines; the C csv reader parses the lines (decoded as splunklib decodes
them, errors="replace", which gives the same characters line by line since no UTF-8 sequence contains a
line feed) and `Lines.take()` hands back the bytes of the lines the last row was read from, so a row can
be copied to the answer unchanged.

Lines are cut where the csv reader can end a record: after LF, and after a run of CR that is followed by
another character. That is where splunklib's reader (lines cut at LF only) ends its records too, except
that a CR not followed by LF, outside quotes, makes splunklib's reader raise ("new-line character seen in
unquoted field") and lose the chunk, where here it ends the row. Inside quotes the cut changes nothing:
the reader keeps every character of a quoted field whatever the line it came on.

What the reader would still reject is kept from it: Python before 3.11 raises "line contains NUL" on a
NUL anywhere in a line. There each NUL is shown to the reader as ESCAPE + "0" (and a genuine ESCAPE as two),
and `restore` turns the row's values back; the bytes handed back by `take()` are always the original ones.
"""

import re
import sys
from typing import IO, Iterator, List, Optional

PIECE_BYTES = 1 << 20
ESCAPE = "\ufdd0"  # a Unicode noncharacter: no text is meant to hold one, and none is special to csv
_NUL_REJECTED = sys.version_info < (3, 11)
_ESCAPED = re.compile(ESCAPE + "(.)", re.DOTALL)
# A line: up to LF (with the CRs before it), or up to a run of CRs followed by something else, or the end.
_LINE = re.compile(rb"[^\r\n]*(?:\r*\n|\r+(?=[^\r\n])|\r+\Z|\Z)")


class ShortBody(Exception):
    """The input ended before the body had the length its chunk header announced."""


def split_lines(block: bytes) -> List[bytes]:
    """`block` cut into lines as the module docstring says (line ends kept)."""
    if b"\r" in block and block.count(b"\r") != block.count(b"\r\n"):
        return [line for line in _LINE.findall(block) if line]
    return _cut_after_line_feeds(block)


def _cut_after_line_feeds(block: bytes) -> List[bytes]:
    """The lines of a block whose only line ends are LF and CRLF. bytes.find is a memchr: a fifth of the
    cost of bytes.splitlines, which tests every byte for both line-end characters, and counting CRLF to
    know splitlines may be used cost twice splitlines (together 12 µs of a ~6 KB row, measured)."""
    lines: List[bytes] = []
    append = lines.append
    find = block.find
    start = 0
    while True:
        end = find(b"\n", start) + 1
        if not end:
            break
        append(block[start:end])
        start = end
    if start < len(block):
        append(block[start:])
    return lines


def _unescape(match: "re.Match[str]") -> str:
    return "\x00" if match.group(1) == "0" else match.group(1)


def _escaped(text: str) -> str:
    return text.replace(ESCAPE, ESCAPE + ESCAPE).replace("\x00", ESCAPE + "0")


def restore(value: str) -> str:
    """A value read from an escaped line, as it was in the body."""
    return _ESCAPED.sub(_unescape, value) if ESCAPE in value else value


class Lines:
    """One chunk's body as decoded lines for csv.reader; `take()` gives the raw lines since its last call.

    `replaced` is set when a line had bytes that are not UTF-8 (they read as U+FFFD), `escaped` when a line
    was escaped for the reader (see the module docstring); `take()` clears both for the next row.
    """

    def __init__(self, stream: IO[bytes], length: int, piece_bytes: Optional[int] = None) -> None:
        self._stream = stream
        self._left = length
        self._piece_bytes = piece_bytes or PIECE_BYTES
        self.length = length
        self.raw: List[bytes] = []
        self.replaced = False
        self.escaped = False
        self.escaped_any = False

    def forget_raw(self) -> None:
        """From now on keep no raw lines (for a reader that never calls `take()`)."""
        self.raw = _Forgotten()

    def take(self) -> List[bytes]:
        raw = self.raw
        self.raw = []
        self.replaced = False
        self.escaped = False
        return raw

    def blocks(self) -> Iterator[bytes]:
        """The body in pieces that end at a line feed (the last one at the end of the body)."""
        carry = b""
        while self._left > 0:
            piece = self._stream.read(min(self._piece_bytes, self._left))
            if not piece:
                left, length = self._left, self.length
                raise ShortBody(f"input ended {left} bytes before the end of a {length}-byte chunk")
            self._left -= len(piece)
            data = carry + piece if carry else piece
            cut = data.rfind(b"\n") + 1
            if self._left > 0 and cut < len(data):
                carry, data = data[cut:], data[:cut]
            else:
                carry = b""
            if data:
                yield data
        if carry:
            yield carry

    def __iter__(self) -> Iterator[str]:
        for block in self.blocks():
            for line in split_lines(block):
                text = line.decode("utf-8", "replace")
                if "\ufffd" in text:
                    self.replaced = True
                if _NUL_REJECTED and ("\x00" in text or ESCAPE in text):
                    text = _escaped(text)
                    self.escaped = self.escaped_any = True
                self.raw.append(line)
                yield text

    @staticmethod
    def view(line: bytes) -> str:
        """One line as `__iter__` shows it to the reader."""
        text = line.decode("utf-8", "replace")
        return _escaped(text) if _NUL_REJECTED and ("\x00" in text or ESCAPE in text) else text

    def drain(self) -> None:
        """Reads what is left of the body (after the reader stopped early), so the next chunk is in step."""
        for _block in self.blocks():
            pass


class _Forgotten(List[bytes]):
    def append(self, line: bytes) -> None:
        pass


def restored_row(row: List[str]) -> List[str]:
    return [restore(value) for value in row]


def line_end_length(line: bytes) -> Optional[int]:
    """How many bytes at the end of a row's last line are its line end; None when it has none."""
    if line.endswith(b"\n"):
        if not line.endswith(b"\r\n"):
            return 1
        return len(line) - len(line.rstrip(b"\r\n")) if line.endswith(b"\r\r\n") else 2
    if line.endswith(b"\r"):
        return len(line) - len(line.rstrip(b"\r"))
    return None
