"""Streaming the corpus through the stages: documents -> statements -> labels.

Documents are read one at a time and processed in chunks, so memory holds a few chunks' text at a
time; tables given a writer (``writers=``) are written chunk by chunk and never held whole.

- **Cache.** Each document's statements are cached by its content hash and the extractor's
  version, its labels by those and the labeler's version (codebook, lexicon, annotations, code);
  see :class:`stance.cache.SegmentStore`. A second run on an unchanged corpus reads them back; a
  changed document, or a changed codebook, recomputes only what it affects.
- **Engines.** ``engine="local"`` runs the per-document work in this process (``jobs=1``) or in
  ``jobs`` worker processes; ``engine="dask"`` sends each chunk to a Dask cluster: a
  ``LocalCluster`` of ``jobs`` workers by default, or the scheduler at ``scheduler``. Reading,
  the cache and the order of the output stay here, so every engine gives the same rows.
"""
from __future__ import annotations

import hashlib
import os
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import pandas as pd

from .corpus import TableColumns, iter_documents
from .labelers import get_labeler, label_records
from .problems import Problems, StanceInputError
from .schema import DOCUMENTS, LABELS, STATEMENTS, conform
from .statements import default_extractor, statements_of

META_COLUMNS = [c for c in DOCUMENTS if c != "text"]
LABEL_ONLY = [c for c in LABELS if c not in STATEMENTS or c == "statement_id"]
ENGINES = ("local", "dask")


@dataclass
class RunResult:
    documents: pd.DataFrame  # documents table without the text column
    statements: pd.DataFrame
    labels: pd.DataFrame
    problems: Problems
    stats: dict = field(default_factory=dict)


# ------------------------------------------------------------------------------------------
# The per-document work, run by whichever engine

_WORKER_LABELER = None


def _init_worker(labeler_name: str | None) -> None:
    global _WORKER_LABELER
    _WORKER_LABELER = get_labeler(labeler_name) if labeler_name else None


def compute(to_extract: list[dict], to_label: dict[str, list[dict]], labeler=None) -> dict:
    """Statements of the documents ``to_extract`` and labels of those and of the statements
    ``to_label`` (by content hash), with the seconds spent per stage."""
    labeler = labeler if labeler is not None else _WORKER_LABELER
    ex = default_extractor()
    t0 = time.perf_counter()
    statements = {doc["content_hash"]: statements_of(doc, ex) for doc in to_extract}
    t1 = time.perf_counter()
    labels: dict[str, list[dict]] = {}
    if labeler is not None:
        pending = {**to_label, **statements}
        flat = [s for rows in pending.values() for s in rows]
        labelled = label_records(flat, labeler) if flat else []
        labels = {h: [] for h in pending}
        owner = {s["statement_id"]: h for h, rows in pending.items() for s in rows}
        for row in labelled:
            labels[owner[row["statement_id"]]].append({c: row[c] for c in LABEL_ONLY})
    t2 = time.perf_counter()
    return {"statements": statements, "labels": labels, "extract_s": t1 - t0, "label_s": t2 - t1}


def process_chunk(docs: list[dict], labeler=None) -> tuple[list[dict], list[dict], list[dict]]:
    """(document metadata, statements, labels) of a chunk of documents, without the cache."""
    labeler = labeler if labeler is not None else _WORKER_LABELER
    out = compute(docs, {}, labeler)
    metas = [{k: d.get(k, "") for k in META_COLUMNS} for d in docs]
    stmts = [s for d in docs for s in out["statements"][d["content_hash"]]]
    labels = _join_labels(docs, out["statements"], out["labels"]) if labeler is not None else []
    return metas, stmts, labels


def _join_labels(docs: list[dict], statements: dict[str, list[dict]], labels: dict[str, list[dict]]) -> list[dict]:
    out = []
    for d in docs:
        h = d["content_hash"]
        by_id = {s["statement_id"]: s for s in statements.get(h, [])}
        for lab in labels.get(h, []):
            out.append({**by_id[lab["statement_id"]], **lab})
    return out


# ------------------------------------------------------------------------------------------
# Cache keys

def _file_digest(h, paths) -> None:
    for p in paths:
        if p.exists():
            h.update(p.read_bytes())


def extractor_key() -> str:
    """What statements depend on: the extractor's and the reader's code and their data files.
    (Not ``Extractor.version``: it orders sets, so it differs between processes.)"""
    from . import corpus, resources, statements
    from .resources import data_dir

    h = hashlib.blake2b(digest_size=10)
    _file_digest(h, [Path(statements.__file__), Path(resources.__file__), Path(corpus.__file__)])
    _file_digest(h, [data_dir() / n for n in ("lexicon.toml", "actors.csv", "people.csv")])
    return h.hexdigest()


def labeler_key(name: str) -> str:
    """What labels depend on: the labeler, its annotations, codebook, lexicon and code."""
    from .labelers import training_digest

    return f"{name}-{training_digest()}"


