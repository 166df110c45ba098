"""``make bench``: how fast stance is, stage by stage, at growing corpus sizes.

The corpora are **replicated text**: the bundled corpus (``data/corpus``) repeated with new
document ids until each size is reached (``bench/corpus/``, not committed). Figures on replicated
text are figures for this kind of text (news and UN speeches), not for every corpus.

For each size (default 10 MB, 100 MB, 1 GB of text) a child process runs ``stance label`` on the
corpus (``--jobs``, default 2 = both cores), writing statements and labels to Parquet chunk by
chunk, then a timeline per actor; it runs twice on the same cache: cold (nothing cached) and warm.
Measured: seconds per stage (load = read and clean; extract and label are summed over worker
processes, so their MB/s is per core; timeline), end to end wall time, MB/s, documents/s,
statements/s, and peak memory (the largest process, from ``wait4``; and all processes together,
sampled). The machine's load average is recorded with every run: the machine may be shared.

Beside it, in the same run: textacy's ``direct_quotations`` on spaCy's small English model (its
own environment ``bench/.venv-spacy``) on a sample of the same text, against stance on that
sample; and ``stance report`` on a cached corpus of 100,000 statements against papermill +
nbconvert on an empty notebook.

Results: ``bench/results.json`` and a markdown table on standard output (``--readme`` also puts
it in README.md between the ``bench:start``/``bench:end`` markers). Nothing here asserts a time.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "corpus"
SPACY_PY = HERE / ".venv-spacy" / "bin" / "python"
MB = 1_000_000
NOTE = "figures are for replicated text: the bundled corpus repeated with new document ids"


# ------------------------------------------------------------------------------------------
# Corpora

def _bundled():
    import logging
    import warnings

    from stance import Problems, load_corpus

    logging.disable(logging.WARNING)
    warnings.simplefilter("ignore")
    return load_corpus([ROOT / "data" / "corpus"], Problems())


def build_corpus(mb: float, path: Path, docs=None, replicas: int | None = None) -> dict:
    """A Parquet table of the bundled corpus repeated with new ids to ``mb`` MB of text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    docs = docs if docs is not None else _bundled()
    cols = ["doc_id", "text", "title", "date", "source", "url", "speaker", "actor", "genre"]
    base = docs[cols].astype(str)
    per_replica = int(base["text"].map(lambda t: len(t.encode())).sum())
    n = replicas or max(1, math.ceil(mb * MB / per_replica))
    info = {"replicas": n, "documents": n * len(base), "bytes": n * per_replica, "path": str(path)}
    if path.exists():
        try:
            meta = json.loads(pq.read_schema(path).metadata[b"stance.bench"])
            if meta == {k: info[k] for k in ("replicas", "documents", "bytes")}:
                return info
        except Exception:  # noqa: BLE001 - rebuilt below
            pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    schema = pa.schema([(c if c != "doc_id" else "id", pa.string()) for c in cols]).with_metadata(
        {b"stance.bench": json.dumps({k: info[k] for k in ("replicas", "documents", "bytes")}).encode()})
    with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
        for k in range(n):
            part = base.assign(doc_id="r" + str(k) + "-" + base["doc_id"]).rename(columns={"doc_id": "id"})
            writer.write_table(pa.Table.from_pandas(part, schema=schema, preserve_index=False))
    os.replace(tmp, path)
    return info


# ------------------------------------------------------------------------------------------
# Measuring a child process

def measure(cmd: list[str], env: dict | None = None, timeout: float | None = None) -> dict:
    """Wall time, exit code, output and peak memory of a command."""
    import psutil

    out = tempfile.TemporaryFile(mode="w+")
    err = tempfile.TemporaryFile(mode="w+")
    load = os.getloadavg()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=err, env={**os.environ, **(env or {})}, cwd=ROOT)
    done = threading.Event()
    peak_tree = [0]

    def sample() -> None:
        try:
            top = psutil.Process(proc.pid)
        except psutil.Error:
            return
        while not done.is_set():
            try:
                total = top.memory_info().rss + sum(c.memory_info().rss for c in top.children(recursive=True))
                peak_tree[0] = max(peak_tree[0], total)
            except psutil.Error:
                pass
            done.wait(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    out.seek(0)
    err.seek(0)
    return {"wall_s": round(wall, 2), "returncode": proc.returncode, "stdout": out.read(), "stderr": err.read()[-3000:],
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "peak_tree_rss_mb": round(peak_tree[0] / MB, 1),
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 1), "loadavg_before": [round(x, 2) for x in load],
            "loadavg_after": [round(x, 2) for x in os.getloadavg()]}


