"""Atomic writes: every output goes to a temporary file in the same folder and is renamed.

A run killed at any point leaves the previous file intact; readers never see a torn file.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

# mkstemp creates files readable by their owner only; outputs (reports, figures, tables) get the
# permissions any new file would (0666 less the umask), read once here since umask() also sets it
_UMASK = os.umask(0)
os.umask(_UMASK)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` if the block succeeds."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_UMASK)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_bytes(path: str | os.PathLike, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_text(path: str | os.PathLike, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_table(frame: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write CSV or Parquet (by extension) atomically."""
    target = Path(path)
    suffix = target.suffix.lower()
    with atomic_path(target) as tmp:
        if suffix == ".parquet":
            frame.to_parquet(tmp, index=False)
        elif suffix in (".csv", ".txt", ""):
            frame.to_csv(tmp, index=False)
        elif suffix == ".jsonl":
            frame.to_json(tmp, orient="records", lines=True, force_ascii=False)
        else:
            raise ValueError(f"{target}: unknown table format {suffix!r}; use .csv, .parquet or .jsonl")


def read_table(path: str | os.PathLike) -> pd.DataFrame:
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".parquet":
        return pd.read_parquet(target)
    if suffix == ".jsonl":
        return pd.read_json(target, lines=True, dtype=False)
    return pd.read_csv(target, dtype=str, keep_default_na=False)


_ARROW_TYPES = {"string": "string", "Int64": "int64", "int64": "int64", "float64": "float64", "bool": "bool_"}


def arrow_schema(schema: dict[str, str]):
    """The pyarrow schema of one of ``stance.schema``'s tables (datetimes become timestamps)."""
    import pyarrow as pa

    return pa.schema([(c, getattr(pa, _ARROW_TYPES[t])() if t in _ARROW_TYPES else pa.timestamp("ns"))
                      for c, t in schema.items()])


class TableWriter:
    """Write a table chunk by chunk (CSV, Parquet or JSONL by extension, or CSV to a text stream)
    so that a large corpus never has to be held in memory; the file appears, complete, only when
    :meth:`close` renames its temporary file into place. Use as a context manager: an exception
    leaves the previous file intact.
    """

    def __init__(self, path: str | os.PathLike | None, schema: dict[str, str], stream=None):
        self.path = Path(path) if path is not None else None
        self.schema = schema
        self.rows = 0
        self._stream = stream
        self._ctx = None
        self._fh = None
        self._parquet = None
        self._suffix = self.path.suffix.lower() if self.path is not None else ""
        if self.path is not None and self._suffix not in (".parquet", ".csv", ".txt", "", ".jsonl"):
            raise ValueError(f"{self.path}: unknown table format {self._suffix!r}; use .csv, .parquet or .jsonl")

    def __enter__(self) -> TableWriter:
        if self.path is not None:
            self._ctx = atomic_path(self.path)
            self._tmp = self._ctx.__enter__()
        return self

    def write(self, frame: pd.DataFrame) -> None:
        from .schema import conform

        frame = conform(frame, self.schema)
        first = self.rows == 0 and self._fh is None and self._parquet is None
        if self.path is None:
            frame.to_csv(self._stream, index=False, header=first and not getattr(self, "_header_done", False))
            self._header_done = True
        elif self._suffix == ".parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self._tmp, arrow_schema(self.schema))
            self._parquet.write_table(pa.Table.from_pandas(frame, schema=arrow_schema(self.schema),
                                                           preserve_index=False))
        else:
            if self._fh is None:
                self._fh = open(self._tmp, "w", encoding="utf-8", newline="")
            if self._suffix == ".jsonl":
                if len(frame):
                    frame.to_json(self._fh, orient="records", lines=True, force_ascii=False)
            else:
                frame.to_csv(self._fh, index=False, header=first)
        self.rows += len(frame)

    def write_arrow(self, table) -> None:
        """Write an Arrow table of the schema's columns and types (rows read back from the
        cache): to Parquet without the round trip through pandas, the same file as ``write``."""
        if self.path is None or self._suffix != ".parquet" or table.num_rows == 0:
            from .schema import conform

            self.write(conform(table.to_pandas(), self.schema))
            return
        import pyarrow.parquet as pq

        schema = arrow_schema(self.schema)
        table = table.select(list(self.schema)).cast(schema)
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(self._tmp, schema)
        self._parquet.write_table(table)
        self.rows += table.num_rows

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.path is None:
            if exc_type is None and not getattr(self, "_header_done", False):
                self.write(pd.DataFrame())  # an empty table still has its header
            return
        if exc_type is None and self._parquet is None and self._fh is None:
            self.write(pd.DataFrame())
        if self._parquet is not None:
            self._parquet.close()
        if self._fh is not None:
            self._fh.close()
        self._ctx.__exit__(exc_type, exc, tb)
