"""Positions over time: stance per actor, issue and period with uncertainty, and shifts.

Periods are calendar years, quarters or months, or named windows (``period="windows"`` reads
``data/windows.csv``: the phases between the Geneva, Vienna and Astana rounds; or pass your own
list of ``(label, start, end)``). Dates keep their precision: a statement counts in a period only
when the whole span its date covers lies inside it, so a speech dated only "2014" is counted in
the 2014 year bin but in no quarter or month (it is reported in ``attrs["coarse"]``), and is never
drawn as if it were given on 1 January. Syndicated copies (same actor, speaker and wording in
several outlets) count once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .schema import LABELS, STANCE_VALUE, TIMELINE, conform, require

PERIODS = ("year", "quarter", "month", "windows")


def date_bounds(date: str, precision: str) -> tuple[pd.Timestamp, pd.Timestamp] | tuple[None, None]:
    """First and last day covered by a date of the given precision."""
    if not isinstance(date, str) or not date or precision == "none":
        return None, None
    try:
        if precision == "year":
            y = int(date[:4])
            return pd.Timestamp(y, 1, 1), pd.Timestamp(y, 12, 31)
        if precision == "month":
            start = pd.Timestamp(date[:7] + "-01")
            return start, start + pd.offsets.MonthEnd(0)
        d = pd.Timestamp(date[:10])
        return d, d
    except (ValueError, TypeError):
        return None, None


def add_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """Copy with ``date_start``, ``date_end`` and ``date_mid`` (Timestamps) from date + precision."""
    out = frame.copy()
    bounds = [date_bounds(d, p) for d, p in zip(out["date"].astype(object), out["date_precision"].astype(object))]
    out["date_start"] = pd.to_datetime([b[0] for b in bounds])
    out["date_end"] = pd.to_datetime([b[1] for b in bounds])
    out["date_mid"] = out["date_start"] + (out["date_end"] - out["date_start"]) / 2
    return out


_NOT_WORD = r"[^a-z0-9]+"


def _normalised(lower: pd.Series) -> pd.Series:
    """The wording compared between copies: runs of anything but a-z and 0-9 made one space,
    stripped, the first 200 characters. In Arrow, vectorised (the same strings as Python's
    ``re.sub(...).strip()[:200]``: after the substitution only a-z, 0-9 and spaces are left);
    in Python where Arrow cannot take the text (a lone surrogate)."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc

        arr = pa.array(lower, from_pandas=True)
        out = pc.utf8_slice_codeunits(pc.utf8_trim(pc.replace_substring_regex(arr, _NOT_WORD, " "), " "), 0, 200)
        return pd.Series(out.to_numpy(zero_copy_only=False), index=lower.index, dtype=object)
    except (ImportError, TypeError, ValueError, UnicodeError):
        return lower.map(lambda t: re.sub(_NOT_WORD, " ", t).strip()[:200])


def dedupe_syndicated(frame: pd.DataFrame) -> pd.DataFrame:
    """Keep one copy of the same statement (actor, speaker, wording) carried by several outlets."""
    norm = _normalised(frame["text"].fillna("").str.lower())
    key = frame["actor"].astype(str) + "|" + frame["speaker"].astype(str) + "|" + norm
    if "issue" in frame.columns:
        key = key + "|" + frame["issue"].astype(str)
    if not (frame.index.is_unique and frame.index.is_monotonic_increasing):
        order = frame.assign(_key=key).sort_values(["date", "doc_id"], kind="stable")
        return order.drop_duplicates("_key").drop(columns="_key").sort_index()
    # the same rows, found on three columns and taken from the frame once (in index order, as
    # sort_index gives them back when the index is unique and increasing)
    order = pd.DataFrame({"date": frame["date"].to_numpy(), "doc_id": frame["doc_id"].to_numpy(),
                          "_key": key.to_numpy()}).sort_values(["date", "doc_id"], kind="stable")
    keep = np.zeros(len(frame), dtype=bool)
    keep[order.index[~order["_key"].duplicated().to_numpy()]] = True
    return frame[keep]