def _json_tail(text: str) -> dict:
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"no JSON result in output: {text[-500:]}")


# ------------------------------------------------------------------------------------------
# The child: one run of the pipeline on a corpus

def child(args) -> None:
    import logging
    import warnings

    logging.disable(logging.WARNING)
    warnings.simplefilter("ignore")
    import pandas as pd

    from stance import pipeline
    from stance.io import TableWriter
    from stance.schema import LABELS, STATEMENTS
    from stance.timeline import timeline

    out = Path(args.out)
    labeler = None if args.labeler == "none" else args.labeler
    with TableWriter(out / "statements.parquet", STATEMENTS) as sw, TableWriter(out / "labels.parquet", LABELS) as lw:
        # like `stance label --out`: the tables go to their files, none is held in memory
        res = pipeline.run([args.corpus], labeler=labeler, jobs=args.jobs, cache=not args.no_cache,
                           writers={"statements": sw, "labels": lw}, engine=args.engine, keep=())
    stats = res.stats
    seconds = dict(stats["seconds"])
    if labeler and not args.no_timeline:
        t0 = time.perf_counter()
        # the timeline needs no statement text: leave it on disk (all labels of a 1 GB corpus
        # with their text would take a GB of memory), and make one actor's frame at a time.
        # Arrow reads the file and picks the rows (pandas' read_parquet with filters imports
        # pyarrow.dataset, 0.35 s)
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        cols = [c for c in LABELS if c not in ("text", "evidence")]
        table = pq.ParquetFile(out / "labels.parquet").read(columns=cols)
        actors = table["actor"].to_pandas().value_counts().index[:5]
        rows = sum(len(timeline(table.filter(pc.equal(table["actor"], a)).to_pandas().assign(
            text="", evidence=""), actor=a, period="year")) for a in actors if a != "unknown")
        seconds["timeline"] = round(time.perf_counter() - t0, 3)
        stats["timeline_rows"] = rows
    stats["seconds"] = seconds
    print(json.dumps(stats, default=str))


def run_child(corpus: Path, cache: Path, jobs: int, labeler: str = "hybrid", no_cache: bool = False,
              timeline: bool = True, engine: str = "local") -> dict:
    out = Path(tempfile.mkdtemp(prefix="out-", dir=WORK))
    cmd = [sys.executable, str(Path(__file__).resolve()), "_child", str(corpus), "--out", str(out), "--jobs", str(jobs),
           "--labeler", labeler, "--engine", engine] + (["--no-cache"] if no_cache else []) + \
          ([] if timeline else ["--no-timeline"])
    m = measure(cmd, env={"STANCE_CACHE": str(cache)})
    shutil.rmtree(out, ignore_errors=True)
    if m["returncode"] != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{m['stderr']}")
    m["stats"] = _json_tail(m.pop("stdout"))
    m.pop("stderr")
    return m


def fresh_cache(name: str, models: Path) -> Path:
    """An empty per-document cache that shares the trained model (training is not measured)."""
    cache = WORK / f"cache-{name}"
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True)
    (cache / "models").symlink_to(models, target_is_directory=True)
    return cache


def train_once(models_cache: Path) -> None:
    env = {"STANCE_CACHE": str(models_cache)}
    r = measure([sys.executable, "-c", "from stance.labelers import get_labeler; get_labeler('hybrid')"], env=env)
    if r["returncode"]:
        raise RuntimeError(r["stderr"])


# ------------------------------------------------------------------------------------------
# Comparisons

