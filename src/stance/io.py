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
