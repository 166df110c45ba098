"""Charts for reports (matplotlib). Each function takes ``ax=None`` and returns the Axes; none
calls ``plt.show()``. :func:`save` writes PNG and SVG atomically.

Conventions a reader can rely on: stance on the y axis (against -1, neutral 0, favor +1); a
statement dated only by month or year is drawn at the middle of that span with a bar across it;
period means are drawn as a line across the period they summarise, with the 95% bootstrap interval
as a shaded box, dashed where the period has fewer than ``min_statements``; key events are
numbered markers along the top with their names in a key under the chart (so labels never cover
data, legends or each other); legends sit outside the plotting area.
"""
from __future__ import annotations

import functools
import io as _io
import textwrap
from pathlib import Path

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import matplotlib.transforms as mtransforms
import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .io import write_bytes
from .schema import LABELS, STANCE_VALUE, require
from .timeline import add_dates, dedupe_syndicated, load_events, timeline

STANCE_COLORS = {"favor": "#1b9e77", "neutral": "#7f7f7f", "against": "#d95f02"}
ACTOR_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]
EVENT_COLOR = "#8a8a8a"
SHIFT_COLOR = "#c51b7d"


@functools.lru_cache(maxsize=1)
def _codebook_labels() -> dict[str, str]:
    try:
        from .codebook import load_codebook

        return {k: v.label for k, v in load_codebook().issues.items()}
    except Exception:  # noqa: BLE001 - a title falls back to the id
        return {}


@functools.lru_cache(maxsize=1)
def _actor_names() -> dict[str, str]:
    try:
        from .resources import data_dir

        table = pd.read_csv(data_dir() / "actors.csv", dtype=str, keep_default_na=False)
        return dict(zip(table["actor"], table["label"]))
    except Exception:  # noqa: BLE001 - a legend falls back to the id
        return {}


def issue_label(issue: str) -> str:
    """The codebook's label of an issue ("Assad's future"), else its id."""
    return _codebook_labels().get(issue, issue)


def actor_label(actor: str) -> str:
    """The display name of an actor ("Russia", "Syrian government"), else its id."""
    return _actor_names().get(actor, actor) or actor


def _span_label(start: pd.Timestamp, end) -> str:
    if pd.isna(end) or end <= start:
        return f"{start:%-d %b %Y}"
    if start.year == end.year:
        return f"{start:%b}–{end:%b %Y}" if start.month != end.month else f"{start:%b %Y}"
    return f"{start:%b %Y}–{end:%b %Y}"


def event_numbers(events: pd.DataFrame) -> pd.Series:
    """The number of each event (by the events table's index) when every event is numbered in
    order of start date, 1 first: the same number on every chart drawn with ``event_key=False``,
    whose key is then given once (:func:`stance.notebook.event_key_html`)."""
    order = events.sort_values("start", kind="stable").index
    return pd.Series(np.arange(1, len(order) + 1), index=order)


def _events(ax, events: pd.DataFrame | None, lo, hi, numbers: bool = True, numbered_as_all: bool = False
            ) -> list[tuple[int, str]]:
    """Draw events in [lo, hi] as dotted lines (spans shaded) with numbers just above the axes
    (``numbers=False``: the lines only), numbered within [lo, hi] or, with ``numbered_as_all``, as
    :func:`event_numbers` numbers the whole table.

    Returns ``(number, "name (date)")`` for the key; numbers of events closer than ~3% of the axis
    are staggered onto a second row so they stay legible.
    """
    if events is None or events.empty:
        return []
    every = event_numbers(events) if numbered_as_all else None
    ev = events[(events["start"] >= lo) & (events["start"] <= hi)].sort_values("start", kind="stable")
    trans = mtransforms.blended_transform_factory(ax.transData, ax.transAxes)
    width = (hi - lo).total_seconds()
    key, last_x, row, dots = [], None, 0, []
    for n, (i, e) in enumerate(ev.iterrows(), start=1):
        n = int(every[i]) if every is not None else n
        s, end = e["start"], e.get("end")
        if pd.notna(end) and end > s:
            ax.axvspan(s, end, color=EVENT_COLOR, alpha=0.18, lw=0, zorder=0)
        else:
            dots.append(mdates.date2num(s))
        if not numbers:
            continue
        x = (s - lo).total_seconds() / width
        row = 1 - row if last_x is not None and x - last_x < 0.03 else 0
        last_x = x
        ax.annotate(str(n), xy=(mdates.date2num(s), 1), xycoords=trans, xytext=(0, 4 + 12 * row), textcoords="offset points",
                    ha="center", va="bottom", fontsize=7, color="#444444", annotation_clip=False,
                    bbox={"boxstyle": "circle,pad=0.15", "fc": "white", "ec": EVENT_COLOR, "lw": 0.6})
        when = _span_label(s, end)
        key.append((n, f"{textwrap.shorten(str(e['label']), max(12, 44 - len(when)), placeholder='…')} ({when})"))
    if dots:  # one collection of dotted lines, not an axvline (and its update of the data limits) each
        ax.add_collection(LineCollection([[(x, 0), (x, 1)] for x in dots], colors=EVENT_COLOR, linewidths=0.8,
                                         linestyles=":", zorder=0, transform=trans), autolim=False)
    return key


