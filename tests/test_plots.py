"""Charts drawn from real labels (seed articles and UN General Debate speeches, rule labeler):
each function takes ``ax=None`` and returns the Axes, draws what it promises, and keeps events,
legends and titles out of the data's way."""
import os

import matplotlib.dates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection

from stance import (
    RuleLabeler,
    extract_statements,
    label_statements,
    load_corpus,
    load_events,
    plots,
)
from stance.timeline import detect_shifts

from .conftest import SEEDS, UNGDC


@pytest.fixture(scope="module")
def labels():
    docs = pd.concat([load_corpus(SEEDS), load_corpus(UNGDC)], ignore_index=True)
    return label_statements(extract_statements(docs), RuleLabeler().fit())


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _renderer(ax):
    ax.figure.canvas.draw()
    return ax.figure.canvas.get_renderer()


def _overlaps(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


@pytest.mark.parametrize("draw", [
    lambda lab, ax: plots.plot_issue(lab, "russia", "terrorist_lists", ax=ax),
    lambda lab, ax: plots.plot_actor_heatmap(lab, "russia", ax=ax),
    lambda lab, ax: plots.plot_actors(lab, ["russia", "usa", "syria_government"], "political_solution", ax=ax),
], ids=["issue", "heatmap", "actors"])
def test_every_chart_takes_ax_and_returns_it(labels, draw):
    own = draw(labels, None)
    assert own.get_title() and own.figure is not None
    _, ax = plt.subplots()
    assert draw(labels, ax) is ax


def test_issue_chart_points_means_and_honest_year_dates(labels):
    ax = plots.plot_issue(labels, "russia", "terrorist_lists", period="year")
    ru = labels[(labels["actor"] == "russia") & (labels["issue"] == "terrorist_lists")]
    assert ax.get_title() == "Russia: " + plots.issue_label("terrorist_lists")
    points = np.concatenate([c.get_offsets() for c in ax.collections if isinstance(c, PathCollection)])
    assert len(points) >= ru["statement_id"].nunique() - 1
    # UN speeches carry only a year: none is drawn on 1 January
    days = pd.to_datetime(matplotlib.dates.num2date(points[:, 0])).tz_localize(None)
    assert not ((days.month == 1) & (days.day == 1)).any()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(t.startswith("favor") for t in legend) and "mean per year" in legend


def test_events_are_numbered_with_a_key_and_clear_of_legend_and_title(labels):
    ax = plots.plot_issue(labels, "russia", "political_solution", events=load_events())
    r = _renderer(ax)
    numbers = [t for t in ax.texts if t.get_text().isdigit()]
    assert numbers, "events in the chart's range are numbered"
    key = " ".join(t.get_text() for t in ax.texts if "\n" in t.get_text() or "(" in t.get_text())
    assert "Geneva communiqué" in key
    axes_box = ax.get_window_extent(r)
    legend_box = ax.get_legend().get_window_extent(r)
    assert legend_box.x0 >= axes_box.x1 - 1, "legend sits outside the plotting area"
    title_box = ax.title.get_window_extent(r)
    for t in numbers:
        assert not _overlaps(t.get_window_extent(r), title_box)
        assert not _overlaps(t.get_window_extent(r), legend_box)


def test_shift_marked_on_chart(labels):
    shifts = pd.DataFrame([{"actor": "russia", "issue": "terrorist_lists", "measure": "stance",
                            "date": pd.Timestamp("2013-06-01"), "p_value": 0.01}])
    ax = plots.plot_issue(labels, "russia", "terrorist_lists", shifts=shifts, show_events=False)
    assert any("shift in stance, p=0.010" in t.get_text() for t in ax.texts)


def test_windows_period_and_heatmap_counts(labels):
    ax = plots.plot_actor_heatmap(labels, "russia", period="year")
    cells = [t.get_text() for t in ax.texts if "n=" in t.get_text()]
    ru = labels[(labels["actor"] == "russia")]
    assert sum(int(c.split("n=")[1]) for c in cells) == len(ru.drop_duplicates(["statement_id", "issue"]))
    assert [t.get_text() for t in ax.get_xticklabels()] == sorted(t.get_text() for t in ax.get_xticklabels())
    ax = plots.plot_issue(labels, "russia", "political_solution", period="windows")
    assert "mean per window" in [t.get_text() for t in ax.get_legend().get_texts()]
    notes = " ".join(t.get_text() for t in ax.texts)
    assert "Geneva communiqué to Geneva II (Jun 2012–Jan 2014)" in notes  # windows lettered, named below


def test_empty_selection_says_so(labels):
    ax = plots.plot_issue(labels, "iran", "ceasefire")
    assert any("No dated statements of" in t.get_text() for t in ax.texts)
    ax = plots.plot_actors(labels, ["iran"], "ceasefire")
    assert any("No dated statements" in t.get_text() for t in ax.texts)


def test_save_png_and_svg(labels, tmp_path):
    ax = plots.plot_actors(labels, ["russia", "usa"], "political_solution")
    written = plots.save(ax, tmp_path / "chart")
    assert sorted(p.suffix for p in written) == [".png", ".svg"]
    assert written[0].read_bytes()[:4] == b"\x89PNG" and b"<svg" in written[1].read_bytes()[:500]
    assert not list(tmp_path.glob("*.tmp*"))
    umask = os.umask(0)
    os.umask(umask)
    assert written[0].stat().st_mode & 0o777 == 0o666 & ~umask  # readable like any new file, not 0600


def test_shifts_on_real_labels_have_evidence(labels):
    sh = detect_shifts(labels, "russia", "political_solution", alpha=0.5, min_segment=2)
    for _, row in sh.iterrows():
        assert set(row["before_ids"]) | set(row["after_ids"]) <= set(labels["statement_id"])


def test_actors_compared_as_small_multiples(labels):
    """One row per issue on a shared date axis, each row the same means as one timeline per issue
    (what plot_actors draws), one legend, events numbered once, issues no one spoke on named."""
    from stance.timeline import timeline

    actors, issues = ["russia", "usa", "syria_government"], ["political_solution", "terrorist_lists", "ceasefire"]
    axes = plots.plot_actors_issues(labels, actors, issues, events=load_events())
    fig = axes[0].figure
    assert all(ax.figure is fig for ax in axes)
    spoken = [i for i in issues if labels[labels["issue"] == i]["actor"].isin(actors).any()]
    assert [ax.get_ylabel().replace("\n", " ") for ax in axes] == [plots.issue_label(i) for i in spoken]
    assert len({ax.get_xlim() for ax in axes}) == 1, "one date axis"
    assert [ax for ax in axes if ax.get_legend()] == [axes[0]]
    numbers = [t for ax in axes for t in ax.texts if t.get_text().isdigit()]
    assert numbers and all(t.axes is axes[0] for t in numbers)
    for ax, issue in zip(axes, spoken):
        drawn = sorted(y for c in ax.collections if isinstance(c, PathCollection) for y in c.get_offsets()[:, 1])
        expected = sorted(y for a in actors for y in timeline(labels[labels["issue"] == issue], actor=a)["mean_stance"])
        assert np.allclose(drawn, expected)
    r = _renderer(axes[0])
    assert axes[0].get_legend().get_window_extent(r).x0 >= axes[0].get_window_extent(r).x1 - 1
    axes = plots.plot_actors_issues(labels, ["russia", "iran"], ["terrorist_lists", "inclusive_talks"])
    notes = " ".join(t.get_text() for ax in axes for t in ax.texts)
    assert "No statements by Iran on" in notes
    axes = plots.plot_actors_issues(labels, ["iran"], ["ceasefire"])
    assert len(axes) == 1 and any("No dated statements" in t.get_text() for t in axes[0].texts)


def test_event_numbers_shared_by_charts_with_the_key_given_once(labels):
    """event_key=False: no key under the chart, and each event carries the number it has in the
    whole table (the key stance.notebook.event_key_html gives once), so one number is one event
    on every chart."""
    from stance.notebook import event_key_html

    events = load_events()
    key = {n: f"{name} ({when})" for n, name, when in plots.event_key(events)}
    assert sorted(key) == list(range(1, len(events) + 1))
    starts = dict(zip(plots.event_numbers(events), events.loc[plots.event_numbers(events).index, "start"]))
    assert list(pd.Series(starts).sort_index()) == sorted(events["start"])
    for draw in (lambda: plots.plot_issue(labels, "russia", "political_solution", events=events, event_key=False),
                 lambda: plots.plot_actors_issues(labels, ["russia", "usa"], ["political_solution"], events=events,
                                                  event_key=False)[0]):
        ax = draw()
        assert not any("Geneva communiqué" in t.get_text() for t in ax.texts), "no key under the chart"
        for t in (t for t in ax.texts if t.get_text().isdigit()):
            x = pd.Timestamp(matplotlib.dates.num2date(t.xy[0])).tz_localize(None)
            assert starts[int(t.get_text())] == x, "the number is the event's number in the key"
    numbered = plots.plot_issue(labels, "russia", "political_solution", events=events)  # default: key under it
    assert any("Geneva communiqué" in t.get_text() for t in numbered.texts)
    page = event_key_html(events)
    assert "Geneva communiqué (30 Jun 2012)" in page and page.count("<li") == len(events)
    odd = pd.DataFrame({"start": [pd.Timestamp("2014-01-01")], "end": [pd.NaT], "label": ["<script>x</script>"]})
    assert "<script>" not in event_key_html(odd) and "&lt;script&gt;" in event_key_html(odd)


def test_issues_as_small_multiples(labels):
    """One row per issue with a dated statement of the actor, on a shared date axis: each row the
    points and means plot_issue draws for that issue, the counts by stance beside the issue's
    name, one legend without counts, shifts marked on their row, issues without statements named."""
    issues = ["terrorist_lists", "political_solution", "inclusive_talks"]
    shifts = pd.DataFrame([{"actor": "russia", "issue": "political_solution", "measure": "stance",
                            "date": pd.Timestamp("2013-06-01"), "p_value": 0.01}])
    axes = plots.plot_issues(labels, "russia", issues, events=load_events(), shifts=shifts)
    ru = labels[labels["actor"] == "russia"]
    spoken = [i for i in issues if plots.add_dates(ru[ru["issue"] == i])["date_mid"].notna().any()]
    assert len(axes) == len(spoken) >= 2 and len({ax.get_xlim() for ax in axes}) == 1
    for ax, issue in zip(axes, spoken):
        assert ax.get_ylabel().startswith(plots.issue_label(issue).split()[0])
        one = plots.plot_issue(labels, "russia", issue)
        points = [c.get_offsets() for c in ax.collections if isinstance(c, PathCollection)]
        alone = [c.get_offsets() for c in one.collections if isinstance(c, PathCollection)]
        assert [p.tolist() for p in points] == [p.tolist() for p in alone]
        legend = [t.get_text() for t in one.get_legend().get_texts() if t.get_text().split(" (")[0] in plots.STANCE_COLORS]
        assert " · ".join(t.replace(" (", " ").rstrip(")") for t in legend) in ax.get_ylabel()
    legend = [t.get_text() for t in axes[0].get_legend().get_texts()]
    assert [ax for ax in axes if ax.get_legend()] == [axes[0]]
    assert "favor" in legend and "mean per year" in legend and "detected shift" in legend
    row = axes[spoken.index("political_solution")]
    assert any("shift in stance, p=0.010" in t.get_text() for t in row.texts)
    notes = " ".join(t.get_text() for t in axes[-1].texts)
    assert "Geneva communiqué" in notes  # the key under the chart by default
    for issue in set(issues) - set(spoken):
        assert plots.issue_label(issue) in notes
    axes = plots.plot_issues(labels, "iran", ["ceasefire"])
    assert len(axes) == 1 and any("No dated statements" in t.get_text() for t in axes[0].texts)
