"""Who 'he', 'she', 'they' and 'it' are: a small learned ranker of candidate antecedents.

The extractor's rules give a pronoun subject one answer (the last person who spoke for 'he', the
last institution for 'it', a speaking group named since the last attribution for 'they'; see
``Extractor._pronoun``). This module ranks that answer against the other candidates the document
offers before the pronoun: the speakers of earlier statements and the people and bodies named in
the text, each described by cheap features (distance in characters and sentences, was it a
speaker and how many speakers ago, did it open its sentence, same paragraph, person or body,
singular or plural against the pronoun, and whether the rules chose it). A logistic regression over
those features scores each candidate; the best one is the antecedent.

It learns from ``data/annotations/statements.csv``: the extractor runs over the annotated
documents with the rules alone, records the candidates of every pronoun subject, and a candidate
is a positive example when it is the annotated speaker of the statement that pronoun introduced.
Rows of the held-aside split ``test2`` are never used, nor documents listed in
``STANCE_ACTOR_EXCLUDE`` (so that a measured half is never trained on). Trained at first use and
cached like :mod:`stance.speaker_actor`.
"""
from __future__ import annotations

import hashlib
import logging
import math
import warnings
from dataclasses import dataclass

log = logging.getLogger("stance")

#: candidates further back than this many characters are not considered
WINDOW = 3000
#: the most recent distinct speakers offered as candidates
MAX_SPEAKERS = 6
#: the nearest names before the pronoun offered as candidates
MAX_MENTIONS = 12

PRONOUN_KINDS = ("singular", "plural", "neuter")


@dataclass
class Candidate:
    """One possible antecedent of a pronoun and what the ranker reads about it."""
    speaker: str
    actor: str
    person: bool
    plural: bool
    method: str
    start: int
    end: int
    #: how many distinct speakers ago it spoke (0 = the last), or -1 when it never spoke
    speaker_rank: int
    #: it opened its sentence (the sentence's subject)
    opener: bool
    #: the rules chose it
    rule: bool
    #: a body named like a person ("Al-Masdar News")
    institution: bool = False
    described: frozenset = frozenset()


def features(kind: str, cand: Candidate, text: str, start: int, para_start: int) -> list[float]:
    """The feature vector of ``cand`` as antecedent of a pronoun of ``kind`` (see PRONOUN_KINDS)
    at ``start``; ``para_start`` is where the pronoun's paragraph begins."""
    dist = max(0, start - cand.end)
    between = text[cand.end:start] if dist < WINDOW else ""
    sentences = min(4, between.count(". ") + between.count(".\n") + between.count('." ') + between.count('"\n'))
    spoke = cand.speaker_rank >= 0
    human = cand.person and not cand.institution
    body = not cand.person or cand.institution
    agree = {
        "singular": human and not cand.plural,
        "plural": cand.plural or (not cand.person),
        "neuter": body,
    }[kind]
    out = [
        math.log1p(dist) / 8.0,
        sentences / 4.0,
        float(sentences == 0),
        float(spoke),
        float(cand.speaker_rank == 0),
        float(cand.speaker_rank == 1),
        min(cand.speaker_rank, 5) / 5.0 if spoke else 1.0,
        float(cand.opener),
        float(cand.start >= para_start),
        float(cand.rule),
        float(agree),
        float(human),
        float(cand.plural),
        float(cand.method == "name"),
        float(cand.method == "metonym"),
        float(cand.method == "role"),
        float(cand.actor != "unknown"),
    ]
    # the same features once more, for each kind of pronoun: 'it' and 'he' weigh them differently
    block = [0.0] * (len(out) * len(PRONOUN_KINDS))
    k = PRONOUN_KINDS.index(kind)
    block[k * len(out):(k + 1) * len(out)] = out
    return out + block


