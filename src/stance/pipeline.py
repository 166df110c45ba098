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
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import pandas as pd

from .corpus import TableColumns, iter_documents
from .problems import Problems, StanceInputError
from .resources import hash_files
from .schema import DOCUMENTS, LABELS, STATEMENTS, conform
from .statements import Extractor, default_extractor, statements_of

META_COLUMNS = [c for c in DOCUMENTS if c != "text"]
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
    from .labelers import get_labeler

    global _WORKER_LABELER
    _WORKER_LABELER = get_labeler(labeler_name) if labeler_name else None


_THREAD = threading.local()


def _extractor():
    """The extractor keeps state while it reads a document (the names seen so far), so threads
    (Dask workers with several threads, or a threaded LocalCluster) get one each."""
    if threading.current_thread() is threading.main_thread():
        return default_extractor()
    if not hasattr(_THREAD, "extractor"):
        _THREAD.extractor = Extractor()
    return _THREAD.extractor


def compute(to_extract: list[dict], to_label: dict[str, list[dict]], labeler=None) -> dict:
    """Statements of the documents ``to_extract`` and labels (``schema.LABELS`` rows) of those
    and of the statements ``to_label`` (by content hash), with the seconds spent per stage."""
    from .labelers import label_records

    labeler = labeler if labeler is not None else _WORKER_LABELER
    ex = _extractor()
    t0, c0 = time.perf_counter(), time.thread_time()
    statements = {doc["content_hash"]: statements_of(doc, ex) for doc in to_extract}
    t1, c1 = time.perf_counter(), time.thread_time()
    labels: dict[str, list[dict]] = {}
    if labeler is not None:
        pending = {**to_label, **statements}
        flat = [s for rows in pending.values() for s in rows]
        labelled = label_records(flat, labeler) if flat else []
        labels = {h: [] for h in pending}
        owner = {s["statement_id"]: h for h, rows in pending.items() for s in rows}
        for row in labelled:
            labels[owner[row["statement_id"]]].append(row)
    t2, c2 = time.perf_counter(), time.thread_time()
    # wall and CPU seconds: on a shared machine the CPU seconds say what the work itself costs
    return {"statements": statements, "labels": labels, "extract_s": t1 - t0, "label_s": t2 - t1,
            "extract_cpu_s": c1 - c0, "label_cpu_s": c2 - c1}


def process_chunk(docs: list[dict], labeler=None) -> tuple[list[dict], list[dict], list[dict]]:
    """(document metadata, statements, labels) of a chunk of documents, without the cache."""
    labeler = labeler if labeler is not None else _WORKER_LABELER
    out = compute(docs, {}, labeler)
    metas = [{k: d.get(k, "") for k in META_COLUMNS} for d in docs]
    stmts = [s for d in docs for s in out["statements"][d["content_hash"]]]
    labels = [lab for d in docs for lab in out["labels"].get(d["content_hash"], [])]
    return metas, stmts, labels


# ------------------------------------------------------------------------------------------
# Cache keys

def extractor_key() -> str:
    """What statements depend on: the extractor's and the reader's code and their data files.
    (Not ``Extractor.version``: it orders sets, so it differs between processes.)"""
    from . import antecedents, corpus, resources, speaker_actor, statements
    from .resources import data_dir

    h = hashlib.blake2b(digest_size=10)
    hash_files(h, [Path(statements.__file__), Path(resources.__file__), Path(corpus.__file__)])
    hash_files(h, [data_dir() / n for n in ("lexicon.toml", "actors.csv", "people.csv", "organizations.csv")])
    # the actor model of unplaced speakers: its own digest (its code, the statement annotations
    # it is trained from and the documents left out of training)
    h.update(speaker_actor.training_digest().encode())
    h.update(antecedents.training_digest().encode())  # the pronoun ranker: its code and annotations
    return h.hexdigest()


def labeler_key(name: str) -> str:
    """What labels depend on: the labeler's name, its annotations, codebook, lexicon and code
    (found without importing scikit-learn: a run served from the cache never needs it)."""
    import importlib.util

    from .resources import LABELER_DATA, data_dir

    h = hashlib.blake2b(name.encode(), digest_size=10)
    code = [Path(importlib.util.find_spec(f"stance.{m}").origin) for m in ("labelers", "codebook", "resources")]
    hash_files(h, code + [data_dir() / n for n in LABELER_DATA])
    return f"{name}-{h.hexdigest()}"


