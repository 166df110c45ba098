"""Read a pile of texts into one documents table (see ``schema.DOCUMENTS``).

- Text files (``.txt``, ``.md``, ``.html``/``.htm``) are one document each; web leftovers (CSS,
  menus, "Leave a comment", photo credits and captions) are removed and the title, date, source
  and original URL are read from the text.
- Tables (``.csv``, ``.jsonl``, ``.parquet``) are one document per row, with columns found by
  common names (``article_content``, ``headline``, ``unit_id`` ...) or named explicitly.
- A ``manifest.csv`` in a folder gives metadata per file and wins over what the text says.

Documents stream out of :func:`iter_documents` one at a time; nothing requires the whole corpus
in memory. Problems are collected (see :mod:`stance.problems`), never silent.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import html
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

from .dates import DateError, find_text_date, find_url_date, parse_date_value
from .problems import Problems, StanceInputError
from .schema import DOCUMENTS, conform

TEXT_SUFFIXES = {".txt", ".md", ".html", ".htm"}
TABLE_SUFFIXES = {".csv", ".jsonl", ".parquet", ".tsv"}
MANIFEST = "manifest.csv"
GENRES = ("news", "speech")

#: Common column names, first match wins (case-insensitive).
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "article_content", "article_text", "article", "full_text",
             "fulltext", "speech", "transcript", "story", "article_body", "maintext"),
    "title": ("title", "headline", "article_title", "heading", "name"),
    "date": ("date", "published", "publish_date", "pub_date", "published_at", "publication_date",
             "date_published", "datetime", "timestamp", "time", "year"),
    "source": ("source", "outlet", "publisher", "site", "domain", "newspaper", "media", "source_name"),
    "url": ("url", "link", "source_url", "original_url", "article_url", "uri", "href"),
    "id": ("id", "doc_id", "unit_id", "article_id", "uid", "document_id", "docid", "guid", "file"),
    "speaker": ("speaker", "author_speaker", "speaker_name"),
    "actor": ("actor", "country", "speaker_actor"),
    "genre": ("genre", "type", "doc_type", "kind"),
}
COLUMN_OPTIONS = {"text": "--text-column", "title": "--title-column", "date": "--date-column",
                  "source": "--source-column", "url": "--url-column", "id": "--id-column"}


@dataclass(frozen=True)
class TableColumns:
    """Columns of a tabular corpus given explicitly; ``None`` means "find by common names"."""

    text: str | None = None
    title: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None
    id: str | None = None
    dayfirst: bool = False


# --------------------------------------------------------------------------------------------
# Decoding

def decode_bytes(data: bytes, path: object, problems: Problems) -> str | None:
    """Text of a file's bytes, or None (with a problem recorded) if it is empty or binary."""
    if not data.strip():
        problems.add(path, "empty file")
        return None
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                       (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as err:
                problems.add(path, f"starts with a {codec} byte-order mark but does not decode: {err}")
                return None
    head = data[:8192]
    if b"\x00" in head:
        problems.add(path, "binary file (contains NUL bytes); not a text document")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    encoding = None
    try:
        # Windows-1252 is the commonest legacy encoding of English text (and a superset of
        # Latin-1's printable range); other encodings are guessed by charset-normalizer
        text = data.decode("cp1252")
        if sum(1 for ch in text[:8192] if ch in "\x81\x8d\x8f\x90\x9d") == 0:
            problems.add(path, "not UTF-8; decoded as legacy encoding cp1252", action="kept")
            return text
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        encoding = best.encoding if best else None
    except ImportError:  # pragma: no cover - dependency declared
        encoding = None
    if encoding in (None, "ascii", "utf_8"):
        encoding = "cp1252"
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if controls > len(head) * 0.05:
        problems.add(path, "binary file (control bytes); not a text document")
        return None
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        encoding = "cp1252"
        text = data.decode(encoding, errors="replace")
    problems.add(path, f"not UTF-8; decoded as legacy encoding {encoding}", action="kept")
    return text


# --------------------------------------------------------------------------------------------
# HTML

class _HTMLText(HTMLParser):
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
             "article", "header", "footer", "blockquote", "figcaption", "title", "ul", "ol", "table"}
    SKIP = {"script", "style", "noscript", "template", "svg", "nav", "aside", "form", "iframe", "figure",
            "button", "select"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.title = ""
        self._in_title = False
        self.meta: dict[str, str] = {}
        self.canonical = ""
        self.h1 = ""
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.SKIP:
            self.skip_depth += 1
        if tag == "title":
            self._in_title = True
        if tag == "h1":
            self._in_h1 = True
        if tag == "meta":
            key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
            if key and attrs.get("content"):
                self.meta[key] = attrs["content"]
        if tag == "link" and (attrs.get("rel") or "").lower() == "canonical":
            self.canonical = attrs.get("href") or ""
        if tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip_depth:
            self.skip_depth -= 1
        if tag == "title":
            self._in_title = False
        if tag == "h1":
            self._in_h1 = False
        if tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self._in_title:
            self.title += data
            return
        if self.skip_depth:
            return
        if self._in_h1:
            self.h1 += data
        self.parts.append(data)


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<p>" in head and "</p>" in head) or "<body" in head


def html_to_article(raw: str) -> dict:
    parser = _HTMLText()
    try:
        parser.feed(raw)
        parser.close()
    except Exception:  # noqa: BLE001 - HTMLParser is lenient; a malformed page keeps what was read
        pass
    body = html.unescape("".join(parser.parts))
    meta = parser.meta
    date_value = (meta.get("article:published_time") or meta.get("date") or meta.get("pubdate")
                  or meta.get("datepublished") or meta.get("dc.date") or "")
    return {
        "body": body,
        "title": (meta.get("og:title") or parser.h1 or parser.title).strip(),
        "url": meta.get("og:url") or parser.canonical or "",
        "source": meta.get("og:site_name") or "",
        "date_value": date_value,
    }


# --------------------------------------------------------------------------------------------
# Article text: title, date, source, URL, and the body without web leftovers

_CSS_RULE = re.compile(r"^\s*([\w.#:@\-\[\]=\"' ,>*]+\{[^{}]*\}\s*)+$")
_BOILERPLATE = re.compile(
    r"^\s*(available languages:?|credit card|privacy policy|current issues|leave a comment|share this( article)?|"
    r"advertisement|read more:?|related( articles| news)?:?|subscribe.*|sign up.*|follow us.*|comments?|"
    r"print|email|tweet|share|cookie.*|all rights reserved.*|©.*|copyright.*|original url:?|"
    r"click here.*|log ?in|register|menu|search|home|skip to content)\s*$",
    re.I,
)
_URL_LINE = re.compile(r"^\s*<?(https?://[^\s>]+)>?\s*$")
_BYLINE = re.compile(r"^\s*by\s+\[?(?P<name>[^\]\n]{2,80}?)\]?(\(#?[^)]*\))?\s*$", re.I)
_CREDIT = re.compile(
    r"^\s*(\*\*[^*\n]{2,60}\*\*|(photo|image|picture)s?\s*(by|:|credit).*|[A-Z][\w.'\- ]{2,60}\s*/\s*"
    r"(AP|AFP|Reuters|TASS|RIA Novosti|EPA|Getty Images|Getty|Sputnik|Anadolu|SANA|Vedomosti|[A-Z][\w.]{1,20}))\s*$"
)
_DATELINE = re.compile(r"^\s*(?P<place>[A-Z][A-Z .'\-]{2,40}),\s+(?P<md>[A-Z][a-z]{2,8}\.? \d{1,2})\s*\((?P<source>[^)]{2,40})\)\s*[–—-]+\s*")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+")


def _norm_space(s: str) -> str:
    return re.sub(r"[ \t\u00a0]+", " ", s).strip()


def source_from_url(url: str) -> str:
    m = re.match(r"https?://(www\.)?([^/]+)", url or "")
    return m.group(2) if m else ""


def clean_article(raw: str) -> dict:
    """Split article text into title, body and metadata.

    Returns a dict with ``title, text, source, url, date, date_precision, date_source``.
    """
    is_html = looks_like_html(raw)
    meta = html_to_article(raw) if is_html else {"body": raw, "title": "", "url": "", "source": "", "date_value": ""}
    text = meta["body"].replace("\r\n", "\n").replace("\r", "\n")
    lines = [ln.rstrip() for ln in text.split("\n")]

    url = meta["url"]
    source = meta["source"]
    title = meta["title"]
    date, precision, date_source = "", "none", "none"
    if meta["date_value"]:
        try:
            date, precision = parse_date_value(meta["date_value"])
            date_source = "metadata"
        except DateError:
            pass

    kept: list[str] = []
    credit_idx: list[int] = []
    header_zone = True  # lines before the first real paragraph
    for line in lines:
        stripped = line.strip()
        if not stripped:
            kept.append("")
            continue
        m = _URL_LINE.match(stripped)
        if m:
            url = url or m.group(1)
            continue
        if _CSS_RULE.match(stripped) or _BOILERPLATE.match(stripped):
            continue
        m = _BYLINE.match(stripped)
        if m and len(stripped) < 90:
            source = source or _norm_space(m.group("name"))
            continue
        if _CREDIT.match(stripped):
            credit_idx.append(len(kept))
            kept.append("\x00CREDIT")
            continue
        short = len(stripped) < 70 and not re.search(r"[.!?\"”]$", stripped)
        if header_zone and short:
            found = find_text_date(stripped)
            if found and len(stripped) < 40 and date_source == "none":
                date, precision = found
                date_source = "text"
                continue
            if not title:
                title = _norm_space(_MD_HEADING.sub("", stripped))
                continue
            if len(stripped) < 40 and not source and re.match(r"^[A-Z][\w.&' ]+$", stripped):
                source = _norm_space(stripped)
                continue
        elif header_zone and not title and len(stripped) < 200 and not re.search(r"[.!?]$", stripped):
            title = _norm_space(_MD_HEADING.sub("", stripped))
            continue
        if len(stripped) >= 70 or re.search(r"[.!?\"”]$", stripped):
            header_zone = False
        kept.append(_MD_HEADING.sub("", line))

    # Captions sit next to a photo credit: a short paragraph with no quote and no attribution.
    drop: set[int] = set()
    for ci in credit_idx:
        for step in (-1, 1):
            j = ci + step
            while 0 <= j < len(kept) and not kept[j].strip():
                j += step
            if 0 <= j < len(kept) and kept[j] != "\x00CREDIT":
                para = kept[j].strip()
                if len(para) < 220 and not re.search(r"[\"“”]", para) and not re.search(r"\b(said|says|told)\b", para):
                    drop.add(j)
    body_lines = [ln for i, ln in enumerate(kept) if i not in drop and ln != "\x00CREDIT"]
    body = "\n".join(body_lines)
    # Paragraphs broken in the middle of a sentence ("... moderates in the\n\nopposition clashed")
    body = re.sub(r"(?<=[a-z,])\n\n+(?=[a-z])", " ", body)
    body = re.sub(r"\n{3,}", "\n\n", body).strip()
    if not body and title:
        body, title = title, ""  # a one-line document is all content

    m = _DATELINE.match(body)
    if m:
        # "PARIS, May 28 (RIA Novosti) – ": the outlet is the source; the dateline is not content
        source = source or m.group("source").strip()
        body = body[m.end():]
    if date_source == "none":
        found = find_url_date(url)
        if found:
            date, precision = found
            date_source = "url"
    if date_source == "none":
        found = find_text_date(body[:300])
        if found:
            date, precision = found
            date_source = "text"
    source = source or source_from_url(url)
    return {"title": title, "text": body, "source": _norm_space(source), "url": url,
            "date": date, "date_precision": precision, "date_source": date_source}


def clean_table_text(raw: str) -> str:
    if looks_like_html(raw):
        return clean_article(raw)["text"]
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    if "\n\n\n" in text:  # the substring test is far cheaper than the regex scan it saves
        text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


# --------------------------------------------------------------------------------------------
# Documents

def content_hash(doc: dict) -> str:
    h = hashlib.blake2b(digest_size=16)
    for key in ("doc_id", "text", "date", "date_precision", "genre", "speaker", "actor", "source", "url"):
        h.update(str(doc.get(key) or "").encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()


def _finish(doc: dict) -> dict:
    for key in DOCUMENTS:
        if doc.get(key) is None:
            doc[key] = ""
    if doc["genre"] not in GENRES:
        doc["genre"] = "news"
    if not doc["date"]:
        doc["date_precision"] = "none"
        doc["date_source"] = "none"
    doc["content_hash"] = content_hash(doc)
    return doc


def read_manifest(folder: Path, problems: Problems) -> dict[str, dict]:
    path = folder / MANIFEST
    if not path.exists():
        return {}
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except Exception as err:  # noqa: BLE001 - any parse failure is reported with the file name
        raise StanceInputError(f"{path}: cannot read the manifest ({err}); it must be a CSV with a 'file' column") from err
    frame.columns = [c.strip().lower() for c in frame.columns]
    if "file" not in frame.columns:
        raise StanceInputError(f"{path}: the manifest has no 'file' column (columns: {list(frame.columns)})")
    entries: dict[str, dict] = {}
    for i, row in frame.iterrows():
        name = row["file"].strip()
        if not name:
            problems.add(path, "manifest row without a file name", row=i + 2, action="kept")
            continue
        if not (folder / name).exists():
            problems.add(path, f"manifest names {name!r}, which does not exist in {folder}", row=i + 2)
            continue
        entries[name] = {k: v.strip() for k, v in row.items() if k != "file"}
    return entries


def _apply_manifest(doc: dict, entry: dict, path: Path, problems: Problems) -> None:
    for key in ("source", "url", "title", "speaker", "actor", "genre"):
        if entry.get(key):
            doc[key] = entry[key]
    if entry.get("date"):
        try:
            doc["date"], doc["date_precision"] = parse_date_value(entry["date"])
            doc["date_source"] = "manifest"
        except DateError as err:
            problems.add(path.parent / MANIFEST, f"date of {path.name}: {err}; date read from the text instead",
                         action="kept", doc_id=doc["doc_id"])


def read_text_file(path: Path, problems: Problems, manifest_entry: dict | None = None) -> dict | None:
    try:
        data = path.read_bytes()
    except OSError as err:
        problems.add(path, f"cannot read: {err.strerror or err}")
        return None
    raw = decode_bytes(data, path, problems)
    if raw is None:
        return None
    art = clean_article(raw)
    doc = {"doc_id": path.stem, "path": str(path), "genre": "news", "speaker": "", "actor": "", **art}
    if manifest_entry:
        _apply_manifest(doc, manifest_entry, path, problems)
    if not doc["text"].strip():
        problems.add(path, "no text left after removing web page leftovers", doc_id=doc["doc_id"])
        return None
    if doc["date_precision"] == "none":
        problems.add(path, "no date found in the text, URL or manifest; the document is undated",
                     doc_id=doc["doc_id"], action="kept")
    return _finish(doc)


def _pick(columns: list[str], role: str, given: str | None, path: Path) -> str | None:
    if given:
        if given not in columns:
            raise StanceInputError(f"{path}: column {given!r} given for {role} is not in the table; columns: {columns}")
        return given
    lower = {c.lower().strip(): c for c in columns}
    for name in COLUMN_NAMES[role]:
        if name in lower:
            return lower[name]
    return None


def _resolve_columns(columns: list[str], spec: TableColumns, path: Path) -> dict[str, str | None]:
    found = {role: _pick(columns, role, getattr(spec, role, None), path) for role in COLUMN_NAMES}
    if found["text"] is None:
        options = ", ".join(f"{opt} NAME ({role})" for role, opt in COLUMN_OPTIONS.items())
        raise StanceInputError(
            f"{path}: no text column found among {columns}. Name it with --text-column NAME; the other "
            f"columns can be named with {options}."
        )
    if found["id"] == found["text"]:
        found["id"] = None
    return found


def _iter_table_chunks(path: Path, problems: Problems, chunk_rows: int) -> Iterator[pd.DataFrame]:
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        try:
            pf = pq.ParquetFile(path)
        except Exception as err:  # noqa: BLE001
            raise StanceInputError(f"{path}: not a readable Parquet file ({err})") from err
        offset = 0
        for batch in pf.iter_batches(batch_size=chunk_rows):
            frame = batch.to_pandas()
            frame.index = range(offset, offset + len(frame))
            offset += len(frame)
            yield frame
        return
    if suffix == ".jsonl":
        rows: list[dict] = []
        start = 0
        with open(path, "rb") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                    if not isinstance(value, dict):
                        raise ValueError("a line must hold a JSON object")
                except ValueError as err:
                    problems.add(path, f"broken JSON line: {err}", row=lineno)
                    continue
                value["__row__"] = lineno
                rows.append(value)
                if len(rows) >= chunk_rows:
                    yield pd.DataFrame(rows, index=range(start, start + len(rows)))
                    start += len(rows)
                    rows = []
        if rows:
            yield pd.DataFrame(rows, index=range(start, start + len(rows)))
        return
    sep = "\t" if suffix == ".tsv" else ","
    data = path.read_bytes()
    text = decode_bytes(data, path, problems)
    if text is None:
        return
    yield from _csv_chunks(text, sep, path, problems, chunk_rows)


def _csv_chunks(text: str, sep: str, path: Path, problems: Problems, chunk_rows: int) -> Iterator[pd.DataFrame]:
    """Frames of ``chunk_rows`` records of a CSV text, indexed by record number (0 = first after
    the header). A record with too many fields, or with a quotation mark never closed, is
    reported with its row and line and skipped; the rest of the table is read."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        header = next(reader)
        while not header:  # blank lines before the header
            header = next(reader)
    except StopIteration:
        return
    except csv.Error as err:
        raise StanceInputError(f"{path}: cannot read the header line as CSV ({err})") from None
    columns: list[str] = []
    for name in header:  # duplicate names get a suffix, as pandas does: "text", "text.1"
        unique, n = name, 1
        while unique in columns:
            unique, n = f"{name}.{n}", n + 1
        columns.append(unique)
    rows: list[list[str]] = []
    index: list[int] = []

    def records() -> Iterator[tuple[int, int, list[str] | None, bool]]:
        """(record number, first line, fields or None if unreadable, is the last record)."""
        number, line = 0, reader.line_num + 1
        pending = None
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                break
            except csv.Error as err:
                number += 1
                problems.add(path, f"line {line}: not valid CSV ({err}); row skipped", row=number)
                line = reader.line_num + 1
                continue
            first, line = line, reader.line_num + 1
            if not fields or fields == [""]:
                continue  # a blank line
            number += 1
            if pending:
                yield (*pending, False)
            pending = (number, first, fields)
        if pending:
            yield (*pending, True)

    for number, first, fields, last in records():
        if last and "\n" in fields[-1] and not text.rstrip("\r\n").endswith('"'):
            # csv reads an unclosed quotation as one field running to the end of the file
            problems.add(path, f"line {first}: a quotation mark opened in this row is never closed, so the rest "
                               f"of the file would be one field; row skipped. Close the quotation, and double "
                               f"quotation marks inside a field (\"\")", row=number)
            continue
        if len(fields) > len(columns):
            problems.add(path, f"line {first} has {len(fields)} fields, the header has {len(columns)} "
                               f"({sep.join(fields)[:60]!r}); row skipped. Quote fields that contain {sep!r}",
                         row=number)
            continue
        if len(fields) < len(columns):
            problems.add(path, f"line {first} has {len(fields)} fields, the header has {len(columns)}; "
                               f"the missing ones ({', '.join(columns[len(fields):])}) are left empty",
                         row=number, action="kept")
            fields = fields + [""] * (len(columns) - len(fields))
        rows.append(fields)
        index.append(number - 1)
        if len(rows) >= chunk_rows:
            yield pd.DataFrame(rows, columns=columns, index=index, dtype=object)
            rows, index = [], []
    if rows:
        yield pd.DataFrame(rows, columns=columns, index=index, dtype=object)


def _cell(value: object) -> str:
    """A table cell as text: "" for missing values (None, NaN, NaT), numbers and dates as written."""
    if value is None or isinstance(value, str):
        return (value or "").strip()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace").strip()
    try:
        if value != value:  # NaN, NaT
            return ""
    except (TypeError, ValueError):  # lists and arrays compare element-wise
        pass
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _not_text(value: object) -> str:
    """Why a text cell is not text ("" if it is): numbers, lists and records are refused."""
    if value is None or isinstance(value, str | bytes):
        return ""
    if isinstance(value, float) and value != value:
        return ""
    return f"a {type(value).__name__}, not text"


def iter_table(path: Path, problems: Problems, spec: TableColumns = TableColumns(),
               chunk_rows: int = 2000) -> Iterator[dict]:
    """One document per row of a CSV, JSONL or Parquet table."""
    stem = path.stem
    cols: dict[str, str | None] | None = None
    seen: dict[str, str] = {}
    n_rows = 0
    for chunk in _iter_table_chunks(path, problems, chunk_rows):
        if cols is None:
            cols = _resolve_columns([c for c in chunk.columns if c != "__row__"], spec, path)
            texts = chunk[cols["text"]].dropna()
            if len(texts) and all(_not_text(v) for v in texts):
                raise StanceInputError(
                    f"{path}: column {cols['text']!r} holds {type(texts.iloc[0]).__name__} values, "
                    f"not text; name the text column with --text-column NAME "
                    f"(columns: {[c for c in chunk.columns if c != '__row__']})")
        missing = [c for c in cols.values() if c and c not in chunk.columns]
        if missing:
            raise StanceInputError(f"{path}: columns {missing} missing from part of the table (schema differs)")
        # plain dicts: pandas' iterrows() built a Series per row and was most of the loading time
        for idx, row in zip(chunk.index, chunk.to_dict("records")):
            n_rows += 1
            rowno = int(row["__row__"]) if "__row__" in row and pd.notna(row["__row__"]) else int(idx) + 1
            raw = row[cols["text"]]
            if _not_text(raw):
                problems.add(path, f"column {cols['text']!r} holds {_not_text(raw)}", row=rowno)
                continue
            raw = _cell(raw)
            if not raw:
                problems.add(path, f"empty text in column {cols['text']!r}", row=rowno)
                continue
            ident = _cell(row[cols["id"]]) if cols["id"] else ""
            doc_id = f"{stem}:{ident or rowno}"
            text = clean_table_text(raw)
            if not text:
                problems.add(path, "no text left after cleaning", row=rowno, doc_id=doc_id)
                continue
            digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
            if doc_id in seen:
                if seen[doc_id] == digest:
                    problems.add(path, f"duplicate document id {doc_id!r} with the same text as an earlier row",
                                 row=rowno, doc_id=doc_id)
                    continue
                new_id = f"{doc_id}#row{rowno}"
                problems.add(path, f"duplicate document id {doc_id!r} with a different text; kept as {new_id!r}",
                             row=rowno, doc_id=new_id, action="kept")
                doc_id = new_id
            seen[doc_id] = digest
            doc = {"doc_id": doc_id, "path": f"{path}", "text": text, "genre": "news", "speaker": "", "actor": ""}
            for role in ("title", "source", "url", "speaker", "actor", "genre"):
                c = cols.get(role)
                doc[role] = _cell(row[c]) if c else ""
            doc["date"], doc["date_precision"], doc["date_source"] = "", "none", "none"
            if cols["date"]:
                try:
                    doc["date"], doc["date_precision"] = parse_date_value(row[cols["date"]], dayfirst=spec.dayfirst)
                    if doc["date"]:
                        doc["date_source"] = "table"
                except DateError as err:
                    problems.add(path, f"impossible date in column {cols['date']!r}: {err}; document kept undated",
                                 row=rowno, doc_id=doc_id, action="kept")
            if doc["date_source"] == "none":
                found = find_url_date(doc["url"]) if doc["url"] else None
                if found:
                    doc["date"], doc["date_precision"] = found
                    doc["date_source"] = "url"
            yield _finish(doc)
    if n_rows == 0 and not any(r["path"] == str(path) for r in problems.rows):
        problems.add(path, "the table has no rows (a header at most); nothing to read")


def iter_documents(paths: Iterable[str | Path] | str | Path, problems: Problems | None = None,
                   columns: TableColumns = TableColumns(), chunk_rows: int = 2000) -> Iterator[dict]:
    """Yield documents (dicts with the ``schema.DOCUMENTS`` keys) from files, folders and tables.

    Raises StanceInputError for a path that does not exist or a table whose columns cannot be
    recognised; everything else is recorded in ``problems`` and the rest is processed.
    """
    problems = problems if problems is not None else Problems()
    paths = input_paths(paths)
    seen_ids: set[str] = set()
    manifests: dict[Path, dict[str, dict]] = {}
    for p in paths:
        for f in corpus_files(p):
            for doc in _documents_of(f, problems, columns, chunk_rows, manifests, named=f == p):
                yield from _unique(doc, seen_ids, problems)


def input_paths(paths: Iterable[str | Path] | str | Path) -> list[Path]:
    """The paths a user gave, as a list; StanceInputError for one that does not exist."""
    if isinstance(paths, str | Path):
        paths = [paths]
    paths = [Path(p) for p in paths]
    for p in paths:
        if not p.exists():
            raise StanceInputError(f"{p}: no such file or folder")
    return paths


def corpus_files(p: Path) -> list[Path]:
    """The files :func:`iter_documents` reads for the path ``p``: ``p`` itself if it is a file,
    else the files under it in order, without hidden ones, manifests and read-me files."""
    if not p.is_dir():
        return [p]
    return sorted(f for f in p.rglob("*") if f.is_file() and not any(
        part.startswith(".") for part in f.relative_to(p).parts)
        and f.name != MANIFEST and f.name.lower() not in ("readme.md", "readme.txt", "license", "licence"))


def _documents_of(f: Path, problems: Problems, columns: TableColumns, chunk_rows: int,
                  manifests: dict[Path, dict[str, dict]], named: bool) -> Iterator[dict | None]:
    """Documents of one file. A file the user ``named`` may lack an extension (read as text)
    and is not expected to be listed in its folder's manifest."""
    suffix = f.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        yield from iter_table(f, problems, columns, chunk_rows)
    elif suffix in TEXT_SUFFIXES or (named and suffix == ""):
        folder = f.parent
        if folder not in manifests:
            manifests[folder] = read_manifest(folder, problems)
        entry = manifests[folder].get(f.name)
        if not named and entry is None and (folder / MANIFEST).exists():
            problems.add(f, f"not listed in {folder / MANIFEST}; metadata read from the text", action="kept")
        yield read_text_file(f, problems, entry)
    else:
        problems.add(f, f"unsupported file type {suffix or '(none)'}; stance reads "
                        f"{sorted(TEXT_SUFFIXES | TABLE_SUFFIXES)}")


def _unique(doc: dict | None, seen: set[str], problems: Problems) -> Iterator[dict]:
    if doc is None:
        return
    if doc["doc_id"] in seen:
        base = doc["doc_id"]
        n = 2
        while f"{base}~{n}" in seen:
            n += 1
        doc["doc_id"] = f"{base}~{n}"
        problems.add(doc["path"], f"document id {base!r} already used by another file; renamed {doc['doc_id']!r}",
                     doc_id=doc["doc_id"], action="kept")
        doc["content_hash"] = content_hash(doc)
    seen.add(doc["doc_id"])
    yield doc


def load_corpus(paths: Iterable[str | Path] | str | Path, problems: Problems | None = None,
                columns: TableColumns = TableColumns()) -> pd.DataFrame:
    """The documents table (``schema.DOCUMENTS``) of the given files and folders."""
    return conform(list(iter_documents(paths, problems, columns)), DOCUMENTS)
