"""The data contract: the tables that pass between the pipeline's stages.

Every public function that takes one of these frames checks it with :func:`require` on entry and
never modifies it. The README lists the same columns.
"""
from __future__ import annotations

import pandas as pd

#: One row per document. ``date`` is an ISO string cut to its precision ("2014", "2014-05",
#: "2014-05-28") so that a year-only date is never mistaken for 1 January.
DOCUMENTS: dict[str, str] = {
    "doc_id": "string",
    "date": "string",
    "date_precision": "string",  # day | month | year | none
    "date_source": "string",  # manifest | metadata | table | text | url | none
    "source": "string",
    "url": "string",
    "title": "string",
    "genre": "string",  # news | speech
    "speaker": "string",
    "actor": "string",
    "text": "string",
    "path": "string",
    "content_hash": "string",
}

#: One row per attributed statement; ``text == document_text[start:end]``.
STATEMENTS: dict[str, str] = {
    "statement_id": "string",
    "doc_id": "string",
    "date": "string",
    "date_precision": "string",
    "source": "string",
    "url": "string",
    "speaker": "string",
    "actor": "string",
    "speaker_method": "string",  # name | pronoun | role | metonym | document | context; "+model": actor guessed
    "reported_by": "string",
    "kind": "string",  # direct | reported | speech
    "cue": "string",
    "text": "string",
    "start": "Int64",
    "end": "Int64",
}

#: One row per (statement, issue the statement addresses).
LABELS: dict[str, str] = {
    **STATEMENTS,
    "issue": "string",
    "stance": "string",  # favor | against | neutral
    "confidence": "float64",
    "evidence": "string",
    "labeler": "string",
    "codebook_version": "string",
}

#: One row per (actor, issue, period).
TIMELINE: dict[str, str] = {
    "actor": "string",
    "issue": "string",
    "period": "string",
    "period_start": "datetime64[ns]",
    "period_end": "datetime64[ns]",
    "statements": "int64",
    "documents": "int64",
    "sources": "int64",
    "mean_stance": "float64",
    "ci_low": "float64",
    "ci_high": "float64",
    "favor": "int64",
    "against": "int64",
    "neutral": "int64",
    "salience": "float64",
    "sparse": "bool",
}

#: One row per document or row that was skipped or kept with a problem.
PROBLEMS: dict[str, str] = {
    "path": "string",
    "row": "string",
    "doc_id": "string",
    "action": "string",  # skipped | kept | error
    "reason": "string",
}

STANCES = ("favor", "against", "neutral")
STANCE_VALUE = {"favor": 1.0, "neutral": 0.0, "against": -1.0}
KINDS = ("direct", "reported", "speech")
SPEAKER_METHODS = ("name", "pronoun", "role", "metonym", "document", "context")
#: a speaker the data files do not place whose actor the annotations' model guessed: "name+model" ...
SPEAKER_METHODS_GUESSED = tuple(m + "+model" for m in SPEAKER_METHODS if m != "document")


def empty(schema: dict[str, str]) -> pd.DataFrame:
    """An empty frame with the schema's columns and dtypes."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in schema.items()})


def conform(rows: list[dict] | pd.DataFrame, schema: dict[str, str]) -> pd.DataFrame:
    """A frame with exactly the schema's columns, in order, with its dtypes."""
    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame.from_records(rows)
    if frame.empty:
        return empty(schema)
    out = {}
    for col, dtype in schema.items():
        if col in frame.columns:
            out[col] = frame[col]
        else:
            out[col] = pd.Series([None] * len(frame), index=frame.index)
        try:
            out[col] = out[col].astype(dtype)
        except (TypeError, ValueError):
            out[col] = out[col].astype("string") if dtype == "string" else out[col]
    return pd.DataFrame(out).reset_index(drop=True)


def require(frame: pd.DataFrame, schema: dict[str, str], name: str) -> None:
    """Raise ValueError naming the missing columns if ``frame`` lacks any of the schema's."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in schema if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{name} table lacks columns {missing}; it has {list(frame.columns)}. "
            f"Build it with the stance function that returns {name}."
        )