# ------------------------------------------------------------------------------------------
# Engines: an ordered map of chunks with a bounded number in flight

class _Done:
    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


def _ordered(submit: Callable, items: Iterator, depth: Callable[[], int]) -> Iterator[tuple]:
    """(context, result) of each (context, args) item, in order, at most ``depth()`` in flight."""
    pending: deque = deque()
    for ctx, args in items:
        pending.append((ctx, submit(*args)))
        while len(pending) >= depth():
            c, fut = pending.popleft()
            yield c, fut.result()
    while pending:
        c, fut = pending.popleft()
        yield c, fut.result()


class _Engine:
    """``submit(to_extract, to_label)`` returning something with ``.result()``. Workers, the
    cluster and the labeler are started at the first chunk that needs them: a run served
    entirely from the cache loads no model."""

    def __init__(self, engine: str, jobs: int, labeler_name: str | None, scheduler=None):
        if engine not in ENGINES:
            raise StanceInputError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
        self.engine = engine
        self.labeler_name = labeler_name
        self.jobs = jobs
        self.scheduler = scheduler
        self.labeler = None
        self._started = False
        self._pool = self._client = self._cluster = None
        self._labeler_future = None
        self.depth = 2 * jobs if engine == "dask" or jobs > 1 else 1

    def _start(self) -> None:
        self._started = True
        if self.labeler_name:
            from .labelers import get_labeler

            self.labeler = get_labeler(self.labeler_name)  # trained once and cached before any worker starts
        if self.engine == "dask":
            self._start_dask(self.scheduler)
        elif self.jobs > 1:
            self.labeler = None  # each worker loads its own from the cache; this process needs none
            self._pool = ProcessPoolExecutor(self.jobs, initializer=_init_worker, initargs=(self.labeler_name,))

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
        self.depth = 2 * max(1, len(self._client.scheduler_info().get("workers", {})))
        # the fitted labeler goes to every worker once, so all of them label with the same model
        self._labeler_future = (self._client.scatter(self.labeler, broadcast=True)
                                if self.labeler is not None else None)

    def submit(self, to_extract: list[dict], to_label: dict[str, list[dict]]):
        if not to_extract and not to_label:  # all from the cache
            return _Done({"statements": {}, "labels": {}, "extract_s": 0.0, "label_s": 0.0, "extract_cpu_s": 0.0,
                          "label_cpu_s": 0.0})
        if not self._started:
            self._start()
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
# Reading: unchanged files are not read again

RECORD_SCHEMA = {c: DOCUMENTS[c] for c in META_COLUMNS}


def reader_key(unit: Path, columns: TableColumns) -> str:
    """What the documents of the files under the input path ``unit`` depend on besides the files
    themselves: the path as given and where it points, the table columns named, and the code that
    reads and cleans documents."""
    from . import corpus, dates, problems, schema

    h = hashlib.blake2b(digest_size=12)
    h.update(f"{unit}|{unit.resolve()}|{columns!r}".encode())
    hash_files(h, [Path(m.__file__) for m in (corpus, dates, problems, schema)])
    return h.hexdigest()


