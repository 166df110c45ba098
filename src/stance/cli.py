"""Command line: ``stance extract|label|timeline|report|evaluate|stats``.

``--out`` writes CSV or Parquet by extension, otherwise CSV to standard output. Errors go to
standard error with a non-zero exit code and a message naming the file and the problem.
"""
from __future__ import annotations

import argparse
import contextlib
import logging
import sys
import warnings
from pathlib import Path

import pandas as pd

from .corpus import TableColumns
from .io import write_table
from .problems import Problems, StanceInputError


def _columns(args) -> TableColumns:
    return TableColumns(text=args.text_column, title=args.title_column, date=args.date_column,
                        source=args.source_column, url=args.url_column, id=args.id_column, dayfirst=args.dayfirst)


def _emit(frame: pd.DataFrame, out: str | None) -> None:
    if out:
        write_table(frame, out)
        print(f"wrote {len(frame)} rows to {out}", file=sys.stderr)
    else:
        frame.to_csv(sys.stdout, index=False)


def _summary(stats: dict, problems: Problems, quiet: bool) -> None:
    if quiet:
        return
    print(f"stance: {stats.get('documents', 0)} documents, {stats.get('statements', 0)} statements, "
          f"{stats.get('labels', 0)} labels; {problems.skipped()} skipped, "
          f"{len(problems.rows) - problems.skipped()} kept with a problem", file=sys.stderr)
    if stats.get("documents_from_cache"):
        print(f"  from the cache: {stats['documents_from_cache']} documents, {stats['statements_from_cache']} statements, "
              f"{stats['labels_from_cache']} labels", file=sys.stderr)
    for r in problems.rows[:20]:
        where = r["path"] + (f" row {r['row']}" if r["row"] else "")
        print(f"  {r['action']}: {where}: {r['reason']}", file=sys.stderr)
    if len(problems.rows) > 20:
        print(f"  ... and {len(problems.rows) - 20} more (write them with --problems FILE)", file=sys.stderr)


class _Tee:
    """Passes statement chunks to a writer and keeps the few columns of those with an unknown or
    guessed actor, for the summary (the statements themselves are not kept)."""

    def __init__(self, writer, unknown: list[pd.DataFrame]):
        self.writer, self.unknown = writer, unknown

    def write_arrow(self, table) -> None:
        if "issue" in table.column_names:  # labels: nothing to keep, passed on as they are
            self.writer.write_arrow(table)
        else:
            from .schema import STATEMENTS, conform

            self.write(conform(table.to_pandas(), STATEMENTS))

    def write(self, frame: pd.DataFrame) -> None:
        self.writer.write(frame)
        if "actor" in frame and "kind" in frame and "issue" not in frame:
            # unplaced speakers: actor 'unknown' or only guessed by the actor model ('+model')
            keep = (frame["actor"] == "unknown") | frame["speaker_method"].fillna("").str.endswith("+model") \
                if "speaker_method" in frame else frame["actor"] == "unknown"
            unk = frame.loc[keep, [c for c in ("statement_id", "doc_id", "speaker", "actor", "speaker_method")
                                   if c in frame]]
            if len(unk):
                self.unknown.append(unk.assign(text=""))


