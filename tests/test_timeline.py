import numpy as np
import pandas as pd
import pytest

from stance import detect_shifts, position_summary, timeline
from stance.schema import LABELS, conform
from stance.timeline import dedupe_syndicated


def labels_frame(rows):
    base = {"doc_id": "d", "source": "s", "url": "", "speaker": "Sergei Lavrov", "actor": "russia",
            "speaker_method": "name", "reported_by": "", "kind": "direct", "cue": "said", "start": 0, "end": 1,
            "confidence": 0.8, "evidence": "", "labeler": "rule", "codebook_version": "t"}
    out = []
    for i, (date, prec, issue, stance) in enumerate(rows):
        out.append({**base, "statement_id": f"s{i}", "doc_id": f"d{i}", "date": date, "date_precision": prec,
                    "issue": issue, "stance": stance, "text": f"statement number {i}"})
    return conform(out, LABELS)


def test_year_bins_mean_and_interval():
    lab = labels_frame([("2014-01-10", "day", "ceasefire", "favor"), ("2014-03-01", "day", "ceasefire", "favor"),
                        ("2014-05-01", "day", "ceasefire", "against"), ("2015-02-01", "day", "ceasefire", "against")])
    tl = timeline(lab, actor="russia", period="year")
    y14 = tl[tl["period"] == "2014"].iloc[0]
    assert y14["statements"] == 3 and np.isclose(y14["mean_stance"], 1 / 3)
    assert y14["ci_low"] <= y14["mean_stance"] <= y14["ci_high"]
    assert bool(tl[tl["period"] == "2015"].iloc[0]["sparse"])


def test_year_only_dates_not_placed_in_quarters():
    lab = labels_frame([("2014", "year", "ceasefire", "favor"), ("2014-02-01", "day", "ceasefire", "against")])
    q = timeline(lab, actor="russia", period="quarter")
    assert q["statements"].sum() == 1 and q.attrs["coarse"] == 1
    y = timeline(lab, actor="russia", period="year")
    assert y["statements"].sum() == 2


def test_syndicated_copies_count_once():
    lab = labels_frame([("2014-01-10", "day", "ceasefire", "favor"), ("2014-01-11", "day", "ceasefire", "favor")])
    lab["text"] = "The same words in two outlets."
    assert timeline(lab, actor="russia")["statements"].sum() == 1


def test_shift_detected_with_evidence():
    dates = pd.date_range("2013-01-01", periods=24, freq="MS").strftime("%Y-%m-%d")
    rows = [(d, "day", "assad_future", "favor" if i < 12 else "against") for i, d in enumerate(dates)]
    shifts = detect_shifts(labels_frame(rows), "russia", "assad_future")
    assert len(shifts) == 1
    sh = shifts.iloc[0]
    assert pd.Timestamp("2013-12-01") < sh["date"] < pd.Timestamp("2014-01-02")
    assert sh["p_value"] < 0.01 and sh["before_mean"] == 1 and sh["after_mean"] == -1
    assert sh["before_ids"][-1] == "s11" and sh["after_ids"][0] == "s12"


def test_no_shift_in_noise():
    rng = np.random.default_rng(3)
    dates = pd.date_range("2013-01-01", periods=30, freq="MS").strftime("%Y-%m-%d")
    rows = [(d, "day", "ceasefire", rng.choice(["favor", "against"])) for d in dates]
    assert detect_shifts(labels_frame(rows), "russia", "ceasefire").empty


def test_position_summary():
    lab = labels_frame([("2014-01-10", "day", "ceasefire", "favor"), ("2015-03-01", "day", "ceasefire", "favor"),
                        ("2015-05-01", "day", "ceasefire", "against")])
    s = position_summary(lab, "russia", ["ceasefire", "preconditions"]).set_index("issue")
    assert s.loc["ceasefire", "dominant_stance"] == "favor" and s.loc["ceasefire", "first"] == "2014-01-10"
    assert s.loc["preconditions", "statements"] == 0
    assert s.loc["ceasefire", "quote"] in set(lab["text"]) and s.loc["ceasefire", "quote_url"] == ""


def test_named_windows_from_data_file():
    from stance.timeline import load_windows

    windows = load_windows()
    assert {"Geneva II round", "Vienna talks and resolution 2254", "Astana rounds"} <= set(windows["label"])
    lab = labels_frame([("2014-01-30", "day", "ceasefire", "favor"), ("2014-02-10", "day", "ceasefire", "favor"),
                        ("2015-11-10", "day", "ceasefire", "against"),
                        ("2014", "year", "ceasefire", "against")])  # a year spans several windows
    tl = timeline(lab, actor="russia", period="windows").set_index("period")
    assert tl.loc["Geneva II round", "statements"] == 2
    assert tl.loc["Vienna talks and resolution 2254", "mean_stance"] == -1
    assert tl.attrs["coarse"] == 1
    own = timeline(lab, actor="russia", period=[("the year 2014", "2014-01-01", "2014-12-31")])
    assert own["statements"].tolist() == [3]  # the year-only statement fits a window of the whole year


