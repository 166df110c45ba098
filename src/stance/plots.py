"""Charts for reports (matplotlib). Each function takes ``ax=None`` and returns the Axes; none
calls ``plt.show()``. :func:`save` writes PNG and SVG atomically."""
from __future__ import annotations

import io as _io
from pathlib import Path

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .io import write_bytes  # noqa: E402
from .schema import LABELS, STANCE_VALUE, require  # noqa: E402
from .timeline import add_dates, dedupe_syndicated, load_events, timeline  # noqa: E402

STANCE_COLORS = {"favor": "#1b9e77", "neutral": "#7f7f7f", "against": "#d95f02"}
ACTOR_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]


def _label(issue: str) -> str:
    try:
        from .codebook import load_codebook

        return load_codebook().issues[issue].label
    except Exception:  # noqa: BLE001 - a title falls back to the id
        return issue


def _events(ax, events: pd.DataFrame | None, lo, hi, labels: bool = True) -> None:
    if events is None or events.empty:
        return
    ymax = ax.get_ylim()[1]
    for _, ev in events.iterrows():
        s = ev["start"]
        if s < lo or s > hi:
            continue
        if pd.notna(ev.get("end")) and ev["end"] > s:
            ax.axvspan(s, ev["end"], color="#bbbbbb", alpha=0.25, lw=0)
        else:
            ax.axvline(s, color="#999999", lw=0.8, ls=":")
        if labels:
            ax.text(s, ymax, " " + ev["label"], rotation=90, va="top", ha="right", fontsize=7, color="#555555")


def _date_axis(ax) -> None:
    loc = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc))


