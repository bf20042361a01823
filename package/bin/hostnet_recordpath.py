"""The answer to one execute chunk: each input row copied as it came, the command's new columns written once.

splunklib builds a dict per row, writes every field of it back through the csv writer (re-quoting the
whole event), and holds the body, its text, every record and the whole answer in memory at once. Here:

- the header says where each field and its `__mv_` column are (`layout_of`: splunkd's layout, fields then
  their `__mv_` columns, or splunklib's, each field followed by its own, or no `__mv_` column at all);
- per row, the command is handed the event field's value, `__mv_`-decoded as splunklib decodes it, and a
  way to build the row's record, called only when the engine needs the extracted fields;
- the row's bytes are copied to the answer unchanged (its line end becomes CRLF, splunklib's), followed by
  the new columns as splunklib's writer writes them; a row that is shorter or longer than the header, or
  that ends the body inside quotes, is written again from its values instead (the columns it lacks are
  empty, the extra ones dropped, as splunklib reads and writes such a row);
- the answer is one bytearray, sent with the chunk header that needs its length.

A header the layouts do not describe (duplicate or stray `__mv_` columns) and a chunk that already has a
column the command writes (a stale `hostnet` from an earlier hostnetcheck in the same search) go to
splunklib's own reader, `stream` and writer, so their answer is exactly splunklib's (`record.update`
replaces the stale columns in place).

One difference from splunklib is deliberate: splunklib reads every column whose name starts with `__mv_`
as the multivalue encoding of another field, so a field literally named `__mv_x` is lost and blanks field
`x`. In splunkd's layout each field has its own `__mv_` column, so here such a field is an ordinary field.
"""

import csv
import itertools
import json
from functools import partial
from typing import (
    Any,
    Callable,
    Dict,
    Iterable,
    Iterator,
    List,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
)

import hostnet_rows
import hostnet_sdk

MV = "__mv_"
Value = Any  # what a record holds: str, or list of str for a multivalue field
# The new columns' values for one row, in the order of Hooks.names: (event field's value, record_of).
Judge = Callable[[Value, Callable[[], Dict[str, Value]]], Sequence[Value]]


class Hooks(NamedTuple):
    """What the command gives the record path for a chunk."""

    names: Sequence[str]  # the columns it adds, in this order
    event_field: str
    judge: Judge
    process: Callable[[Iterable[Any]], Iterable[Any]]  # stream(): records in, records out


class Field(NamedTuple):
    name: str
    column: int
    mv_column: Optional[int]


class Layout(NamedTuple):
    width: int
    fields: List[Field]

    def columns_of(self, name: str) -> Tuple[Optional[int], Optional[int]]:
        for field in self.fields:
            if field.name == name:
                return field.column, field.mv_column
        return None, None


def layout_of(names: Sequence[str]) -> Optional[Layout]:
    """Where each field of this header is, or None when the header is not one of the known layouts."""
    width = len(names)
    half = width // 2
    if not any(name.startswith(MV) for name in names):
        fields = [Field(name, column, None) for column, name in enumerate(names)]
    elif width % 2 == 0 and all(names[half + k] == MV + names[k] for k in range(half)):
        fields = [Field(names[k], k, half + k) for k in range(half)]  # splunkd's; preferred when both fit
    elif width % 2 == 0 and all(names[k + 1] == MV + names[k] for k in range(0, width, 2)):
        fields = [Field(names[k], k, k + 1) for k in range(0, width, 2)]
    else:
        return None
    if len({field.name for field in fields}) != len(fields):
        return None
    return Layout(width, fields)


def record_of(layout: Layout, row: Sequence[str]) -> Dict[str, Value]:
    """The row as splunklib's reader makes it a record (for a header `layout_of` describes)."""
    record: Dict[str, Value] = {}
    present = len(row)
    decode = hostnet_sdk.decode_list
    for name, column, mv_column in layout.fields:
        if column >= present:
            continue
        encoded = row[mv_column] if mv_column is not None and mv_column < present else ""
        record[name] = decode(encoded) if encoded else row[column]
    return record


def _text(value: Any, in_list: bool) -> str:
    if isinstance(value, bool):
        return str(value.real)
    if isinstance(value, (str, int, float, complex)):
        return str(value)
    if isinstance(value, dict) or (in_list and isinstance(value, (list, tuple))):
        return json.dumps(value, separators=(",", ":"))
    return repr(value)


