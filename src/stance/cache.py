"""A cache under ``.stance-cache/`` (``STANCE_CACHE`` overrides): trained labelers and
per-document statements and labels. Entries are written atomically with a SHA-256 sidecar; an
entry whose hash does not match (corrupt, truncated, or not written by stance) is rebuilt, never
loaded.
"""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
from collections.abc import Callable
from pathlib import Path

from .io import write_bytes

log = logging.getLogger("stance")


def cache_dir() -> Path:
    env = os.environ.get("STANCE_CACHE")
    if env:
        return Path(env)
    from .resources import data_dir

    return data_dir().parent / ".stance-cache"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_verified(path: Path) -> bytes | None:
    """The bytes of a cache entry if its sidecar hash matches, else None."""
    side = path.with_name(path.name + ".sha256")
    try:
        data = path.read_bytes()
        expected = side.read_text().strip()
    except OSError:
        return None
    if _sha(data) != expected:
        log.warning("cache entry %s does not match its hash; rebuilding it", path)
        return None
    return data


def write_verified(path: Path, data: bytes) -> None:
    # the data first, then the hash: a reader never trusts data without a matching hash
    write_bytes(path, data)
    write_bytes(path.with_name(path.name + ".sha256"), (_sha(data) + "\n").encode())


def load_or_train(key: str, train: Callable[[], object], enabled: bool = True):
    path = cache_dir() / "models" / f"{key}.pkl"
    if enabled:
        data = read_verified(path)
        if data is not None:
            try:
                return pickle.loads(data)  # noqa: S301 - written by stance and hash-verified
            except Exception:  # noqa: BLE001 - a stale pickle from another version is rebuilt
                log.warning("cache entry %s cannot be loaded; rebuilding it", path)
    obj = train()
    if enabled:
        try:
            write_verified(path, pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError as err:
            log.warning("cannot write cache %s: %s", path, err)
    return obj


class SegmentStore:
    """Per-document results (statements, or labels) kept as Parquet segments: one file per chunk
    of documents, each row tagged with its document's ``content_hash``, the documents the segment
    covers (also those with no rows) listed in the file's metadata. A million documents make a few
    thousand files, not a million. Segments are written with a SHA-256 sidecar and verified when
    read; a segment that fails the check is ignored and its documents recomputed.

    ``folder`` names the versions the results depend on (extractor, labeler, codebook), so a
    changed codebook reads from and writes to another folder and a changed document has another
    hash: only what a change affects is recomputed.
    """

    META_KEY = b"stance.documents"

    def __init__(self, folder: Path, schema: dict[str, str], keep_loaded: int = 4):
        self.folder = Path(folder)
        self.schema = {"content_hash": "string", **schema}
        self.keep_loaded = keep_loaded
        self._index: dict[str, str] | None = None
        self._loaded: dict = {}
        self._bad: set[str] = set()

    @property
    def index(self) -> dict[str, str]:
        """content_hash -> segment file name, from the segments' footers."""
        if self._index is None:
            import json

            import pyarrow.parquet as pq

            self._index = {}
            if self.folder.is_dir():
                for f in sorted(self.folder.glob("seg-*.parquet")):
                    try:
                        meta = pq.read_metadata(f).metadata or {}
                        hashes = json.loads(meta[self.META_KEY])
                    except Exception:  # noqa: BLE001 - an unreadable segment is recomputed
                        log.warning("cache segment %s is unreadable; its documents will be recomputed", f)
                        continue
                    for h in hashes:
                        self._index[h] = f.name
        return self._index

    def _segment(self, name: str):
        """(table, documents covered) of a verified segment, or None."""
        if name in self._loaded:
            return self._loaded[name]
        if name in self._bad:
            return None
        import json

        import pyarrow as pa
        import pyarrow.parquet as pq

        data = read_verified(self.folder / name)
        seg = None
        if data is not None:
            try:
                table = pq.ParquetFile(pa.BufferReader(data)).read()  # read_table would import pyarrow.dataset (0.35 s)
                covered = json.loads(table.schema.metadata[self.META_KEY])
                if table.column_names != list(self.schema):
                    raise ValueError(f"columns {table.column_names}")
                seg = (table.replace_schema_metadata(None), covered)
            except Exception:  # noqa: BLE001 - verified but unreadable: written by another version
                log.warning("cache segment %s cannot be read; its documents will be recomputed", name)
        if seg is None:
            self._bad.add(name)
            return None
        if len(self._loaded) >= self.keep_loaded:
            self._loaded.pop(next(iter(self._loaded)))
        self._loaded[name] = seg
        return seg

    def cached(self, hashes: list[str]) -> set[str]:
        """The documents among ``hashes`` whose results are in a readable segment."""
        found = set()
        index = self.index
        for name in dict.fromkeys(index[h] for h in hashes if h in index):
            seg = self._segment(name)
            if seg is not None:
                found.update(seg[1])
        return found.intersection(hashes)

    def table(self, hashes: list[str]):
        """The rows of the documents ``hashes`` (all cached), in that order, as an Arrow table
        without the ``content_hash`` column."""
        import pyarrow as pa
        import pyarrow.compute as pc

        names = list(dict.fromkeys(self.index[h] for h in hashes))
        segs = [self._segment(n) for n in names]
        if len(segs) == 1 and segs[0][1] == hashes:
            table = segs[0][0]  # the chunk of the run that wrote it: rows already in order
        else:
            wanted = pa.array(hashes, pa.string())
            parts = [t.filter(pc.is_in(t["content_hash"], value_set=wanted)) for t, _ in segs]
            table = pa.concat_tables(parts) if parts else pa.table({})
            order = pc.index_in(table["content_hash"], value_set=wanted)
            table = table.take(pc.sort_indices(order))  # stable: a document's rows keep their order
        return table.drop_columns(["content_hash"])

    def get(self, hashes: list[str]) -> dict[str, list[dict]]:
        """The cached rows of each cached document, as dicts (an empty list for none)."""
        hit = [h for h in hashes if h in self.cached(hashes)]
        out: dict[str, list[dict]] = {h: [] for h in hit}
        if hit:
            import pyarrow as pa
            import pyarrow.compute as pc

            names = list(dict.fromkeys(self.index[h] for h in hit))
            wanted = pa.array(hit, pa.string())
            for t, _ in (self._segment(n) for n in names):
                for rec in t.filter(pc.is_in(t["content_hash"], value_set=wanted)).to_pylist():
                    out[rec.pop("content_hash")].append(rec)
        return out

    def put(self, results: dict[str, list[dict]]) -> None:
        """Store the rows of some documents (in the order given) as one new segment."""
        if not results:
            return
        import json

        import pyarrow as pa
        import pyarrow.parquet as pq

        from .io import arrow_schema

        schema = arrow_schema(self.schema)
        columns: dict[str, list] = {c: [] for c in self.schema}
        for h, rows in results.items():
            for r in rows:
                columns["content_hash"].append(h)
                for c in self.schema:
                    if c != "content_hash":
                        columns[c].append(r.get(c))
        hashes = list(results)
        table = pa.Table.from_pydict(columns, schema=schema).replace_schema_metadata(
            {self.META_KEY: json.dumps(hashes).encode()})
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink, compression="zstd")
        name = "seg-" + hashlib.blake2b("\n".join(sorted(hashes)).encode(), digest_size=12).hexdigest() + ".parquet"
        try:
            write_verified(self.folder / name, sink.getvalue().to_pybytes())
        except OSError as err:
            log.warning("cannot write cache %s: %s", self.folder / name, err)
            return
        for h in hashes:
            self.index[h] = name
        self._bad.discard(name)
        self._loaded.pop(name, None)