# ------------------------------------------------------------------------------------------
# Engines: an ordered map of chunks with a bounded number in flight

class _Done:
    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


def _ordered(submit: Callable, items: Iterator, depth: int) -> Iterator[tuple]:
    """(context, result) of each (context, args) item, in order, at most ``depth`` in flight."""
    pending: deque = deque()
    for ctx, args in items:
        pending.append((ctx, submit(*args)))
        while len(pending) >= depth:
            c, fut = pending.popleft()
            yield c, fut.result()
    while pending:
        c, fut = pending.popleft()
        yield c, fut.result()


class _Engine:
    """``submit(to_extract, to_label)`` returning something with ``.result()``."""

    def __init__(self, engine: str, jobs: int, labeler_name: str | None, scheduler=None):
        if engine not in ENGINES:
            raise StanceInputError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
        self.engine = engine
        self.labeler_name = labeler_name
        self.labeler = get_labeler(labeler_name) if labeler_name else None  # trained once, cached
        self.jobs = jobs
        self._pool = self._client = self._cluster = None
        self.depth = 1
        if engine == "dask":
            self._start_dask(scheduler)
        elif jobs > 1:
            self._pool = ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(labeler_name,))
            self.depth = 2 * jobs

    def _start_dask(self, scheduler) -> None:
        import logging

        from dask.distributed import Client, LocalCluster

        logging.getLogger("distributed").setLevel(logging.ERROR)  # a run prints its own summary
        if scheduler is None:
            self._cluster = LocalCluster(n_workers=self.jobs, threads_per_worker=1, dashboard_address=":0",
                                         silence_logs=logging.ERROR)
            self._client = Client(self._cluster)
        elif isinstance(scheduler, str):
            try:
                self._client = Client(scheduler, timeout="30s")
            except OSError as err:
                raise StanceInputError(f"cannot reach the Dask scheduler at {scheduler}: {err}") from None
        else:
            self._client = scheduler  # a dask.distributed.Client
        workers = max(1, len(self._client.scheduler_info().get("workers", {})))
        self.depth = 2 * workers
        # the fitted labeler goes to every worker once, so all of them label with the same model
        self._labeler_future = (self._client.scatter(self.labeler, broadcast=True)
                                if self.labeler is not None else None)

    def submit(self, to_extract: list[dict], to_label: dict[str, list[dict]]):
        if not to_extract and not to_label:  # all from the cache
            return _Done({"statements": {}, "labels": {}, "extract_s": 0.0, "label_s": 0.0})
        if self._client is not None:
            return self._client.submit(compute, to_extract, to_label, self._labeler_future, pure=False)
        if self._pool is not None:
            return self._pool.submit(compute, to_extract, to_label)
        return _Done(compute(to_extract, to_label, self.labeler))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
        if self._client is not None and self._cluster is not None:
            self._client.close()
            self._cluster.close()


# ------------------------------------------------------------------------------------------
# The run

def input_bytes(paths) -> int:
    """Size of the input files (for the progress bar's time left)."""
    total = 0
    for p in [paths] if isinstance(paths, str | Path) else paths:
        p = Path(p)
        if p.is_file():
            total += p.stat().st_size
        elif p.is_dir():
            total += sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
    return total