def event_key(events: pd.DataFrame) -> list[tuple[int, str, str]]:
    """(number, name, date or span) of every event, numbered as :func:`event_numbers` numbers
    them: the key of charts drawn with ``event_key=False``."""
    if events is None or events.empty:
        return []
    num = event_numbers(events)
    return [(int(num[i]), str(events.at[i, "label"]), _span_label(events.at[i, "start"], events.at[i, "end"]
                                                                   if "end" in events else None))
            for i in num.index]


def _window_marks(ax, period, windows, lo, hi) -> list[str]:
    """With named windows, a letter at the foot of each window in [lo, hi] and thin lines at their
    edges; returns "A  name (span)" lines for the notes under the chart."""
    from .timeline import _windows

    if not (windows is not None or not isinstance(period, str) or period == "windows"):
        return []
    trans = mtransforms.blended_transform_factory(ax.transData, ax.transAxes)
    lines = []
    # windows of which at least 3% of the axis is visible (a sliver at the edge gets no letter)
    shown = [(lbl, ws, we) for lbl, ws, we in _windows(period, lo, hi, windows)
             if (min(we, hi) - max(ws, lo)) / (hi - lo) > 0.03]
    for n, (lbl, ws, we) in enumerate(shown):
        letter = chr(ord("A") + n) if n < 26 else str(n)
        for edge in (ws, we + pd.Timedelta(days=1)):
            if lo <= edge <= hi:
                ax.axvline(edge, color="#c9c9c9", lw=0.6, zorder=0)
        mid = max(ws, lo) + (min(we, hi) - max(ws, lo)) / 2
        ax.text(mdates.date2num(mid), 0.015, letter, transform=trans, ha="center", va="bottom", fontsize=7,
                color="#666666", fontweight="bold")
        lines.append(f"{letter}  {lbl} ({_span_label(ws, we)})")
    return lines


def _footnote(ax, key: list[tuple[int, str]], notes: list[str] = ()) -> None:
    """Event key and notes under the x axis label, in up to three columns."""
    lines = []
    if key:
        cols = 3 if len(key) > 6 else 2 if len(key) > 2 else 1
        per = -(-len(key) // cols)
        for c in range(cols):
            chunk = key[c * per:(c + 1) * per]
            text = "\n".join(f"{n:>2}  {label}" for n, label in chunk)
            ax.annotate(text, xy=(c / cols, 0), xycoords="axes fraction", xytext=(0, -40), textcoords="offset points",
                        va="top", ha="left", fontsize=7, color="#444444", annotation_clip=False)
        lines.append(per)
    if notes:
        offset = -44 - 9.5 * (lines[0] if lines else 0)
        ax.annotate("\n".join(notes), xy=(0, 0), xycoords="axes fraction", xytext=(0, offset), textcoords="offset points",
                    va="top", ha="left", fontsize=7, color="#444444", style="italic", annotation_clip=False)


def _date_axis(ax) -> None:
    """Ticks labelled with their year always ("2014", "Jul 2013", "14 Sep 2013" as the span
    shrinks), never a bare month whose year the reader has to guess, nor one label twice."""
    lo, hi = (mdates.num2date(x) for x in ax.get_xlim())
    if (hi - lo).days > 4 * 365:
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        return
    loc = mdates.AutoDateLocator(minticks=3, maxticks=8)
    fmt = mdates.AutoDateFormatter(loc)
    fmt.scaled = {366.0: "%Y", 31.0: "%b %Y", 1.0: "%-d %b %Y", 1 / 24: "%-d %b %Y %H:%M"}  # by tick spacing in days
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(fmt)


def _stance_axis(ax, lo: float, hi: float) -> None:
    ax.set_ylim(lo, hi)
    ax.set_yticks([-1, 0, 1], ["against", "neutral", "favor"])
    ax.grid(axis="y", alpha=0.3)


def _empty(ax, message: str):
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="#555555")
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(False)
    return ax