def _stats(stats: dict, problems: Problems) -> None:
    rows = [("documents", stats["documents"], stats["documents_from_cache"]),
            ("statements", stats["statements"], stats["statements_from_cache"]),
            ("labels", stats["labels"], stats["labels_from_cache"])]
    print(f"{'':<12}{'total':>10}{'from cache':>12}")
    for name, total, cached in rows:
        print(f"{name:<12}{total:>10}{cached:>12}")
    print(f"{'characters':<12}{stats['characters']:>10}")
    print(f"skipped: {stats['skipped']} documents; kept with a problem: {stats['problems'] - stats['skipped']}")
    for reason, n in stats["skipped_by_reason"].items():
        print(f"  {n:>6}  {reason}")
    secs = stats.get("seconds", {})
    print("seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in secs.items()))


def _corpus_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", help="files or folders: .txt .md .html, .csv .jsonl .parquet tables")
    p.add_argument("--out", help="output file (.csv or .parquet); default CSV on standard output")
    p.add_argument("--strict", action="store_true", help="fail on any skipped document")
    p.add_argument("--quiet", action="store_true", help="no summary or progress on standard error")
    p.add_argument("--jobs", type=int, default=1, help="worker processes, or Dask workers of a local cluster (default 1)")
    p.add_argument("--engine", default="local", choices=["local", "dask"],
                   help="run the per-document work here (local) or on a Dask cluster (dask)")
    p.add_argument("--scheduler", help="with --engine dask: address of a running Dask scheduler "
                                       "(default: start a local cluster of --jobs workers)")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the per-document cache")
    p.add_argument("--rehash", action="store_true",
                   help="read and hash every input file, also those whose size and modification time are "
                        "unchanged since the last run (which are otherwise not read again)")
    p.add_argument("--problems", help="write the skipped/problem documents table to this file")
    for role in ("text", "title", "date", "source", "url", "id"):
        p.add_argument(f"--{role}-column", help=f"name of the {role} column in tables")
    p.add_argument("--dayfirst", action="store_true", help="table dates are D/M/YYYY (default M/D/YYYY)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="stance", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("extract", help="statements table")
    _corpus_args(p)
    p = sub.add_parser("label", help="labels table")
    _corpus_args(p)
    p.add_argument("--labeler", default="hybrid", choices=["rule", "model", "hybrid"])
    p = sub.add_parser("timeline", help="stance per actor, issue and period")
    _corpus_args(p)
    p.add_argument("--actor", required=True)
    p.add_argument("--period", default="year", choices=["year", "quarter", "month", "windows"],
                   help="bins; windows: the named phases of data/windows.csv")
    p.add_argument("--labeler", default="hybrid", choices=["rule", "model", "hybrid"])
    p.add_argument("--weighted", action="store_true", help="weight stances by confidence")
    p = sub.add_parser("stats", help="how many documents, statements and labels; from the cache; skipped and why")
    _corpus_args(p)
    p.add_argument("--labeler", default="hybrid", choices=["rule", "model", "hybrid"])
    p = sub.add_parser("classify", help="label statements you already have (a table), without extraction")
    p.add_argument("table", help="CSV, JSONL or Parquet table of statements")
    p.add_argument("--text-column", default="text", help="column with the statement's words (default text)")
    p.add_argument("--issue-column", default="issue",
                   help="column naming the issue each statement is about: gives its stance on that issue; "
                        "without it, every issue the labeler finds (default issue)")
    p.add_argument("--labeler", default="hybrid", choices=["rule", "model", "hybrid"])
    p.add_argument("--out", help="CSV or Parquet file (default: CSV to standard output)")
    p = sub.add_parser("report", help="render notebooks/report.ipynb (or --notebook) to HTML")
    p.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"))
    p.add_argument("-f", "--parameters-file", help="YAML file of parameters")
    p.add_argument("--out", help="output folder (default reports/)")
    p.add_argument("--notebook", default="report", help="notebook name in notebooks/ or a path")
    p.add_argument("--default", action="store_true", help="render the default set of reports")
    p = sub.add_parser("evaluate", help="compare predictions with hand annotations")
    p.add_argument("what", choices=["statements", "stances", "agreement"])
    p.add_argument("gold", help="annotation CSV (agreement: the first coding)")
    p.add_argument("paths", nargs="*", help="corpus paths (statements), labelers (stances) or the second coding (agreement)")
    p.add_argument("--split", default=None, help="only annotated documents of this split (dev or test)")
    p.add_argument("--out", help="write the figures as JSON here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR, format="%(message)s")
    warnings.simplefilter("ignore")
    try:
        return _dispatch(args)
    except StanceInputError as err:
        print(f"stance: error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except FileNotFoundError as err:
        print(f"stance: error: {err.filename}: {err.strerror}", file=sys.stderr)
        return 2


def _dispatch(args) -> int:
    from . import pipeline

    if args.command == "classify":
        from .io import read_table
        from .labelers import classify_table, get_labeler

        if not Path(args.table).exists():
            raise StanceInputError(f"{args.table}: no such file")
        frame = read_table(args.table)
        _emit(classify_table(frame, get_labeler(args.labeler), text_column=args.text_column,
                             issue_column=args.issue_column, path=args.table), args.out)
        return 0

    if args.command in ("extract", "label", "timeline", "stats"):
        from .io import TableWriter
        from .schema import LABELS, STATEMENTS

        problems = Problems(strict=args.strict)
        labeler = None if args.command == "extract" else args.labeler
        # statements and labels stream to their file (or standard output) chunk by chunk
        streamed = {"extract": ("statements", STATEMENTS), "label": ("labels", LABELS)}.get(args.command)
        unknown: list[pd.DataFrame] = []
        try:
            with contextlib.ExitStack() as stack:
                writers = {}
                if streamed:
                    writers[streamed[0]] = _Tee(stack.enter_context(
                        TableWriter(args.out, streamed[1], stream=None if args.out else sys.stdout)), unknown)
                res = pipeline.run(args.paths, labeler=labeler, jobs=args.jobs, problems=problems,
                                   columns=_columns(args), engine=args.engine, scheduler=args.scheduler,
                                   cache=not args.no_cache, rehash=args.rehash, progress=not args.quiet and sys.stderr.isatty(),
                                   writers=writers,  # only the timeline needs tables in memory
                                   keep=("statements", "labels") if args.command == "timeline" else ())
        finally:  # also when --strict stops the run: the table says what failed
            if args.problems:
                write_table(problems.frame(), args.problems)
        if args.command == "stats":
            _stats(res.stats, problems)
            return 0
        _summary(res.stats, problems, args.quiet)
        if streamed and args.out:
            print(f"wrote {res.stats[streamed[0]]} rows to {args.out}", file=sys.stderr)
        if args.command == "extract" and not args.quiet and res.stats["statements"]:
            from .statements import unknown_speakers

            unk = unknown_speakers(pd.concat(unknown, ignore_index=True) if unknown else res.statements)
            if len(unk):
                print(f"  {int(unk['statements'].sum())} statements by {len(unk)} speakers not in data/people.csv, "
                      f"actors.csv or organizations.csv (actor 'unknown', or guessed from the story by the "
                      f"annotations' model); most frequent: "
                      + "; ".join(f"{r.speaker} ({r.statements}{', ' + r.guessed_actor + '?' if r.guessed_actor else ''})"
                                  for r in unk.head(5).itertuples()), file=sys.stderr)
        if args.command == "timeline":
            from .timeline import timeline

            _emit(timeline(res.labels, actor=args.actor, period=args.period, statements=res.statements,
                           weighted=args.weighted), args.out)
        return 0
    if args.command == "report":
        from .report import DEFAULT_REPORTS, render

        params: dict = {}
        if args.parameters_file:
            import yaml

            try:
                loaded = yaml.safe_load(Path(args.parameters_file).read_text())
            except yaml.YAMLError as err:
                raise StanceInputError(f"{args.parameters_file}: YAML syntax error: {err}") from None
            if not isinstance(loaded, dict):
                raise StanceInputError(f"{args.parameters_file}: must hold a mapping of parameter names to values")
            params.update(loaded)
        for name, value in args.parameter:
            params[name] = _parse_value(value)
        sets = DEFAULT_REPORTS if args.default else [params]
        for ps in sets:
            path = render(ps, notebook=args.notebook, out_dir=args.out)
            print(f"wrote {path}", file=sys.stderr)
        return 0
    if args.command == "evaluate":
        from . import evaluate

        return evaluate.main(args)
    return 1


def _parse_value(value: str):
    """Parameter values from the command line: YAML scalars and lists ("[a, b]", "3", "2014-01-01")."""
    import yaml

    try:
        parsed = yaml.safe_load(value)
    except yaml.YAMLError:
        return value
    if hasattr(parsed, "isoformat"):
        return parsed.isoformat()
    return parsed


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