def run(paths, labeler: str | None = "hybrid", jobs: int = 1, chunk_docs: int = 200,
        problems: Problems | None = None, columns: TableColumns = TableColumns(), *,
        engine: str = "local", scheduler=None, cache: bool = True, progress: bool = False,
        writers: dict | None = None) -> RunResult:
    """Read, extract and (if ``labeler``) label a corpus.

    ``engine``: ``"local"`` (``jobs`` processes) or ``"dask"`` (a ``LocalCluster`` of ``jobs``
    workers, or ``scheduler``: an address such as ``"tcp://10.0.0.5:8786"`` or a
    ``dask.distributed.Client``). ``cache``: reuse and store per-document results under
    :func:`stance.cache.cache_dir`. ``progress``: a progress bar on standard error.
    ``writers``: ``{"documents"|"statements"|"labels": stance.io.TableWriter}``; those tables are
    written chunk by chunk and left empty in the result (their row counts are in ``stats``).
    """
    from .cache import SegmentStore, cache_dir

    problems = problems if problems is not None else Problems()
    writers = writers or {}
    jobs = max(1, min(jobs or 1, os.cpu_count() or 1)) if engine == "local" else max(1, jobs or 1)
    started = time.perf_counter()
    docs = iter_documents(paths, problems, columns)
    stmt_store = label_store = None
    if cache:
        xkey = extractor_key()
        stmt_store = SegmentStore(cache_dir() / "statements" / xkey, {c: STATEMENTS[c] for c in STATEMENTS})
        if labeler:
            label_store = SegmentStore(cache_dir() / "labels" / f"{xkey}-{labeler_key(labeler)}",
                                       {c: LABELS[c] for c in LABEL_ONLY})
    stats = Counter()
    seconds = Counter()
    kept: dict[str, list] = {"documents": [], "statements": [], "labels": []}

    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=input_bytes(paths) or None, unit="B", unit_scale=True, unit_divisor=1_000_000,
                   desc="stance", file=sys.stderr, delay=2, leave=False, dynamic_ncols=True)

    def prepared() -> Iterator[tuple]:
        while True:
            t0 = time.perf_counter()
            chunk = list(islice(docs, chunk_docs))
            seconds["load"] += time.perf_counter() - t0
            if not chunk:
                return
            t0 = time.perf_counter()
            hashes = [d["content_hash"] for d in chunk]
            got_stmts = stmt_store.get(hashes) if stmt_store else {}
            got_labels = label_store.get([h for h in hashes if h in got_stmts]) if label_store else {}
            seconds["cache"] += time.perf_counter() - t0
            to_extract = [d for d in chunk if d["content_hash"] not in got_stmts]
            to_label = {h: got_stmts[h] for h in hashes if labeler and h in got_stmts and h not in got_labels}
            # a chunk's text is dropped once its statements exist: only metadata is kept
            metas = [{k: d.get(k, "") for k in META_COLUMNS} for d in chunk]
            n_chars = sum(len(d.get("text") or "") for d in chunk)
            stats["characters"] += n_chars
            yield (metas, got_stmts, got_labels, n_chars), (to_extract, to_label)

    eng = _Engine(engine, jobs, labeler, scheduler)
    try:
        for (metas, got_stmts, got_labels, n_chars), out in _ordered(eng.submit, prepared(), eng.depth):
            seconds["extract"] += out["extract_s"]
            seconds["label"] += out["label_s"]
            t0 = time.perf_counter()
            if stmt_store and out["statements"]:
                stmt_store.put(out["statements"])
            if label_store and out["labels"]:
                label_store.put(out["labels"])
            seconds["cache"] += time.perf_counter() - t0
            stmts_by_doc = {**got_stmts, **out["statements"]}
            labels_by_doc = {**got_labels, **out["labels"]}
            stats["documents"] += len(metas)
            stats["documents_cached"] += sum(1 for m in metas if m["content_hash"] in got_stmts)
            stats["documents_labels_cached"] += sum(1 for m in metas if m["content_hash"] in got_labels)
            chunk_stmts = [s for m in metas for s in stmts_by_doc[m["content_hash"]]]
            chunk_labels = _join_labels(metas, stmts_by_doc, labels_by_doc) if labeler else []
            stats["statements"] += len(chunk_stmts)
            stats["statements_cached"] += sum(len(got_stmts[m["content_hash"]]) for m in metas
                                              if m["content_hash"] in got_stmts)
            stats["labels"] += len(chunk_labels)
            stats["labels_cached"] += sum(len(got_labels[m["content_hash"]]) for m in metas
                                          if m["content_hash"] in got_labels)
            for name, rows in (("documents", metas), ("statements", chunk_stmts), ("labels", chunk_labels)):
                if name in writers:
                    t0 = time.perf_counter()
                    writers[name].write(conform(rows, _SCHEMAS[name]))
                    seconds["write"] += time.perf_counter() - t0
                else:
                    kept[name] += rows
            if bar is not None:
                bar.update(n_chars)
                bar.set_postfix_str(f"{stats['documents']} docs, {stats['statements']} statements", refresh=False)
    finally:
        eng.close()
        if bar is not None:
            bar.close()
    result = RunResult(conform(kept["documents"], _SCHEMAS["documents"]), conform(kept["statements"], STATEMENTS),
                       conform(kept["labels"], LABELS), problems)
    seconds["total"] = time.perf_counter() - started
    skipped = Counter(_reason_kind(r["reason"]) for r in problems.rows if r["action"] == "skipped")
    result.stats = {"documents": stats["documents"], "statements": stats["statements"], "labels": stats["labels"],
                    "documents_from_cache": stats["documents_cached"],
                    "statements_from_cache": stats["statements_cached"],
                    "labels_from_cache": stats["labels_cached"],
                    "characters": stats["characters"], "skipped": problems.skipped(),
                    "skipped_by_reason": dict(skipped.most_common()), "problems": len(problems.rows),
                    "engine": engine, "jobs": jobs, "seconds": {k: round(v, 3) for k, v in seconds.items()}}
    return result


_SCHEMAS = {"documents": {c: DOCUMENTS[c] for c in META_COLUMNS}, "statements": STATEMENTS, "labels": LABELS}


def _reason_kind(reason: str) -> str:
    """A problem's reason without its specifics (quoted values, numbers), to count by kind."""
    import re

    kind = re.sub(r"'[^']*'|\"[^\"]*\"|\d+", "…", reason)
    return kind.split(";")[0].strip()