def _period_name(period) -> str:
    return period if isinstance(period, str) and period != "windows" else "window"


def _issue_points_and_means(ax, lab, labels, actor, issue, period, seed, weighted, min_statements, windows):
    """plot_issue's points (``lab``: the actor's dated rows on the issue) and period means;
    returns the legend handles and the timeline."""
    rng = np.random.default_rng(seed)
    y = lab["stance"].map(STANCE_VALUE).to_numpy(dtype=float) + rng.uniform(-0.13, 0.13, len(lab))
    handles = []
    for stance, color in STANCE_COLORS.items():
        m = (lab["stance"] == stance).to_numpy()
        if not m.any():
            continue
        coarse = m & (lab["date_precision"] != "day").to_numpy()
        if coarse.any():
            ax.hlines(y[coarse], lab.loc[coarse, "date_start"], lab.loc[coarse, "date_end"], colors=color, alpha=0.3,
                      lw=1.2, zorder=2)
        sizes = 12 + 50 * lab.loc[m, "confidence"].fillna(0.5).to_numpy()
        ax.scatter(lab.loc[m, "date_mid"], y[m], s=sizes, c=color, alpha=0.8, edgecolors="white", linewidths=0.5, zorder=3)
        handles.append(Line2D([], [], ls="", marker="o", color=color, label=f"{stance} ({int(m.sum())})"))
    tl = timeline(labels[labels["issue"] == issue], actor=actor, period=period, weighted=weighted,
                  min_statements=min_statements, windows=windows)
    name = _period_name(period)
    for _, b in tl.iterrows():
        ws, we = b["period_start"], b["period_end"] + pd.Timedelta(hours=23)
        ax.add_patch(plt.Rectangle((mdates.date2num(ws), b["ci_low"]), mdates.date2num(we) - mdates.date2num(ws),
                                   b["ci_high"] - b["ci_low"], color="black", alpha=0.07 if b["sparse"] else 0.14,
                                   lw=0, zorder=1))
        ax.hlines(b["mean_stance"], ws, we, colors="black", lw=2, ls="--" if b["sparse"] else "-", zorder=4)
    if not tl.empty:
        handles += [Line2D([], [], color="black", lw=2, label=f"mean per {name}"),
                    Patch(color="black", alpha=0.14, lw=0, label="95% interval")]
        if tl["sparse"].any():
            handles.append(Line2D([], [], color="black", lw=2, ls="--", label=f"fewer than {min_statements} statements"))
    return handles, tl


def _shift_marks(ax, shifts, actor, issue, lo, hi) -> bool:
    """Detected shifts of the actor on the issue as magenta lines with their p-value; True if any."""
    if shifts is None or shifts.empty:
        return False
    mine = shifts[(shifts["issue"] == issue) & (shifts["actor"] == actor)] if "actor" in shifts else shifts[shifts["issue"] == issue]
    for _, sh in mine.iterrows():
        ax.axvline(sh["date"], color=SHIFT_COLOR, lw=2, alpha=0.8, zorder=2)
        right = (sh["date"] - lo) / (hi - lo) > 0.75  # label on the side with room
        ax.annotate(f"shift in {sh.get('measure', 'stance')}, p={sh['p_value']:.3f}", (sh["date"], -1.42),
                    xytext=(-3 if right else 3, 0), textcoords="offset points", color=SHIFT_COLOR, fontsize=7.5,
                    va="bottom", ha="right" if right else "left")
    return not mine.empty


