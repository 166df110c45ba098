"""Rendering notebooks to HTML reports with papermill and nbconvert.

Parameters are checked before any notebook runs (unknown actor or issue, missing corpus, start
after end fail at once with the valid choices). The executed notebook and its HTML (code cells
hidden) are written atomically under ``reports/`` with a name built from the parameters and
sanitised; ``reports/index.html`` lists every report. A failed run keeps the previous report and
names the failing cell.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import html
import json
import os
import re
import shutil
import sys
from pathlib import Path

import pandas as pd

from .codebook import load_codebook
from .io import read_table, write_bytes, write_table, write_text
from .problems import StanceInputError
from .resources import data_dir

PROJECT = data_dir().parent
NOTEBOOKS = PROJECT / "notebooks"
NAME_DEFAULTS = {"actor": "russia", "period": "year"}
DEFAULT_REPORTS = [
    {"actor": "russia", "issues": [], "compare": ["usa", "un", "syria_government", "syria_opposition"]},
    {"actor": "russia", "issues": ["assad_future", "terrorist_lists"], "compare": ["usa", "un"]},
]
PERIOD_CHOICES = ("year", "quarter", "month", "windows")
LABELER_CHOICES = ("rule", "model", "hybrid")
# the evaluation notebook also compares the hybrid trained on the annotations alone
EVALUATED_LABELERS = LABELER_CHOICES + ("hybrid-annotations",)
_TYPES = {"list": list, "int": int, "float": float, "bool": bool, "str": str}


def notebook_path(notebook: str | Path = "report") -> Path:
    """A notebook by name in ``notebooks/`` or by path; StanceInputError listing the notebooks."""
    nb_path = Path(notebook)
    if not nb_path.suffix:
        nb_path = NOTEBOOKS / f"{notebook}.ipynb"
    if not nb_path.exists():
        names = ", ".join(sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")))
        raise StanceInputError(f"notebook {nb_path} does not exist; notebooks: {names}")
    return nb_path


# papermill's PythonTranslator.PARAMETER_PATTERN: ``name: type = default  # help``
_PARAMETER_LINE = re.compile(
    r"^(?P<target>\w[\w_]*)\s*(:\s*[\"']?(?P<annotation>\w[\w_\[\],\s]*)[\"']?\s*)?=\s*(?P<value>.*?)"
    r"(\s*#\s*(type:\s*(?P<type_comment>[^\s]*)\s*)?(?P<help>.*))?$")


def notebook_parameters(notebook: str | Path = "report") -> dict[str, dict]:
    """The parameters of a notebook's ``parameters`` cell: name -> type, default and help.

    Read as papermill's ``inspect_notebook`` reads a Python notebook (same pattern, same grouping
    of lines; tests compare the two) without importing papermill: the report's kernel checks its
    parameters with this, and papermill's import (nbformat, jsonschema) costs it about a second."""
    nb = json.loads(notebook_path(notebook).read_text(encoding="utf-8"))
    cell = next((c for c in nb.get("cells", []) if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if cell is None:
        return {}
    src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])

    def flatten(lines: list[str]) -> str:  # a definition over several lines; help only from the last
        flat = "".join(ln[:ln.index("#")].strip() if "#" in ln else ln.strip() for ln in lines[:-1])
        return flat + (lines[-1].strip() if lines else "")

    groups, acc = [], []
    for line in src.splitlines():
        if not line.strip() or line.strip().startswith("#"):
            continue
        if line.count("=") > 0:
            groups.append(flatten(acc))
            acc = []
            if line.count("=") > 1:  # papermill cannot parse it either
                continue
        acc.append(line)
    groups.append(flatten(acc))
    found = {}
    for definition in filter(None, groups):
        m = _PARAMETER_LINE.match(definition)
        if m is None:
            continue
        found[m["target"].strip()] = {"type": str(m["annotation"] or m["type_comment"] or None).strip(),
                                      "default": str(m["value"]).strip(), "help": str(m["help"] or "").strip()}
    return found


def _as_list(value) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, str):
        v = value.strip()
        if v.startswith("["):
            import yaml

            return list(yaml.safe_load(v))
        return [x.strip() for x in v.split(",") if x.strip()]
    return [value]


