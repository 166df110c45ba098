"""Measuring labelers and the extractor against hand annotations.

``stance evaluate stances GOLD.csv [rule model hybrid]``: per issue precision, recall and F1 for
favor and against, macro-F1 (mean of the favor and against F1, pooled over issues) with a
bootstrap 95% interval over statements, and relevance F1 (is the statement about the issue), out
of time: trained on statements dated up to 2014 and tested on 2015 and later, and the reverse.

``stance evaluate agreement FIRST.csv [SECOND.csv]``: Krippendorff's alpha per issue between the
first coding and the independent second coding (``data/annotations/stances_second.csv``).

``stance evaluate statements GOLD.csv PATH... [--split dev|test]``: statement finding (a gold
statement is found when a predicted one of the same document contains at least half its words),
precision, recall and F1 overall, by kind (recall by the gold kind, precision by the predicted
kind) and by ``speaker_method``; speaker and actor accuracy on found statements; the misses, false
positives and wrong speakers listed. Only the Syria passages of the UN speeches were annotated, so
in speech documents a predicted statement outside the annotated passages is not scored.
"""
from __future__ import annotations

import functools
import json
import re

import numpy as np
import pandas as pd

from .labelers import LABELERS, NONE, gold_pairs, load_gold_stances, load_synthetic
from .resources import data_dir


