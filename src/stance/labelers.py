"""Stance labelers (scikit-learn conventions: ``fit``, ``predict``, ``predict_proba``).

Input ``X`` is a list of statement texts or a statements frame (column ``text``). Output of
``predict`` is, per statement, a dict ``{issue: stance}`` of the issues it addresses;
``label_statements`` turns that into the labels table (``schema.LABELS``) with ``confidence``,
``evidence`` and ``labeler``.

- :class:`RuleLabeler`: the codebook's cue phrases with negation, rejecting verbs, hedges and
  attribution scope (a position the speaker only reports is at most neutral).
- :class:`ModelLabeler`: per issue, relevance and stance from word and character n-grams and the
  rule cues as features, linear models with sigmoid-calibrated probabilities. One model is shared
  by all issues with issue-specific feature blocks, so rare issues borrow strength from common
  ones. Trained at first use from ``data/annotations/stances.csv`` (statements of real texts)
  plus ``data/annotations/synthetic.csv`` (statements written from the codebook, for training
  only, see :func:`load_synthetic`), and cached (see ``cache``).
- :class:`HybridLabeler` (default): the model decides relevance; a confident, unnegated rule cue
  decides stance when the model is unsure; the row says which one decided.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin

from .codebook import fold, load_codebook, required_literal
from .resources import LABELER_DATA, data_dir, hash_files, load_lexicon, word_pattern
from .schema import LABELS, STANCES, STATEMENTS, conform, require

NONE = "none"


_WORD = re.compile(r"(?u)\b\w[\w'-]*\b")
_PLURALS: dict[str, str] = {}


def _word_tokens(text: str) -> list[str]:
    """The word features' tokens with a crude plural fold: -ies -> -y, else a final -es or -s
    dropped ("talks", "terrorists", "parties" -> "talk", "terrorist", "party"; "ceasefires" ->
    "ceasefir"), so a plural seen only in one period still counts in the other. Out of time it
    measured better than dropping -s alone. Text already lowercased by the vectorizer."""
    out = []
    for w in _WORD.findall(text):
        s = _PLURALS.get(w)
        if s is None:
            s = w
            for suf, rep in (("ies", "y"), ("es", ""), ("s", "")):
                if w.endswith(suf) and not w.endswith("ss") and len(w) - len(suf) >= 3:
                    s = w[:-len(suf)] + rep
                    break
            if len(_PLURALS) < 200_000:
                _PLURALS[w] = s
        out.append(s)
    return out


def _texts(X) -> list[str]:
    if isinstance(X, pd.DataFrame):
        return X["text"].fillna("").astype(str).tolist()
    if isinstance(X, pd.Series):
        return X.fillna("").astype(str).tolist()
    return ["" if x is None else str(x) for x in X]


def _requirement(pattern) -> frozenset[str] | None:
    """The texts one of which every match of ``pattern`` contains, None if nothing is certain:
    the cue scan's prefilter, tested against a statement's :meth:`RuleLabeler.present_texts`."""
    req = required_literal(pattern)
    if not req:
        return None
    return frozenset([req] if isinstance(req, str) else req)


@dataclass
class CueHit:
    stance: str
    start: int
    end: int
    text: str
    flipped: bool
    reported: bool
    weight: float
    source: str = "cue"  # "cue": a codebook cue phrase; "attitude": an attitude word governing a target

    @property
    def polarity(self) -> str:
        """The cue's stance after negation or a rejecting verb has flipped it."""
        if self.flipped and self.stance in ("favor", "against"):
            return "against" if self.stance == "favor" else "favor"
        return self.stance