def _coerce(name: str, value, kind: str):
    if kind == "list":
        return _as_list(value)
    if kind == "bool":
        if isinstance(value, str) and value.lower() in ("true", "yes", "1", "false", "no", "0"):
            return value.lower() in ("true", "yes", "1")
        if isinstance(value, bool):
            return value
        raise StanceInputError(f"parameter {name} must be true or false, not {value!r}")
    if kind in ("int", "float"):
        try:
            return _TYPES[kind](value)
        except (TypeError, ValueError):
            raise StanceInputError(f"parameter {name} must be a number ({kind}), not {value!r}") from None
    if kind == "str":
        return "" if value is None else value.isoformat() if hasattr(value, "isoformat") else str(value)
    return value


def validate_parameters(params: dict, notebook: str | Path = "report") -> dict:
    """Check and normalise a notebook's parameters before it runs: names must be the notebook's
    (``notebook_parameters``), values are converted to the declared type (lists from "a,b" or
    "[a, b]", dates to YYYY-MM-DD), and actors, issues, periods, labelers, dates and corpus paths
    must exist. Raises StanceInputError listing the valid choices."""
    cb = load_codebook()
    declared = notebook_parameters(notebook)
    p = dict(params)
    unknown = [k for k in p if k not in declared]
    if unknown:
        raise StanceInputError(f"unknown parameters {unknown} for notebook {notebook_path(notebook).name}; valid: "
                               + ", ".join(f"{k} ({v['type']})" for k, v in declared.items()))
    for key in p:
        p[key] = _coerce(key, p[key], declared[key]["type"])
    actors = cb.actors
    for key in ("actor",):
        if key in p and p[key] not in actors:
            raise StanceInputError(f"unknown actor {p[key]!r}; valid actors: {', '.join(actors)}")
    bad = [a for a in p.get("compare", []) if a not in actors]
    if bad:
        raise StanceInputError(f"unknown comparison actors {bad}; valid actors: {', '.join(actors)}")
    bad = [i for i in p.get("issues", []) + ([p["issue"]] if p.get("issue") else []) if i not in cb.issues]
    if bad:
        raise StanceInputError(f"unknown issues {bad}; valid issues: {', '.join(cb.issues)}")
    if p.get("period", "year") not in PERIOD_CHOICES:
        raise StanceInputError(f"period must be one of {', '.join(PERIOD_CHOICES)}, not {p['period']!r}")
    for key in ("start", "end"):
        if p.get(key) not in (None, ""):
            try:
                p[key] = pd.Timestamp(p[key]).strftime("%Y-%m-%d")
            except ValueError:
                raise StanceInputError(f"{key} {p[key]!r} is not a date (use YYYY-MM-DD)") from None
    if p.get("start") and p.get("end") and pd.Timestamp(p["start"]) > pd.Timestamp(p["end"]):
        raise StanceInputError(f"start {p['start']} is after end {p['end']}")
    for path in p.get("corpus", []):
        full = Path(path) if Path(path).is_absolute() else PROJECT / path
        if not full.exists():
            raise StanceInputError(f"corpus path {path!r} does not exist (looked in {full})")
    if p.get("engine", "local") not in ("local", "dask"):
        raise StanceInputError(f"unknown engine {p['engine']!r}; valid: local, dask")
    # a report draws one labeler's labels; the evaluation notebook may also compare "hybrid-annotations"
    for names, valid in (([p["labeler"]] if "labeler" in p else [], LABELER_CHOICES),
                         (p.get("labelers", []), EVALUATED_LABELERS)):
        bad = [x for x in names if x not in valid]
        if bad:
            raise StanceInputError(f"unknown labeler {bad[0]!r}; valid: {', '.join(valid)}")
    return p