class AntecedentRanker:
    """Logistic regression over candidate features; :meth:`best` picks a pronoun's antecedent."""

    def __init__(self, C: float = 0.3):
        self.C = C

    def fit(self, groups: list[tuple[str, str, list[list[float]], list[bool]]]) -> AntecedentRanker:
        """``groups``: (doc_id, pronoun kind, candidate feature vectors, is-the-speaker flags) of
        each pronoun subject; only those with a right candidate and a wrong one teach anything."""
        import numpy as np
        from sklearn.linear_model import LogisticRegression

        X, y = [], []
        for _, _, feats, labels in groups:
            if any(labels) and not all(labels):
                X.extend(feats)
                y.extend(labels)
        if len(set(y)) < 2:
            self.coef_, self.intercept_ = None, 0.0
            return self
        lr = LogisticRegression(C=self.C, max_iter=2000).fit(np.array(X), np.array(y, dtype=int))
        self.coef_, self.intercept_ = lr.coef_[0].copy(), float(lr.intercept_[0])
        self.n_examples_ = len(y)
        return self

    def scores(self, feats: list[list[float]]) -> list[float]:
        if self.coef_ is None:
            return [0.0] * len(feats)
        import numpy as np

        return (np.asarray(feats, dtype=float) @ self.coef_ + self.intercept_).tolist()

    def best(self, feats: list[list[float]]) -> int:
        s = self.scores(feats)
        return max(range(len(s)), key=s.__getitem__)


def training_groups() -> list[tuple[str, str, list[list[float]], list[bool]]]:
    """The pronoun subjects of the annotated documents (held-aside splits and
    ``STANCE_ACTOR_EXCLUDE`` documents left out) with their candidates, labelled by the annotated
    speaker of the statement each pronoun introduced."""
    import pandas as pd

    from .corpus import iter_documents
    from .evaluate import _same_speaker, _words
    from .problems import Problems
    from .resources import data_dir
    from .speaker_actor import HELD_ASIDE, _excluded
    from .statements import Extractor

    gold = pd.read_csv(data_dir() / "annotations" / "statements.csv", dtype=str, keep_default_na=False)
    gold = gold[~gold["split"].isin(HELD_ASIDE) & ~gold["doc_id"].isin(_excluded())]
    by_doc = {d: g for d, g in gold.groupby("doc_id")}
    ex = Extractor(actor_model=False, antecedent_model=False)
    groups = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        level = log.level
        log.setLevel(logging.ERROR)
        try:
            docs = [d for d in iter_documents(data_dir() / "corpus", Problems()) if d["doc_id"] in by_doc]
        finally:
            log.setLevel(level)
        for doc in docs:
            ex.collect = []
            ex.extract_document(doc)
            g = by_doc[doc["doc_id"]]
            gwords = [(_words(t), sp) for t, sp in zip(g["text"], g["speaker"])]
            for content, kind, cands, feats in ex.collect:
                cw = _words(content)
                speakers = [sp for w, sp in gwords if w and len(w & cw) >= len(w) / 2]
                if len(speakers) != 1:
                    continue
                labels = [_same_speaker(speakers[0], c.speaker) for c in cands]
                groups.append((doc["doc_id"], kind, feats, labels))
    ex.collect = None
    return groups


def training_digest() -> str:
    from pathlib import Path

    from .resources import data_dir, hash_files
    from .speaker_actor import _excluded

    h = hashlib.blake2b(digest_size=12)
    hash_files(h, [data_dir() / "annotations" / "statements.csv", Path(__file__),
                   Path(__file__).with_name("statements.py")])
    hash_files(h, [data_dir() / name for name in ("people.csv", "organizations.csv", "actors.csv", "lexicon.toml")])
    h.update(repr(sorted(_excluded())).encode())
    return h.hexdigest()


def train() -> AntecedentRanker:
    groups = training_groups()
    ranker = AntecedentRanker().fit(groups)
    log.info("antecedent ranker trained on %d pronoun subjects", len(groups))
    return ranker


_MODEL: AntecedentRanker | None = None


def get_ranker(cache: bool = True) -> AntecedentRanker:
    global _MODEL
    if _MODEL is None:
        from .cache import load_or_train

        _MODEL = load_or_train(f"antecedents-{training_digest()}", train, enabled=cache)
    return _MODEL