def spacy_comparison(docs, mb: float, models: Path) -> dict:
    """textacy + spaCy small vs stance on the same few MB of the same text."""
    sample = WORK / "spacy-sample.jsonl"
    rows, size = [], 0
    for k in range(1000):
        for rec in docs.to_dict("records"):
            if size >= mb * MB:
                break
            rows.append({"id": f"r{k}-{rec['doc_id']}", **{c: str(rec[c]) for c in (
                "text", "title", "date", "source", "url", "speaker", "actor", "genre")}})
            size += len(rec["text"].encode())
        if size >= mb * MB:
            break
    sample.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = {"sample_mb": round(size / MB, 2), "documents": len(rows)}
    cache = fresh_cache("spacy", models)
    ours = run_child(sample, cache, jobs=1, labeler="none", no_cache=True, timeline=False)
    ours_label = run_child(sample, cache, jobs=1, labeler="hybrid", no_cache=True, timeline=False)
    s, sl = ours["stats"], ours_label["stats"]
    result["stance_extract_mb_s"] = round(size / MB / s["seconds"]["extract"], 3)
    result["stance_extract_label_mb_s"] = round(size / MB / (sl["seconds"]["extract"] + sl["seconds"]["label"]), 3)
    result["stance_extract_mb_cpu_s"] = round(size / MB / s["seconds"]["extract_cpu"], 3)
    result["stance_statements"] = s["statements"]
    if not SPACY_PY.exists():
        result["spacy"] = f"not measured: {SPACY_PY} missing (make bench creates it)"
        return result
    m = measure([str(SPACY_PY), str(HERE / "spacy_quotes.py"), str(sample)])
    if m["returncode"]:
        result["spacy"] = f"failed: {m['stderr'][-500:]}"
        return result
    sp = _json_tail(m["stdout"])
    result["spacy"] = sp
    result["spacy_mb_s"] = round(sp["bytes"] / MB / sp["seconds"], 4)
    result["spacy_peak_rss_mb"] = m["peak_rss_mb"]
    result["ratio_extract"] = round(result["stance_extract_mb_s"] / result["spacy_mb_s"], 1)
    result["ratio_extract_label"] = round(result["stance_extract_label_mb_s"] / result["spacy_mb_s"], 1)
    return result


def report_comparison(docs, statements_per_replica: float, models: Path, target: int = 100_000,
                      repeats: int = 3) -> dict:
    """`stance report` on a cached corpus of ``target`` statements vs papermill + nbconvert on an
    empty notebook: after one cold render (which fills the cache), ``repeats`` warm renders, each
    followed by the empty notebook, so that both see the same load on a shared machine; medians of
    the wall times (and the CPU seconds of each process tree, robust to other work)."""
    import statistics

    replicas = math.ceil(target / statements_per_replica)
    corpus = WORK / f"report-{target}.parquet"
    info = build_corpus(0, corpus, docs, replicas=replicas)
    cache = fresh_cache("report", models)
    out = Path(tempfile.mkdtemp(prefix="reports-", dir=WORK))
    cmd = [sys.executable, "-m", "stance.cli", "report", "-p", "corpus", f"[{corpus}]", "--out", str(out)]
    env = {"STANCE_CACHE": str(cache)}
    cold = measure(cmd, env=env)
    if cold["returncode"]:
        raise RuntimeError(cold["stderr"])
    import nbformat

    empty = out / "empty.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")]), str(empty))
    code = ("import nbformat, papermill as pm\nfrom nbconvert import HTMLExporter\n"
            f"pm.execute_notebook({str(empty)!r}, {str(out / 'empty.out.ipynb')!r}, kernel_name='python3', "
            "progress_bar=False, log_output=False)\n"
            f"body, _ = HTMLExporter(exclude_input=True).from_notebook_node(nbformat.read({str(out / 'empty.out.ipynb')!r}, 4))\n")
    warm, base = [], []
    for _ in range(max(1, repeats)):
        w = measure(cmd, env=env)
        if w["returncode"]:
            raise RuntimeError(w["stderr"])
        b = measure([sys.executable, "-c", code])
        if b["returncode"]:
            raise RuntimeError(b["stderr"])
        warm.append(w)
        base.append(b)
    shutil.rmtree(out, ignore_errors=True)
    stats = None
    for f in (cache / "runs").rglob("statements.parquet"):
        import pyarrow.parquet as pq

        stats = pq.read_metadata(f).num_rows
    warm_s = statistics.median(w["wall_s"] for w in warm)
    base_s = statistics.median(b["wall_s"] for b in base)
    return {"corpus_documents": info["documents"], "statements": stats, "cold_s": cold["wall_s"],
            "warm_s": warm_s, "empty_notebook_s": base_s, "ratio": round(warm_s / base_s, 2),
            "warm_runs_s": [w["wall_s"] for w in warm], "empty_runs_s": [b["wall_s"] for b in base],
            "warm_cpu_s": statistics.median(w["cpu_s"] for w in warm),
            "empty_cpu_s": statistics.median(b["cpu_s"] for b in base),
            "loadavg": [w["loadavg_before"] for w in warm]}