class RuleLabeler(BaseEstimator, ClassifierMixin):
    """Codebook cue phrases with negation, hedging and attribution scope."""

    def __init__(self, codebook_path: str | None = None, lexicon_path: str | None = None,
                 topic_only_neutral: bool = True):
        self.codebook_path = codebook_path
        self.lexicon_path = lexicon_path
        self.topic_only_neutral = topic_only_neutral

    # rules need no training; fit validates and prepares
    def fit(self, X=None, y=None):
        self.codebook_ = load_codebook(self.codebook_path)
        lex = load_lexicon(self.lexicon_path)
        self.negator_re_ = word_pattern(lex["negators"])
        self.rejecting_re_ = word_pattern(lex["rejecting"])
        self.hedge_re_ = word_pattern(lex["hedges"])
        self.support_re_ = word_pattern(lex.get("attitude_support", []) or ["\x00"])
        self.oppose_re_ = word_pattern(lex.get("attitude_oppose", []) or ["\x00"])
        verbs = [v for k in ("speech", "demand", "attitude") for v in lex["reporting_verbs"].get(k, [])]
        verbs += ["demand", "insist", "want", "wants", "wanted", "believe", "argue", "claim"]
        self.verb_re_ = word_pattern(verbs)
        self.first_person_re_ = re.compile(r"(?<![\w-])(?:i|we|our|us|my)(?![\w-])", re.I)
        self.issues_ = self.codebook_.issue_ids
        return self

    def _ready(self):
        if not hasattr(self, "codebook_"):
            self.fit()

    def hits(self, text: str, issue_id: str, present: set[str] | None = None) -> tuple[list[CueHit], int]:
        """Cue hits of one issue in ``text`` and the number of topic-word hits. ``present``:
        :meth:`present_texts` of ``text`` when already computed."""
        self._ready()
        issue = self.codebook_.issues[issue_id]
        # a pattern whose required text is not in the statement is not run (same hits, faster)
        present = present if present is not None else self.present_texts(text)
        topic, cues, targets = self._plan(issue_id)
        topic_hits = sum([len(pat.findall(text)) for pat, req in topic if req is None or not req.isdisjoint(present)])
        found: list[CueHit] = []
        for stance, cue, pat in [(st, cue, pat) for st, cue, pat, req in cues
                                 if req is None or not req.isdisjoint(present)]:
            for m in pat.finditer(text):
                if any(h.start <= m.start() and m.end() <= h.end for h in found):
                    continue
                flipped, reported = self._scope(text, m.start(), m.end())
                weight = 1.0 + min(len(cue), 60) / 60
                found.append(CueHit(stance, m.start(), m.end(), m.group(), flipped, reported, weight))
        live_targets = [(sign, pat) for sign, pat, req in targets if req is None or not req.isdisjoint(present)]
        found.extend(self._attitude_hits(text, issue, found, live_targets))
        return found, topic_hits

    def _plan(self, issue_id: str) -> tuple[list, list, list]:
        """The issue's topic patterns, (stance, cue, pattern) in scan order and targets, each with
        the texts one of which its matches contain (:func:`codebook.required_literal`; None if
        nothing is certain)."""
        if not hasattr(self, "plan_"):
            self.plan_ = {}
            for iid, issue in self.codebook_.issues.items():
                self.plan_[iid] = ([(pat, _requirement(pat)) for pat in issue.topic],
                                   [(st, cue, pat, _requirement(pat)) for st in STANCES
                                    for cue, pat in issue.cues.get(st, [])],
                                   [(sign, pat, _requirement(pat)) for sign, pat in issue.targets])
            self.required_texts_ = sorted({r for plan in self.plan_.values() for part in plan
                                           for *_, req in part if req for r in req})
            # the required texts by their first three characters: a text can occur only if its
            # first three do (the shorter ones are always tested)
            self.required_by_head_ = {}
            for r in self.required_texts_:
                self.required_by_head_.setdefault(r[:3] if len(r) >= 3 else "", []).append(r)
            # per issue: the texts one of which some pattern needs, or None if a pattern needs none
            self.issue_requires_ = {}
            for iid, plan in self.plan_.items():
                reqs = [req for part in plan for *_, req in part]
                self.issue_requires_[iid] = None if any(r is None for r in reqs) else frozenset().union(*reqs)
            # the same for the issue's pro targets (:meth:`names_pro_target`)
            self.pro_target_requires_ = {}
            for iid, (_, _, targets) in self.plan_.items():
                reqs = [req for sign, _, req in targets if sign > 0]
                self.pro_target_requires_[iid] = None if any(r is None for r in reqs) else frozenset().union(*reqs)
        return self.plan_[issue_id]

    def present_texts(self, text: str) -> set[str]:
        """Which of the texts the codebook's patterns require occur in ``text`` (folded)."""
        self._plan(self.issues_[0])
        low = fold(text)
        by_head = self.required_by_head_
        heads = {low[i:i + 3] for i in range(len(low) - 2)}
        heads.intersection_update(by_head)
        heads.add("")
        return {r for h in heads for r in by_head.get(h, ()) if r in low}

    def names_pro_target(self, text: str, issue_id: str, present: set[str] | None = None) -> bool:
        """Does ``text`` name something the issue's proposition is for (a codebook ``pro_targets``
        phrase)? ``present``: :meth:`present_texts` of ``text`` when already computed."""
        self._ready()
        if present is None:
            return any(sign > 0 and pat.search(text) for sign, pat in self.codebook_.issues[issue_id].targets)
        return any(sign > 0 and (req is None or not req.isdisjoint(present)) and pat.search(text)
                   for sign, pat, req in self._plan(issue_id)[2])

    ATTITUDE_WINDOW = 6  # words before a target in which an attitude word governs it
    ATTITUDE_WEIGHT = 0.6  # weaker than any codebook cue (>= 1.0)

    def _attitude_hits(self, text: str, issue, cue_hits: list[CueHit], targets=None) -> list[CueHit]:
        """The speaker's attitude to the issue's targets: the closest attitude word of the lexicon
        within a few words before a target, in the same clause. Support of a pro target or
        opposition to a con target is favor, the reverse against; negation before the attitude
        word flips it (see :meth:`_scope`). Targets already inside a codebook cue are skipped."""
        out: list[CueHit] = []
        for sign, pat in (issue.targets if targets is None else targets):  # targets: those that can match
            for m in pat.finditer(text):
                if any(h.start <= m.start() < h.end or m.start() <= h.start < m.end() for h in cue_hits + out):
                    continue
                clause_start = max(text.rfind(ch, 0, m.start()) for ch in ".;:!?") + 1
                words = list(re.finditer(r"\S+", text[clause_start:m.start()]))[-self.ATTITUDE_WINDOW:]
                if not words:
                    continue
                lo = clause_start + words[0].start()
                window = text[lo:m.start()]
                best = None
                for att_sign, att_re in ((1, self.support_re_), (-1, self.oppose_re_)):
                    for a in att_re.finditer(window):
                        if best is None or a.end() > best[1].end() or (a.end() == best[1].end() and a.start() < best[1].start()):
                            best = (att_sign, a)
                if best is None:
                    continue
                att_sign, a = best
                start = lo + a.start()
                flipped, reported = self._scope(text, start, m.end())
                stance = "favor" if att_sign * sign > 0 else "against"
                out.append(CueHit(stance, start, m.end(), text[start:m.end()], flipped, reported,
                                  self.ATTITUDE_WEIGHT, "attitude"))
        return out

    def all_hits(self, texts: list[str], issues: list[str] | None = None,
                 present: list[set[str]] | None = None) -> dict[str, list[tuple[list[CueHit], int]]]:
        """Per issue (every issue, or ``issues``), the :meth:`hits` of every text: computed once,
        shared by the rule decision, the model's rule features and the evidence phrase.
        ``present``: the texts' :meth:`present_texts` when already computed. A text that holds
        none of what the issue's patterns require has no hits on it, found without scanning."""
        self._ready()
        present = present if present is not None else [self.present_texts(text) for text in texts]
        out = {}
        for iid in issues or self.issues_:
            self._plan(iid)
            needs = self.issue_requires_[iid]
            out[iid] = [self.hits(text, iid, p) if needs is None or not needs.isdisjoint(p) else ([], 0)
                        for text, p in zip(texts, present)]
        return out

    def _scope(self, text: str, start: int, end: int) -> tuple[bool, bool]:
        """Is the cue negated/rejected, and is it inside a position reported of someone else?"""
        clause_start = max(text.rfind(ch, 0, start) for ch in ".;:!?") + 1
        for word in (" but ", " however", " while ", " whereas "):
            i = text.lower().rfind(word, clause_start, start)
            if i >= 0:
                clause_start = i + len(word)
        before = text[clause_start:start]
        tail = " ".join(before.split()[-6:])
        cue_text = text[start:end]
        flipped = bool(self.negator_re_.search(tail)) and not self.negator_re_.match(cue_text)
        if self.rejecting_re_.search(tail):
            flipped = not flipped if not self.rejecting_re_.search(cue_text) else flipped
        after = " ".join(text[end:end + 40].split()[:4])
        if re.search(r"\b(?:is|are|was|would be)\s+(?:unacceptable|out of the question|not acceptable|a mistake)", after, re.I):
            flipped = not flipped
        # attribution scope: "the opposition demands ..." inside the statement
        reported = False
        for m in self.verb_re_.finditer(before):
            subject = before[max(0, m.start() - 40):m.start()]
            if not self.first_person_re_.search(subject.split()[-1] if subject.split() else ""):
                words = subject.split()
                if words and (words[-1][:1].isupper() or words[-1].lower() in (
                        "opposition", "rebels", "groups", "west", "some", "others")):
                    reported = True
        return flipped, reported

    def label_one(self, text: str, issue_id: str,
                  hits: tuple[list[CueHit], int] | None = None) -> tuple[str | None, float, str]:
        """(stance or None if not about the issue, confidence, evidence); ``hits`` are this
        text's :meth:`hits` for the issue when already computed."""
        found, topic_hits = hits if hits is not None else self.hits(text, issue_id)
        if not found and not topic_hits:
            return None, 0.0, ""
        score = {s: 0.0 for s in STANCES}
        best: dict[str, CueHit] = {}
        for h in found:
            stance = "neutral" if h.reported else h.polarity
            score[stance] += h.weight
            if stance not in best or h.weight > best[stance].weight:
                best[stance] = h
        hedged = bool(self.hedge_re_.search(text))
        polar = score["favor"] + score["against"]
        if polar == 0:
            if not found and not self.topic_only_neutral:
                return None, 0.0, ""
            ev = best["neutral"].text if "neutral" in best else ""
            return "neutral", 0.35 if not found else 0.5, ev
        stance = "favor" if score["favor"] > score["against"] else "against" if score["against"] > score["favor"] else "neutral"
        if stance == "neutral":
            return "neutral", 0.4, ""
        margin = abs(score["favor"] - score["against"]) / polar
        conf = 0.55 + 0.35 * margin
        if hedged:
            conf *= 0.8
        h = best[stance]
        if h.source == "attitude":  # only an attitude word: weaker evidence than a cue phrase
            conf *= 0.85
        evidence = _words_around(text, h.start - 25, h.end) if h.flipped else h.text
        return stance, round(min(conf, 0.95), 3), evidence

    def predict(self, X) -> list[dict[str, str]]:
        self._ready()
        out = []
        for text in _texts(X):
            row = {}
            for iid in self.issues_:
                stance, _, _ = self.label_one(text, iid)
                if stance:
                    row[iid] = stance
            out.append(row)
        return out

    def predict_stance(self, X, issues: list[str]) -> list[str]:
        """Stance of each statement on the issue it is known to address (``issues[i]`` for
        ``X[i]``); neutral where no cue speaks."""
        self._ready()
        return [self.label_one(t, iid)[0] or "neutral" for t, iid in zip(_texts(X), issues)]

    def predict_rows(self, X) -> list[list[dict]]:
        """Per statement, a list of {issue, stance, confidence, evidence, decided_by}."""
        self._ready()
        res = []
        for text in _texts(X):
            rows = []
            for iid in self.issues_:
                stance, conf, ev = self.label_one(text, iid)
                if stance:
                    rows.append({"issue": iid, "stance": stance, "confidence": conf, "evidence": ev, "decided_by": "rule"})
            res.append(rows)
        return res

    N_RULE_FEATURES = 12

    def rule_features(self, texts: list[str], hits: dict | None = None,
                      issues: list[str] | None = None) -> dict[str, np.ndarray]:
        """Per issue, a (n, 12) array: topic hits, favor, against, neutral and reported cue hits,
        hedged, the rule decision (favor, against, neutral, none) weighted by its confidence, and
        the favor and against attitude hits (attitude words governing the issue's targets).
        ``hits`` is :meth:`all_hits` of ``texts`` when already computed; ``issues`` limits the
        issues (default: all)."""
        self._ready()
        issues = issues or self.issues_
        hits = hits if hits is not None else self.all_hits(texts, issues)
        feats = {iid: np.zeros((len(texts), self.N_RULE_FEATURES)) for iid in issues}
        for i, text in enumerate(texts):
            hedged = 1.0 if self.hedge_re_.search(text) else 0.0
            for iid in issues:
                found, topic_hits = hits[iid][i]
                f = feats[iid][i]
                f[0] = min(topic_hits, 3)
                for h in found:
                    if h.reported:
                        f[4] += 1
                        continue
                    if h.source == "attitude":
                        f[10 if h.polarity == "favor" else 11] += 1
                        continue
                    f[{"favor": 1, "against": 2, "neutral": 3}[h.polarity]] += 1
                f[5] = hedged
                stance, conf, _ = self.label_one(text, iid, hits[iid][i])
                if stance:
                    f[{"favor": 6, "against": 7, "neutral": 8}[stance]] = conf
                else:
                    f[9] = 1.0
        return feats