class FileRecords:
    """What reading the files under one input path gave last time, so that an unchanged file is
    not read and hashed again: per file its size, ``mtime_ns``, its documents' metadata and
    content hashes (no text) and the problems reading it raised. Kept in one Parquet file per
    input path (a folder of 100,000 text files is one record, not 100,000), under ``files/``,
    verified by its SHA-256 sidecar like every cache entry.

    A file counts as unchanged when its size and modification time (nanoseconds) are those
    recorded. That is the check ``make`` and ``rsync`` rely on; its known limit is a file
    rewritten with other bytes of the same size and then given back its old modification time
    (``touch -d``, some copy tools): such a change is not seen. ``stance ... --rehash`` (or
    ``run(rehash=True)``) reads and hashes every file regardless; ``--no-cache`` uses no cache.
    """

    META_KEY = b"stance.files"

    def __init__(self, folder: Path, key: str, schema: dict[str, str]):
        self.path = Path(folder) / f"{key}.parquet"
        self.schema = {**schema, "n_chars": "int64"}
        self.files: dict[str, dict] = {}  # relative name -> {size, mtime_ns, manifest, offset, n_docs, renamed, problems}
        self.hashes: list[str] = []
        self._data: bytes | None = None
        self._table = None

    def load(self) -> FileRecords:
        import json

        import pyarrow as pa
        import pyarrow.parquet as pq

        data = read_verified(self.path)
        if data is None:
            return self
        try:
            pf = pq.ParquetFile(pa.BufferReader(data))
            files = json.loads(pf.metadata.metadata[self.META_KEY])
            if pf.schema_arrow.names != list(self.schema):
                raise ValueError(f"columns {pf.schema_arrow.names}")
            hashes = pf.read(columns=["content_hash"])["content_hash"].to_pylist()
        except Exception:  # noqa: BLE001 - written by another version: every file is read again
            log.warning("cache record %s cannot be read; its files will be read again", self.path)
            return self
        self.files, self.hashes, self._data = files, hashes, data
        return self

    def _loaded(self):
        if self._table is None:
            import pyarrow as pa
            import pyarrow.parquet as pq

            self._table = pq.ParquetFile(pa.BufferReader(self._data)).read()
        return self._table

    def column(self, name: str, offset: int, n: int) -> list:
        """One column of the ``n`` recorded documents from ``offset`` on."""
        return self._loaded()[name].slice(offset, n).to_pylist()

    def rows(self, offset: int, n: int, batch: int = 4096):
        """The ``n`` recorded documents from ``offset`` on, as lists of at most ``batch`` dicts
        (a table of 400,000 rows is not turned into 400,000 dicts at once)."""
        table = self._loaded()
        for start in range(offset, offset + n, batch):
            yield table.slice(start, min(batch, offset + n - start)).to_pylist()

    def writer(self) -> RecordWriter:
        return RecordWriter(self.path, self.schema)