def plot_issue(labels: pd.DataFrame, actor: str, issue: str, ax=None, period="year",
               events: pd.DataFrame | None = None, shifts: pd.DataFrame | None = None, seed: int = 0,
               show_events: bool = True, title: str | None = None, weighted: bool = False,
               min_statements: int = 3, windows=None, event_key: bool = True):
    """One actor, one issue: every statement a point (jittered, coloured by stance, sized by
    confidence; a month- or year-only date drawn at mid-span with a bar across the span), the mean
    per period (``year``, ``quarter``, ``month``, ``windows`` or a list of windows, see
    :func:`stance.timeline.timeline`) as a line across the period with its 95% interval as a box,
    key events numbered along the top with a key below (``event_key=False``: numbered as
    :func:`event_numbers` numbers the whole table, the key given once elsewhere), and detected
    shifts."""
    require(labels, LABELS, "labels")
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4.2))
    lab = add_dates(dedupe_syndicated(labels[(labels["actor"] == actor) & (labels["issue"] == issue)]))
    undated = int(lab["date_mid"].isna().sum())
    lab = lab[lab["date_mid"].notna()]
    ax.set_title(title or f"{actor_label(actor)}: {issue_label(issue)}", pad=30 if show_events else 6)
    if lab.empty:
        return _empty(ax, f"No dated statements of {actor_label(actor)} on {issue_label(issue)}")
    handles, tl = _issue_points_and_means(ax, lab, labels, actor, issue, period, seed, weighted, min_statements, windows)
    name = _period_name(period)
    lo = lab["date_start"].min() - pd.Timedelta(days=45)
    hi = lab["date_end"].max() + pd.Timedelta(days=45)
    ax.set_xlim(lo, hi)
    _stance_axis(ax, -1.45, 1.35)
    key = _events(ax, events if events is not None else load_events(), lo, hi,
                  numbered_as_all=not event_key) if show_events else []
    if _shift_marks(ax, shifts, actor, issue, lo, hi):
        handles.append(Line2D([], [], color=SHIFT_COLOR, lw=2, label="detected shift"))
    _date_axis(ax)
    ax.set_ylabel("stance")
    ax.set_xlabel("date of statement (point size: labeler's confidence)")
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7.5, frameon=False)
    notes = _window_marks(ax, period, windows, lo, hi)
    left_out = tl.attrs.get("coarse", 0) + tl.attrs.get("outside", 0)
    if left_out:
        notes.append(f"{left_out} statement(s) whose date is coarser than a {name} or falls in no {name} are drawn "
                     "as points but left out of the means.")
    if undated:
        notes.append(f"{undated} undated statement(s) not drawn.")
    if weighted:
        notes.append("Means weighted by the labeler's confidence.")
    _footnote(ax, key if event_key else [], notes)
    return ax


def _empty_chart(fig, title: str, message: str) -> list:
    """A small-multiples chart with no row: one Axes titled ``title`` saying ``message`` (on a new
    figure unless ``fig``)."""
    if fig is None:
        fig = plt.figure(figsize=(10, 2.5))
    ax = fig.add_subplot()
    ax.set_title(title)
    return [_empty(ax, message)]


def _row_axes(fig, n_rows: int, row_height: float, hspace: float):
    """``n_rows`` Axes stacked on a shared date axis (on a new figure of ``row_height`` inches a row
    unless ``fig``)."""
    if fig is None:
        fig = plt.figure(figsize=(10, row_height * n_rows + 1.2))
    axes = fig.subplots(n_rows, 1, sharex=True, squeeze=False)[:, 0]
    fig.subplots_adjust(hspace=hspace)
    return axes


