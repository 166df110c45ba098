"""Streaming the corpus through the stages: documents -> statements -> labels.

Documents are read one at a time and processed in chunks, so memory holds one chunk's text at a
time. With ``jobs > 1`` chunks go to worker processes (each loads the labeler once).
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice

import pandas as pd

from .corpus import TableColumns, iter_documents
from .labelers import get_labeler, label_records
from .problems import Problems
from .schema import DOCUMENTS, LABELS, STATEMENTS, conform
from .statements import default_extractor, statements_of

META_COLUMNS = [c for c in DOCUMENTS if c != "text"]


@dataclass
class RunResult:
    documents: pd.DataFrame  # documents table without the text column
    statements: pd.DataFrame
    labels: pd.DataFrame
    problems: Problems
    stats: dict = field(default_factory=dict)


_WORKER_LABELER = None


def _init_worker(labeler_name: str | None) -> None:
    global _WORKER_LABELER
    _WORKER_LABELER = get_labeler(labeler_name) if labeler_name else None


def process_chunk(docs: list[dict], labeler=None) -> tuple[list[dict], list[dict], list[dict]]:
    """(document metadata, statements, labels) of a chunk of documents."""
    labeler = labeler if labeler is not None else _WORKER_LABELER
    ex = default_extractor()
    metas, stmts = [], []
    for doc in docs:
        metas.append({k: doc.get(k, "") for k in META_COLUMNS})
        stmts.extend(statements_of(doc, ex))
    labels = label_records(stmts, labeler) if labeler is not None and stmts else []
    return metas, stmts, labels


def _chunks(it: Iterator[dict], size: int) -> Iterator[list[dict]]:
    while True:
        chunk = list(islice(it, size))
        if not chunk:
            return
        yield chunk


def run(paths, labeler: str | None = "hybrid", jobs: int = 1, chunk_docs: int = 200,
        problems: Problems | None = None, columns: TableColumns = TableColumns()) -> RunResult:
    """Read, extract and (if ``labeler``) label a corpus."""
    problems = problems if problems is not None else Problems()
    docs = iter_documents(paths, problems, columns)
    metas, stmts, labels = [], [], []
    n_chars = 0

    def counted(chunks):
        nonlocal n_chars
        for c in chunks:
            n_chars += sum(len(d.get("text") or "") for d in c)
            yield c

    jobs = max(1, min(jobs or 1, os.cpu_count() or 1))
    if jobs == 1:
        lab = get_labeler(labeler) if labeler else None
        for chunk in counted(_chunks(docs, chunk_docs)):
            m, s, lb = process_chunk(chunk, lab)
            metas += m
            stmts += s
            labels += lb
    else:
        get_labeler(labeler) if labeler else None  # train and cache once before forking workers
        with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(labeler,)) as pool:
            for m, s, lb in pool.map(process_chunk, counted(_chunks(docs, chunk_docs))):
                metas += m
                stmts += s
                labels += lb
    result = RunResult(conform(metas, {c: DOCUMENTS[c] for c in META_COLUMNS}), conform(stmts, STATEMENTS),
                       conform(labels, LABELS), problems)
    result.stats = {"documents": len(metas), "statements": len(stmts), "labels": len(labels),
                    "characters": n_chars, "skipped": problems.skipped(), "problems": len(problems.rows)}
    return result