def load_windows(path: str | None = None) -> pd.DataFrame:
    """Named time windows (columns label, start, end, note) from ``data/windows.csv`` or ``path``.

    Raises :class:`StanceInputError` naming the file and line of a bad date or a window that
    ends before it starts.
    """
    from .problems import StanceInputError
    from .resources import data_dir

    p = path or str(data_dir() / "windows.csv")
    frame = pd.read_csv(p, dtype=str, keep_default_na=False)
    missing = {"label", "start", "end"} - set(frame.columns)
    if missing:
        raise StanceInputError(f"{p}: missing columns {sorted(missing)}; expected label,start,end[,note]")
    if "note" not in frame.columns:
        frame["note"] = ""
    starts, ends = [], []
    for i, row in frame.iterrows():
        try:
            ws, we = pd.Timestamp(row["start"]), pd.Timestamp(row["end"])
        except ValueError:
            raise StanceInputError(f"{p}, line {i + 2}: start {row['start']!r} or end {row['end']!r} is not a "
                                   "date (use YYYY-MM-DD)") from None
        if we < ws:
            raise StanceInputError(f"{p}, line {i + 2}: window {row['label']!r} ends ({row['end']}) before it "
                                   f"starts ({row['start']})")
        starts.append(ws)
        ends.append(we)
    frame["start"], frame["end"] = pd.to_datetime(starts), pd.to_datetime(ends)
    return frame[["label", "start", "end", "note"]]


def _windows(period, start, end, windows=None) -> list[tuple[str, pd.Timestamp, pd.Timestamp]]:
    """(label, first day, last day) of each period; calendar periods cover ``start``..``end``."""
    if windows is not None or (isinstance(period, str) and period == "windows"):
        w = load_windows() if windows is None else windows
        if isinstance(w, pd.DataFrame):
            w = w[["label", "start", "end"]].itertuples(index=False, name=None)
        return [(str(lbl), pd.Timestamp(s), pd.Timestamp(e)) for lbl, s, e in w]
    if not isinstance(period, str):
        return _windows("windows", start, end, windows=period)
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS} or a list of (label, start, end) windows, got {period!r}")
    freq = {"year": "YS", "quarter": "QS", "month": "MS"}[period]
    starts = pd.date_range(start.to_period({"year": "Y", "quarter": "Q", "month": "M"}[period]).start_time, end, freq=freq)
    out = []
    for s in starts:
        e = (s + pd.tseries.frequencies.to_offset(freq)) - pd.Timedelta(days=1)
        label = str(s.year) if period == "year" else f"{s.year}-Q{s.quarter}" if period == "quarter" else s.strftime("%Y-%m")
        out.append((label, s, e))
    return out


def _nunique(values: np.ndarray) -> int:
    """Distinct values, nulls left out (as pandas' ``nunique``)."""
    return len(set(values[~pd.isna(values)].tolist()))


def _inside(frame: pd.DataFrame, ws: pd.Timestamp, we: pd.Timestamp) -> pd.Series:
    """Rows whose whole date span lies in [ws, we] (a year-only date is inside a year, not a quarter)."""
    return (frame["date_start"] >= ws) & (frame["date_end"] <= we)