def _prf(gold_pos: np.ndarray, pred_pos: np.ndarray) -> tuple[float, float, float]:
    """Precision, recall and F1 of boolean predictions against boolean gold."""
    tp = int((gold_pos & pred_pos).sum())
    fp = int((~gold_pos & pred_pos).sum())
    fn = int((gold_pos & ~pred_pos).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def stance_scores(gold: pd.DataFrame, pred: pd.DataFrame, issues: list[str]) -> dict:
    """``gold`` and ``pred``: one row per statement, a column per issue holding a stance or 'none'."""
    out = {"issues": {}}
    g_all = np.concatenate([gold[i].to_numpy() for i in issues])
    p_all = np.concatenate([pred[i].to_numpy() for i in issues])
    for cls in ("favor", "against"):
        out[cls] = dict(zip(("precision", "recall", "f1"), _prf(g_all == cls, p_all == cls)))
    out["macro_f1"] = float(np.mean([out["favor"]["f1"], out["against"]["f1"]]))
    out["relevance"] = dict(zip(("precision", "recall", "f1"), _prf(g_all != NONE, p_all != NONE)))
    for i in issues:
        g, p = gold[i].to_numpy(), pred[i].to_numpy()
        row = {}
        for cls in ("favor", "against"):
            prec, rec, f1 = _prf(g == cls, p == cls)
            row.update({cls: f1, f"{cls}_precision": prec, f"{cls}_recall": rec})
        prec, rec, f1 = _prf(g != NONE, p != NONE)
        row.update(relevance_f1=f1, relevance_precision=prec, relevance_recall=rec)
        row["n_gold"] = int((g != NONE).sum())
        out["issues"][i] = row
    labels = ["favor", "against", "neutral", NONE]
    out["confusion"] = pd.crosstab(pd.Categorical(g_all, labels), pd.Categorical(p_all, labels),
                                   rownames=["gold"], colnames=["predicted"], dropna=False).to_dict()
    return out


def bootstrap_macro(gold: pd.DataFrame, pred: pd.DataFrame, issues: list[str], n: int = 500, seed: int = 0):
    rng = np.random.default_rng(seed)
    vals = []
    for _ in range(n):
        idx = rng.integers(0, len(gold), len(gold))
        vals.append(stance_scores(gold.iloc[idx], pred.iloc[idx], issues)["macro_f1"])
    return float(np.quantile(vals, 0.025)), float(np.quantile(vals, 0.975))


def predict_frame(labeler, texts: list[str], issues: list[str]) -> pd.DataFrame:
    rows = labeler.predict(texts)
    return pd.DataFrame([{i: r.get(i, NONE) for i in issues} for r in rows])


# the labelers compared by default: the hybrid also trained on the annotations alone
COMPARED_LABELERS = ("rule", "model", "hybrid", "hybrid-annotations")


def evaluate_stances(gold_path: str | None = None, labelers=COMPARED_LABELERS, seed: int = 0,
                     n_boot: int = 500) -> dict:
    """Out-of-time figures per labeler: trained on one period's annotated statements (plus the
    written training statements of ``synthetic.csv`` dated in that period), tested on the other
    period's. ``hybrid-annotations`` is the hybrid trained on the annotations alone, to show what
    the written statements add."""
    gold = load_gold_stances(gold_path)
    from .codebook import load_codebook

    issues = load_codebook().issue_ids
    pairs = gold_pairs(gold, issues)
    year = pd.to_numeric(pairs["date"].str[:4], errors="coerce")
    periods = {"train<=2014, test>=2015": (lambda y: y <= 2014, lambda y: y >= 2015),
               "train>=2015, test<=2014": (lambda y: y >= 2015, lambda y: y <= 2014)}
    results = []
    for name in labelers:
        for split, (in_train, in_test) in periods.items():
            train, test = pairs[in_train(year).fillna(False)], pairs[in_test(year).fillna(False)]
            base, _, variant = name.partition("-")
            cls = LABELERS[base]
            if base == "rule":
                lab = cls().fit()
            else:
                X = train["text"].tolist()
                y = [{i: r[i] for i in issues if r[i] != NONE} for _, r in train.iterrows()]
                lab = cls(synthetic=False)
                w = [1.0] * len(X)
                if variant != "annotations":
                    sx, sy = load_synthetic(issues, years=in_train)
                    X, y, w = X + sx, y + sy, w + [lab.synthetic_weight] * len(sx)
                lab.fit(X, y, sample_weight=w)
            given = _given_issue(lab, gold, in_test, seed, n_boot)
            pred = predict_frame(lab, test["text"].tolist(), issues)
            gold_t = test[issues].reset_index(drop=True)
            sc = stance_scores(gold_t, pred, issues)
            lo, hi = bootstrap_macro(gold_t, pred, issues, n=n_boot, seed=seed)
            results.append({"labeler": name, "split": split, "n_test": len(test), "macro_f1": sc["macro_f1"],
                            "ci_low": lo, "ci_high": hi, "relevance_f1": sc["relevance"]["f1"],
                            "favor": sc["favor"], "against": sc["against"], "issues": sc["issues"],
                            "confusion": sc["confusion"], "given_issue": given})
    return {"n_statements": len(pairs), "date": pd.Timestamp.now().strftime("%Y-%m-%d"), "results": results}


def _given_issue(labeler, gold: pd.DataFrame, in_test, seed: int = 0, n_boot: int = 500) -> dict:
    """Stance when told the issue: every gold (statement, issue) row of the test period with a
    stance, predicted with ``labeler.predict_stance``; favor/against macro-F1 with a bootstrap
    interval, per class and per issue. Relevance errors do not count here."""
    rows = gold[(gold["issue"] != NONE) & gold["stance"].isin(["favor", "against", "neutral"])]
    year = pd.to_numeric(rows["date"].str[:4], errors="coerce")
    test = rows[in_test(year).fillna(False).to_numpy()]
    if test.empty:
        return {}
    y = test["stance"].to_numpy()
    p = np.array(labeler.predict_stance(test["text"].tolist(), test["issue"].tolist()))

    def macro(a, b):  # the same favor/against macro-F1 as stance_scores
        return float(np.mean([_prf(a == cls, b == cls)[2] for cls in ("favor", "against")]))

    rng = np.random.default_rng(seed)
    boots = [macro(y[i], p[i]) for i in (rng.integers(0, len(y), len(y)) for _ in range(n_boot))]
    out = {"n": len(y), "macro_f1": macro(y, p), "ci_low": float(np.quantile(boots, 0.025)),
           "ci_high": float(np.quantile(boots, 0.975)), "issues": {}}
    for cls in ("favor", "against"):
        out[cls] = dict(zip(("precision", "recall", "f1"), _prf(y == cls, p == cls)))
    for iid, g in test.assign(pred=p).groupby("issue"):
        out["issues"][iid] = {"n": len(g), "macro_f1": macro(g["stance"].to_numpy(), g["pred"].to_numpy())}
    labels = ["favor", "against", "neutral"]
    out["confusion"] = pd.crosstab(pd.Categorical(y, labels), pd.Categorical(p, labels), rownames=["gold"],
                                   colnames=["predicted"], dropna=False).to_dict()
    return out


def agreement(first_path: str | None = None, second_path: str | None = None) -> dict:
    """Krippendorff's alpha (nominal) between the first coding and the independent second coding,
    per issue and pooled, over the statements both coded. Per issue each statement's value is its
    stance on the issue or 'not about'; pooled, each (statement, issue) pair is a unit."""
    import krippendorff

    from .codebook import load_codebook

    base = data_dir() / "annotations"
    a = load_gold_stances(first_path)
    b = load_gold_stances(second_path or str(base / "stances_second.csv"))
    issues = load_codebook().issue_ids
    key = ["doc_id", "stmt_no"]
    both = sorted(set(map(tuple, a[key].values)) & set(map(tuple, b[key].values)))
    codes = {"favor": 1, "against": 2, "neutral": 3, NONE: 0}

    def values(frame, iid):
        got = frame[frame["issue"] == iid].drop_duplicates(key).set_index(key)["stance"].to_dict()
        return [codes.get(got.get(k, NONE) or "neutral", 0) for k in both]

    out = {"statements": len(both), "issues": {}}
    pooled_a, pooled_b = [], []
    for iid in issues:
        va, vb = values(a, iid), values(b, iid)
        pooled_a += va
        pooled_b += vb
        n_about = sum(1 for x, y in zip(va, vb) if x or y)
        alpha = float(krippendorff.alpha(reliability_data=[va, vb], level_of_measurement="nominal")) \
            if len(set(va) | set(vb)) > 1 else float("nan")
        out["issues"][iid] = {"alpha": alpha, "coded_about_by_either": n_about,
                              "first_about": sum(1 for x in va if x), "second_about": sum(1 for y in vb if y)}
    out["pooled_alpha"] = float(krippendorff.alpha(reliability_data=[pooled_a, pooled_b], level_of_measurement="nominal"))
    out["second_as_labeler"] = _coder_as_labeler(a, b, issues)
    return out


def _coder_as_labeler(first: pd.DataFrame, second: pd.DataFrame, issues: list[str]) -> dict:
    """The second coding scored against the first with the labelers' own measures, on the
    statements both coded: what a labeler as good as a second person would reach (end-to-end
    favor/against macro-F1 and relevance F1, and the macro-F1 when told the issue, on the
    (statement, issue) pairs both coders called about the issue)."""
    pa, pb = gold_pairs(first, issues), gold_pairs(second, issues)
    m = pa.merge(pb[["key", *issues]], on="key", suffixes=("", "_2"))
    if m.empty:
        return {}
    ga = m[issues]
    gb = m[[f"{i}_2" for i in issues]].set_axis(issues, axis=1)
    sc = stance_scores(ga, gb, issues)
    x = np.concatenate([ga[i].to_numpy() for i in issues])
    y = np.concatenate([gb[i].to_numpy() for i in issues])
    both = (x != NONE) & (y != NONE)
    told = float(np.mean([_prf(x[both] == c, y[both] == c)[2] for c in ("favor", "against")]))
    return {"statements": len(m), "macro_f1": sc["macro_f1"], "relevance_f1": sc["relevance"]["f1"],
            "favor_f1": sc["favor"]["f1"], "against_f1": sc["against"]["f1"],
            "told_issue_pairs": int(both.sum()), "told_issue_macro_f1": told}


def _words(s: str) -> set[str]:
    return set(re.findall(r"[a-z0-9']+", str(s).lower()))


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


PASSAGE_GAP = 400  # characters between two gold statements of a speech that still belong to one passage


def _annotated_passages(gold: pd.DataFrame, docs: dict[str, dict]) -> dict[str, list[tuple[int, int]]]:
    """For speech documents, the annotated passages: runs of gold statements less than
    ``PASSAGE_GAP`` characters apart, each from its first to its last statement.

    Only the Syria passages of the UN speeches were annotated, so a predicted statement outside
    them is neither right nor wrong: it is left out of precision ("not scorable"). News documents
    were annotated whole and are scored whole."""
    passages: dict[str, list[tuple[int, int]]] = {}
    for doc_id, g in gold.groupby("doc_id"):
        doc = docs.get(doc_id)
        if not doc or doc.get("genre") != "speech":
            continue
        text = doc["text"]
        at = sorted((a, a + len(t)) for a, t in ((text.find(t), t) for t in g["text"]) if a >= 0)
        runs: list[list[int]] = []
        for a, b in at:
            if runs and a - runs[-1][1] < PASSAGE_GAP:
                runs[-1][1] = max(runs[-1][1], b)
            else:
                runs.append([a, b])
        passages[doc_id] = [(a, b) for a, b in runs]
    return passages


def evaluate_statements(gold_path: str, paths: list[str], split: str | None = None) -> dict:
    """Statement finding, speaker and actor accuracy against ``gold_path`` (see the module doc).

    A gold statement is found by a predicted statement of the same document that contains at
    least half its words; each gold row takes the best unused candidate (same speaker first, then
    most shared words), so "the two ministers said" needs two predicted rows. A predicted
    statement is a true positive when it found some gold statement. Recall is split by the gold
    kind, precision by the predicted kind and both by the predicted ``speaker_method``. In speech
    documents predicted statements outside the annotated passages are not scored (see
    :func:`_annotated_passages`)."""
    from .corpus import iter_documents
    from .problems import Problems
    from .statements import default_extractor, statements_of

    gold = pd.read_csv(gold_path, dtype=str, keep_default_na=False)
    missing = {"doc_id", "speaker", "actor", "kind", "text"} - set(gold.columns)
    if missing:
        from .problems import StanceInputError

        raise StanceInputError(f"{gold_path}: missing columns {sorted(missing)}")
    if split:
        gold = gold[gold["split"] == split]
    gold = gold.reset_index(drop=True)
    wanted = set(gold["doc_id"])
    docs = {d["doc_id"]: d for d in iter_documents(paths, Problems()) if d["doc_id"] in wanted}
    ex = default_extractor()
    pred = pd.DataFrame([r for d in docs.values() for r in statements_of(d, ex)])
    if pred.empty:
        pred = pd.DataFrame(columns=["doc_id", "speaker", "actor", "speaker_method", "kind", "text", "start", "end"])
    passages = _annotated_passages(gold, docs)
    pred["scorable"] = [r.doc_id not in passages or any(r.start < b and a < r.end for a, b in passages[r.doc_id])
                        for r in pred.itertuples()]
    pred = pred.reset_index(drop=True)
    pred_words = [_words(t) for t in pred["text"]]
    pred_speakers = pred["speaker"].tolist()
    by_doc = {k: list(v) for k, v in pred.groupby("doc_id").groups.items()}
    used: dict[int, int] = {}
    rows = []
    for gi, g in gold.iterrows():
        gw = _words(g["text"])
        best, best_key = None, None
        for idx in by_doc.get(g["doc_id"], []):
            shared = len(gw & pred_words[idx])
            if not gw or shared < len(gw) / 2:
                continue
            key = (idx not in used, _same_speaker(g["speaker"], pred_speakers[idx]), shared)
            if best_key is None or key > best_key:
                best, best_key = idx, key
        row = {"doc_id": g["doc_id"], "gold_kind": g["kind"], "gold_speaker": g["speaker"], "gold_actor": g["actor"],
               "text": g["text"], "found": best is not None}
        if best is not None:
            used.setdefault(best, gi)
            p = pred.loc[best]
            row.update(pred_kind=p["kind"], method=p["speaker_method"], speaker=p["speaker"], actor=p["actor"],
                       speaker_ok=_same_speaker(g["speaker"], p["speaker"]), actor_ok=g["actor"] == p["actor"])
        rows.append(row)
    res = pd.DataFrame(rows)
    pred["tp"] = [i in used for i in pred.index]
    scored = pred[pred["scorable"] | pred["tp"]]
    found = res[res["found"]].astype({"speaker_ok": bool, "actor_ok": bool})

    def block(g_rows: pd.DataFrame, p_rows: pd.DataFrame, f_rows: pd.DataFrame) -> dict:
        p = float(p_rows["tp"].mean()) if len(p_rows) else 0.0
        r = float(g_rows["found"].mean()) if len(g_rows) else 0.0
        out = {"gold": len(g_rows), "predicted": len(p_rows), "found": int(g_rows["found"].sum()),
               "precision": p, "recall": r, "f1": _f1(p, r)}
        if len(f_rows):
            out["speaker_accuracy"] = float(f_rows["speaker_ok"].mean())
            out["actor_accuracy"] = float(f_rows["actor_ok"].mean())
            # an 'unknown' actor is the extractor abstaining (a speaker the data files do not
            # place): how often it abstains, and how often the actor it does name is right
            named = f_rows[f_rows["actor"] != "unknown"]
            out["actor_unknown_share"] = 1.0 - len(named) / len(f_rows)
            out["actor_accuracy_when_named"] = float(named["actor_ok"].mean()) if len(named) else None
        return out

    out = {"split": split or "all", "documents": len(wanted),
           "not_scorable": int((~pred["scorable"] & ~pred["tp"]).sum()), **block(res, scored, found)}
    out["by_kind"] = {k: block(res[res["gold_kind"] == k], scored[scored["kind"] == k], found[found["gold_kind"] == k])
                      for k in ("direct", "reported", "speech")}
    out["by_method"] = {}
    for m, p_rows in scored.groupby("speaker_method"):
        f_rows = found[found["method"] == m]
        out["by_method"][m] = {"predicted": len(p_rows), "precision": float(p_rows["tp"].mean()), "found": len(f_rows),
                               "speaker_accuracy": float(f_rows["speaker_ok"].mean()) if len(f_rows) else None,
                               "actor_accuracy": float(f_rows["actor_ok"].mean()) if len(f_rows) else None}
    out["misses"] = res[~res["found"]][["doc_id", "gold_kind", "gold_speaker", "text"]].to_dict("records")
    out["false_positives"] = scored[~scored["tp"]][["doc_id", "kind", "speaker_method", "speaker", "cue", "text"]] \
        .to_dict("records")
    wrong = found[~found["speaker_ok"] | ~found["actor_ok"]]
    out["wrong_speaker_or_actor"] = wrong[["doc_id", "gold_kind", "method", "gold_speaker", "speaker", "gold_actor",
                                           "actor", "text"]].to_dict("records")
    return out


def _same_speaker(gold: str, pred: str) -> bool:
    """Same speaker: one name's words contain the other's ("Lavrov", "Sergei Lavrov") or they share
    a long word, or both are names of one person, organisation or country in the data files ("UN"
    and "United Nations", "SOHR" and "Syrian Observatory for Human Rights", "US" and "United
    States"; metonyms such as "Washington" stay a different speaker)."""
    g, p = _words(gold), _words(pred)
    if g and p and (g <= p or p <= g or len(g & p) >= 1 and max(len(w) for w in g & p) > 3):
        return True
    canon = _canonical_name()
    return bool(g and p) and canon(gold) == canon(pred) != ""


@functools.lru_cache(maxsize=1)
def _canonical_name():
    from .resources import load_actor_book

    book = load_actor_book()

    def canon(name: str) -> str:
        key = re.sub(r"^(?:the|a|an)\s+", "", name.strip(), flags=re.I).lower()
        org = book.organizations.get(key)
        if org:
            return org[0]
        term = book.terms.get(key)
        if term and term[1] == "name":  # "US", "U.S.", "United States": one country's names
            return "actor:" + term[0]
        return book.aliases.get(key, "")

    return canon


def format_statement_figures(figures: dict, examples: int = 40) -> str:
    """The figures of :func:`evaluate_statements` as a plain-text table, then examples of the
    misses, false positives and wrong speakers (all of them are in the JSON written by --out)."""
    def fmt(v):
        return "   -" if v is None else f"{v:.2f}"

    lines = [f"split {figures['split']}: {figures['documents']} documents; {figures['not_scorable']} predicted "
             f"statements outside the annotated passages of speeches not scored",
             f"{'':18} {'gold':>5} {'pred':>5} {'found':>5} {'P':>5} {'R':>5} {'F1':>5} {'speaker':>7} {'actor':>6}"]

    def line(name, b):
        lines.append(f"{name:18} {b['gold']:5} {b['predicted']:5} {b['found']:5} {b['precision']:5.2f} "
                     f"{b['recall']:5.2f} {b['f1']:5.2f} {fmt(b.get('speaker_accuracy')):>7} "
                     f"{fmt(b.get('actor_accuracy')):>6}")
    line("all", figures)
    for k, b in figures["by_kind"].items():
        line(f"  kind {k}", b)
    if figures.get("actor_accuracy_when_named") is not None:
        lines.append(f"actor left 'unknown' (a speaker the data files do not place) on "
                     f"{figures['actor_unknown_share']:.0%} of found statements; actor accuracy where one is named "
                     f"{figures['actor_accuracy_when_named']:.2f}")
    lines.append(f"{'speaker_method':18} {'pred':>5} {'P':>5} {'found':>5} {'speaker':>7} {'actor':>6}")
    for m, b in figures["by_method"].items():
        lines.append(f"  {m:16} {b['predicted']:5} {b['precision']:5.2f} {b['found']:5} "
                     f"{fmt(b['speaker_accuracy']):>7} {fmt(b['actor_accuracy']):>6}")
    for key, title in (("misses", "misses"), ("false_positives", "false positives"),
                       ("wrong_speaker_or_actor", "found with a wrong speaker or actor")):
        items = figures[key]
        lines.append(f"{len(items)} {title}; first {min(examples, len(items))}:")
        for m in items[:examples]:
            lines.append("  " + " | ".join(str(v)[:140] for v in m.values()))
    return "\n".join(lines)


def main(args) -> int:
    if args.what == "agreement":
        figures = agreement(args.gold, args.paths[0] if args.paths else None)
        print(f"Krippendorff's alpha (nominal) between two independent codings of {figures['statements']} statements")
        for iid, v in figures["issues"].items():
            print(f"  {iid:24} alpha {v['alpha']:.2f}  (about the issue: first {v['first_about']}, second {v['second_about']})")
        print(f"  {'pooled':24} alpha {figures['pooled_alpha']:.2f}")
        h = figures.get("second_as_labeler") or {}
        if h:
            print(f"The second coding scored as a labeler against the first ({h['statements']} statements): end-to-end "
                  f"macro-F1 {h['macro_f1']:.2f} (favor {h['favor_f1']:.2f}, against {h['against_f1']:.2f}), relevance "
                  f"F1 {h['relevance_f1']:.2f}, told the issue {h['told_issue_macro_f1']:.2f} "
                  f"({h['told_issue_pairs']} pairs both coders called about the issue)")
    elif args.what == "stances":
        labelers = args.paths or COMPARED_LABELERS
        figures = evaluate_stances(args.gold, labelers)
        print("End to end (relevance errors count) and told the issue (stance of gold statement-issue rows):")
        print(f"{'labeler':18} {'split':26} {'n':>5} {'macroF1':>8} {'95% CI':>14} {'relevF1':>8} "
              f"{'n told':>7} {'macroF1 told':>13} {'95% CI':>14}")
        for r in figures["results"]:
            g = r.get("given_issue") or {"n": 0, "macro_f1": float("nan"), "ci_low": float("nan"), "ci_high": float("nan")}
            print(f"{r['labeler']:18} {r['split']:26} {r['n_test']:>5} {r['macro_f1']:8.3f} "
                  f"{r['ci_low']:6.3f}-{r['ci_high']:.3f} {r['relevance_f1']:8.3f} "
                  f"{g['n']:>7} {g['macro_f1']:13.3f} {g['ci_low']:6.3f}-{g['ci_high']:.3f}")
            for iss, v in r["issues"].items():
                print(f"    {iss:24} favor F1 {v['favor']:.2f}  against F1 {v['against']:.2f}  relevance F1 "
                      f"{v['relevance_f1']:.2f}  (gold rows {v['n_gold']})")
    else:
        figures = evaluate_statements(args.gold, args.paths, args.split)
        print(format_statement_figures(figures))
    if args.out:
        from .io import write_text

        write_text(args.out, json.dumps(figures, indent=1, default=str))
    return 0