def check_selection(params: dict, notebook: str | Path = "report") -> None:
    """Fail before rendering when the report would be empty: the actor has no labelled statement
    in the corpus and dates asked for (the corpus run is cached and reused by the notebook)."""
    declared = notebook_parameters(notebook)
    if "actor" not in declared or "corpus" not in declared:
        return
    full = {k: _coerce(k, _literal(v["default"]), v["type"]) for k, v in declared.items() if k in ("corpus", "actor", "labeler", "start", "end", "issues")}
    full.update({k: v for k, v in params.items() if k in full})
    from .notebook import filter_dates

    labeler = full.get("labeler", "hybrid")
    labels = None
    if cached_statements(full["corpus"], labeler) is not None:
        # only the labels table: the statements and documents (100,000s of rows) are the kernel's to read
        try:
            labels = read_table(run_folder(full["corpus"], labeler) / "labels.parquet")
        except Exception:  # noqa: BLE001, S110 - unreadable: load_run below rebuilds the run
            pass
    if labels is None:
        labels = load_run(full["corpus"], labeler=labeler)["labels"]
    mine = filter_dates(labels[labels["actor"] == full["actor"]], full.get("start") or None, full.get("end") or None)
    if full.get("issues"):
        mine = mine[mine["issue"].isin(full["issues"])]
    if mine.empty:
        having = labels["actor"].value_counts()
        having = ", ".join(f"{a} ({n})" for a, n in having.items() if a != "unknown")
        raise StanceInputError(
            f"nothing to report: no labelled statement of {full['actor']!r} in {full['corpus']}"
            + (f" on {full['issues']}" if full.get("issues") else "")
            + (f" between {full.get('start') or 'the start'} and {full.get('end') or 'the end'}" if full.get("start") or full.get("end") else "")
            + f"; actors with labelled statements there: {having or 'none'}")


def _literal(text: str):
    import ast

    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def require_statements(corpus: list[str]) -> None:
    """Raise StanceInputError, before any notebook runs, if ``corpus`` yields no statement.
    Stops at the first document with a statement, so a usable corpus costs little."""
    from .corpus import iter_documents
    from .problems import Problems
    from .statements import statements_of

    problems = Problems()
    n_docs = 0
    for doc in iter_documents([Path(c) if Path(c).is_absolute() else PROJECT / c for c in corpus], problems):
        n_docs += 1
        if statements_of(doc):
            return
    reasons = "; ".join(f"{Path(r['path']).name}: {r['reason']}" for r in problems.rows if r["action"] == "skipped")
    raise StanceInputError(
        f"corpus {corpus} yields no statements ({n_docs} documents read, {problems.skipped()} skipped"
        f"{': ' + reasons[:500] if reasons else ''}); nothing to report. Check the paths, or list what was "
        f"skipped with: stance extract PATH --problems FILE")


def report_name(params: dict, notebook: str = "report") -> str:
    """A file name from the notebook and its parameters, sanitised (letters, digits, - and _)."""
    if notebook != "report":
        parts = [notebook] + ["-".join(map(str, v)) if isinstance(v, list) else str(v)
                              for _, v in sorted(params.items()) if v not in ("", [], None)]
    else:
        parts = [notebook, params.get("actor", ""), "-".join(params.get("issues", []) or ["all"]), params.get("period", "")]
        if params.get("start") or params.get("end"):
            parts.append(f"{params.get('start', '')}_{params.get('end', '')}")
        if params.get("compare"):
            parts.append("vs-" + "-".join(params["compare"]))
    name = "_".join(x for x in parts if x)
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")[:150]
    return name or "report"


@contextlib.contextmanager
def _locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def update_index(out_dir: Path, entry: dict) -> None:
    """Add or replace a report in ``index.json`` and rewrite ``index.html``, under a lock."""
    with _locked(out_dir / ".index.lock"):
        idx_path = out_dir / "index.json"
        try:
            entries = json.loads(idx_path.read_text()) if idx_path.exists() else []
        except json.JSONDecodeError:
            entries = []
        entries = [e for e in entries if e.get("name") != entry["name"]] + [entry]
        entries.sort(key=lambda e: e["name"])
        write_text(idx_path, json.dumps(entries, indent=1))
        rows = "\n".join(
            f"<tr><td><a href=\"{html.escape(e['name'])}.html\">{html.escape(e['name'])}</a></td>"
            f"<td><code>{html.escape(json.dumps(e['parameters']))}</code></td><td>{html.escape(e['rendered'])}</td></tr>"
            for e in entries)
        write_text(out_dir / "index.html", f"""<!doctype html><html><head><meta charset="utf-8">
<title>stance reports</title><style>body{{font-family:sans-serif;margin:2em}}td{{padding:4px 10px;border-bottom:1px solid #ddd}}</style>
</head><body><h1>stance reports</h1><table><tr><th>report</th><th>parameters</th><th>rendered</th></tr>
{rows}</table></body></html>""")


