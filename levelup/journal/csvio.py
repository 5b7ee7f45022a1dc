"""The study-session CSV format: reading rows into typed values, writing sessions out.

Columns: date (YYYY-MM-DD, required), start_time (HH:MM, optional), minutes
(required), category (required), item_key (optional), note (optional). The
export adds `source` (log or practice), which the import ignores. Row numbers
count the header as row 1, as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

COLUMNS = ("date", "start_time", "minutes", "category", "item_key", "note")
REQUIRED = ("date", "minutes", "category")
EXPORT_ONLY = ("source",)
MAX_ROWS = 20_000
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ParsedRow:
    line: int
    date: dt.date
    start_time: dt.time | None
    minutes: int
    category: str
    item_key: str
    note: str


def _error(line: int | None, column: str, message: str) -> dict[str, str]:
    if line is None:
        return {"field": column, "message": message}
    return {"field": column, "row": str(line), "message": f"row {line}, column {column}: {message}"}


def parse_sessions_csv(text: str) -> tuple[list[ParsedRow], list[dict[str, str]]]:
    """Typed rows and a list of problems (each naming row and column)."""
    if len(text.encode()) > MAX_BYTES:
        return [], [_error(None, "file", f"is larger than {MAX_BYTES // (1024 * 1024)} MB")]
    text = text.removeprefix("\ufeff")  # spreadsheets like to add a byte-order mark
    if not text.strip():
        return [], [_error(None, "file", "is empty; the first line must name the columns")]
    # strict: a quote that is never closed (or closed mid-cell) is an error naming its
    # row, not a cell that silently swallows the rows after it.
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except csv.Error as exc:
        return [], [_error(1, "header", _csv_problem(exc))]
    errors: list[dict[str, str]] = []
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in COLUMNS and name not in EXPORT_ONLY]
    if missing:
        errors.append(_error(1, "header", f"missing column(s) {', '.join(missing)}"))
    if unknown:
        errors.append(
            _error(
                1,
                "header",
                f"unknown column(s) {', '.join(unknown)}; expected {', '.join(COLUMNS)}",
            )
        )
    if errors:
        return [], errors

    position = {name: header.index(name) for name in COLUMNS if name in header}
    rows: list[ParsedRow] = []
    line = 1
    started = 2  # the physical line the record being read began on
    try:
        for record in reader:
            line = started
            started = reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) >= MAX_ROWS:
                errors.append(_error(line, "file", f"more than {MAX_ROWS} rows; split the file"))
                break
            if len(record) > len(header):
                errors.append(
                    _error(line, "row", f"has {len(record)} cells but the header has {len(header)}")
                )
                continue

            def cell(name: str, record: list[str] = record) -> str:
                index = position.get(name)
                return record[index].strip() if index is not None and index < len(record) else ""

            row_errors: list[dict[str, str]] = []
            date: dt.date | None = None
            start: dt.time | None = None
            minutes = 0
            try:
                date = dt.date.fromisoformat(cell("date"))
            except ValueError:
                row_errors.append(
                    _error(line, "date", f"{cell('date')!r} is not a date YYYY-MM-DD")
                )
            if cell("start_time"):
                try:
                    start = dt.time.fromisoformat(cell("start_time"))
                except ValueError:
                    row_errors.append(
                        _error(line, "start_time", f"{cell('start_time')!r} is not a time HH:MM")
                    )
            try:
                minutes = int(cell("minutes"))
            except ValueError:
                row_errors.append(
                    _error(line, "minutes", f"{cell('minutes')!r} is not a whole number")
                )
            if not cell("category"):
                row_errors.append(_error(line, "category", "must not be empty"))
            if row_errors or date is None:
                errors.extend(row_errors)
                continue
            rows.append(
                ParsedRow(
                    line=line,
                    date=date,
                    start_time=start.replace(second=0, microsecond=0, tzinfo=None)
                    if start
                    else None,
                    minutes=minutes,
                    category=cell("category"),
                    item_key=cell("item_key"),
                    note=_restore(cell("note")),
                )
            )
    except csv.Error as exc:
        errors.append(_error(started, "row", _csv_problem(exc)))
    return rows, errors


def _csv_problem(exc: csv.Error) -> str:
    reason = str(exc)
    if "unexpected end of data" in reason or "expected after" in reason:
        return (
            'has a quote (") that is not closed where its cell ends; '
            'write a quote inside a quoted cell as ""'
        )
    return f"is not valid CSV: {reason}"


class _Echo:
    """A file-like object whose write returns the line, for streaming."""

    def write(self, value: str) -> str:
        return value


def sessions_csv_lines(
    sessions: Iterable[tuple[dt.date, dt.time | None, int, str, str, str, bool]],
) -> Iterator[str]:
    """CSV lines, header first, for (date, start, minutes, category, item, note, is_practice)."""
    writer = csv.writer(_Echo(), lineterminator="\n")
    yield writer.writerow([*COLUMNS, *EXPORT_ONLY])
    for date, start, minutes, category, item_key, note, is_practice in sessions:
        yield writer.writerow(
            [
                date.isoformat(),
                start.strftime("%H:%M") if start else "",
                minutes,
                category,
                item_key,
                _defuse(note),
                "practice" if is_practice else "log",
            ]
        )


def _restore(text: str) -> str:
    # Undo `_defuse`, so an exported file imports back to the same notes.
    if len(text) > 1 and text[0] == "'" and text[1] in _FORMULA_STARTS:
        return text[1:]
    return text


_FORMULA_STARTS = "=+-@\t\r"


def _defuse(text: str) -> str:
    # A note starting with = + - @ would run as a formula when the export is
    # opened in a spreadsheet; a leading apostrophe keeps it text.
    if text and text[0] in _FORMULA_STARTS:
        return "'" + text
    return text