def bootstrap_ci(values: np.ndarray, weights: np.ndarray | None = None, n_boot: int = 1000,
                 level: float = 0.95, seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap interval of the (weighted) mean."""
    n = len(values)
    if n == 0:
        return float("nan"), float("nan")
    if n == 1:
        return float(values[0]), float(values[0])
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n, size=(n_boot, n))
    if weights is None:
        means = values[idx].mean(axis=1)
    else:
        w = weights[idx]
        means = (values[idx] * w).sum(axis=1) / np.maximum(w.sum(axis=1), 1e-12)
    a = (1 - level) / 2
    return float(np.quantile(means, a)), float(np.quantile(means, 1 - a))


def timeline(labels: pd.DataFrame, actor: str | None = None, period="year", statements: pd.DataFrame | None = None,
             issues: list[str] | None = None, weighted: bool = False, min_statements: int = 3,
             n_boot: int = 1000, start=None, end=None, windows=None) -> pd.DataFrame:
    """Stance per actor, issue and period (``schema.TIMELINE``).

    ``period`` is ``"year"``, ``"quarter"``, ``"month"``, ``"windows"`` (the named windows of
    ``data/windows.csv``, or of ``windows``: a frame with label, start, end or a list of
    ``(label, start, end)``), or such a list itself. ``mean_stance`` is the mean of favor=+1,
    neutral=0, against=-1 (weighted by the labeler's confidence with ``weighted=True``), with a
    bootstrap 95% interval; ``salience`` is the share of the actor's statements in the period that
    address the issue (of ``statements`` if given, else of the labelled ones); ``sparse`` flags
    periods with fewer than ``min_statements``. A statement counts in a period only if its whole
    date span lies inside it; ``attrs`` counts the rest: ``coarse`` (date less precise than the
    period, e.g. a year-only date in a quarter timeline), ``outside`` (in no window) and
    ``undated``.
    """
    require(labels, LABELS, "labels")
    lab = labels if actor is None else labels[labels["actor"] == actor]
    if issues:
        lab = lab[lab["issue"].isin(issues)]
    lab = add_dates(dedupe_syndicated(lab))
    undated = int(lab["date_start"].isna().sum())
    lab = lab[lab["date_start"].notna()]
    if statements is not None:
        st = statements if actor is None else statements[statements["actor"] == actor]
        st = add_dates(dedupe_syndicated(st))
        st = st[st["date_start"].notna()]
    else:
        st = lab.drop_duplicates("statement_id")
    if lab.empty:
        out = conform([], TIMELINE)
        out.attrs.update(coarse=0, outside=0, undated=undated)
        return out
    lo = pd.Timestamp(start) if start is not None else lab["date_start"].min()
    hi = pd.Timestamp(end) if end is not None else lab["date_end"].max()
    bins = _windows(period, lo, hi, windows)
    # the columns used below as arrays, taken once (selecting them per period and group was most
    # of the time); groups in the order of pandas' groupby: sorted (actor, issue), rows in order
    ds, de = lab["date_start"].to_numpy(), lab["date_end"].to_numpy()
    actors, iss_of = lab["actor"].to_numpy(dtype=object), lab["issue"].to_numpy(dtype=object)
    sids, docs = lab["statement_id"].to_numpy(dtype=object), lab["doc_id"].to_numpy(dtype=object)
    sources = lab["source"].replace("", np.nan).to_numpy(dtype=object)
    stances = lab["stance"].to_numpy(dtype=object)
    values = lab["stance"].map(STANCE_VALUE).to_numpy(dtype=float)
    conf = lab["confidence"].fillna(0.5).to_numpy(dtype=float)
    st_ds, st_de = st["date_start"].to_numpy(), st["date_end"].to_numpy()
    st_actors, st_sids = st["actor"].to_numpy(dtype=object), st["statement_id"].to_numpy(dtype=object)
    keys = sorted({(a, i) for a, i in zip(actors, iss_of) if not pd.isna(a) and not pd.isna(i)})
    counted = np.zeros(len(lab), dtype=bool)
    touched = np.zeros(len(lab), dtype=bool)
    rows = []
    for label, ws, we in bins:
        ws64, we64 = np.datetime64(ws), np.datetime64(we)
        inside = (ds >= ws64) & (de <= we64)
        counted |= inside
        touched |= (de >= ws64) & (ds <= we64)
        if not inside.any():
            continue
        st_inside = (st_ds >= ws64) & (st_de <= we64)
        for act, iss in keys:
            idx = np.flatnonzero(inside & (actors == act) & (iss_of == iss))
            if not len(idx):
                continue
            vals = values[idx]
            w = conf[idx] if weighted else None
            mean = float(np.average(vals, weights=w)) if w is not None and w.sum() > 0 else float(vals.mean())
            lo_ci, hi_ci = bootstrap_ci(vals, w, n_boot=n_boot)
            denom = _nunique(st_sids[st_inside & (st_actors == act)])
            n_statements = _nunique(sids[idx])
            rows.append({
                "actor": act, "issue": iss, "period": label, "period_start": ws, "period_end": we,
                "statements": n_statements, "documents": _nunique(docs[idx]),
                "sources": _nunique(sources[idx]), "mean_stance": mean,
                "ci_low": lo_ci, "ci_high": hi_ci,
                "favor": int((stances[idx] == "favor").sum()), "against": int((stances[idx] == "against").sum()),
                "neutral": int((stances[idx] == "neutral").sum()),
                "salience": n_statements / denom if denom else float("nan"),
                "sparse": n_statements < min_statements,
            })
    out = conform(rows, TIMELINE)
    out.attrs.update(coarse=int((~counted & touched).sum()), outside=int((~counted & ~touched).sum()),
                     undated=undated)
    return out


# ------------------------------------------------------------------------------------------
# Shifts

@dataclass
class Shift:
    actor: str
    issue: str
    measure: str
    date: pd.Timestamp
    before_mean: float
    after_mean: float
    n_before: int
    n_after: int
    p_value: float
    before_ids: list[str]
    after_ids: list[str]


SHIFT_COLUMNS = ["actor", "issue", "measure", "date", "before_mean", "after_mean", "n_before", "n_after", "p_value",
                 "before_ids", "after_ids"]


def detect_shifts(labels: pd.DataFrame, actor: str, issue: str, alpha: float = 0.05, min_segment: int = 4,
                  n_perm: int = 999, seed: int = 0, max_shifts: int = 5, measure: str = "stance",
                  statements: pd.DataFrame | None = None) -> pd.DataFrame:
    """Where the actor's stance on the issue (or its salience) changed.

    Method: binary segmentation of the date-ordered values: the stance of each statement on the
    issue (+1/0/-1) with ``measure="stance"``; with ``measure="salience"``, 1 or 0 for each of the
    actor's ``statements`` (required) as it addresses the issue or not. At each step the split
    maximising |mean before - mean after| (each side at least ``min_segment`` statements, and
    between two different dates) is tested by a permutation test of that maximum statistic over
    all admissible splits, so the search for the best split is accounted for. The split is kept if
    p < ``alpha`` and both sides are searched again, up to ``max_shifts``.

    Sensitivity: ``alpha`` (default 0.05; 0.1 finds more and weaker shifts, 0.01 only strong ones)
    and ``min_segment`` (the fewest statements either side of a shift; lower finds shorter-lived
    changes but with less evidence). Statements are ordered by the middle of their date span, so
    a year-only date sits at mid-year.

    Returns one row per shift (columns ``SHIFT_COLUMNS``): the date (halfway between the last
    statement before and the first after), the means either side and their sizes, the p-value, and
    the ids of the statements just before and just after (up to three each).
    """
    require(labels, LABELS, "labels")
    if measure not in ("stance", "salience"):
        raise ValueError(f"measure must be 'stance' or 'salience', got {measure!r}")
    if measure == "stance":
        g = add_dates(dedupe_syndicated(labels[(labels["actor"] == actor) & (labels["issue"] == issue)]))
        g = g[g["date_mid"].notna()].sort_values(["date_mid", "statement_id"])
        vals = g["stance"].map(STANCE_VALUE).to_numpy(dtype=float)
    else:
        if statements is None:
            raise ValueError("measure='salience' needs the actor's statements (statements=...)")
        about = set(labels[(labels["actor"] == actor) & (labels["issue"] == issue)]["statement_id"].astype(str))
        g = add_dates(dedupe_syndicated(statements[statements["actor"] == actor]))
        g = g[g["date_mid"].notna()].sort_values(["date_mid", "statement_id"])
        vals = g["statement_id"].astype(str).isin(about).to_numpy(dtype=float)
    dates = g["date_mid"].to_numpy()
    ids = g["statement_id"].astype(str).to_numpy()
    rng = np.random.default_rng(seed)
    found: list[Shift] = []

    # a shift can only fall between two different dates (tied dates, e.g. one speech, stay together)
    new_date = np.r_[False, dates[1:] != dates[:-1]] if len(dates) else np.zeros(0, bool)

    def best_split(v: np.ndarray, lo: int) -> tuple[int, float]:
        n = len(v)
        c = np.cumsum(v)
        k = np.arange(min_segment, n - min_segment + 1)
        k = k[new_date[lo + k]] if len(k) else k
        if len(k) == 0:
            return -1, 0.0
        left = c[k - 1] / k
        right = (c[-1] - c[k - 1]) / (n - k)
        stat = np.abs(left - right)
        j = int(np.argmax(stat))
        return int(k[j]), float(stat[j])

    def permuted_stats(v: np.ndarray, lo: int) -> np.ndarray:
        """best_split's statistic of each of n_perm permutations of v: the same permutations, in
        the same order from ``rng``, as one at a time, computed a block of them at once."""
        n = len(v)
        k = np.arange(min_segment, n - min_segment + 1)
        k = k[new_date[lo + k]] if len(k) else k
        out = np.zeros(n_perm)
        block = max(1, 2_000_000 // max(n, 1))  # permutations per block: at most ~16 MB of floats
        for b0 in range(0, n_perm, block):
            perms = np.stack([rng.permutation(v) for _ in range(min(block, n_perm - b0))])
            if len(k) == 0:
                continue
            c = np.cumsum(perms, axis=1)
            left = c[:, k - 1] / k
            right = (c[:, -1:] - c[:, k - 1]) / (n - k)
            out[b0:b0 + len(perms)] = np.abs(left - right).max(axis=1)
        return out

    def evidence(lo: int, hi: int, last: bool) -> list[str]:
        # the statements nearest the shift that bear on the issue (for salience: that address it)
        span = np.arange(lo, hi)
        if measure == "salience":
            span = span[vals[lo:hi] > 0]
        return list(ids[span[-3:]] if last else ids[span[:3]])

    def recurse(lo: int, hi: int) -> None:
        if len(found) >= max_shifts or hi - lo < 2 * min_segment:
            return
        v = vals[lo:hi]
        k, stat = best_split(v, lo)
        if k < 0 or stat == 0:
            return
        perm = permuted_stats(v, lo)
        p = (1 + int((perm >= stat - 1e-12).sum())) / (n_perm + 1)
        if p >= alpha:
            return
        cut = lo + k
        when = pd.Timestamp(dates[cut - 1]) + (pd.Timestamp(dates[cut]) - pd.Timestamp(dates[cut - 1])) / 2
        found.append(Shift(actor, issue, measure, when, float(vals[lo:cut].mean()), float(vals[cut:hi].mean()),
                           cut - lo, hi - cut, p, evidence(lo, cut, True), evidence(cut, hi, False)))
        recurse(lo, cut)
        recurse(cut, hi)

    recurse(0, len(vals))
    if not found:
        return pd.DataFrame(columns=SHIFT_COLUMNS)
    return pd.DataFrame([s.__dict__ for s in found])[SHIFT_COLUMNS].sort_values("date").reset_index(drop=True)


def load_events(path: str | None = None) -> pd.DataFrame:
    """Key events (columns start, end, label, kind) from ``data/events.csv`` or ``path``; ``end``
    is empty (NaT) for one-day events. A bad date raises StanceInputError naming file and line."""
    from .problems import StanceInputError
    from .resources import data_dir

    p = path or str(data_dir() / "events.csv")
    ev = pd.read_csv(p, dtype=str, keep_default_na=False)
    missing = {"start", "end", "label"} - set(ev.columns)
    if missing:
        raise StanceInputError(f"{p}: missing columns {sorted(missing)}; expected start,end,label,kind")
    for col in ("start", "end"):
        parsed = pd.to_datetime(ev[col].replace("", None), errors="coerce")
        bad = parsed.isna() & (ev[col] != "") | (parsed.isna() & (col == "start"))
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise StanceInputError(f"{p}, line {i + 2}: {col} {ev[col].iloc[i]!r} is not a date (use YYYY-MM-DD)")
        ev[col] = parsed
    if "kind" not in ev.columns:
        ev["kind"] = ""
    return ev


def position_summary(labels: pd.DataFrame, actor: str, issues: list[str] | None = None,
                     shifts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per issue: dominant stance, first and last statement dates, statements, favor / against /
    neutral counts, shifts, and the most representative quote (the most confident statement of
    the dominant stance) with its source and URL (columns ``quote``, ``quote_source``, ``quote_url``)."""
    require(labels, LABELS, "labels")
    lab = dedupe_syndicated(labels[labels["actor"] == actor])
    rows = []
    for iss in issues or sorted(lab["issue"].unique()):
        g = lab[lab["issue"] == iss]
        if g.empty:
            rows.append({"issue": iss, "dominant_stance": "", "statements": 0, "first": "", "last": "",
                         "favor": 0, "against": 0, "neutral": 0, "shifts": 0, "quote": "", "quote_source": "", "quote_url": ""})
            continue
        counts = g["stance"].value_counts()
        dom = counts.idxmax()
        best = g[g["stance"] == dom].sort_values("confidence", ascending=False).iloc[0]
        dated = g[g["date"].fillna("") != ""]["date"]
        n_shifts = 0 if shifts is None or shifts.empty else int((shifts["issue"] == iss).sum())
        rows.append({"issue": iss, "dominant_stance": dom, "statements": int(g["statement_id"].nunique()),
                     "first": dated.min() if len(dated) else "", "last": dated.max() if len(dated) else "",
                     "favor": int(counts.get("favor", 0)), "against": int(counts.get("against", 0)),
                     "neutral": int(counts.get("neutral", 0)), "shifts": n_shifts,
                     "quote": best["text"][:300], "quote_source": f"{best['source'] or best['doc_id']} ({best['date'] or 'undated'})",
                     "quote_url": str(best["url"]) if pd.notna(best["url"]) else ""})
    return pd.DataFrame(rows)
