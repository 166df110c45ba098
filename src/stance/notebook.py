"""Helpers for notebooks and reports: escaped tables, quotes with their evidence, searches and the
evaluation figures as tables (article text is untrusted: every cell is HTML-escaped)."""
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


# inline styles: the notebook's own CSS (right-aligned cells) would win over a style sheet
TABLE_STYLE = "<style>table.stance-table mark{background:#fff1a8;padding:0}</style>"
_TD = '<td style="text-align:left;vertical-align:top">'
_TD_NUM = '<td style="text-align:right;vertical-align:top">'
_TH = '<th style="text-align:left">'



def table_html(frame: pd.DataFrame, max_rows: int = 50, html_columns: tuple[str, ...] = ()) -> str:
    """An HTML table with every cell escaped (except ``html_columns``, already safe HTML built by
    these helpers); numbers right-aligned, text left-aligned; links only for http(s) URLs."""
    head = "".join(f"{_TH}{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for _, row in frame.head(max_rows).iterrows():
        cells = []
        for c in frame.columns:
            v = row[c]
            s = "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)
            if c in html_columns:
                cells.append(f"{_TD}{s}</td>")
            elif str(c).endswith("url") and source_link(s):
                cells.append(f"{_TD}{source_link(s)}</td>")
            elif pd.api.types.is_number(v) and not pd.api.types.is_bool(v) and s:
                cells.append(f"{_TD_NUM}{v:.2f}</td>" if pd.api.types.is_float(v) else f"{_TD_NUM}{s}</td>")
            elif len(s) <= 12:  # dates, ids, labels: kept on one line
                cells.append(f'{_TD[:-2]};white-space:nowrap">{html.escape(s)}</td>')
            else:
                cells.append(f"{_TD}{html.escape(s)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    more = f"<p><em>{len(frame) - max_rows} more rows not shown.</em></p>" if len(frame) > max_rows else ""
    return (f'{TABLE_STYLE}<table class="stance-table" style="font-size:85%"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>{more}")


def event_key_html(events: pd.DataFrame, caption: str = "Key events") -> str:
    """The key of charts drawn with ``event_key=False``: every event with its number (as
    :func:`stance.plots.event_numbers` numbers them), name and date, in columns; escaped."""
    from .plots import event_key

    key = event_key(events)
    if not key:
        return ""
    items = "".join(f"<li value=\"{n}\">{html.escape(name)} ({html.escape(when)})</li>" for n, name, when in key)
    return (f'<p style="margin-bottom:0"><b>{html.escape(caption)}</b> (the numbers along the top of the charts)</p>'
            f'<ol style="columns:3;font-size:85%;margin-top:2px">{items}</ol>')


def quote_html(text: object, evidence: object = "") -> str:
    """The statement, escaped, with the words the labeler relied on highlighted."""
    text, evidence = str(text or ""), str(evidence or "").strip()
    at = text.find(evidence) if evidence else -1
    if at < 0:
        return html.escape(text)
    end = at + len(evidence)
    return f"{html.escape(text[:at])}<mark>{html.escape(text[at:end])}</mark>{html.escape(text[end:])}"


def statements_table(labels: pd.DataFrame) -> pd.DataFrame:
    """Labelled statements for reading: date, source (with a link), speaker, issue, stance,
    confidence and the quote with its evidence highlighted (column ``quote``, safe HTML)."""
    from .plots import issue_label

    out = pd.DataFrame({
        "date": labels["date"].fillna("").replace("", "undated"),
        "source": [html.escape(str(s or d)) + (" " + source_link(u) if source_link(u) else "")
                   for s, d, u in zip(labels["source"], labels["doc_id"], labels["url"])],
        "speaker": labels["speaker"].fillna(""),
        "issue": labels["issue"].map(issue_label),
        "stance": labels["stance"],
        "confidence": labels["confidence"].astype(float),
        "quote": [quote_html(t, e) for t, e in zip(labels["text"], labels["evidence"])],
    })
    return out.reset_index(drop=True)


def show_statements(labels: pd.DataFrame, caption: str = "", max_rows: int = 50, collapsed: bool = False) -> None:
    """Display :func:`statements_table` (quotes with evidence highlighted, source links);
    ``collapsed`` folds a long table under its caption (click to open) so what follows is in reach."""
    from IPython.display import HTML, display

    cap = f"{html.escape(caption)} ({len(labels)} rows)" if caption else f"{len(labels)} statements"
    if labels.empty:
        display(HTML(f"<h4>{cap}</h4><p><em>None.</em></p>"))
        return
    table = table_html(statements_table(labels), max_rows, html_columns=("source", "quote"))
    if collapsed:
        display(HTML(f"<details><summary><b>{cap}</b> (click to show)</summary>{table}</details>"))
    else:
        display(HTML(f"<h4>{cap}</h4>{table}"))


def search_labels(labels: pd.DataFrame, actor: str | None = None, issue: str | None = None, text: str = "",
                  start=None, end=None) -> pd.DataFrame:
    """Labels of ``actor`` on ``issue`` (None or "" for any) whose statement, speaker or evidence
    contains ``text`` (case-insensitive, plain text, not a pattern), dated within [start, end]."""
    keep = pd.Series(True, index=labels.index)
    if actor:
        keep &= labels["actor"] == actor
    if issue:
        keep &= labels["issue"] == issue
    if text and text.strip():
        needle = text.strip().lower()
        hay = (labels["text"].fillna("") + " " + labels["speaker"].fillna("") + " " + labels["evidence"].fillna("")).str.lower()
        keep &= hay.str.contains(needle, regex=False)
    return filter_dates(labels[keep.to_numpy()], start or None, end or None)


def problems_table(problems: pd.DataFrame) -> pd.DataFrame:
    """The skipped / kept-with-a-problem documents with paths relative to the project."""
    from .report import PROJECT

    out = problems.copy()
    if "path" in out:
        out["path"] = [str(p).replace(str(PROJECT) + "/", "") for p in out["path"]]
    return out


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
    """Each shift with its size and p-value, and the statements just before and just after it
    (quotes escaped, evidence highlighted, source links)."""
    from .plots import actor_label, issue_label

    if shifts is None or shifts.empty:
        return "<p><em>No shift passed the test at this sensitivity.</em></p>"
    out = [TABLE_STYLE]
    by_id = labels.drop_duplicates(["statement_id", "issue"]).set_index(["statement_id", "issue"])
    for _, sh in shifts.iterrows():
        measure = sh.get("measure", "stance")
        if measure == "salience":
            change = (f"share of {html.escape(actor_label(sh['actor']))}'s statements on the issue "
                      f"{sh['before_mean']:.0%} over {sh['n_before']} statements → {sh['after_mean']:.0%} over {sh['n_after']}")
        else:
            change = (f"mean stance {sh['before_mean']:+.2f} over {sh['n_before']} statements → {sh['after_mean']:+.2f} "
                      f"over {sh['n_after']}")
        out.append(f"<h4>{html.escape(issue_label(sh['issue']))}: {measure} shift around {sh['date']:%-d %b %Y}</h4>"
                   f"<p>{change}; permutation p = {sh['p_value']:.3f}</p><ul>")
        for side, ids in (("before", sh["before_ids"]), ("after", sh["after_ids"])):
            for sid in ids:
                try:
                    r = by_id.loc[(sid, sh["issue"])]
                except KeyError:
                    continue
                link = " " + source_link(r["url"]) if source_link(r["url"]) else ""
                out.append(f"<li><b>{side}</b>, {html.escape(str(r['date'] or 'undated'))}, "
                           f"{html.escape(str(r['speaker']))} ({html.escape(str(r['stance']))}): "
                           f"“{quote_html(str(r['text'])[:400], r['evidence'])}” <i>{html.escape(str(r['source']))}</i>{link}</li>")
        out.append("</ul>")
    return "\n".join(out)


def coverage_table(docs: pd.DataFrame, statements: pd.DataFrame, labels: pd.DataFrame, actor: str) -> pd.DataFrame:
    """Per year of the documents' dates (and "undated"): documents by genre, statements and
    labelled statements of ``actor``, so gaps in the corpus are seen before the charts."""
    def year(frame):
        return frame["date"].fillna("").str[:4].replace("", "undated")

    d = docs.assign(year=year(docs))
    table = d.pivot_table(index="year", columns="genre", values="doc_id", aggfunc="count", fill_value=0)
    table.columns = [f"{c} documents" for c in table.columns]
    st = statements[statements["actor"] == actor]
    table[f"statements of {actor}"] = year(st).value_counts()
    lab = labels[labels["actor"] == actor].drop_duplicates("statement_id")
    table[f"labelled statements of {actor}"] = year(lab).value_counts()
    return table.fillna(0).astype(int).reset_index()


def reliability_note(labeler: str) -> str:
    """Markdown table of the stored evaluation figures (``data/evaluation/stances.json``): per
    labeler and split, macro-F1 end to end and, where given, told the issue, and relevance F1."""
    path = data_dir() / "evaluation" / "stances.json"
    if not path.exists():
        return "*No evaluation figures yet: run `stance evaluate stances` to produce them.*"
    figures = json.loads(path.read_text())
    told = any(r.get("given_issue") for r in figures.get("results", []))
    head = "| labeler | evaluation | macro-F1 end to end (95% CI) |" + (" macro-F1 told the issue (95% CI) |" if told else "")
    rows = [head + " relevance F1 |", "|---|---|---|" + ("---|" if told else "") + "---|"]
    for r in figures.get("results", []):
        mark = " **(this report)**" if r["labeler"] == labeler else ""
        g = r.get("given_issue") or {}
        told_cell = (f" {g['macro_f1']:.2f} ({g['ci_low']:.2f}–{g['ci_high']:.2f}) |" if g else " – |") if told else ""
        rows.append(f"| {r['labeler']}{mark} | {r['split']} | {r['macro_f1']:.2f} ({r['ci_low']:.2f}–{r['ci_high']:.2f}) |"
                    f"{told_cell} {r['relevance_f1']:.2f} |")
    note = ("End to end: the labeler must also find which statements are about an issue; told the issue: the stance of "
            "statements known to be about it, which is what a chart of one issue rests on once its statements are right.")
    return (f"Measured on {figures.get('n_statements', '?')} hand-annotated statements ({figures.get('date', '')}).\n\n"
            + "\n".join(rows) + ("\n\n" + note if told else ""))


# ------------------------------------------------------------------------------------------
# The labelers' evaluation figures (``stance.evaluate.evaluate_stances``) as tables


def run_evaluation(labelers=("rule", "model", "hybrid"), gold: str | None = None, n_boot: int | None = None,
                   seed: int = 0) -> dict:
    """``evaluate_stances`` with ``n_boot`` bootstrap rounds (fewer for a quick notebook run: the
    figures are the same apart from the width of the intervals)."""
    from .evaluate import evaluate_stances

    return evaluate_stances(gold, labelers=tuple(labelers), seed=seed, n_boot=n_boot or 500)


def evaluation_overview(figures: dict) -> pd.DataFrame:
    """One row per labeler and split: test size, macro-F1 with its 95% interval, relevance F1 and
    precision / recall / F1 of favor and against."""
    rows = []
    for r in figures["results"]:
        row = {"labeler": r["labeler"], "split": r["split"], "n_test": r["n_test"], "macro_f1": r["macro_f1"],
               "95% interval": f"{r['ci_low']:.2f}–{r['ci_high']:.2f}", "relevance_f1": r["relevance_f1"]}
        for cls in ("favor", "against"):
            for k, v in (r.get(cls) or {}).items():
                row[f"{cls}_{k}"] = v
        rows.append(row)
    return pd.DataFrame(rows)


def evaluation_told_issue(figures: dict) -> pd.DataFrame:
    """Stance when the labeler is told the issue (relevance errors left out), where the
    evaluation gives it (``given_issue``): one row per labeler and split with the test size,
    macro-F1 and its 95% interval, and precision / recall / F1 of favor and against."""
    rows = []
    for r in figures["results"]:
        g = r.get("given_issue") or {}
        if not g:
            continue
        row = {"labeler": r["labeler"], "split": r["split"], "n": g.get("n"), "macro_f1": g.get("macro_f1"),
               "95% interval": f"{g['ci_low']:.2f}–{g['ci_high']:.2f}" if "ci_low" in g else ""}
        for cls in ("favor", "against"):
            for k, v in (g.get(cls) or {}).items():
                row[f"{cls}_{k}"] = v
        rows.append(row)
    return pd.DataFrame(rows)


def _measure(key: str, sub: str = "") -> tuple[str, str]:
    """("favor", "F1") from "favor"; ("relevance", "P") from "relevance_precision", and so on."""
    name = f"{key}_{sub}" if sub else key
    group, _, metric = name.partition("_")
    metric = {"": "F1", "f1": "F1", "precision": "P", "recall": "R"}.get(metric, metric)
    return group, metric


def evaluation_by_issue(figures: dict, split: str | None = None, group: str | None = None) -> pd.DataFrame:
    """Per issue (rows, by the codebook's label), the labelers side by side: for each labeler the
    precision (P), recall (R) and F1 the evaluation gives per issue, of ``group`` ("favor",
    "against" or "relevance"; default all), then the number of hand-annotated statements about
    the issue (``n_gold``). Results of ``split`` only (default: the first split)."""
    from .plots import issue_label

    results = [r for r in figures["results"] if r["split"] == (split or figures["results"][0]["split"])]
    values: dict[str, dict[str, float]] = {}
    cols: list[str] = []
    n_gold: dict[str, int] = {}
    order = {"P": 0, "R": 1, "F1": 2}
    for r in results:
        mine: set[tuple[str, str, str]] = set()
        for iid, v in r["issues"].items():
            for k, x in v.items():
                if k == "n_gold":
                    n_gold[iid] = int(x)
                    continue
                for sub, val in (x.items() if isinstance(x, dict) else [("", x)]):
                    g, metric = _measure(k, sub)
                    if group and g != group:
                        continue
                    col = f"{metric} · {r['labeler']}" if group else f"{g} {metric} · {r['labeler']}"
                    values.setdefault(iid, {})[col] = val
                    mine.add((g, metric, col))
        cols += [c for _, _, c in sorted(mine, key=lambda t: (t[0], order.get(t[1], 3)))]
    frame = pd.DataFrame.from_dict(values, orient="index").reindex(columns=list(dict.fromkeys(cols)))
    frame.insert(0, "issue", [issue_label(i) for i in frame.index])
    if n_gold:
        frame["n_gold"] = [n_gold.get(i, 0) for i in frame.index]
    return frame.reset_index(drop=True)


def confusion_frame(result: dict) -> pd.DataFrame:
    """The confusion matrix of one result (rows: gold stance, columns: predicted)."""
    conf = pd.DataFrame(result["confusion"])  # outer keys: predicted, inner: gold
    conf.index.name, conf.columns.name = "gold", "predicted"
    return conf