def _remove_abandoned(out: Path) -> None:
    """Delete the running notebooks of killed runs (their process is gone); those of runs still
    going (a concurrent render) are left alone."""
    for f in out.glob(".*.running.ipynb"):
        pid = f.name.rsplit(".", 3)[-3]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            f.unlink(missing_ok=True)
        except PermissionError:  # another user's live process
            pass


@contextlib.contextmanager
def _without_rfc3987_syntax():
    """While nbformat is first imported, hide the optional ``rfc3987_syntax``: jsonschema imports
    it, if installed, for its "iri" format checks, and it builds some forty grammars with lark on
    import (about 1.1 s, half of what papermill and nbconvert take for an empty notebook). nbformat
    validates without format checks, so nothing here needs it; it is importable again after."""
    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        yield
        return
    sys.modules["rfc3987_syntax"] = None  # an import of it raises ImportError, which jsonschema skips
    try:
        yield
    finally:
        if sys.modules.get("rfc3987_syntax", 0) is None:
            del sys.modules["rfc3987_syntax"]


def render(params: dict | None = None, notebook: str | Path = "report", out_dir: str | Path | None = None,
           kernel_name: str = "python3", cell_timeout: int = 1800) -> Path:
    """Run a notebook with papermill and export HTML without code. Returns the HTML path.

    Parameters are validated (and the selection checked non-empty) before the notebook runs. A
    failed run leaves the previous report in place, keeps the failed notebook beside it
    (``NAME.failed.ipynb``) and raises StanceInputError naming the failing cell.
    """
    nb_path = notebook_path(notebook)
    params = validate_parameters(params or {}, nb_path)
    km = _start_kernel(kernel_name, nb_path)
    try:
        return _render(params, nb_path, out_dir, kernel_name, cell_timeout, km)
    finally:
        _stop_kernel(km)


