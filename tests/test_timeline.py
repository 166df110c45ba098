import numpy as np
import pandas as pd

from stance import detect_shifts, position_summary, timeline
from stance.schema import LABELS, conform


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