def _pair(value: Value) -> Tuple[str, str]:
    """One field's value and `__mv_` column, as splunklib's RecordWriter._write_record writes them."""
    if isinstance(value, (list, tuple)):
        if len(value) > 1:
            texts = [None if item is None else _text(item, True) for item in value]
            single = "\n".join("" if text is None else text for text in texts)
            multi = "$;$".join("" if text is None else text.replace("$", "$$") for text in texts)
            return single, "$" + multi + "$"
        if not value:
            return "", ""
        value = value[0]
        if value is None:
            return "None", ""
    return ("" if value is None else _text(value, False)), ""


def cells(values: Sequence[Value]) -> List[str]:
    """The field and `__mv_` column of each value, in order."""
    out: List[str] = []
    for value in values:
        out += _pair(value)
    return out


_DELIMITER: str = hostnet_sdk.DIALECT.delimiter
_QUOTE: str = hostnet_sdk.DIALECT.quotechar
_TERMINATOR: str = hostnet_sdk.DIALECT.lineterminator
# What makes the writer quote a value: the quote, a line break, a NUL (Python 3.9 quotes it, 3.13 does not).
_QUOTED = tuple(sorted({_QUOTE, "\r", "\n", "\x00", *_TERMINATOR}))
_SPECIAL = tuple(sorted({*_QUOTED, _DELIMITER}))
_LISTS = (tuple, list)
_MAX_MULTIVALUES_KEPT = 1024


def _has_any(text: str, chars: Tuple[str, ...]) -> bool:
    """One `in` per character (a memchr) costs a fifth of a regular expression's character class over a
    whole row's new values."""
    for char in chars:  # noqa: SIM110 -- any() over a generator costs twice this loop
        if char in text:
            return True
    return False


def _special(text: str) -> bool:
    """Whether text has a character that can make the writer quote it."""
    return _has_any(text, _SPECIAL)


class _LineWriter:
    """The C csv writer with splunklib's dialect, one row at a time, as text.

    A row none of whose values needs quoting (no delimiter, quote, line break or NUL: Python 3.9's writer
    quotes a NUL, 3.13's does not) is the values joined by the delimiter, which is what the writer writes
    for it; joining them costs a fifth of a writer call."""

    def __init__(self) -> None:
        self._lines: List[str] = []
        self._writer = csv.writer(self, dialect=hostnet_sdk.DIALECT)
        # Where the last row had values that are not str: a command gives each column values of one type
        # or two, so the next row mostly has them at the same places (a str elsewhere costs nothing to
        # check: the delimiter's join takes only str).
        self._not_str: Tuple[int, ...] = ()
        self._width = -1
        self._multivalues: Dict[Tuple[str, ...], Tuple[str, str]] = {}

    def write(self, line: str) -> None:
        self._lines.append(line)

    def line(self, values: Sequence[str]) -> str:
        if len(values) > 1:  # a row of one empty value is written quoted
            joined = _DELIMITER.join(values)
            if joined.count(_DELIMITER) == len(values) - 1 and not _has_any(joined, _QUOTED):
                return joined + _TERMINATOR
        self._writer.writerow(values)
        return self._lines.pop()

    def cell(self, value: str) -> str:
        """One value as the writer writes it inside a row (quoted only if it must be)."""
        if not _special(value):
            return value
        self._writer.writerow((value,))
        return self._lines.pop()[: -len(_TERMINATOR)]

    def new_columns(self, values: Sequence[Value]) -> str:
        """The line the writer writes for `cells(values)`, built with as few steps as the values allow: this
        runs once for every row. The str values are laid into every other cell at once; only the others are
        looked at, one by one: a list of one str is its own cell, an empty list two empty cells, and a list
        of several str items has a line feed in its cell, so the writer always quotes that cell, and quoting
        doubles the quotes, whatever the interpreter. Anything else is written as `cells` writes it. (A str
        subclass where the last row had a str is written as its characters; the engine gives only str.)"""
        parts: List[str] = [""] * (2 * len(values))
        parts[::2] = values
        written: List[Tuple[int, str]] = []  # cells that are already as the writer writes them
        for index in self._not_str if len(values) == self._width else self._learn(values):
            value = values[index]
            column = 2 * index
            if type(value) is str:
                continue  # a str where the last row had something else: its cell is already laid
            if type(value) in _LISTS:
                if not value:
                    parts[column] = ""
                    continue
                if len(value) == 1 and type(value[0]) is str:
                    parts[column] = value[0]
                    continue
                pair = self._multivalue_cells(value)
                if pair is not None:
                    written += ((column, pair[0]), (column + 1, pair[1]))
                    parts[column] = ""
                    continue
            single, multi = _pair(value)
            written += ((column, self.cell(single)), (column + 1, self.cell(multi)))
            parts[column] = ""
        try:
            joined = _DELIMITER.join(parts)
        except TypeError:  # something other than a str where the last row had a str
            self._learn(values)
            return self.new_columns(values)
        if joined.count(_DELIMITER) != len(parts) - 1 or _has_any(joined, _QUOTED):
            return _DELIMITER.join([self.cell(text) for text in cells(values)]) + _TERMINATOR
        if written:
            for column, text in written:
                parts[column] = text
            joined = _DELIMITER.join(parts)
        return joined + _TERMINATOR

    def _multivalue_cells(self, value: Sequence[Any]) -> Optional[Tuple[str, str]]:
        """The two cells of a value of several str items, as the writer writes them; None for any other.
        The same values come back row after row (a service account's groups), so the cells of a tuple are
        kept (a bounded store)."""
        if len(value) < 2:
            return None
        for item in value:
            if type(item) is not str:
                return None
        known = self._multivalues.get(value) if type(value) is tuple else None
        if known is not None:
            return known
        single = "\n".join(value)
        multi = "$" + "$;$".join([item.replace("$", "$$") for item in value]) + "$"
        pair = (_QUOTE + single.replace(_QUOTE, _QUOTE + _QUOTE) + _QUOTE, self.cell(multi))
        if type(value) is tuple:
            if len(self._multivalues) >= _MAX_MULTIVALUES_KEPT:
                self._multivalues.clear()
            self._multivalues[value] = pair
        return pair

    def _learn(self, values: Sequence[Value]) -> Tuple[int, ...]:
        """The positions of the values that are not str, kept for the next rows."""
        self._width = len(values)
        self._not_str = tuple(index for index, value in enumerate(values) if type(value) is not str)
        return self._not_str


