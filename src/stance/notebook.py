"""Helpers for notebooks and reports: escaped tables and summaries (article text is untrusted)."""
from __future__ import annotations

import html
import json

import pandas as pd

from .resources import data_dir


def source_link(url: object) -> str:
    """A link to an article's URL, only for http(s) URLs (never ``javascript:`` and the like)."""
    url = str(url)
    if not url.startswith(("http://", "https://")):
        return ""
    return f'<a href="{html.escape(url, quote=True)}" rel="noopener noreferrer">source</a>'


def table_html(frame: pd.DataFrame, max_rows: int = 50) -> str:
    """An HTML table with every cell escaped; links only for http(s) URLs."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for _, row in frame.head(max_rows).iterrows():
        cells = []
        for c in frame.columns:
            v = row[c]
            s = "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)
            if c == "url" and source_link(s):
                cells.append(f"<td>{source_link(s)}</td>")
            else:
                if isinstance(v, float):
                    s = f"{v:.2f}"
                cells.append(f"<td>{html.escape(s)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    more = f"<p><em>{len(frame) - max_rows} more rows not shown.</em></p>" if len(frame) > max_rows else ""
    return (f'<table class="stance-table" style="font-size:85%"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>{more}")


def show_table(frame: pd.DataFrame, caption: str = "", max_rows: int = 50) -> None:
    from IPython.display import HTML, display

    cap = f"<h4>{html.escape(caption)} ({len(frame)} rows)</h4>" if caption else ""
    if frame.empty:
        display(HTML(cap + "<p><em>None.</em></p>"))
        return
    display(HTML(cap + table_html(frame, max_rows)))


def filter_dates(frame: pd.DataFrame, start=None, end=None) -> pd.DataFrame:
    """Rows whose date range overlaps [start, end]; undated rows are kept only without bounds."""
    if not start and not end:
        return frame
    from .timeline import add_dates

    d = add_dates(frame)
    keep = d["date_start"].notna()
    if start:
        keep &= d["date_end"] >= pd.Timestamp(start)
    if end:
        keep &= d["date_start"] <= pd.Timestamp(end)
    return frame[keep.to_numpy()]


def corpus_summary(docs: pd.DataFrame, statements: pd.DataFrame, labels: pd.DataFrame, problems: pd.DataFrame) -> str:
    dated = docs[docs["date_precision"] != "none"]
    prec = docs["date_precision"].value_counts().to_dict()
    skipped = int((problems["action"] == "skipped").sum()) if len(problems) else 0
    kept = int((problems["action"] == "kept").sum()) if len(problems) else 0
    lines = [
        f"- **{len(docs)} documents** ({(docs['genre'] == 'news').sum()} news, {(docs['genre'] == 'speech').sum()} speeches) "
        f"from {docs['source'].replace('', pd.NA).nunique()} sources; dates from {dated['date'].min() or '?'} to "
        f"{dated['date'].max() or '?'}; date precision: {', '.join(f'{k} {v}' for k, v in prec.items())}.",
        f"- **{(docs['date_precision'] == 'none').sum()} undated documents** (kept, left out of the timelines).",
        f"- **{skipped} skipped** and {kept} kept with a problem (table below).",
        f"- **{len(statements)} attributed statements** "
        f"({', '.join(f'{k} {v}' for k, v in statements['kind'].value_counts().items())}); "
        f"{(statements['actor'] == 'unknown').sum()} with an unknown actor.",
        f"- **{len(labels)} labels** (statement × issue) on {labels['statement_id'].nunique()} statements.",
    ]
    return "\n".join(lines)


def shift_evidence_html(shifts: pd.DataFrame, labels: pd.DataFrame) -> str:
    if shifts is None or shifts.empty:
        return "<p><em>No shift passed the test at this sensitivity.</em></p>"
    out = []
    by_id = labels.drop_duplicates(["statement_id", "issue"]).set_index(["statement_id", "issue"])
    for _, sh in shifts.iterrows():
        out.append(f"<h4>{html.escape(sh['issue'])}: shift around {sh['date']:%Y-%m-%d} "
                   f"(mean {sh['before_mean']:+.2f} over {sh['n_before']} statements → {sh['after_mean']:+.2f} "
                   f"over {sh['n_after']}; permutation p = {sh['p_value']:.3f})</h4><ul>")
        for side, ids in (("before", sh["before_ids"]), ("after", sh["after_ids"])):
            for sid in ids:
                try:
                    r = by_id.loc[(sid, sh["issue"])]
                except KeyError:
                    continue
                link = " " + source_link(r["url"]) if source_link(r["url"]) else ""
                out.append(f"<li><b>{side}</b> {html.escape(str(r['date']))} {html.escape(str(r['speaker']))} "
                           f"({html.escape(str(r['stance']))}): “{html.escape(str(r['text'])[:300])}” "
                           f"<i>{html.escape(str(r['source']))}</i>{link}</li>")
        out.append("</ul>")
    return "\n".join(out)


def reliability_note(labeler: str) -> str:
    path = data_dir() / "evaluation" / "stances.json"
    if not path.exists():
        return "*No evaluation figures yet: run `stance evaluate stances` to produce them.*"
    figures = json.loads(path.read_text())
    rows = ["| labeler | evaluation | macro-F1 favor/against (95% CI) | relevance F1 |", "|---|---|---|---|"]
    for r in figures.get("results", []):
        mark = " **(this report)**" if r["labeler"] == labeler else ""
        rows.append(f"| {r['labeler']}{mark} | {r['split']} | {r['macro_f1']:.2f} ({r['ci_low']:.2f}–{r['ci_high']:.2f}) | "
                    f"{r['relevance_f1']:.2f} |")
    return f"Measured on {figures.get('n_statements', '?')} hand-annotated statements ({figures.get('date', '')}).\n\n" + "\n".join(rows)