def notebook_imports(notebook: str | Path) -> list[str]:
    """The modules a notebook's code cells import at top level (``import a.b``: a.b; ``from a
    import b``: a and a.b, which may not be a module), in order, each once."""
    import ast

    nb = json.loads(notebook_path(notebook).read_text(encoding="utf-8"))
    found: list[str] = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        try:
            tree = ast.parse(cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"]))
        except SyntaxError:  # a cell with IPython magics
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                found += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found += [node.module] + [f"{node.module}.{a.name}" for a in node.names]
    return list(dict.fromkeys(found))


def prefetch(modules: list[str]) -> None:
    """Import ``modules`` (those that are modules; others are skipped, and so is any error: the
    notebook's own imports report it), warnings silenced. Run by a report's kernel as it starts."""
    import importlib
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001, S112 - not a module, or failing: the notebook says so itself
                continue


def _start_kernel(kernel_name: str, nb_path: Path):
    """Start the notebook's kernel now and have it import the modules the notebook imports as it
    starts (``IPKernelApp.exec_lines``, run before it serves the first cell and outside the
    notebook: nothing of it is in the output), so that the kernel boots and imports while this
    process imports papermill and nbconvert and checks the corpus: on two cores, at once.
    Returns the kernel manager papermill is given, or None (papermill then starts the kernel)."""
    try:
        from jupyter_client.manager import AsyncKernelManager  # what nbclient would create
        from jupyter_core.utils import run_sync

        km = AsyncKernelManager(kernel_name=kernel_name)
        modules = notebook_imports(nb_path)
        # the kernel app's own log warnings (e.g. "running over TCP without encryption", on a
        # kernel bound to localhost) are not the user's business; cell errors still reach them
        extra = ["--IPKernelApp.log_level=ERROR"]
        if modules:
            extra.append(f"--IPKernelApp.exec_lines=__import__('stance.report').report.prefetch({modules!r})")
        run_sync(km.start_kernel)(extra_arguments=extra, cwd=str(PROJECT))
        return km
    except Exception:  # noqa: BLE001 - papermill starts the kernel the usual way and reports what fails
        return None


def _stop_kernel(km) -> None:
    if km is None:
        return
    try:
        from jupyter_core.utils import run_sync

        if run_sync(km.is_alive)():
            run_sync(km.shutdown_kernel)(now=True)
        else:
            km.cleanup_resources()
    except Exception:  # noqa: BLE001 - the kernel is gone already
        pass


_MISSING_ALT = "No description has been provided for this image"


def _finish_tag(match: re.Match) -> str:
    """The two changes nbconvert's HTMLExporter makes to the page's tags with BeautifulSoup: alt
    text on an image that has none, and tabindex="0" on each output (and input) area."""
    tag, name = match.group(0), match.group(1).lower()
    end = len(tag) - (2 if tag.endswith("/>") else 1)
    if name == "img":
        if re.search(r"\salt\s*=", tag):
            return tag
        return f'{tag[:end].rstrip()} alt="{_MISSING_ALT}"{tag[end:]}'
    classes = re.search(r'\sclass\s*=\s*"([^"]*)"', tag)
    if classes and {"jp-OutputArea-output", "jp-Cell-inputWrapper"} & set(classes.group(1).split()):
        return f'{tag[:end].rstrip()} tabindex="0"{tag[end:]}'
    return tag


def export_html(nb, **config) -> str:
    """The executed notebook as an HTML page without code (nbconvert's HTMLExporter), made in one
    pass: HTMLExporter parses and re-serialises the whole page with BeautifulSoup only to add alt
    text to images without it and tabindex to output areas (0.3-0.4 CPU s on a report with a
    1,000-row statements table); the same two attributes are added here to the template's tags.
    Parsed, the page is the exporter's page (a test compares them)."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter

    class _OnePass(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            # HTMLExporter.from_notebook_node up to its BeautifulSoup pass
            from nbconvert.filters.highlight import Highlight2HTML
            from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            self.register_filter("highlight_code", self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return re.sub(r"<(img|div)\b[^>]*>", _finish_tag, page, flags=re.IGNORECASE), resources

    options = {"exclude_input": True, "exclude_input_prompt": True, "exclude_output_prompt": True, **config}
    body, _ = _OnePass(**options).from_notebook_node(nb)
    return body


def _render(params: dict, nb_path: Path, out_dir, kernel_name: str, cell_timeout: int, km) -> Path:
    with _without_rfc3987_syntax():
        import nbformat  # noqa: F401 - first here, rfc3987_syntax hidden (papermill needs it)
        import papermill as pm
        from nbclient.exceptions import CellTimeoutError
        from nbconvert import HTMLExporter  # noqa: F401 - imported here, hidden rfc3987_syntax and all

    if params.get("corpus") and not cached_statements(params["corpus"], params.get("labeler", "hybrid")):
        # (a cached run with statements answers this without reading the corpus again)
        require_statements(params["corpus"])
    check_selection(params, nb_path)
    if nb_path.stem == "report":
        naming = {**NAME_DEFAULTS, **params}
    else:  # the name says what was shown even where the defaults were used
        declared = notebook_parameters(nb_path)
        naming = {**{k: _literal(declared[k]["default"]) for k in ("actor", "issue", "period") if k in declared}, **params}
    out = Path(out_dir) if out_dir else PROJECT / "reports"
    out = out.resolve()
    name = report_name(naming, nb_path.stem)
    target = (out / f"{name}.html").resolve()
    if out not in target.parents:
        raise StanceInputError(f"report name {name!r} would write outside {out}")
    out.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(out)
    tmp_nb = out / f".{name}.{os.getpid()}.running.ipynb"
    try:
        # the notebook is written once, at the end (or with the failing cell): papermill would
        # otherwise write it, validated, before and after every cell (0.55 CPU s of 47 writes).
        # Till then the source notebook stands in for it, marking the run as under way (a killed
        # run's is cleared by the next run)
        shutil.copyfile(nb_path, tmp_nb)
        executed = pm.execute_notebook(str(nb_path), str(tmp_nb), parameters=params, kernel_name=kernel_name,
                            cwd=str(PROJECT), progress_bar=False, log_output=False, execution_timeout=cell_timeout,
                            request_save_on_cell_execute=False, **({"km": km} if km is not None else {}))
    except CellTimeoutError as err:
        tmp_nb.unlink(missing_ok=True)  # the unexecuted stand-in
        raise StanceInputError(f"notebook {nb_path.name}: a cell ran longer than {cell_timeout} s and was stopped "
                               f"({str(err).splitlines()[0][:120]}); the previous report is kept; no partial "
                               f"notebook is kept") from None
    except pm.PapermillExecutionError as err:
        failed = out / f"{name}.failed.ipynb"
        if tmp_nb.exists():
            os.replace(tmp_nb, failed)
        first_line = next((ln for ln in str(err.source or "").splitlines() if ln.strip() and not ln.startswith("#")), "")
        kept = "the previous report is kept" if target.exists() else "no earlier report existed"
        raise StanceInputError(
            f"notebook {nb_path.name} failed in cell {err.exec_count} (\"{first_line[:80]}\"): {err.ename}: "
            f"{err.evalue}; {kept}; the failed notebook is {failed}") from None
    body = export_html(executed)  # the notebook papermill wrote, not read back from the file (0.2 s)
    write_bytes(target, body.encode("utf-8"))
    os.replace(tmp_nb, out / f"{name}.ipynb")
    (out / f"{name}.failed.ipynb").unlink(missing_ok=True)
    update_index(out, {"name": name, "notebook": nb_path.name, "parameters": params,
                       "rendered": dt.datetime.now().strftime("%Y-%m-%d %H:%M")})
    return target


# ------------------------------------------------------------------------------------------
# Cached corpus runs for notebooks

def corpus_fingerprint(paths: list[str]) -> str:
    h = hashlib.blake2b(digest_size=12)
    for path in sorted(paths):
        p = Path(path) if Path(path).is_absolute() else PROJECT / path
        files = [p] if p.is_file() else sorted(f for f in p.rglob("*") if f.is_file())
        for f in files:
            st = f.stat()
            h.update(f"{f}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()


RUN_TABLES = ("documents", "statements", "labels", "problems")


def _resolved(corpus: list[str] | str) -> list[str]:
    return [str(Path(p) if Path(p).is_absolute() else PROJECT / p) for p in _as_list(corpus)]


def run_folder(corpus: list[str] | str, labeler: str = "hybrid") -> Path:
    """Where :func:`load_run` caches the tables of ``corpus`` labelled by ``labeler``: keyed by
    the corpus files' paths, sizes and modification times, and the versions of the extractor,
    labeler and codebook."""
    from .cache import cache_dir
    from .pipeline import extractor_key, labeler_key

    # the pipeline's own cache keys: stable across processes (``Extractor.version`` orders a set,
    # so it differed from one process to the next and no run was ever found in the cache), and
    # computed from file contents without importing scikit-learn or compiling the extractor
    key = hashlib.blake2b(f"{corpus_fingerprint(_resolved(corpus))}|{labeler_key(labeler)}|{extractor_key()}|"
                          f"{load_codebook().digest}".encode(), digest_size=10).hexdigest()
    return cache_dir() / "runs" / key


def cached_statements(corpus: list[str] | str, labeler: str = "hybrid") -> int | None:
    """The number of statements in the cached run of ``corpus`` (from the Parquet footer), or
    None when the run is not cached."""
    folder = run_folder(corpus, labeler)
    if not all((folder / f"{n}.parquet").exists() for n in RUN_TABLES):
        return None
    try:
        import pyarrow.parquet as pq

        return pq.read_metadata(folder / "statements.parquet").num_rows
    except Exception:  # noqa: BLE001 - unreadable: load_run rebuilds it
        return None


def load_run(corpus: list[str] | str, labeler: str = "hybrid", jobs: int = 1, cache: bool = True,
             engine: str = "local", scheduler=None) -> dict:
    """Documents, statements, labels and problems of a corpus, cached by content and versions.
    ``engine``/``scheduler``: as for :func:`stance.pipeline.run` (the same rows either way)."""
    from .pipeline import run

    resolved = _resolved(corpus)
    folder = run_folder(corpus, labeler)
    names = RUN_TABLES
    if cache and all((folder / f"{n}.parquet").exists() for n in names):
        try:
            return {n: read_table(folder / f"{n}.parquet") for n in names}
        except Exception:  # noqa: BLE001 - a torn or stale cache is rebuilt
            pass
    res = run(resolved, labeler=labeler, jobs=jobs, cache=cache, engine=engine, scheduler=scheduler)
    tables = {"documents": res.documents, "statements": res.statements, "labels": res.labels,
              "problems": res.problems.frame()}
    if cache:
        for n, t in tables.items():
            write_table(t, folder / f"{n}.parquet")
    return tables
