"""Command line: ``stance extract|label|timeline|report|evaluate|stats``.

``--out`` writes CSV or Parquet by extension, otherwise CSV to standard output. Errors go to
standard error with a non-zero exit code and a message naming the file and the problem.
"""
from __future__ import annotations

import argparse
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
    for r in problems.rows[:20]:
        where = r["path"] + (f" row {r['row']}" if r["row"] else "")
        print(f"  {r['action']}: {where}: {r['reason']}", file=sys.stderr)
    if len(problems.rows) > 20:
        print(f"  ... and {len(problems.rows) - 20} more (write them with --problems FILE)", file=sys.stderr)


def _corpus_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", help="files or folders: .txt .md .html, .csv .jsonl .parquet tables")
    p.add_argument("--out", help="output file (.csv or .parquet); default CSV on standard output")
    p.add_argument("--strict", action="store_true", help="fail on any skipped document")
    p.add_argument("--quiet", action="store_true", help="no summary or progress on standard error")
    p.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
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

    if args.command in ("extract", "label", "timeline"):
        problems = Problems(strict=args.strict)
        labeler = None if args.command == "extract" else args.labeler
        try:
            res = pipeline.run(args.paths, labeler=labeler, jobs=args.jobs, problems=problems, columns=_columns(args))
        finally:  # also when --strict stops the run: the table says what failed
            if args.problems:
                write_table(problems.frame(), args.problems)
        _summary(res.stats, problems, args.quiet)
        if args.command == "extract":
            if not args.quiet and len(res.statements):
                from .statements import unknown_speakers

                unk = unknown_speakers(res.statements)
                print(f"  {int(unk['statements'].sum())} statements by {len(unk)} speakers with actor 'unknown' "
                      f"(not in data/people.csv or actors.csv); most frequent: "
                      + "; ".join(f"{r.speaker} ({r.statements})" for r in unk.head(5).itertuples()), file=sys.stderr)
            _emit(res.statements, args.out)
        elif args.command == "label":
            _emit(res.labels, args.out)
        else:
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
