"""Collecting what went wrong with the input without stopping the run.

Every skipped document, and every document kept despite a problem, becomes a row of the
problems table (path, row, doc_id, action, reason), is logged as a warning naming the file, and
is printed in the CLI summary and shown in the report. ``strict=True`` turns a skip into an error.
"""
from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field

import pandas as pd

from .schema import PROBLEMS, conform

log = logging.getLogger("stance")


class StanceInputError(ValueError):
    """Bad input that stops the run: the message names the file and what to fix."""


class StanceWarning(UserWarning):
    """A problem with one document; the rest of the corpus is processed."""


@dataclass
class Problems:
    strict: bool = False
    rows: list[dict] = field(default_factory=list)

    def add(self, path: object, reason: str, *, row: object = "", doc_id: str = "", action: str = "skipped") -> None:
        entry = {"path": str(path), "row": "" if row is None else str(row), "doc_id": doc_id or "",
                 "action": action, "reason": reason}
        self.rows.append(entry)
        where = f"{path}" + (f", row {row}" if row not in ("", None) else "")
        message = f"{where}: {reason}" + (" (document skipped)" if action == "skipped" else "")
        if self.strict and action == "skipped":
            raise StanceInputError(message + " [--strict turns skips into failures]")
        warnings.warn(message, StanceWarning, stacklevel=3)
        log.warning(message)

    def skipped(self) -> int:
        return sum(1 for r in self.rows if r["action"] == "skipped")

    def frame(self) -> pd.DataFrame:
        return conform(self.rows, PROBLEMS)

    def extend(self, other: Problems) -> None:
        self.rows.extend(other.rows)