def plot_issues(labels: pd.DataFrame, actor: str, issues: list[str], fig=None, period="year",
                events: pd.DataFrame | None = None, shifts: pd.DataFrame | None = None, seed: int = 0,
                show_events: bool = True, weighted: bool = False, min_statements: int = 3, windows=None,
                event_key: bool = True):
    """One actor, several issues as small multiples: one row per issue on a shared date axis, each
    drawn as :func:`plot_issue` draws one (points, period means with their intervals, shifts), the
    counts by stance beside the issue's name, one legend, the events numbered along the top row
    (dotted lines on every row) and one key and the notes under the chart (``event_key=False``:
    numbered as :func:`event_numbers` numbers the whole table, the key given once elsewhere).
    Issues without a dated statement of the actor get no row and are named in the notes. Returns
    the Axes, one per row (an empty chart: a single Axes saying so)."""
    require(labels, LABELS, "labels")
    mine = labels[labels["actor"] == actor]
    dated, undated = {}, {}
    for issue in issues:
        lab = add_dates(dedupe_syndicated(mine[mine["issue"] == issue]))
        undated[issue] = int(lab["date_mid"].isna().sum())
        if lab["date_mid"].notna().any():
            dated[issue] = lab[lab["date_mid"].notna()]
    title = f"{actor_label(actor)}: stance on each issue, mean per {_period_name(period)}"
    if not dated:
        return _empty_chart(fig, title, f"No dated statements of {actor_label(actor)} on "
                                        f"{', '.join(map(issue_label, issues))}")
    rows = list(dated)
    axes = _row_axes(fig, len(rows), row_height=1.9, hspace=0.1)
    lo = min(d["date_start"].min() for d in dated.values()) - pd.Timedelta(days=45)
    hi = max(d["date_end"].max() for d in dated.values()) + pd.Timedelta(days=45)
    name = _period_name(period)
    legend, notes, key = {}, [], []
    for ax, issue in zip(axes, rows):
        handles, tl = _issue_points_and_means(ax, dated[issue], labels, actor, issue, period, seed, weighted,
                                              min_statements, windows)
        points = [h.get_label() for h in handles if h.get_label().split(" (")[0] in STANCE_COLORS]
        counts = " · ".join(p.replace(" (", " ").rstrip(")") for p in points)
        for h in handles:  # the stance colours once, without each issue's counts
            legend.setdefault(h.get_label().split(" (")[0] if h.get_label() in points else h.get_label(), h)
        ax.set_xlim(lo, hi)
        _stance_axis(ax, -1.45, 1.35)
        ax.set_yticks([-1, 0, 1], ["against", "neutral", "favor"], fontsize=7.5)
        ax.set_ylabel(f"{textwrap.fill(issue_label(issue), 24)}\n{counts}", rotation=0, ha="right", va="center",
                      fontsize=8.5)
        if show_events:
            k = _events(ax, events if events is not None else load_events(), lo, hi, numbers=ax is axes[0],
                        numbered_as_all=not event_key)
            key = k if ax is axes[0] else key
        if _shift_marks(ax, shifts, actor, issue, lo, hi):
            legend.setdefault("detected shift", Line2D([], [], color=SHIFT_COLOR, lw=2, label="detected shift"))
        left_out = tl.attrs.get("coarse", 0) + tl.attrs.get("outside", 0)
        if left_out:
            notes.append(f"{issue_label(issue)}: {left_out} statement(s) whose date is coarser than a {name} or falls "
                         f"in no {name} are drawn as points but left out of the means.")
    axes[0].set_title(title, pad=30 if show_events else 6)
    _date_axis(axes[-1])
    axes[-1].set_xlabel("date of statement (point size: labeler's confidence)")
    order = [k for k in STANCE_COLORS if k in legend] + [k for k in legend if k not in STANCE_COLORS]
    handles = []
    for k in order:
        h = legend[k]
        if k in STANCE_COLORS:
            h = Line2D([], [], ls="", marker="o", color=STANCE_COLORS[k], label=k)
        handles.append(h)
    axes[0].legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7.5, frameon=False)
    notes = _window_marks(axes[-1], period, windows, lo, hi) + notes
    if sum(undated.values()):
        notes.append(f"{sum(undated.values())} undated statement(s) not drawn.")
    if weighted:
        notes.append("Means weighted by the labeler's confidence.")
    none = [issue_label(i) for i in issues if i not in dated]
    if none:
        notes.append(textwrap.shorten(f"No dated statement of {actor_label(actor)} on {', '.join(none)}.", 150,
                                      placeholder="…"))
    _footnote(axes[-1], key if event_key else [], notes)
    return list(axes)