def _stat(f: Path) -> list[int] | None:
    try:
        st = f.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def documents(paths, problems: Problems, columns: TableColumns = TableColumns(), records: Path | None = None,
              rehash: bool = False, reusable: Callable[[list[str]], bool] | None = None) -> Iterator[dict]:
    """The documents of :func:`stance.corpus.iter_documents`, in the same order with the same
    problems; with ``records`` (a folder of :class:`stance.cache.FileRecords`), a file whose size
    and modification time are those recorded is not read: its documents come from the record,
    with their metadata, ``content_hash`` and ``n_chars`` but no ``text``, and the problems its
    reading raised are raised again. Only where ``reusable(content hashes)`` says the results of
    all its documents are cached (else the text is needed, and the file is read). ``rehash``:
    read every file, and record it again."""
    from .cache import FileRecords
    from .corpus import MANIFEST, TEXT_SUFFIXES, _documents_of, _unique, corpus_files, input_paths

    paths = input_paths(paths)
    seen: set[str] = set()
    manifests: dict[Path, dict[str, dict]] = {}
    record_columns = list(RECORD_SCHEMA) + ["n_chars"]
    for unit in paths:
        store = FileRecords(records, reader_key(unit, columns), RECORD_SCHEMA).load() if records else None
        # the new record is made only once a file has to be read (most warm runs read none):
        # then it starts with the files replayed so far
        new = None
        replayed: list[tuple[str, dict, dict]] = []
        for f in corpus_files(unit):
            named = f == unit
            name = "" if named else f.relative_to(unit).as_posix()
            text_file = f.suffix.lower() in TEXT_SUFFIXES or (named and f.suffix == "")
            # a text file's metadata may come from its folder's manifest, read at the folder's first text file
            first_in_folder = text_file and f.parent not in manifests
            entry = {"size_mtime": _stat(f), "manifest": _stat(f.parent / MANIFEST) if text_file else None,
                     "first_in_folder": first_in_folder}
            old = store.files.get(name) if store is not None and not rehash else None
            replay = False
            if old is not None and all(old[k] == v for k, v in entry.items()) and not old["renamed"]:
                hashes = store.hashes[old["offset"]:old["offset"] + old["n_docs"]]
                if reusable is None or reusable(hashes):
                    # not if another file now has one of its ids (the reader would rename it)
                    replay = not any(i in seen for i in store.column("doc_id", old["offset"], old["n_docs"]))
            if replay:
                if first_in_folder:
                    from .corpus import read_manifest

                    manifests[f.parent] = read_manifest(f.parent, Problems())  # its problems are in the record
                for pr in old["problems"]:
                    problems.add(pr["path"], pr["reason"], row=pr["row"], doc_id=pr["doc_id"], action=pr["action"])
                if new is None:
                    replayed.append((name, entry, old))
                else:
                    entry.update(offset=new.rows, n_docs=old["n_docs"], renamed=False, problems=old["problems"])
                    new.files[name] = entry
                for rows in store.rows(old["offset"], old["n_docs"]):
                    if new is not None:
                        new.add(rows)
                    for r in rows:
                        seen.add(r["doc_id"])
                        yield r
                continue
            if store is not None and new is None:
                new = _new_record(store, replayed)
            before, offset, renamed = len(problems.rows), new.rows if new else 0, False
            for doc in _documents_of(f, problems, columns, 2000, manifests, named=named):
                original = doc["doc_id"] if doc is not None else None
                for d in _unique(doc, seen, problems):
                    renamed = renamed or d["doc_id"] != original
                    d["n_chars"] = len(d["text"])
                    if new is not None:
                        new.add([{c: d[c] for c in record_columns}])
                    yield d
            if new is not None:
                entry.update(offset=offset, n_docs=new.rows - offset, renamed=renamed,
                             problems=problems.rows[before:])
                new.files[name] = entry
        if store is not None and new is None and (rehash or [n for n, _, _ in replayed] != list(store.files)):
            new = _new_record(store, replayed)  # files removed since the record (or all to be recorded again)
        if new is not None:
            new.commit()


def _new_record(store, replayed: list[tuple[str, dict, dict]]):
    """A new record of the input path of ``store``, holding the files ``replayed`` so far (name,
    new entry, old entry); ``replayed`` is emptied."""
    rec = store.writer()
    for name, entry, old in replayed:
        entry.update(offset=rec.rows, n_docs=old["n_docs"], renamed=False, problems=old["problems"])
        rec.files[name] = entry
        for rows in store.rows(old["offset"], old["n_docs"]):
            rec.add(rows)
    replayed.clear()
    return rec


