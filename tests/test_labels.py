import pytest

from stance import RuleLabeler, label_statements, load_codebook
from stance.codebook import compile_cue
from stance.schema import STANCES


@pytest.fixture(scope="module")
def rules():
    return RuleLabeler().fit()


# Real sentences from the seed articles, one or more per issue that occurs in them.
@pytest.mark.parametrize("text, issue, stance", [
    ("Prominent Syrian Islamist groups such as the al-Qaida-affiliated Jabhat al-Nusra and Islamic State of Iraq "
     "and the Levant \"have no place in negotiations,\"", "terrorist_lists", "favor"),
    ("Our goal is to facilitate some political agreement between the [Syrian] government and sane, secular, "
     "patriotic opposition and parallel to political reconciliation to help them unite to fight these terrorists",
     "terrorist_lists", "favor"),
    ("I hope that this approach would be constructive because we [Moscow and Washington] share the opinion that "
     "this conference must be held without any preconditions", "preconditions", "favor"),
    ("he wanted Syrian opposition groups to agree among themselves on a common approach before setting up direct "
     "talks with the Damascus government", "opposition_delegation", "favor"),
    ("the list of the participants in a new conference should be expanded to include Syria's neighbors and "
     "\"key regional players,\" such as Iran and Saudi Arabia", "inclusive_talks", "favor"),
    ("there should be no military solution to the crisis", "political_solution", "favor"),
    ("Assad must leave office as part of any accord", "assad_future", "favor"),
    ("an \"action plan\" to implement local cease-fires in some regions torn apart by Syria's civil war",
     "ceasefire", "favor"),
])
def test_seed_sentences(rules, text, issue, stance):
    got, conf, evidence = rules.label_one(text, issue)
    assert got == stance
    assert 0 <= conf <= 1 and evidence and evidence in text or evidence.strip() in text


@pytest.mark.parametrize("text, issue, stance", [
    ("We never said Assad must go.", "assad_future", "against"),          # negation flips the cue
    ("Only the Syrian people can decide who leads them.", "assad_future", "against"),
    ("We reject any foreign military intervention in Syria.", "political_solution", "favor"),
    ("The rebels rejected the truce.", "ceasefire", "against"),
    ("Many Syrian opposition groups demand President Bashar Assad's resignation as a precondition for the talks.",
     "assad_future", "neutral"),  # the opposition's position reported, not the speaker's
])
def test_negation_and_attribution_scope(rules, text, issue, stance):
    assert rules.label_one(text, issue)[0] == stance


def test_not_about_issue(rules):
    assert rules.label_one("At least 20 people were killed in air strikes on Idlib.", "preconditions")[0] is None


def test_labels_table(seed_statements):
    labels = label_statements(seed_statements, RuleLabeler().fit())
    cb = load_codebook()
    assert set(labels["stance"]) <= set(STANCES)
    assert set(labels["issue"]) <= set(cb.issue_ids)
    assert (labels["labeler"] == "rule").all() and (labels["codebook_version"] == cb.version).all()
    assert labels["confidence"].between(0, 1).all()
    lav = labels[(labels["actor"] == "russia")]
    for issue in ("terrorist_lists", "preconditions", "inclusive_talks", "opposition_delegation"):
        assert (lav[lav["issue"] == issue]["stance"] == "favor").any(), issue


def test_bad_cue_names_issue():
    from stance import StanceInputError

    with pytest.raises(StanceInputError, match="issue 'x'"):
        compile_cue("(unclosed", "codebook.toml, issue 'x'")


def test_model_and_hybrid_labelers_follow_sklearn_conventions():
    from sklearn.base import clone

    from stance import HybridLabeler, ModelLabeler, get_labeler

    m = ModelLabeler()
    assert m.get_params()["C"] == 0.5 and not hasattr(m, "relevance_")
    assert clone(HybridLabeler(rule_confidence=0.8)).get_params()["rule_confidence"] == 0.8
    h = get_labeler("hybrid")
    rows = h.predict_rows(["We support a ceasefire across Syria and call on all parties to respect it.",
                           "Eleven people were killed when a shell hit the market."])
    assert any(r["issue"] == "ceasefire" and r["stance"] == "favor" for r in rows[0])
    assert not any(r["issue"] == "ceasefire" for r in rows[1])
    proba = h.predict_proba(["We support a ceasefire."])
    rel, st = proba["ceasefire"]
    assert 0 <= rel[0] <= 1 and abs(st[0].sum() - 1) < 1e-6
    # told the issue: a stance for every (statement, issue), from the codebook's stances
    told = h.predict_stance(["We reject any foreign military intervention in Syria.",
                             "We will never accept a truce with this regime."],
                            ["political_solution", "ceasefire"])
    assert told == ["favor", "against"]