def plot_actor_heatmap(labels: pd.DataFrame, actor: str, ax=None, period="year", issues: list[str] | None = None,
                       min_statements: int = 3, weighted: bool = False, windows=None):
    """One actor, all issues: mean stance per issue and period, each cell annotated with its mean
    and number of statements; cells with fewer than ``min_statements`` are faded."""
    require(labels, LABELS, "labels")
    tl = timeline(labels, actor=actor, period=period, issues=issues, min_statements=min_statements,
                  weighted=weighted, windows=windows)
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 0.55 * max(len(issues or tl["issue"].unique()), 2) + 1.8))
    name = _period_name(period)
    ax.set_title(f"{actor_label(actor)}: mean stance by issue and {name}")
    if tl.empty:
        return _empty(ax, f"No dated statements of {actor_label(actor)}")
    iss = list(issues) if issues else sorted(tl["issue"].unique(), key=issue_label)
    periods = tl.drop_duplicates("period").sort_values("period_start")["period"].tolist()
    grid = np.full((len(iss), len(periods)), np.nan)
    counts = np.zeros_like(grid)
    sparse = np.zeros_like(grid, dtype=bool)
    for _, r in tl[tl["issue"].isin(iss)].iterrows():
        i, j = iss.index(r["issue"]), periods.index(r["period"])
        grid[i, j], counts[i, j], sparse[i, j] = r["mean_stance"], r["statements"], r["sparse"]
    cmap = plt.get_cmap("RdYlGn")
    rgba = cmap((np.nan_to_num(grid) + 1) / 2)
    rgba[sparse] = 0.45 * rgba[sparse] + 0.55  # faded: too few statements to read much into
    rgba[np.isnan(grid)] = (0.96, 0.96, 0.96, 1)
    ax.imshow(rgba, aspect="auto")
    for i in range(len(iss)):
        for j in range(len(periods)):
            if counts[i, j]:
                dark = abs(grid[i, j]) > 0.6 and not sparse[i, j]
                ax.text(j, i, f"{grid[i, j]:+.1f}\nn={int(counts[i, j])}", ha="center", va="center", fontsize=7,
                        color="white" if dark else "black", style="italic" if sparse[i, j] else "normal")
            else:
                ax.text(j, i, "–", ha="center", va="center", fontsize=7, color="#aaaaaa")
    ax.set_xticks(range(len(periods)), [textwrap.fill(p, 16) for p in periods], fontsize=8,
                  rotation=45 if len(periods) > 12 else 0)
    ax.set_yticks(range(len(iss)), [textwrap.shorten(issue_label(i), 40, placeholder="…") for i in iss], fontsize=8)
    ax.set_xlabel(f"{name} (faded, italic: fewer than {min_statements} statements; –: none)")
    mappable = plt.cm.ScalarMappable(norm=plt.Normalize(-1, 1), cmap=cmap)
    ax.figure.colorbar(mappable, ax=ax, fraction=0.025, pad=0.02, ticks=[-1, 0, 1]).ax.set_yticklabels(
        ["against", "neutral", "favor"], fontsize=8)
    return ax


def _actor_means(ax, tl: pd.DataFrame, k: int, n_actors: int, color, size: float, edge: float) -> None:
    """One actor's timeline (rows in period order) on ``ax``: the means joined by a line that breaks
    between periods that are not adjacent, their intervals as error bars, filled points for periods
    with enough statements and hollow ones for sparse periods. Actor ``k`` of ``n_actors`` is set
    a little aside within each period, so that equal means do not hide one another."""
    mid = tl["period_start"] + (tl["period_end"] - tl["period_start"]) / 2
    off = (tl["period_end"] - tl["period_start"]).median() * 0.07 * (k - (n_actors - 1) / 2)
    gap = (tl["period_start"].shift(-1) - tl["period_end"]).dt.days.fillna(1) > 1
    xs, ys = [], []
    for x, yv, g in zip(mid + off, tl["mean_stance"], gap):
        xs.append(x)
        ys.append(yv)
        if g:
            xs.append(x)
            ys.append(np.nan)
    ax.plot(xs, ys, color=color, lw=1.4, alpha=0.8, zorder=3)
    ax.errorbar(mid + off, tl["mean_stance"], yerr=[tl["mean_stance"] - tl["ci_low"], tl["ci_high"] - tl["mean_stance"]],
                color=color, ls="", lw=1.1, capsize=2.5, alpha=0.7, zorder=3)
    full = ~tl["sparse"]
    ax.scatter((mid + off)[full], tl.loc[full, "mean_stance"], color=color, s=size, zorder=5)
    ax.scatter((mid + off)[~full], tl.loc[~full, "mean_stance"], facecolors="white", edgecolors=color, s=size,
               linewidths=edge, zorder=5)