def _restored_records(records: Iterable[Dict[str, Value]], lines: hostnet_rows.Lines) -> Iterator[Any]:
    restore = hostnet_rows.restore
    for record in records:
        if lines.escaped_any:
            for name in list(record):
                value = record.pop(name)
                value = [restore(item) for item in value] if isinstance(value, list) else restore(value)
                record[restore(name)] = value
        yield record


def answer(command: Any, lines: hostnet_rows.Lines, hooks: Hooks) -> None:
    """Reads the chunk body from `lines` and sends the command's answer to it."""
    texts = iter(lines)
    reader = csv.reader(texts, dialect=hostnet_sdk.DIALECT)
    header = next(reader, None)
    escaped = lines.escaped
    header_lines = lines.take()
    if header is None:
        hostnet_sdk.answer_with_body(command, bytearray(), 0)
        return
    if escaped:
        header = hostnet_rows.restored_row(header)
    layout = layout_of(header)
    ours = set(hooks.names) | {MV + name for name in hooks.names}
    if layout is None or any(field.name in ours for field in layout.fields):
        header_texts = [lines.view(line) for line in header_lines]
        lines.forget_raw()  # splunklib's reader copies nothing: the body's bytes need not be kept
        records = hostnet_sdk.read_records(command, itertools.chain(header_texts, texts))
        hostnet_sdk.answer_with_splunklib(command, hooks.process(_restored_records(records, lines)))
        return
    body, count = _copied_rows(reader, lines, layout, header, hooks)
    hostnet_sdk.answer_with_body(command, body, count)


def _copied_rows(
    reader: Iterator[List[str]], lines: hostnet_rows.Lines, layout: Layout, header: List[str], hooks: Hooks
) -> Tuple[bytearray, int]:
    names, judge = hooks.names, hooks.judge
    writer = _LineWriter()
    new_header = [column for name in names for column in (name, MV + name)]
    body = bytearray()
    count = 0
    width = layout.width
    column, mv_column = layout.columns_of(hooks.event_field)
    decode = hostnet_sdk.decode_list
    line_end_length = hostnet_rows.line_end_length
    for read in reader:
        if not count:
            body += writer.line(header + new_header).encode("utf-8")
        replaced, escaped = lines.replaced, lines.escaped
        raw = lines.take()
        row = hostnet_rows.restored_row(read) if escaped else read
        whole = len(row) == width
        value: Value = None
        if not whole:
            value = record_of(layout, row).get(hooks.event_field)
        elif mv_column is not None and row[mv_column]:
            value = decode(row[mv_column])
        elif column is not None:
            value = row[column]
        new_values = judge(value, partial(record_of, layout, row))  # the record, built only if asked for
        count += 1
        end = line_end_length(raw[-1]) if whole else None
        if end is None:
            kept = (row + [""] * width)[:width]
            body += writer.line(kept + cells(new_values)).encode("utf-8")
            continue
        if replaced:
            raw = [b"".join(raw).decode("utf-8", "replace").encode("utf-8")]
        for part in raw:
            body += part
        del body[-end:]
        body += b","
        body += writer.new_columns(new_values).encode("utf-8")
    return body, count