# ------------------------------------------------------------------------------------------
# Model labeler

def load_gold_stances(path: str | None = None) -> pd.DataFrame:
    """The hand-annotated stance rows (``data/annotations/stances.csv``)."""
    p = path or str(data_dir() / "annotations" / "stances.csv")
    frame = pd.read_csv(p, dtype=str, keep_default_na=False)
    need = {"doc_id", "stmt_no", "text", "issue", "stance"}
    missing = need - set(frame.columns)
    if missing:
        from .problems import StanceInputError

        raise StanceInputError(f"{p}: missing columns {sorted(missing)}")
    return frame


def load_synthetic(issues: list[str], path: str | None = None, years=None) -> tuple[list[str], list[dict]]:
    """Training statements written from the codebook rather than read in a corpus
    (``data/annotations/synthetic.csv``: ``sid, text, issue, stance, ..., year``; one row per
    statement and issue, ``none`` for a statement about no issue). The real annotations hold too
    few rows for the rare issues and for ``against``; these add wordings, periods and actors the
    corpus lacks. Never used to evaluate. ``years``: keep only statements whose ``year`` passes
    this predicate (a boolean function of a numeric Series), so that out-of-time evaluation
    trains on the training period alone. Returns texts and ``{issue: stance}`` dicts."""
    p = path or str(data_dir() / "annotations" / "synthetic.csv")
    try:
        frame = pd.read_csv(p, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        return [], []
    missing = {"sid", "text", "issue", "stance", "year"} - set(frame.columns)
    if missing:
        from .problems import StanceInputError

        raise StanceInputError(f"{p}: missing columns {sorted(missing)}")
    if years is not None:
        frame = frame[years(pd.to_numeric(frame["year"], errors="coerce")).fillna(False).to_numpy(bool)]
    texts, ys = [], []
    for _, grp in frame.groupby("sid", sort=False):
        texts.append(grp["text"].iloc[0])
        ys.append({i: st for i, st in zip(grp["issue"], grp["stance"]) if i in issues and st in STANCES})
    return texts, ys


def gold_pairs(gold: pd.DataFrame, issues: list[str]) -> pd.DataFrame:
    """One row per annotated statement: text, date, and per issue its stance or 'none'."""
    key = gold["doc_id"] + "#" + gold["stmt_no"].astype(str)
    g = gold.assign(key=key)
    first = g.drop_duplicates("key").set_index("key")
    out = pd.DataFrame({"key": first.index, "text": first["text"].values,
                        "date": first.get("date", pd.Series([""] * len(first))).values,
                        "doc_id": first["doc_id"].values})
    for iid in issues:
        sub = g[g["issue"] == iid].drop_duplicates("key").set_index("key")["stance"]
        out[iid] = out["key"].map(sub).fillna(NONE).values
    return out


class ModelLabeler(BaseEstimator, ClassifierMixin):
    """Word + character n-gram linear models, one per task (relevance, stance), shared across
    issues with issue-specific feature blocks.

    Decisions come from the class-balanced linear SVMs themselves (relevant when the decision value
    is above ``relevance_margin``; stance by the largest decision value); sigmoid-calibrated copies
    of the same models give the probabilities and the confidence. Deciding by the calibrated
    probabilities instead would undo the class balancing: the rare ``against`` class and rare issues
    would almost never win."""

    def __init__(self, C: float = 0.5, char_ngrams: tuple[int, int] = (2, 5), word_ngrams: tuple[int, int] = (1, 2),
                 relevance_margin: float = 0.0, codebook_path: str | None = None, random_state: int = 0,
                 synthetic: bool = True, synthetic_weight: float = 0.25):
        self.C = C
        self.synthetic = synthetic
        self.synthetic_weight = synthetic_weight
        self.char_ngrams = char_ngrams
        self.word_ngrams = word_ngrams
        self.relevance_margin = relevance_margin
        self.codebook_path = codebook_path
        self.random_state = random_state

    def _text_features(self, texts: list[str], fit: bool = False):
        from sklearn.feature_extraction.text import TfidfVectorizer

        if fit:
            self.word_vec_ = TfidfVectorizer(ngram_range=self.word_ngrams, min_df=2, sublinear_tf=True,
                                             lowercase=True, tokenizer=_word_tokens, token_pattern=None,
                                             max_features=60000)
            self.char_vec_ = TfidfVectorizer(analyzer="char_wb", ngram_range=self.char_ngrams, min_df=2,
                                             sublinear_tf=True, max_features=120000)
            w = self.word_vec_.fit_transform(texts)
            c = self.char_vec_.fit_transform(texts)
        else:  # what ``transform`` gives, counted faster (see _counts)
            w = self.word_vec_._tfidf.transform(self._counts(texts, "word"), copy=False)
            c = self.char_vec_._tfidf.transform(self._counts(texts, "char"), copy=False)
        return sparse.hstack([w, c * 0.7], format="csr")

    WORD_CACHE = 100_000  # words whose character n-grams are remembered (per process; ~30 MB)

    def _counts(self, texts: list[str], kind: str):
        """The n-gram count matrix the fitted vectorizer's ``transform`` counts (float64, sorted
        indices), without its per-n-gram Python loop: a statement's character n-grams
        (``char_wb``) are those of its words, so each distinct word's n-grams are looked up in
        the vocabulary once and remembered; word n-grams are looked up per statement. The counts
        are summed by scipy; the TF-IDF weighting is then the vectorizer's own."""
        vec = self.word_vec_ if kind == "word" else self.char_vec_
        vocab = vec.vocabulary_
        cols: list[int] = []
        indptr = [0]
        if kind == "char":
            memo = self.__dict__.setdefault("_word_grams", {})
            grams = vec._char_wb_ngrams
            get = vocab.get
            for text in texts:
                for word in text.lower().split():
                    g = memo.get(word)
                    if g is None:
                        if len(memo) >= self.WORD_CACHE:
                            memo.clear()
                        g = memo[word] = tuple([i for i in map(get, grams(word)) if i is not None])
                    cols.extend(g)
                indptr.append(len(cols))
        else:
            analyze = vec.build_analyzer()
            get = vocab.get
            for text in texts:
                cols.extend([i for i in map(get, analyze(text)) if i is not None])
                indptr.append(len(cols))
        X = sparse.csr_matrix((np.ones(len(cols)), np.asarray(cols, dtype=np.int32), np.asarray(indptr, dtype=np.int32)),
                              shape=(len(texts), len(vocab)))
        X.sum_duplicates()  # sums repeated n-grams and sorts the indices
        return X

    def __getstate__(self):
        state = super().__getstate__()
        for key in ("_word_grams", "_linear_"):  # derived at use, not part of the fitted model
            state.pop(key, None)
        return state

    def _pair_matrix(self, X_text, rule_feats: np.ndarray, issue_idx: int):
        """Shared text block + the issue's own text block + rule features of that issue."""
        n, d = X_text.shape
        k = len(self.issues_)
        blocks = [X_text]
        for j in range(k):
            blocks.append(X_text if j == issue_idx else sparse.csr_matrix((n, d)))
        onehot = np.zeros((n, k))
        onehot[:, issue_idx] = 1.0
        rf = np.hstack([rule_feats, rule_feats])  # twice: a larger share of the regularised weight
        return sparse.hstack(blocks + [sparse.csr_matrix(rf), sparse.csr_matrix(onehot)]).tocsr()

    def _svm(self):
        from sklearn.svm import LinearSVC

        # tol 1e-2 (scikit-learn's default is 1e-4): the same out-of-time figures to three
        # decimals on every measure, in a third of the training time
        return LinearSVC(C=self.C, class_weight="balanced", random_state=self.random_state, max_iter=5000, tol=1e-2)

    def _calibrated(self):
        from sklearn.calibration import CalibratedClassifierCV

        return CalibratedClassifierCV(self._svm(), cv=3, method="sigmoid")

    def fit(self, X=None, y=None, sample_weight=None):
        """Fit from statement texts ``X`` and ``y`` = list of {issue: stance} dicts (issues not
        in a dict are 'not about'). With ``X=None`` trains on ``data/annotations/stances.csv`` and,
        unless ``synthetic=False``, the written training statements of ``synthetic.csv``, each
        weighted ``synthetic_weight``. ``sample_weight``: one weight per statement."""
        self.codebook_ = load_codebook(self.codebook_path)
        self.issues_ = self.codebook_.issue_ids
        if X is None:
            pairs = gold_pairs(load_gold_stances(), self.issues_)
            X = pairs["text"].tolist()
            y = [{i: r[i] for i in self.issues_ if r[i] != NONE} for _, r in pairs.iterrows()]
            sample_weight = [1.0] * len(X)
            if self.synthetic:
                sx, sy = load_synthetic(self.issues_)
                X, y = X + sx, y + sy
                sample_weight += [self.synthetic_weight] * len(sx)
        texts = _texts(X)
        w = np.ones(len(texts)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        self.rules_ = RuleLabeler(self.codebook_path).fit()
        rfeats = self.rules_.rule_features(texts)
        Xt = self._text_features(texts, fit=True)
        rel_X, rel_y, st_X, st_y, rel_w, st_w = [], [], [], [], [], []
        for j, iid in enumerate(self.issues_):
            M = self._pair_matrix(Xt, rfeats[iid], j)
            labels = [yy.get(iid, NONE) for yy in y]
            rel_X.append(M)
            rel_y.extend(int(lab != NONE) for lab in labels)
            rel_w.append(w)
            idx = [i for i, lab in enumerate(labels) if lab != NONE]
            if idx:
                st_X.append(M[idx])
                st_y.extend(labels[i] for i in idx)
                st_w.append(w[idx])
        R, ry, rw = sparse.vstack(rel_X).tocsr(), np.array(rel_y), np.concatenate(rel_w)
        del rel_X  # the per-issue blocks: R holds them (400+ MB of n-grams on the full training set)
        self.relevance_svm_ = self._svm().fit(R, ry, sample_weight=rw)
        self.relevance_ = self._calibrated().fit(R, ry, sample_weight=rw)
        S, sy, sw = sparse.vstack(st_X).tocsr(), np.array(st_y), np.concatenate(st_w)
        self.stance_svm_ = self._svm().fit(S, sy, sample_weight=sw)
        self.stance_ = self._calibrated().fit(S, sy, sample_weight=sw)
        self.classes_ = [str(c) for c in self.stance_svm_.classes_]
        self.n_train_ = len(texts)
        return self

    def _linear(self) -> dict:
        """The fitted linear models' weights rearranged by feature block, computed once per
        process: every decision value of :meth:`_scores` is ``x·(w_shared + w_issue) + rule
        features·(w_rf1 + w_rf2) + w_onehot[issue] + b``, the same sum the models compute on the
        issue's :meth:`_pair_matrix` row (equal up to float rounding), for all issues from one
        text matrix instead of one stacked matrix and 16 model passes per issue. Rows, in order:
        the relevance SVM, the stance SVM's classes, then the relevance and the stance
        calibrated classifiers' inner SVMs."""
        lin = self.__dict__.get("_linear_")
        if lin is not None:
            return lin
        from sklearn.preprocessing import LabelEncoder

        svms = [self.relevance_svm_, self.stance_svm_]
        svms += [c.estimator for c in self.relevance_.calibrated_classifiers_]
        svms += [c.estimator for c in self.stance_.calibrated_classifiers_]
        coef = np.vstack([m.coef_ for m in svms])
        bias = np.concatenate([m.intercept_ for m in svms])
        slices, at = [], 0
        for m in svms:
            slices.append(slice(at, at + m.coef_.shape[0]))
            at += m.coef_.shape[0]
        k = len(self.issues_)
        d = (coef.shape[1] - 2 * self.rules_.N_RULE_FEATURES - k) // (k + 1)
        r = self.rules_.N_RULE_FEATURES
        rf0 = (k + 1) * d
        lin = self.__dict__["_linear_"] = {
            "shared": np.ascontiguousarray(coef[:, :d].T),
            "issue": [np.ascontiguousarray(coef[:, (j + 1) * d:(j + 2) * d].T) for j in range(k)],
            "rf": np.ascontiguousarray((coef[:, rf0:rf0 + r] + coef[:, rf0 + r:rf0 + 2 * r]).T),
            "onehot": coef[:, rf0 + 2 * r:].T.copy(),  # (k, rows)
            "bias": bias, "slices": slices,
            "positions": [LabelEncoder().fit(c.classes).transform(c.estimator.classes_)
                          for cal in (self.relevance_, self.stance_) for c in cal.calibrated_classifiers_],
        }
        return lin

    @staticmethod
    def _calibrated_proba(cal, decisions: list[np.ndarray], positions: list[np.ndarray]) -> np.ndarray:
        """``cal.predict_proba`` (a sigmoid ``CalibratedClassifierCV``) from its inner
        classifiers' decision values, step by step as scikit-learn computes it."""
        n = decisions[0].shape[0] if decisions else 0
        mean = np.zeros((n, len(cal.classes_)))
        for cc, pred, pos in zip(cal.calibrated_classifiers_, decisions, positions):
            n_classes = cc.classes.shape[0]
            proba = np.zeros((n, n_classes))
            for class_idx, this_pred, calibrator in zip(pos, pred.T, cc.calibrators):
                proba[:, class_idx + 1 if n_classes == 2 else class_idx] = calibrator.predict(this_pred)
            if n_classes == 2:
                proba[:, 0] = 1.0 - proba[:, 1]
            else:
                den = np.sum(proba, axis=1)[:, np.newaxis]
                proba = np.divide(proba, den, out=np.full_like(proba, 1 / n_classes), where=den != 0)
            proba[(1.0 < proba) & (proba <= 1.0 + 1e-5)] = 1.0
            mean += proba
        mean /= len(cal.calibrated_classifiers_)
        return mean

    def _scores(self, X, hits: dict | None = None, issues: list[str] | None = None,
                need=None) -> dict[str, dict[str, np.ndarray]]:
        """Per issue (every issue, or ``issues``): relevance decision value and probability,
        stance decision values and probabilities (columns in ``classes_`` order).

        ``need(issue, rel_score)``: a boolean mask of the statements whose relevance probability
        and stance are wanted (the relevance decision is computed for all); the others' are NaN.
        A labeler that keeps only relevant statements scores only those."""
        texts = _texts(X)
        issues = issues or self.issues_
        k = len(self.classes_)
        if not texts:
            z = {"rel_score": np.zeros(0), "rel_proba": np.zeros(0), "stance_score": np.zeros((0, k)),
                 "stance_proba": np.zeros((0, k))}
            return {iid: dict(z) for iid in issues}
        rfeats = self.rules_.rule_features(texts, hits, issues)
        Xt = self._text_features(texts)
        lin = self._linear()
        sl = lin["slices"]
        rel_row = sl[0].start
        js = [self.issues_.index(iid) for iid in issues]
        # the relevance SVM for every statement and issue: one product with its text weights
        rel_w = np.column_stack([lin["shared"][:, rel_row]] + [lin["issue"][j][:, rel_row] for j in js])
        rel_text = Xt @ rel_w
        n_rel = len(self.relevance_.calibrated_classifiers_)
        out = {}
        for c, (iid, j) in enumerate(zip(issues, js)):
            rf = rfeats[iid]
            rel_dec = rel_text[:, 0] + rel_text[:, c + 1] + rf @ lin["rf"][:, rel_row] + \
                lin["onehot"][j, rel_row] + lin["bias"][rel_row]
            rel_score = rel_dec - self.relevance_margin
            rows = np.arange(len(texts)) if need is None else np.flatnonzero(need(iid, rel_score))
            rel_proba = np.full(len(texts), np.nan)
            st_score = np.full((len(texts), k), np.nan)
            st_proba = np.full((len(texts), k), np.nan)
            if len(rows):
                Xr = Xt[rows] if need is not None else Xt
                dec = Xr @ lin["shared"] + Xr @ lin["issue"][j] + rf[rows] @ lin["rf"] + lin["onehot"][j] + lin["bias"]
                s = dec[:, sl[1]]
                if s.shape[1] == 1:  # two classes only
                    s = np.column_stack([-s[:, 0], s[:, 0]])
                st_score[rows] = s
                pos = lin["positions"]
                rel_proba[rows] = self._calibrated_proba(
                    self.relevance_, [dec[:, sl[2 + i]] for i in range(n_rel)], pos[:n_rel])[:, 1]
                st_proba[rows] = self._calibrated_proba(
                    self.stance_, [dec[:, s_] for s_ in sl[2 + n_rel:]], pos[n_rel:])
            out[iid] = {"rel_score": rel_score, "rel_proba": rel_proba, "stance_score": st_score,
                        "stance_proba": st_proba}
        return out

    def predict_proba(self, X, hits: dict | None = None) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Per issue: (relevance probability (n,), stance probabilities (n, len(classes_)))."""
        return {iid: (s["rel_proba"], s["stance_proba"]) for iid, s in self._scores(X, hits).items()}

    def decision_function(self, X, hits: dict | None = None) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Per issue: (relevance decision value (n,), positive = about the issue; stance
        decision values (n, len(classes_)))."""
        return {iid: (s["rel_score"], s["stance_score"]) for iid, s in self._scores(X, hits).items()}

    def predict_stance(self, X, issues: list[str]) -> list[str]:
        """Stance of each statement on the issue it is known to address (``issues[i]`` for
        ``X[i]``), whether or not the model would call it relevant."""
        def stances(iid: str, texts: list[str]) -> list[str]:
            scores = self._scores(texts, issues=[iid])[iid]["stance_score"]
            return [self.classes_[int(np.argmax(row))] for row in scores]

        return _per_issue(_texts(X), issues, stances)

    def predict_rows(self, X) -> list[list[dict]]:
        texts = _texts(X)
        hits = self.rules_.all_hits(texts)
        scores = self._scores(texts, hits, need=lambda iid, rel: rel >= 0)
        res = [[] for _ in texts]
        for iid, s in scores.items():
            for i in np.nonzero(s["rel_score"] >= 0)[0]:
                k = int(np.argmax(s["stance_score"][i]))
                res[i].append({"issue": iid, "stance": self.classes_[k],
                               "confidence": round(float(s["stance_proba"][i][k] * max(s["rel_proba"][i], 0.5)), 3),
                               "evidence": _evidence_window(texts[i], self.rules_, iid, hits[iid][i][0]),
                               "decided_by": "model"})
        return res

    def predict(self, X) -> list[dict[str, str]]:
        return [{r["issue"]: r["stance"] for r in rows} for rows in self.predict_rows(X)]


def _per_issue(texts: list[str], issues: list[str], stances_of) -> list[str]:
    """Stance of each ``texts[i]`` on ``issues[i]``: ``stances_of(issue, texts)`` is called once
    per issue with that issue's texts, and its answers are put back in input order."""
    out: list[str] = [""] * len(texts)
    for iid in dict.fromkeys(issues):
        idx = [i for i, x in enumerate(issues) if x == iid]
        for i, stance in zip(idx, stances_of(iid, [texts[i] for i in idx])):
            out[i] = stance
    return out


def _evidence_window(text: str, rules: RuleLabeler, issue_id: str, found: list[CueHit]) -> str:
    """The strongest cue of the issue in ``text`` (its ``found`` hits), else the words around a
    topic word."""
    if found:
        h = max(found, key=lambda x: x.weight)
        return h.text
    issue = rules.codebook_.issues[issue_id]
    for pat in issue.topic:
        m = pat.search(text)
        if m:
            a = max(0, m.start() - 40)
            return _words_around(text, a, m.end() + 40)
    return _words_around(text, 0, 80)


def _words_around(text: str, start: int, end: int) -> str:
    """``text[start:end]`` widened to whole words (an evidence phrase never starts or ends
    inside a word), stripped."""
    start, end = max(0, start), min(len(text), end)
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "'-") and text[start].strip():
        start -= 1
    while end < len(text) and end > 0 and (text[end].isalnum() or text[end] in "'-") and text[end - 1].strip():
        end += 1
    return text[start:end].strip()


class HybridLabeler(BaseEstimator, ClassifierMixin):
    """Relevance from the model, or from the codebook when the statement names what the issue's
    proposition is for (its ``pro_targets``: "a truce", "the political process"; ``key_terms``):
    a learned relevance model knows only the issues and wordings it was trained on, and a rare
    issue's statements in a new period would otherwise go unseen. Stance from the model, or from a
    confident rule cue where the model is unsure. Each row records which one decided."""

    def __init__(self, rule_confidence: float = 0.7, model_margin: float = 0.25, relevance_margin: float = 0.0,
                 key_terms: bool = True, codebook_path: str | None = None, synthetic: bool = True,
                 synthetic_weight: float = 0.25):
        self.rule_confidence = rule_confidence
        self.synthetic = synthetic
        self.synthetic_weight = synthetic_weight
        self.key_terms = key_terms
        self.model_margin = model_margin
        self.relevance_margin = relevance_margin
        self.codebook_path = codebook_path

    def fit(self, X=None, y=None, sample_weight=None):
        self.model_ = ModelLabeler(codebook_path=self.codebook_path, relevance_margin=self.relevance_margin,
                                   synthetic=self.synthetic, synthetic_weight=self.synthetic_weight
                                   ).fit(X, y, sample_weight=sample_weight)
        self.rules_ = self.model_.rules_
        self.issues_ = self.model_.issues_
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        return self.model_.predict_proba(X)

    def decision_function(self, X):
        return self.model_.decision_function(X)

    def _decide(self, text: str, iid: str, s: dict, i: int, hit) -> dict:
        """Stance of statement ``i`` on issue ``iid``: the model's, unless a confident rule cue
        disagrees while the model's two best stances are close."""
        r_stance, r_conf, r_ev = self.rules_.label_one(text, iid, hit)
        proba = s["stance_proba"][i]
        order = np.argsort(s["stance_score"][i])[::-1]
        m_stance = self.classes_[order[0]]
        margin = proba[order[0]] - proba[order[1]]
        rel = max(s["rel_proba"][i], 0.5)
        if r_stance in ("favor", "against") and r_conf >= self.rule_confidence and (margin < self.model_margin or m_stance == r_stance):
            return {"issue": iid, "stance": r_stance, "confidence": round(float(max(r_conf, proba[order[0]]) * rel), 3),
                    "evidence": r_ev, "decided_by": "rule" if m_stance != r_stance else "rule+model"}
        return {"issue": iid, "stance": m_stance, "confidence": round(float(proba[order[0]] * rel), 3),
                "evidence": r_ev or _evidence_window(text, self.rules_, iid, hit[0]), "decided_by": "model"}

    def predict_stance(self, X, issues: list[str]) -> list[str]:
        """Stance of each statement on the issue it is known to address (``issues[i]`` for
        ``X[i]``), whether or not the model would call it relevant."""
        def stances(iid: str, texts: list[str]) -> list[str]:
            hits = self.rules_.all_hits(texts, [iid])
            s = self.model_._scores(texts, hits, [iid])[iid]
            return [self._decide(text, iid, s, k, hits[iid][k])["stance"] for k, text in enumerate(texts)]

        return _per_issue(_texts(X), issues, stances)

    def predict_rows(self, X) -> list[list[dict]]:
        texts = _texts(X)
        present = [self.rules_.present_texts(text) for text in texts]
        hits = self.rules_.all_hits(texts, present=present)
        keep = {}

        def need(iid: str, rel: np.ndarray) -> np.ndarray:
            keep[iid] = rel >= 0
            if self.key_terms:
                self.rules_._plan(iid)
                pro = self.rules_.pro_target_requires_[iid]  # none of these present: no pro target
                for i in np.flatnonzero(~keep[iid]):
                    if pro is None or not pro.isdisjoint(present[i]):
                        keep[iid][i] = self.rules_.names_pro_target(texts[i], iid, present[i])
            return keep[iid]

        scores = self.model_._scores(texts, hits, need=need)
        res = [[] for _ in texts]
        for iid, s in scores.items():
            for i in np.flatnonzero(keep[iid]):
                res[i].append(self._decide(texts[i], iid, s, i, hits[iid][i]))
        return res

    def predict(self, X):
        return [{r["issue"]: r["stance"] for r in rows} for rows in self.predict_rows(X)]


LABELERS = {"rule": RuleLabeler, "model": ModelLabeler, "hybrid": HybridLabeler}


def training_digest() -> str:
    """Hash of what a trained labeler depends on: annotations, codebook, lexicon, this code."""
    h = hashlib.blake2b(digest_size=12)
    hash_files(h, [data_dir() / name for name in LABELER_DATA] + [Path(__file__)])
    return h.hexdigest()


def get_labeler(name: str = "hybrid", cache: bool = True):
    """A fitted labeler by name; trained models are cached (see :mod:`stance.cache`)."""
    if name not in LABELERS:
        from .problems import StanceInputError

        raise StanceInputError(f"unknown labeler {name!r}; choose one of {sorted(LABELERS)}")
    if name == "rule":
        return RuleLabeler().fit()
    from .cache import load_or_train

    return load_or_train(f"labeler-{name}-{training_digest()}", lambda: LABELERS[name]().fit(), enabled=cache)


def labeler_version(labeler) -> str:
    name = type(labeler).__name__.replace("Labeler", "").lower()
    return f"{name}-{training_digest()[:8]}" if name != "rule" else f"rule-{load_codebook().digest[:8]}"


def label_statements(statements: pd.DataFrame, labeler=None) -> pd.DataFrame:
    """The labels table (``schema.LABELS``): one row per statement and issue it addresses."""
    require(statements, STATEMENTS, "statements")
    labeler = labeler if labeler is not None else get_labeler("hybrid")
    rows = label_records(statements.to_dict("records"), labeler)
    return conform(rows, LABELS)


def label_records(records: list[dict], labeler, text_key: str = "text") -> list[dict]:
    """One output record per (record, issue the labeler finds it about): the record's fields plus
    issue, stance, confidence, evidence, ``labeler`` (with who decided, e.g. "hybrid:rule") and
    codebook_version."""
    codebook = load_codebook(getattr(labeler, "codebook_path", None))
    name = type(labeler).__name__.replace("Labeler", "").lower()
    per = labeler.predict_rows([str(r.get(text_key) or "") for r in records])
    out = []
    for rec, rows in zip(records, per):
        for row in rows:
            out.append({**rec, "issue": row["issue"], "stance": row["stance"], "confidence": row["confidence"],
                        "evidence": row["evidence"],
                        "labeler": name if name == "rule" or row["decided_by"] == name else f"{name}:{row['decided_by']}",
                        "codebook_version": codebook.version})
    return out


def classify_table(frame: pd.DataFrame, labeler, text_column: str = "text", issue_column: str | None = "issue",
                   path: str = "table") -> pd.DataFrame:
    """Label statements an analyst already has (a table with a text column), without extraction.

    With an issue column (the statement is known to be about that issue), each row gets the
    labeler's stance on it (``predict_stance``); rows whose issue is empty or ``none`` are left
    empty. Without one, each row gets one output row per issue the labeler finds it about, as in
    the labels table. Adds ``stance`` (and ``issue``), ``confidence``/``evidence`` where the labeler
    gives them, ``labeler`` and ``codebook_version``; the input frame is not modified."""
    from .problems import StanceInputError

    if text_column not in frame.columns:
        raise StanceInputError(f"{path}: no column {text_column!r} with the statements' text; columns are "
                               f"{list(frame.columns)} (name it with --text-column)")
    codebook = load_codebook(getattr(labeler, "codebook_path", None))
    name = type(labeler).__name__.replace("Labeler", "").lower()
    texts = frame[text_column].fillna("").astype(str).tolist()
    if issue_column and issue_column in frame.columns:
        issues = frame[issue_column].fillna("").astype(str).str.strip().tolist()
        unknown = sorted({i for i in issues if i and i != NONE and i not in codebook.issues})
        if unknown:
            raise StanceInputError(f"{path}: column {issue_column!r} holds issues not in the codebook: {unknown}; "
                                   f"valid: {codebook.issue_ids}")
        idx = [k for k, i in enumerate(issues) if i and i != NONE]
        got = labeler.predict_stance([texts[k] for k in idx], [issues[k] for k in idx]) if idx else []
        stance = [""] * len(texts)
        for k, s in zip(idx, got):
            stance[k] = s
        return frame.assign(stance=stance, labeler=name, codebook_version=codebook.version)
    # the same rows as the labels table, ``labeler`` saying who decided ("hybrid:rule")
    rows = label_records(frame.assign(**{text_column: texts}).to_dict("records"), labeler, text_column)
    cols = list(frame.columns) + [c for c in ("issue", "stance", "confidence", "evidence", "labeler", "codebook_version")
                                  if c not in frame.columns]
    return pd.DataFrame(rows, columns=cols)