def plot_actors(labels: pd.DataFrame, actors: list[str], issue: str, ax=None, period="year",
                events: pd.DataFrame | None = None, min_statements: int = 3, weighted: bool = False,
                windows=None, show_events: bool = True):
    """Several actors, one issue, on one time axis: mean stance per period with 95% intervals
    (open markers: fewer than ``min_statements``; lines break where an actor has no statement)."""
    require(labels, LABELS, "labels")
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4.2))
    ax.set_title(f"{issue_label(issue)}: actors compared", pad=30 if show_events else 6)
    drawn = 0
    lo, hi = None, None
    on_issue = labels[labels["issue"] == issue]
    for k, actor in enumerate(actors):
        tl = timeline(on_issue, actor=actor, period=period, min_statements=min_statements, weighted=weighted,
                      windows=windows)
        if tl.empty:
            continue
        tl = tl.sort_values("period_start").reset_index(drop=True)
        color = ACTOR_COLORS[k % len(ACTOR_COLORS)]
        _actor_means(ax, tl, k, len(actors), color, size=28, edge=1.3)
        ax.plot([], [], color=color, marker="o", ms=5, label=f"{actor_label(actor)} (n={int(tl['statements'].sum())})")
        lo = tl["period_start"].min() if lo is None else min(lo, tl["period_start"].min())
        hi = tl["period_end"].max() if hi is None else max(hi, tl["period_end"].max())
        drawn += 1
    if not drawn:
        return _empty(ax, f"No dated statements on {issue_label(issue)} by {', '.join(map(actor_label, actors))}")
    missing = [actor_label(a) for a in actors if not (on_issue["actor"] == a).any()]
    ax.axhline(0, color="#999999", lw=0.8)
    _stance_axis(ax, -1.2, 1.2)
    pad = pd.Timedelta(days=30)
    ax.set_xlim(lo - pad, hi + pad)
    key = _events(ax, events if events is not None else load_events(), lo - pad, hi + pad) if show_events else []
    _date_axis(ax)
    name = _period_name(period)
    ax.set_ylabel(f"mean stance per {name}")
    ax.set_xlabel("date")
    ax.plot([], [], color="#555555", marker="o", ms=5, mfc="white", ls="", label=f"fewer than {min_statements} statements")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7.5, frameon=False)
    notes = _window_marks(ax, period, windows, lo - pad, hi + pad) + ["Bars: 95% bootstrap interval of the mean."]
    if missing:
        notes.append(f"No statements on this issue by {', '.join(missing)}.")
    _footnote(ax, key, notes)
    return ax


def plot_actors_issues(labels: pd.DataFrame, actors: list[str], issues: list[str], fig=None, period="year",
                       events: pd.DataFrame | None = None, min_statements: int = 3, weighted: bool = False,
                       windows=None, show_events: bool = True, event_key: bool = True):
    """Several actors on several issues as small multiples: one row per issue on a shared date
    axis, drawn as :func:`plot_actors` draws one issue (mean stance per period with 95% intervals,
    open markers below ``min_statements``), with one legend, the events numbered along the top row
    (dotted lines on every row) and one key under the chart (``event_key=False``: numbered as
    :func:`event_numbers` numbers the whole table, the key given once elsewhere). Issues no actor spoke on get no row
    and are named in the notes. Returns the Axes, one per row (an empty chart: a single Axes
    saying so)."""
    require(labels, LABELS, "labels")
    on = labels[labels["issue"].isin(issues)]
    # one timeline per actor over every issue: the same rows, per issue, as one call per issue
    # (calendar or named periods; each group's interval drawn from its own seeded generator)
    tls = {a: timeline(on, actor=a, period=period, issues=list(issues), min_statements=min_statements,
                       weighted=weighted, windows=windows) for a in actors}
    tls = {a: t.sort_values("period_start", kind="stable") for a, t in tls.items() if not t.empty}
    rows = [i for i in issues if any((t["issue"] == i).any() for t in tls.values())]
    name = _period_name(period)
    title = f"Actors compared: mean stance per {name}"
    if not rows:
        return _empty_chart(fig, title, f"No dated statements on {', '.join(map(issue_label, issues))} by "
                                        f"{', '.join(map(actor_label, actors))}")
    axes = _row_axes(fig, len(rows), row_height=1.45, hspace=0.12)
    lo = min(t["period_start"].min() for t in tls.values())
    hi = max(t["period_end"].max() for t in tls.values())
    pad = pd.Timedelta(days=30)
    counts = {a: 0 for a in actors}
    missing: dict[str, list[str]] = {}
    for ax, issue in zip(axes, rows):
        for k, actor in enumerate(actors):
            color = ACTOR_COLORS[k % len(ACTOR_COLORS)]
            tl = tls.get(actor)
            tl = tl[tl["issue"] == issue].reset_index(drop=True) if tl is not None else None
            if tl is None or tl.empty:
                missing.setdefault(actor_label(actor), []).append(issue_label(issue))
                continue
            counts[actor] += int(tl["statements"].sum())
            _actor_means(ax, tl, k, len(actors), color, size=22, edge=1.2)
        ax.axhline(0, color="#999999", lw=0.8)
        ax.set_ylim(-1.25, 1.25)
        ax.set_yticks([-1, 0, 1], ["against", "neutral", "favor"], fontsize=7.5)
        ax.grid(axis="y", alpha=0.3)
        ax.set_ylabel(textwrap.fill(issue_label(issue), 22), rotation=0, ha="right", va="center", fontsize=8.5)
        ax.set_xlim(lo - pad, hi + pad)
        if show_events:
            ev = events if events is not None else load_events()
            key = _events(ax, ev, lo - pad, hi + pad, numbers=ax is axes[0], numbered_as_all=not event_key)
            if ax is axes[0]:
                first_key = key
    key = first_key if show_events and event_key else []
    axes[0].set_title(title, pad=30 if show_events else 6)
    _date_axis(axes[-1])
    axes[-1].set_xlabel("date")
    handles = [Line2D([], [], color=ACTOR_COLORS[k % len(ACTOR_COLORS)], marker="o", ms=5,
                      label=f"{actor_label(a)} (n={counts[a]})") for k, a in enumerate(actors) if counts[a]]
    handles.append(Line2D([], [], color="#555555", marker="o", ms=5, mfc="white", ls="",
                          label=f"fewer than {min_statements} statements"))
    axes[0].legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7.5, frameon=False)
    notes = _window_marks(axes[-1], period, windows, lo - pad, hi + pad) + ["Bars: 95% bootstrap interval of the mean."]
    for who, where in missing.items():
        notes.append(textwrap.shorten(f"No statements by {who} on {', '.join(where)}.", 150, placeholder="…"))
    left = [issue_label(i) for i in issues if i not in rows]
    if left:
        notes.append(textwrap.shorten(f"No statements by these actors on {', '.join(left)}.", 150, placeholder="…"))
    _footnote(axes[-1], key, notes)
    return list(axes)