def _with_text(docs: list[dict], columns: TableColumns) -> list[dict]:
    """``docs`` with their text, read again from their files: for documents recorded without
    text whose cached results turned out unreadable (a damaged cache segment)."""
    from .corpus import _documents_of

    by_path: dict[str, set[str]] = {}
    for d in docs:
        if "text" not in d:
            by_path.setdefault(d["path"], set()).add(d["content_hash"])
    found: dict[str, dict] = {}
    for path, wanted in by_path.items():
        for doc in _documents_of(Path(path), Problems(), columns, 2000, {}, named=True):
            if doc is not None and doc["content_hash"] in wanted:
                doc["n_chars"] = len(doc["text"])
                found[doc["content_hash"]] = doc
        missing = wanted - set(found)
        if missing:
            raise StanceInputError(f"{path}: changed while it was read ({len(missing)} documents no longer in it); "
                                   "run again")
    return [d if "text" in d else found[d["content_hash"]] for d in docs]


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
        writers: dict | None = None, keep=("documents", "statements", "labels"), rehash: bool = False) -> RunResult:
    """Read, extract and (if ``labeler``) label a corpus.

    ``engine``: ``"local"`` (``jobs`` processes) or ``"dask"`` (a ``LocalCluster`` of ``jobs``
    workers, or ``scheduler``: an address such as ``"tcp://10.0.0.5:8786"`` or a
    ``dask.distributed.Client``). ``cache``: reuse and store per-document results under
    :func:`stance.cache.cache_dir`; a file whose size and modification time are unchanged is
    not read again (see :class:`stance.cache.FileRecords`; ``rehash=True`` reads and hashes every
    file). ``progress``: a progress bar on standard error.
    ``writers``: ``{"documents"|"statements"|"labels": stance.io.TableWriter}``; those tables are
    written chunk by chunk and left empty in the result (their row counts are in ``stats``).
    ``keep``: the tables, of those not written, that the result holds; a caller that needs only
    the written tables and ``stats`` passes ``keep=()``, and memory does not grow with the corpus
    (the documents table alone is about 0.3 GB for a 1 GB corpus).
    """
    from .cache import SegmentStore, cache_dir

    problems = problems if problems is not None else Problems()
    writers = writers or {}
    jobs = max(1, min(jobs or 1, os.cpu_count() or 1)) if engine == "local" else max(1, jobs or 1)
    started = time.perf_counter()
    stmt_store = label_store = None
    if cache:
        xkey = extractor_key()
        stmt_store = SegmentStore(cache_dir() / "statements" / xkey, STATEMENTS)
        if labeler:
            label_store = SegmentStore(cache_dir() / "labels" / f"{xkey}-{labeler_key(labeler)}", LABELS)
        # a recorded file is not read again if its documents' statements are all cached (labels
        # can be made from those; statements need the text)
        index = stmt_store.index
        docs = documents(paths, problems, columns, cache_dir() / "files", rehash=rehash,
                         reusable=lambda hashes: all(h in index for h in hashes))
    else:
        docs = iter_documents(paths, problems, columns)
    stats = Counter()
    seconds = Counter()
    kept: dict[str, list[pd.DataFrame]] = {"documents": [], "statements": [], "labels": []}

    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=input_bytes(paths) or None, unit="B", unit_scale=True, unit_divisor=1_000_000,
                   desc="stance", file=sys.stderr, delay=2, leave=False, dynamic_ncols=True)

    def prepared() -> Iterator[tuple]:
        """Chunks of documents with what the cache holds for them and what is left to compute."""
        while True:
            t0 = time.perf_counter()
            chunk = list(islice(docs, chunk_docs))
            seconds["load"] += time.perf_counter() - t0
            if not chunk:
                return
            t0 = time.perf_counter()
            hashes = [d["content_hash"] for d in chunk]
            have_s = stmt_store.cached(hashes) if stmt_store else set()
            have_l = label_store.cached(hashes) & have_s if label_store else set()
            metas = [{k: d.get(k, "") for k in META_COLUMNS} for d in chunk]
            n_chars = sum(d["n_chars"] if "n_chars" in d else len(d.get("text") or "") for d in chunk)
            if len(have_s) == len(hashes) and (not labeler or len(have_l) == len(hashes)):
                # all cached: the rows go from the cache's Arrow tables to the output as they are
                cached = {"statements": stmt_store.table(hashes), "labels": label_store.table(hashes) if labeler else None}
                seconds["cache"] += time.perf_counter() - t0
                yield (metas, cached, {}, {}, n_chars), ([], {})
                continue
            got_stmts = stmt_store.get([h for h in hashes if h in have_s]) if have_s else {}
            got_labels = label_store.get([h for h in hashes if h in have_l]) if have_l else {}
            seconds["cache"] += time.perf_counter() - t0
            to_extract = [d for d in chunk if d["content_hash"] not in got_stmts]
            if any("text" not in d for d in to_extract):  # recorded, but its cached statements are unreadable
                to_extract = _with_text(to_extract, columns)
            to_label = {h: got_stmts[h] for h in hashes if labeler and h in got_stmts and h not in got_labels}
            # the chunk's text is not kept past this point: only its metadata
            yield (metas, None, got_stmts, got_labels, n_chars), (to_extract, to_label)

    # only the tables someone asked for are built
    wanted = [n for n in ("documents", "statements", "labels")
              if n in writers or (n in keep and (n != "labels" or labeler))]

    def tables_of(metas, cached, got_stmts, got_labels, out) -> dict:
        """The chunk's tables that are ``wanted``: pandas frames, or Arrow tables of cached rows."""
        if cached is not None:
            stats["documents_cached"] += len(metas)
            stats["documents_labels_cached"] += len(metas) if labeler else 0
            stats["statements_cached"] += cached["statements"].num_rows
            stats["labels_cached"] += cached["labels"].num_rows if labeler else 0
            return {"documents": lambda: conform(metas, _SCHEMAS["documents"]),
                    "statements": lambda: cached["statements"],
                    "labels": lambda: cached["labels"] if labeler else conform([], LABELS)}, \
                (cached["statements"].num_rows, cached["labels"].num_rows if labeler else 0)
        t0 = time.perf_counter()
        if stmt_store and out["statements"]:
            stmt_store.put(out["statements"])
        if label_store and out["labels"]:
            label_store.put(out["labels"])
        seconds["cache"] += time.perf_counter() - t0
        stmts_by_doc = {**got_stmts, **out["statements"]}
        labels_by_doc = {**got_labels, **out["labels"]}
        stats["documents_cached"] += len(got_stmts)
        stats["documents_labels_cached"] += len(got_labels)
        stats["statements_cached"] += sum(len(v) for v in got_stmts.values())
        stats["labels_cached"] += sum(len(v) for v in got_labels.values())
        stmts = [s for m in metas for s in stmts_by_doc[m["content_hash"]]]
        labs = [lab for m in metas for lab in labels_by_doc.get(m["content_hash"], [])]
        return {"documents": lambda: conform(metas, _SCHEMAS["documents"]),
                "statements": lambda: conform(stmts, STATEMENTS),
                "labels": lambda: conform(labs, LABELS)}, (len(stmts), len(labs))

    eng = _Engine(engine, jobs, labeler, scheduler)
    try:
        for (metas, cached, got_stmts, got_labels, n_chars), out in _ordered(eng.submit, prepared(), lambda: eng.depth):
            seconds["extract"] += out["extract_s"]
            seconds["label"] += out["label_s"]
            seconds["extract_cpu"] += out["extract_cpu_s"]
            seconds["label_cpu"] += out["label_cpu_s"]
            makers, (n_statements, n_labels) = tables_of(metas, cached, got_stmts, got_labels, out)
            stats["documents"] += len(metas)
            stats["characters"] += n_chars
            stats["statements"] += n_statements
            stats["labels"] += n_labels
            for name in wanted:
                t0 = time.perf_counter()
                frame = makers[name]()
                if not isinstance(frame, pd.DataFrame):  # cached rows, as Arrow
                    if name in writers and hasattr(writers[name], "write_arrow"):
                        writers[name].write_arrow(frame)
                        seconds["write"] += time.perf_counter() - t0
                        continue
                    frame = conform(frame.to_pandas(), _SCHEMAS[name])
                if name in writers:
                    writers[name].write(frame)
                    seconds["write"] += time.perf_counter() - t0
                else:
                    kept[name].append(frame)
            if bar is not None:
                bar.update(n_chars)
                bar.set_postfix_str(f"{stats['documents']} docs, {stats['statements']} statements", refresh=False)
    finally:
        eng.close()
        if bar is not None:
            bar.close()
    result = RunResult(*(_concat(kept[n], _SCHEMAS[n]) for n in ("documents", "statements", "labels")), problems)
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


def _concat(frames: list[pd.DataFrame], schema: dict[str, str]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return conform([], schema)
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].reset_index(drop=True)


_SCHEMAS = {"documents": {c: DOCUMENTS[c] for c in META_COLUMNS}, "statements": STATEMENTS, "labels": LABELS}



def _reason_kind(reason: str) -> str:
    """A problem's reason without its specifics (quoted values, numbers), to count by kind."""
    import re

    kind = re.sub(r"'[^']*'|\"[^\"]*\"|\d+", "…", reason)
    return kind.split(";")[0].strip()