def test_label_depends_on_the_words_not_on_who_speaks(seed_statements):
    """The same words get the same label whoever says them: an actor's usual line never decides."""
    from stance import get_labeler

    one = seed_statements.head(12)
    swapped = one.assign(actor=one["actor"].map(lambda a: "usa" if a == "russia" else "russia"),
                         speaker="Someone Else")
    h = get_labeler("hybrid")
    a, b = label_statements(one, h), label_statements(swapped, h)
    cols = ["statement_id", "issue", "stance", "confidence", "evidence"]
    assert not a.empty and a[cols].reset_index(drop=True).equals(b[cols].reset_index(drop=True))


def test_every_labeler_trains_from_the_annotations_by_name():
    from stance import get_labeler

    for name in ("rule", "model", "hybrid"):
        rows = get_labeler(name).predict_rows(["We call on all parties to respect the ceasefire."])
        assert rows[0], name


# Real sentences from FA-KES articles and UN General Debate speeches with no codebook cue phrase:
# the stance comes from an attitude word of the lexicon governing one of the issue's targets.
@pytest.mark.parametrize("text, issue, stance, evidence", [
    ("it had asked President Vladimir Putin for authorization to resume the raids", "ceasefire", "against",
     "resume the raids"),
    ("The only goal of the Euphrates Shield operation is to clear Daesh from this area.", "terrorist_lists", "favor",
     "clear Daesh"),
    ("That would create the conditions to start an inter-Syrian dialogue.", "political_solution", "favor",
     "start an inter-Syrian dialogue"),
    ("British aircraft could help enforce a no-fly zone to prevent Russian bombing raids", "political_solution",
     "against", "enforce a no-fly zone"),
])
def test_attitude_to_targets(rules, text, issue, stance, evidence):
    got, conf, ev = rules.label_one(text, issue)
    assert (got, ev) == (stance, evidence)
    assert conf < 0.9  # weaker evidence than a cue phrase


def test_attitude_is_negated(rules):
    hits, _ = rules.hits("We will never support the talks with the terrorists.", "political_solution")
    assert any(h.polarity == "against" for h in hits)


def test_classify_a_table_of_statements_an_analyst_already_has():
    import pandas as pd

    from stance import StanceInputError, get_labeler
    from stance.labelers import classify_table

    table = pd.DataFrame({"quote": ["We reject any foreign military intervention in Syria.",
                                    "At least 20 people were killed in air strikes on Idlib.",
                                    "We will never accept a truce with this regime."],
                          "issue": ["political_solution", "none", "ceasefire"]})
    h = get_labeler("hybrid")
    told = classify_table(table, h, text_column="quote")
    assert told["stance"].tolist() == ["favor", "", "against"] and "quote" in told and len(told) == 3
    found = classify_table(table.drop(columns="issue"), h, text_column="quote")
    assert set(found["issue"]) <= set(load_codebook().issue_ids) and found["labeler"].str.match(r"hybrid(:|$)").all()
    with pytest.raises(StanceInputError, match="no column 'text'.*quote"):
        classify_table(table, h)
    with pytest.raises(StanceInputError, match="not in the codebook"):
        classify_table(table.assign(issue="syria_war"), h, text_column="quote")