def test_bad_window_file_names_the_line(tmp_path):
    from stance import StanceInputError
    from stance.timeline import load_windows

    f = tmp_path / "w.csv"
    f.write_text("label,start,end\nfine,2014-01-01,2014-02-01\nbackwards,2015-05-01,2015-01-01\n")
    with pytest.raises(StanceInputError, match="line 3.*ends"):
        load_windows(str(f))


def test_confidence_weighting_moves_the_mean():
    lab = labels_frame([("2014-01-10", "day", "ceasefire", "favor"), ("2014-03-01", "day", "ceasefire", "against")])
    lab["confidence"] = [0.9, 0.3]
    assert timeline(lab, actor="russia")["mean_stance"].iloc[0] == 0
    assert np.isclose(timeline(lab, actor="russia", weighted=True)["mean_stance"].iloc[0], (0.9 - 0.3) / 1.2)


def test_salience_shift_and_evidence_about_the_issue():
    dates = pd.date_range("2013-01-01", periods=24, freq="MS").strftime("%Y-%m-%d")
    # the actor speaks every month; from month 12 on, every statement is about the ceasefire
    rows = [(d, "day", "ceasefire" if i >= 12 or i % 6 == 0 else "terrorist_lists", "favor")
            for i, d in enumerate(dates)]
    lab = labels_frame(rows)
    statements = lab.drop(columns=["issue", "stance", "confidence", "evidence", "labeler", "codebook_version"])
    shifts = detect_shifts(lab[lab["issue"] == "ceasefire"], "russia", "ceasefire", measure="salience",
                           statements=statements)
    assert len(shifts) == 1 and shifts.iloc[0]["measure"] == "salience"
    sh = shifts.iloc[0]
    assert sh["before_mean"] < 0.3 and sh["after_mean"] == 1
    assert sh["before_ids"][-1] == "s6" and sh["after_ids"][0] == "s12"  # statements about the issue


def test_shift_never_splits_one_date():
    # ten statements of one speech, then ten of another: the only admissible split is between them
    rows = [("2013", "year", "assad_future", "favor")] * 10 + [("2015", "year", "assad_future", "against")] * 10
    lab = labels_frame(rows)
    lab["text"] = [f"distinct sentence {i}" for i in range(20)]
    sh = detect_shifts(lab, "russia", "assad_future")
    assert len(sh) == 1 and sh.iloc[0]["n_before"] == 10


def _python_wording(lower: pd.Series) -> pd.Series:
    import re

    return lower.map(lambda t: re.sub(r"[^a-z0-9]+", " ", t).strip()[:200])


def test_syndicated_wording_is_the_python_one(seed_statements):
    """dedupe_syndicated compares wordings normalised in Arrow: the same strings as Python's
    re.sub/strip/slice, on real statements and on text with accents, dashes and long runs."""
    import sys

    normalised = sys.modules["stance.timeline"]._normalised
    odd = ["É  Ünïcode — ‘quotes’ İstanbul ß", "", "  a  b  ", "x" * 500, "İİİ" * 150, "a\u00a0b\tc\n", "--- !!"]
    for texts in (seed_statements["text"], pd.Series(odd), pd.Series(odd, dtype=object)):
        lower = texts.fillna("").str.lower()
        assert normalised(lower).tolist() == _python_wording(lower).tolist()


def test_syndicated_copies_dropped_in_any_index_order(seed_statements):
    st = seed_statements.reset_index(drop=True)
    copies = pd.concat([st, st.assign(doc_id=st["doc_id"] + "-copy", source="another outlet")], ignore_index=True)
    kept = dedupe_syndicated(copies)
    assert len(kept) == len(st.drop_duplicates(["actor", "speaker", "text"]))
    assert list(kept.index) == sorted(kept.index)
    # the same rows whatever the order or labels of the index (the general path)
    shuffled = copies.sample(frac=1, random_state=1)
    assert sorted(dedupe_syndicated(shuffled).index) == sorted(kept.index)
    relabelled = copies.set_axis([f"r{i}" for i in range(len(copies))])
    assert len(dedupe_syndicated(relabelled)) == len(kept)


def test_shift_p_value_is_the_one_permutation_at_a_time():
    """The permutation test runs its permutations in blocks: the p-value is the one the test
    gives drawing and scoring the same permutations one at a time."""
    rng = np.random.default_rng(5)
    dates = pd.date_range("2013-01-01", periods=40, freq="MS").strftime("%Y-%m-%d")
    stances = [rng.choice(["favor", "neutral"]) if i < 22 else rng.choice(["against", "neutral", "favor"], p=[.6, .3, .1])
               for i in range(40)]
    lab = labels_frame([(d, "day", "ceasefire", s) for d, s in zip(dates, stances)])
    sh = detect_shifts(lab, "russia", "ceasefire", max_shifts=1, alpha=0.5)
    v = lab["stance"].map({"favor": 1.0, "neutral": 0.0, "against": -1.0}).to_numpy()

    def best(x):
        c, n = np.cumsum(x), len(x)
        k = np.arange(4, n - 4 + 1)
        return np.abs(c[k - 1] / k - (c[-1] - c[k - 1]) / (n - k)).max()

    draw = np.random.default_rng(0)
    perm = np.array([best(draw.permutation(v)) for _ in range(999)])
    assert len(sh) == 1
    assert sh.iloc[0]["p_value"] == (1 + int((perm >= best(v) - 1e-12).sum())) / 1000