class RecordWriter:
    """A new :class:`FileRecords` entry, built as the files are read (documents in order, a few
    thousand rows held at a time) and written, verified, by :meth:`commit`."""

    def __init__(self, path: Path, schema: dict[str, str]):
        import pyarrow as pa
        import pyarrow.parquet as pq

        from .io import arrow_schema

        self.path = path
        self.schema = arrow_schema(schema)
        self.files: dict[str, dict] = {}
        self.rows = 0
        self._sink = pa.BufferOutputStream()
        self._writer = pq.ParquetWriter(self._sink, self.schema, compression="zstd")
        self._pending: list[dict] = []

    def add(self, rows: list[dict]) -> None:
        self._pending += rows
        self.rows += len(rows)
        if len(self._pending) >= 4096:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self._pending:
            self._writer.write_table(pa.Table.from_pylist(self._pending, schema=self.schema))
            self._pending = []

    def commit(self) -> None:
        import json

        self._flush()
        if not self.rows:
            self._writer.write_table(self.schema.empty_table())
        self._writer.add_key_value_metadata({FileRecords.META_KEY: json.dumps(self.files)})
        self._writer.close()
        try:
            write_verified(self.path, self._sink.getvalue().to_pybytes())
        except OSError as err:
            log.warning("cannot write cache %s: %s", self.path, err)