def plot_evaluation(figures: dict, ax=None):
    """The labelers' macro-F1 (favor/against) with 95% intervals and their relevance F1, one row
    per labeler and evaluation split (``stance.evaluate.evaluate_stances`` figures)."""
    results = figures.get("results", [])
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.45 * max(len(results), 2) + 1.4))
    ax.set_title("How well the labelers agree with the hand annotations")
    if not results:
        return _empty(ax, "No evaluation results")
    ys = np.arange(len(results))[::-1]
    colors = {name: ACTOR_COLORS[i % len(ACTOR_COLORS)] for i, name in enumerate(dict.fromkeys(r["labeler"] for r in results))}
    for y, r in zip(ys, results):
        c = colors[r["labeler"]]
        ax.errorbar(r["macro_f1"], y, xerr=[[r["macro_f1"] - r["ci_low"]], [r["ci_high"] - r["macro_f1"]]], color=c,
                    marker="o", capsize=3, ls="")
        ax.scatter(r["relevance_f1"], y, marker="D", facecolors="white", edgecolors=c, zorder=3)
    ax.set_yticks(ys, [f"{r['labeler']}: {r['split']} (n={r['n_test']})" for r in results], fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("F1 (0 to 1)")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(handles=[Line2D([], [], color="#444444", marker="o", label="macro-F1 favor/against, 95% interval"),
                       Line2D([], [], color="#444444", marker="D", mfc="white", ls="", label="relevance F1")],
              loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7.5, frameon=False)
    return ax


def plot_confusion(confusion: pd.DataFrame, ax=None, title: str = "Confusion matrix"):
    """A confusion matrix (rows gold, columns predicted) with counts; each row shaded by its
    share so small classes stay visible beside the large 'none'."""
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 3.8))
    counts = confusion.to_numpy(dtype=float)
    share = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
    for i in range(counts.shape[0]):
        for j in range(counts.shape[1]):
            ax.text(j, i, f"{int(counts[i, j])}", ha="center", va="center", fontsize=8,
                    color="white" if share[i, j] > 0.6 else "black")
    ax.set_xticks(range(counts.shape[1]), [str(c) for c in confusion.columns], fontsize=8)
    ax.set_yticks(range(counts.shape[0]), [str(i) for i in confusion.index], fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("hand annotation")
    ax.set_title(title, fontsize=9)
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
