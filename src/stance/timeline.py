"""Positions over time: stance per actor, issue and period with uncertainty, and shifts.

Dates keep their precision: a statement dated only by year is counted in a year bin but never
placed in a month or quarter (it is reported in ``coarse``), so a September speech is not drawn as
if it were on 1 January. Syndicated copies (same actor, speaker and wording in several outlets)
count once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .schema import LABELS, STANCE_VALUE, TIMELINE, conform, require

PERIODS = ("year", "quarter", "month")
_PRECISION_RANK = {"day": 3, "month": 2, "year": 1, "none": 0}
_PERIOD_NEED = {"year": 1, "quarter": 2, "month": 2}


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


def dedupe_syndicated(frame: pd.DataFrame) -> pd.DataFrame:
    """Keep one copy of the same statement (actor, speaker, wording) carried by several outlets."""
    norm = frame["text"].fillna("").str.lower().map(lambda t: re.sub(r"[^a-z0-9]+", " ", t).strip()[:200])
    key = frame["actor"].astype(str) + "|" + frame["speaker"].astype(str) + "|" + norm
    if "issue" in frame.columns:
        key = key + "|" + frame["issue"].astype(str)
    order = frame.assign(_key=key).sort_values(["date", "doc_id"], kind="stable")
    return order.drop_duplicates("_key").drop(columns="_key").sort_index()


def _windows(period, start, end) -> list[tuple[str, pd.Timestamp, pd.Timestamp]]:
    if isinstance(period, str):
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
    return [(str(lbl), pd.Timestamp(s), pd.Timestamp(e)) for lbl, s, e in period]


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
             n_boot: int = 1000, start=None, end=None) -> pd.DataFrame:
    """Stance per actor, issue and period (``schema.TIMELINE``).

    ``mean_stance`` is the mean of favor=+1, neutral=0, against=-1 (weighted by confidence with
    ``weighted=True``), with a bootstrap 95% interval; ``salience`` is the share of the actor's
    statements in the period that address the issue (of ``statements`` if given, else of the
    labelled ones); ``sparse`` flags periods with fewer than ``min_statements``. Statements whose
    date is coarser than the period (a year-only date in a quarter timeline) are left out of it
    and counted in the frame's ``attrs["coarse"]``.
    """
    require(labels, LABELS, "labels")
    lab = labels if actor is None else labels[labels["actor"] == actor]
    if issues:
        lab = lab[lab["issue"].isin(issues)]
    lab = add_dates(dedupe_syndicated(lab))
    need = _PERIOD_NEED[period] if isinstance(period, str) else 3
    prec = lab["date_precision"].map(_PRECISION_RANK).fillna(0)
    coarse = lab[(prec < need) & lab["date_start"].notna()]
    undated = lab[lab["date_start"].isna()]
    lab = lab[(prec >= need) & lab["date_start"].notna()]
    if statements is not None:
        st = statements if actor is None else statements[statements["actor"] == actor]
        st = add_dates(dedupe_syndicated(st))
        st = st[st["date_precision"].map(_PRECISION_RANK).fillna(0) >= need]
    else:
        st = lab.drop_duplicates("statement_id")
    if lab.empty:
        out = conform([], TIMELINE)
        out.attrs.update(coarse=len(coarse), undated=len(undated))
        return out
    lo = pd.Timestamp(start) if start is not None else lab["date_mid"].min()
    hi = pd.Timestamp(end) if end is not None else lab["date_mid"].max()
    rows = []
    for label, ws, we in _windows(period, lo, hi):
        in_bin = lab[(lab["date_mid"] >= ws) & (lab["date_mid"] <= we + pd.Timedelta(hours=23))]
        st_bin = st[(st["date_mid"] >= ws) & (st["date_mid"] <= we + pd.Timedelta(hours=23))]
        for (act, iss), g in in_bin.groupby(["actor", "issue"]):
            vals = g["stance"].map(STANCE_VALUE).to_numpy(dtype=float)
            w = g["confidence"].to_numpy(dtype=float) if weighted else None
            mean = float(np.average(vals, weights=w)) if w is not None and w.sum() > 0 else float(vals.mean())
            lo_ci, hi_ci = bootstrap_ci(vals, w, n_boot=n_boot)
            denom = st_bin[st_bin["actor"] == act]["statement_id"].nunique()
            rows.append({
                "actor": act, "issue": iss, "period": label, "period_start": ws, "period_end": we,
                "statements": g["statement_id"].nunique(), "documents": g["doc_id"].nunique(),
                "sources": g["source"].replace("", np.nan).nunique(), "mean_stance": mean,
                "ci_low": lo_ci, "ci_high": hi_ci,
                "favor": int((g["stance"] == "favor").sum()), "against": int((g["stance"] == "against").sum()),
                "neutral": int((g["stance"] == "neutral").sum()),
                "salience": g["statement_id"].nunique() / denom if denom else float("nan"),
                "sparse": g["statement_id"].nunique() < min_statements,
            })
    out = conform(rows, TIMELINE)
    out.attrs.update(coarse=len(coarse), undated=len(undated))
    return out


# ------------------------------------------------------------------------------------------
# Shifts

@dataclass
class Shift:
    actor: str
    issue: str
    date: pd.Timestamp
    before_mean: float
    after_mean: float
    n_before: int
    n_after: int
    p_value: float
    before_ids: list[str]
    after_ids: list[str]


def detect_shifts(labels: pd.DataFrame, actor: str, issue: str, alpha: float = 0.05, min_segment: int = 4,
                  n_perm: int = 999, seed: int = 0, max_shifts: int = 5) -> pd.DataFrame:
    """Where the actor's stance on the issue changed.

    Method: binary segmentation of the date-ordered stance values (+1/0/-1). At each step the split
    maximising |mean before - mean after| (each side at least ``min_segment`` statements) is tested
    by a permutation test of that maximum statistic over all admissible splits (so the search for
    the best split is accounted for); the split is kept if p < ``alpha`` (the sensitivity setting:
    larger alpha, more shifts) and both sides are searched again. Returns one row per shift with
    the means either side, their sizes, the p-value, and the ids of the statements just before
    and just after (up to three each).
    """
    require(labels, LABELS, "labels")
    g = add_dates(dedupe_syndicated(labels[(labels["actor"] == actor) & (labels["issue"] == issue)]))
    g = g[g["date_mid"].notna()].sort_values(["date_mid", "statement_id"])
    vals = g["stance"].map(STANCE_VALUE).to_numpy(dtype=float)
    dates = g["date_mid"].to_numpy()
    ids = g["statement_id"].astype(str).to_numpy()
    rng = np.random.default_rng(seed)
    found: list[Shift] = []

    def best_split(v: np.ndarray) -> tuple[int, float]:
        n = len(v)
        c = np.cumsum(v)
        k = np.arange(min_segment, n - min_segment + 1)
        if len(k) == 0:
            return -1, 0.0
        left = c[k - 1] / k
        right = (c[-1] - c[k - 1]) / (n - k)
        stat = np.abs(left - right)
        j = int(np.argmax(stat))
        return int(k[j]), float(stat[j])

    def recurse(lo: int, hi: int) -> None:
        if len(found) >= max_shifts or hi - lo < 2 * min_segment:
            return
        v = vals[lo:hi]
        k, stat = best_split(v)
        if k < 0 or stat == 0:
            return
        # the split must fall between different dates
        if dates[lo + k - 1] == dates[lo + k]:
            return
        perm = np.array([best_split(rng.permutation(v))[1] for _ in range(n_perm)])
        p = (1 + int((perm >= stat - 1e-12).sum())) / (n_perm + 1)
        if p >= alpha:
            return
        cut = lo + k
        found.append(Shift(actor, issue, pd.Timestamp(dates[cut - 1]) + (pd.Timestamp(dates[cut]) - pd.Timestamp(dates[cut - 1])) / 2,
                           float(vals[lo:cut].mean()), float(vals[cut:hi].mean()), cut - lo, hi - cut, p,
                           list(ids[max(lo, cut - 3):cut]), list(ids[cut:min(hi, cut + 3)])))
        recurse(lo, cut)
        recurse(cut, hi)

    recurse(0, len(vals))
    cols = ["actor", "issue", "date", "before_mean", "after_mean", "n_before", "n_after", "p_value", "before_ids", "after_ids"]
    if not found:
        return pd.DataFrame(columns=cols)
    return pd.DataFrame([s.__dict__ for s in found])[cols].sort_values("date").reset_index(drop=True)


def load_events(path: str | None = None) -> pd.DataFrame:
    from .resources import data_dir

    p = path or str(data_dir() / "events.csv")
    ev = pd.read_csv(p, dtype=str, keep_default_na=False)
    ev["start"] = pd.to_datetime(ev["start"])
    ev["end"] = pd.to_datetime(ev["end"].replace("", None))
    return ev


def position_summary(labels: pd.DataFrame, actor: str, issues: list[str] | None = None,
                     shifts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per issue: dominant stance, first and last statement dates, statements, shifts, and the
    most representative quote (the most confident statement of the dominant stance)."""
    require(labels, LABELS, "labels")
    lab = dedupe_syndicated(labels[labels["actor"] == actor])
    rows = []
    for iss in issues or sorted(lab["issue"].unique()):
        g = lab[lab["issue"] == iss]
        if g.empty:
            rows.append({"issue": iss, "dominant_stance": "", "statements": 0, "first": "", "last": "",
                         "favor": 0, "against": 0, "neutral": 0, "shifts": 0, "quote": "", "quote_source": ""})
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
                     "quote": best["text"][:300], "quote_source": f"{best['source'] or best['doc_id']} ({best['date'] or 'undated'})"})
    return pd.DataFrame(rows)