def plot_issue(labels: pd.DataFrame, actor: str, issue: str, ax=None, period: str = "quarter",
               events: pd.DataFrame | None = None, shifts: pd.DataFrame | None = None, seed: int = 0,
               show_events: bool = True, title: str | None = None):
    """One actor, one issue: every statement a point (jittered, coloured by stance, sized by
    confidence; year-only dates drawn with a bar over their year), the period mean with its 95%
    interval band, key events and detected shifts."""
    require(labels, LABELS, "labels")
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4))
    lab = add_dates(dedupe_syndicated(labels[(labels["actor"] == actor) & (labels["issue"] == issue)]))
    lab = lab[lab["date_mid"].notna()]
    rng = np.random.default_rng(seed)
    if lab.empty:
        ax.text(0.5, 0.5, f"No dated statements of {actor} on {_label(issue)}", ha="center", va="center",
                transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    y = lab["stance"].map(STANCE_VALUE).to_numpy(dtype=float) + rng.uniform(-0.12, 0.12, len(lab))
    for stance, color in STANCE_COLORS.items():
        m = (lab["stance"] == stance).to_numpy()
        if not m.any():
            continue
        sizes = 15 + 60 * lab.loc[m, "confidence"].fillna(0.5).to_numpy()
        ax.scatter(lab.loc[m, "date_mid"], y[m], s=sizes, c=color, alpha=0.75, edgecolors="white", linewidths=0.5,
                   label=f"{stance} ({int(m.sum())})", zorder=3)
        coarse = m & (lab["date_precision"] != "day").to_numpy()
        if coarse.any():
            ax.hlines(y[coarse], lab.loc[coarse, "date_start"], lab.loc[coarse, "date_end"], colors=color, alpha=0.35, lw=1.5)
    tl = timeline(labels[labels["issue"] == issue], actor=actor, period=period if period != "quarter" or
                  (lab["date_precision"] == "day").sum() >= 3 else "year", min_statements=3)
    if not tl.empty:
        mid = tl["period_start"] + (tl["period_end"] - tl["period_start"]) / 2
        ax.plot(mid, tl["mean_stance"], color="black", lw=1.6, marker="o", ms=3, label="mean per period", zorder=4)
        ax.fill_between(mid, tl["ci_low"], tl["ci_high"], color="black", alpha=0.12, lw=0, label="95% interval")
        sparse_bins = tl[tl["sparse"]]
        if not sparse_bins.empty:
            smid = sparse_bins["period_start"] + (sparse_bins["period_end"] - sparse_bins["period_start"]) / 2
            ax.scatter(smid, sparse_bins["mean_stance"], marker="o", facecolors="white", edgecolors="black", s=30,
                       zorder=5, label="fewer than 3 statements")
    ax.set_ylim(-1.45, 1.6)
    ax.set_yticks([-1, 0, 1], ["against", "neutral", "favor"])
    lo = lab["date_start"].min() - pd.Timedelta(days=60)
    hi = lab["date_end"].max() + pd.Timedelta(days=60)
    ax.set_xlim(lo, hi)
    if show_events:
        _events(ax, events if events is not None else load_events(), lo, hi)
    if shifts is not None and not shifts.empty:
        for _, sh in shifts[shifts["issue"] == issue].iterrows():
            ax.axvline(sh["date"], color="#c51b7d", lw=2, alpha=0.8)
            ax.text(sh["date"], -1.4, f" shift p={sh['p_value']:.3f}", color="#c51b7d", fontsize=8, va="bottom")
    _date_axis(ax)
    ax.set_ylabel("stance")
    ax.set_xlabel("date of statement")
    ax.set_title(title or f"{actor}: {_label(issue)}")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(loc="upper left", fontsize=7, ncol=3, framealpha=0.8)
    return ax


def plot_actor_heatmap(labels: pd.DataFrame, actor: str, ax=None, period: str = "year", issues: list[str] | None = None,
                       min_statements: int = 1):
    """One actor, all issues: mean stance per issue and period; cells annotated with counts."""
    require(labels, LABELS, "labels")
    tl = timeline(labels, actor=actor, period=period, issues=issues, min_statements=min_statements)
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4))
    if tl.empty:
        ax.text(0.5, 0.5, f"No dated labels for {actor}", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    iss = issues or sorted(tl["issue"].unique())
    periods = sorted(tl["period"].unique())
    grid = np.full((len(iss), len(periods)), np.nan)
    counts = np.zeros_like(grid)
    for _, r in tl.iterrows():
        if r["issue"] in iss:
            grid[iss.index(r["issue"]), periods.index(r["period"])] = r["mean_stance"]
            counts[iss.index(r["issue"]), periods.index(r["period"])] = r["statements"]
    im = ax.imshow(grid, cmap="RdYlGn", vmin=-1, vmax=1, aspect="auto")
    for i in range(len(iss)):
        for j in range(len(periods)):
            if counts[i, j]:
                ax.text(j, i, f"{grid[i, j]:+.1f}\nn={int(counts[i, j])}", ha="center", va="center", fontsize=7)
    ax.set_xticks(range(len(periods)), periods, rotation=45 if len(periods) > 8 else 0)
    ax.set_yticks(range(len(iss)), [_label(i) for i in iss])
    ax.set_xlabel(period)
    ax.set_title(f"{actor}: mean stance by issue and {period} (+1 favor, -1 against)")
    ax.figure.colorbar(im, ax=ax, fraction=0.03, label="mean stance")
    return ax


def plot_actors(labels: pd.DataFrame, actors: list[str], issue: str, ax=None, period: str = "year",
                events: pd.DataFrame | None = None):
    """Several actors, one issue, on one time axis: mean stance per period with 95% intervals."""
    require(labels, LABELS, "labels")
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4))
    drawn = 0
    lo, hi = None, None
    for k, actor in enumerate(actors):
        tl = timeline(labels[labels["issue"] == issue], actor=actor, period=period, min_statements=3)
        if tl.empty:
            continue
        mid = tl["period_start"] + (tl["period_end"] - tl["period_start"]) / 2
        color = ACTOR_COLORS[k % len(ACTOR_COLORS)]
        off = pd.Timedelta(days=12 * (k - len(actors) / 2))
        ax.errorbar(mid + off, tl["mean_stance"], yerr=[tl["mean_stance"] - tl["ci_low"], tl["ci_high"] - tl["mean_stance"]],
                    color=color, marker="o", ms=4, lw=1.5, capsize=3, label=f"{actor} (n={int(tl['statements'].sum())})")
        sp = tl[tl["sparse"]]
        if not sp.empty:
            ax.scatter(mid[tl["sparse"]] + off, sp["mean_stance"], facecolors="white", edgecolors=color, s=40, zorder=5)
        lo = mid.min() if lo is None else min(lo, mid.min())
        hi = mid.max() if hi is None else max(hi, mid.max())
        drawn += 1
    if not drawn:
        ax.text(0.5, 0.5, f"No dated labels on {_label(issue)} for {', '.join(actors)}", ha="center", va="center",
                transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    ax.axhline(0, color="#999999", lw=0.8)
    ax.set_ylim(-1.15, 1.35)
    ax.set_yticks([-1, 0, 1], ["against", "neutral", "favor"])
    pad = pd.Timedelta(days=120)
    ax.set_xlim(lo - pad, hi + pad)
    _events(ax, events if events is not None else load_events(), lo - pad, hi + pad)
    _date_axis(ax)
    ax.set_ylabel("mean stance per " + period)
    ax.set_xlabel("date")
    ax.set_title(f"{_label(issue)}: actors compared (open markers: fewer than 3 statements)")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(loc="upper left", fontsize=8, ncol=2, framealpha=0.8)
    return ax


def save(fig_or_ax, path: str | Path, formats=("png", "svg"), dpi: int = 130) -> list[Path]:
    """Save a figure as PNG and SVG (atomically); returns the paths written."""
    fig = fig_or_ax.figure if hasattr(fig_or_ax, "figure") and not hasattr(fig_or_ax, "savefig") else fig_or_ax
    base = Path(path)
    out = []
    for fmt in formats:
        buf = _io.BytesIO()
        fig.savefig(buf, format=fmt, dpi=dpi, bbox_inches="tight")
        target = base.with_suffix("." + fmt)
        write_bytes(target, buf.getvalue())
        out.append(target)
    return out