# ------------------------------------------------------------------------------------------
# Table

def table(results: dict) -> str:
    lines = [f"*{NOTE}; {results['machine']['cpus']} cores, `--jobs {results['jobs']}`, load average "
             f"{results['machine']['loadavg_start']} at the start ({results['date']}). Extract and label MB/s per "
             "core are per CPU-second of the worker processes (robust to other work on the machine); end to end "
             "is wall time, Python start-up included.*", "",
             "| text | documents | statements | load MB/s | extract MB/s per core | label MB/s per core | "
             "extract + label MB/s per core | timeline s | cold: end to end | docs/s | statements/s | "
             "peak memory (largest process / all) | warm (cached) | speed-up |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results["sizes"]:
        if "skipped" in r:
            lines.append(f"| {r['mb']:g} MB | skipped: {r['skipped']} |" + " |" * 12)
            continue
        c, w = r["cold"], r["warm"]
        s, sec = c["stats"], c["stats"]["seconds"]
        mb = r["corpus"]["bytes"] / MB
        lines.append(
            f"| {mb:,.0f} MB | {s['documents']:,} | {s['statements']:,} | {mb / max(sec['load'], 1e-9):.1f} | "
            f"{mb / max(sec['extract_cpu'], 1e-9):.2f} | {mb / max(sec['label_cpu'], 1e-9):.2f} | "
            f"{mb / max(sec['extract_cpu'] + sec['label_cpu'], 1e-9):.2f} | {sec.get('timeline', 0):.1f} | "
            f"{c['wall_s']:.0f} s = **{mb / c['wall_s']:.2f} MB/s** | {s['documents'] / c['wall_s']:,.0f} | "
            f"{s['statements'] / c['wall_s']:,.0f} | {c['peak_rss_mb']:,.0f} / {c['peak_tree_rss_mb']:,.0f} MB | "
            f"{w['wall_s']:.1f} s | {c['wall_s'] / w['wall_s']:.0f}x |")
    sp = results.get("spacy")
    if sp and "ratio_extract" in sp:
        lines += ["", f"textacy `direct_quotations` + spaCy `en_core_web_sm` on {sp['sample_mb']} MB of the same text: "
                      f"{sp['spacy_mb_s'] * 1000:.0f} KB/s on one core; stance extraction {sp['stance_extract_mb_s']:.2f} MB/s "
                      f"(**{sp['ratio_extract']:.0f}x**), extraction + hybrid labels {sp['stance_extract_label_mb_s']:.2f} MB/s "
                      f"(**{sp['ratio_extract_label']:.0f}x**)."]
    elif sp:
        lines += ["", f"spaCy comparison: {sp.get('spacy')}"]
    rp = results.get("report")
    if rp:
        lines += ["", f"`stance report` on a cached corpus of {rp['statements'] or 0:,} statements: {rp['warm_s']:.1f} s "
                      + (f"(median of {len(rp['warm_runs_s'])} warm renders, each followed by the empty notebook) "
                         if len(rp.get("warm_runs_s", [])) > 1 else "")
                      + f"(first, uncached render {rp['cold_s']:.0f} s); papermill + nbconvert on an empty notebook "
                      f"{rp['empty_notebook_s']:.1f} s: **{rp['ratio']:.2f}x**."]
    return "\n".join(lines)


def put_in_readme(text: str) -> None:
    readme = ROOT / "README.md"
    body = readme.read_text(encoding="utf-8")
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if start not in body or end not in body:
        print(f"README.md has no {start} ... {end} markers; table not inserted", file=sys.stderr)
        return
    head, rest = body.split(start, 1)
    _, tail = rest.split(end, 1)
    tmp = readme.with_name(".README.md.tmp")
    tmp.write_text(f"{head}{start}\n{text}\n{end}{tail}", encoding="utf-8")
    os.replace(tmp, readme)


# ------------------------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd")
    c = sub.add_parser("_child")
    c.add_argument("corpus")
    c.add_argument("--out", required=True)
    c.add_argument("--jobs", type=int, default=2)
    c.add_argument("--labeler", default="hybrid")
    c.add_argument("--engine", default="local")
    c.add_argument("--no-cache", action="store_true")
    c.add_argument("--no-timeline", action="store_true")
    ap.add_argument("--sizes", default="10,100,1000", help="corpus sizes in MB of text")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--spacy-mb", type=float, default=2.0, help="sample size for the spaCy comparison")
    ap.add_argument("--no-spacy", action="store_true")
    ap.add_argument("--no-report", action="store_true")
    ap.add_argument("--report-statements", type=int, default=100_000, help="size of the cached corpus for `stance report`")
    ap.add_argument("--report-repeats", type=int, default=3, help="warm renders (and empty notebooks) to take the median of")
    ap.add_argument("--max-minutes", type=float, default=20,
                    help="skip a size whose cold run the previous size predicts to take longer")
    ap.add_argument("--readme", action="store_true", help="put the table in README.md")
    ap.add_argument("--keep", action="store_true", help="keep the generated corpora and caches")
    args = ap.parse_args()
    if args.cmd == "_child":
        child(args)
        return
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"stance bench: {NOTE}.", file=sys.stderr)
    results = {"note": NOTE, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
               "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                           "loadavg_start": [round(x, 2) for x in os.getloadavg()]},
               "jobs": args.jobs, "sizes": []}
    docs = _bundled()
    models = WORK / "models-cache"
    train_once(models)
    models = models / "models"
    prev = None
    for mb in [float(x) for x in args.sizes.split(",") if x]:
        entry = {"mb": mb}
        if prev and prev["cold"]["wall_s"] * mb / prev["mb"] > args.max_minutes * 60:
            entry["skipped"] = (f"the {prev['mb']:g} MB run ({prev['cold']['wall_s']:.0f} s) predicts "
                                f"{prev['cold']['wall_s'] * mb / prev['mb'] / 60:.0f} min, over --max-minutes {args.max_minutes:g}")
            print(f"{mb:g} MB: {entry['skipped']}", file=sys.stderr)
            results["sizes"].append(entry)
            continue
        path = WORK / f"replicated-{mb:g}MB.parquet"
        t0 = time.perf_counter()
        entry["corpus"] = build_corpus(mb, path, docs)
        entry["corpus"]["build_s"] = round(time.perf_counter() - t0, 1)
        cache = fresh_cache(f"{mb:g}MB", models)
        print(f"{mb:g} MB: {entry['corpus']['documents']:,} documents; cold run ...", file=sys.stderr)
        entry["cold"] = run_child(path, cache, args.jobs)
        print(f"{mb:g} MB: cold {entry['cold']['wall_s']:.0f} s; warm run ...", file=sys.stderr)
        entry["warm"] = run_child(path, cache, args.jobs)
        print(f"{mb:g} MB: warm {entry['warm']['wall_s']:.1f} s", file=sys.stderr)
        if not args.keep:
            shutil.rmtree(cache, ignore_errors=True)
        results["sizes"].append(entry)
        prev = entry
        _save(results)
    if not args.no_spacy:
        print(f"spaCy comparison on {args.spacy_mb:g} MB ...", file=sys.stderr)
        results["spacy"] = spacy_comparison(docs, args.spacy_mb, models)
        _save(results)
    measured = [e for e in results["sizes"] if "cold" in e]
    if not args.no_report and measured:
        e = measured[0]
        per_replica = e["cold"]["stats"]["statements"] / e["corpus"]["replicas"]
        print(f"report on {args.report_statements:,} cached statements vs an empty notebook ...", file=sys.stderr)
        results["report"] = report_comparison(docs, per_replica, models, args.report_statements, args.report_repeats)
    results["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    _save(results)
    text = table(results)
    print(text)
    (HERE / "results.md").write_text(text + "\n", encoding="utf-8")
    if args.readme:
        put_in_readme(text)
    if not args.keep:
        for f in WORK.glob("replicated-*.parquet"):
            f.unlink()


def _save(results: dict) -> None:
    tmp = HERE / ".results.json.tmp"
    tmp.write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, HERE / "results.json")


if __name__ == "__main__":
    main()