def test_classify_command(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    import pandas as pd

    table = tmp_path / "quotes.csv"
    pd.DataFrame({"text": ["We reject any foreign military intervention in Syria."],
                  "issue": ["political_solution"]}).to_csv(table, index=False)
    out = tmp_path / "labelled.csv"
    done = subprocess.run([str(Path(sys.executable).parent / "stance"), "classify", str(table), "--out", str(out)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert pd.read_csv(out)["stance"].tolist() == ["favor"]
    bad = subprocess.run([str(Path(sys.executable).parent / "stance"), "classify", str(tmp_path / "missing.csv")],
                         capture_output=True, text=True)
    assert bad.returncode != 0 and "missing.csv: no such file" in bad.stderr


def test_agreement_scores_the_second_coding_like_a_labeler():
    from stance.evaluate import agreement
    from stance.resources import data_dir

    first = str(data_dir() / "annotations" / "stances.csv")
    same = agreement(first, first)
    assert same["pooled_alpha"] == pytest.approx(1.0)
    assert same["second_as_labeler"]["macro_f1"] == pytest.approx(1.0)
    assert same["second_as_labeler"]["relevance_f1"] == pytest.approx(1.0)
    real = agreement(first)
    h = real["second_as_labeler"]
    assert h["statements"] == real["statements"] > 100
    assert 0.5 < h["relevance_f1"] < 1.0 and 0.5 < h["macro_f1"] < 1.0


def test_fast_scores_equal_the_models_own(seed_statements):
    """The model's scores (counted n-grams, weights by block, calibration by hand) are what
    scikit-learn computes on the stacked per-issue matrices, for real statements."""
    import numpy as np

    from stance import get_labeler

    model = get_labeler("hybrid").model_
    texts = seed_statements["text"].tolist()[:300] + ["", "Ünïcode  spaces\tand\xa0more words"]
    for vec, kind in ((model.word_vec_, "word"), (model.char_vec_, "char")):
        want = vec.transform(texts)
        got = vec._tfidf.transform(model._counts(texts, kind), copy=False)
        assert (abs(want - got)).max() == 0
    hits = model.rules_.all_hits(texts)
    rfeats = model.rules_.rule_features(texts, hits)
    Xt = model._text_features(texts)
    scores = model._scores(texts, hits)
    for j, iid in enumerate(model.issues_):
        M = model._pair_matrix(Xt, rfeats[iid], j)
        s = scores[iid]
        assert np.allclose(s["rel_score"], model.relevance_svm_.decision_function(M), rtol=0, atol=1e-9)
        assert np.allclose(s["stance_score"], model.stance_svm_.decision_function(M), rtol=0, atol=1e-9)
        assert np.allclose(s["rel_proba"], model.relevance_.predict_proba(M)[:, 1], rtol=0, atol=1e-9)
        assert np.allclose(s["stance_proba"], model.stance_.predict_proba(M), rtol=0, atol=1e-9)
    # only the statements asked for get a stance; the relevance decision is the same
    part = model._scores(texts, hits, need=lambda iid, rel: rel >= 0)
    for iid in model.issues_:
        rel = part[iid]["rel_score"] >= 0
        assert np.array_equal(part[iid]["rel_score"], scores[iid]["rel_score"])
        # equal up to float rounding (the matrix products run on a different number of rows)
        assert np.allclose(part[iid]["stance_proba"][rel], scores[iid]["stance_proba"][rel], rtol=0, atol=1e-12)
        assert np.isnan(part[iid]["stance_proba"][~rel]).all()


def test_cue_scan_shortcuts_find_the_same_hits(seed_statements, rules):
    """present_texts (indexed by first characters) and all_hits (skipping issues none of whose
    patterns can match) give what the plain scan gives, on real statements."""
    from stance.codebook import fold

    texts = seed_statements["text"].tolist()[:400] + ["", "ab", "Syria"]
    rules._plan(rules.issues_[0])
    present = [rules.present_texts(t) for t in texts]
    assert present == [{r for r in rules.required_texts_ if r in fold(t)} for t in texts]
    hits = rules.all_hits(texts, present=present)
    for iid in rules.issues_:
        assert hits[iid] == [rules.hits(t, iid) for t in texts]
        named = [rules.names_pro_target(t, iid) for t in texts]
        assert [rules.names_pro_target(t, iid, p) for t, p in zip(texts, present)] == named
        pro = rules.pro_target_requires_[iid]
        assert not any(n for n, p in zip(named, present) if pro is not None and pro.isdisjoint(p))
