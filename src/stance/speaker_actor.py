"""The actor of a speaker the data files do not place, learned from the hand annotations.

The extractor places speakers through ``people.csv``, ``actors.csv`` and ``organizations.csv``;
a speaker none of them knows ("Yaarab Dali", "a source at Aleppo Police Command", "Abu
Mohammad") keeps actor ``unknown``. The annotators gave most of them an actor from the story:
named civilians, doctors and rescuers ``other``, activists and rebel officers
``syria_opposition``, a police command's source ``syria_government``. This module learns that
from ``data/annotations/statements.csv``: a logistic regression over the words of the speaker
string, the words around the statement (where its attribution and the speaker's title sit) and
the words around the speaker's first mention in the document (where a name is introduced with its
affiliation). It is used only for speakers the rules left ``unknown`` and only above
:data:`THRESHOLD`; the row's ``speaker_method`` then ends in ``+model`` so that the guess stays
visible (``stance extract`` lists those speakers with the unplaced ones).

Trained at first use and cached like the labelers (see :mod:`stance.cache`). Rows of the held-aside
split ``test2`` are never used for training. ``STANCE_ACTOR_EXCLUDE`` may name a file of doc_ids
(one per line) to leave out as well, to measure the model on documents it was not trained on.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import warnings
from pathlib import Path

from .resources import data_dir, hash_files

log = logging.getLogger("stance")

#: the probability of the best actor above which it replaces ``unknown``
THRESHOLD = 0.35
#: the probability of the best actor other than ``unknown`` above which a speaker named like a
#: person ("Yaarab Dali", "Ahmed") takes it: the annotators give every named person an actor from
#: the story (named civilians ``other``), so ``unknown`` is not an answer for them
NAME_THRESHOLD = 0.2
#: splits never trained on (held aside for measurement)
HELD_ASIDE = ("test2",)
#: characters around the statement and around the speaker's first mention that are read
WINDOW = 150
MENTION_WINDOW = 90

_WORD = re.compile(r"[A-Za-z][\w\-]*")


def features(speaker: str, text: str, start: int, end: int) -> str:
    """The words a prediction reads, prefixed by where they come from."""
    sp = [w.lower() for w in _WORD.findall(speaker)]
    out = ["s_" + w for w in sp] or ["s_"]
    out += ["b_" + w.lower() for w in _WORD.findall(text[max(0, start - WINDOW):start])]
    out += ["a_" + w.lower() for w in _WORD.findall(text[end:end + WINDOW])]
    # the speaker's first mention in the document, where a name is usually introduced with its title
    key = next((w for w in reversed(_WORD.findall(speaker)) if w[:1].isupper() and len(w) > 2), None)
    if key:
        m = re.search(r"(?<![\w-])" + re.escape(key) + r"(?![\w-])", text)
        if m:
            before = [w.lower() for w in _WORD.findall(text[max(0, m.start() - MENTION_WINDOW):m.start()])]
            after = [w.lower() for w in _WORD.findall(text[m.end():m.end() + MENTION_WINDOW // 2])]
            out += ["m_" + w for w in before] + ["n_" + w for w in after]
            # the actor words of the data files around the name ("opposition activist X", "X of the
            # Russian Defence Ministry"), so that a country or side never seen in training still counts
            terms = _single_word_terms()
            out += ["ma_" + terms[w] for w in before[-6:] + after[:6] if w in terms]
    return " ".join(out)


@functools.lru_cache(maxsize=1)
def _single_word_terms() -> dict[str, str]:
    """Lower-cased one-word names, adjectives and metonyms of actors.csv -> actor ("russian": russia)."""
    from .resources import load_actor_book

    return {t: a for t, (a, _) in load_actor_book().terms.items() if " " not in t and re.fullmatch(r"[a-z][\w\-]*", t)}


def _excluded() -> set[str]:
    path = os.environ.get("STANCE_ACTOR_EXCLUDE")
    if not path:
        return set()
    try:
        return {line.strip() for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()}
    except OSError as err:
        from .problems import StanceInputError

        raise StanceInputError(f"{path}: cannot read the doc_ids to exclude (STANCE_ACTOR_EXCLUDE): {err}") from err


def training_rows(gold_path: Path | None = None, corpus: Path | None = None) -> tuple[list[str], list[str], list[str]]:
    """(features, actor, doc_id) of each annotated statement found verbatim in its document,
    held-aside splits and ``STANCE_ACTOR_EXCLUDE`` documents left out."""
    import pandas as pd

    from .corpus import iter_documents
    from .problems import Problems

    gold_path = gold_path or data_dir() / "annotations" / "statements.csv"
    gold = pd.read_csv(gold_path, dtype=str, keep_default_na=False)
    gold = gold[~gold["split"].isin(HELD_ASIDE) & ~gold["doc_id"].isin(_excluded())]
    wanted = set(gold["doc_id"])
    with warnings.catch_warnings():
        # the bundled corpus's known duplicate rows are reported by `stance extract`, not here
        warnings.simplefilter("ignore")
        level = log.level
        log.setLevel(logging.ERROR)
        try:
            texts = {d["doc_id"]: d["text"] for d in iter_documents(corpus or data_dir() / "corpus", Problems())
                     if d["doc_id"] in wanted}
        finally:
            log.setLevel(level)
    X, y, groups = [], [], []
    for r in gold.itertuples():
        text = texts.get(r.doc_id)
        pos = text.find(r.text) if text and r.text else -1
        if pos < 0:
            continue
        X.append(features(r.speaker, text, pos, pos + len(r.text)))
        y.append(r.actor)
        groups.append(r.doc_id)
    return X, y, groups


def make_model():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(TfidfVectorizer(token_pattern=r"\S+", lowercase=False, sublinear_tf=True, min_df=2),
                         LogisticRegression(C=5.0, max_iter=2000))


class SpeakerActorModel:
    """Fitted model: :meth:`guess` gives (actor, probability) for unplaced speakers."""

    def __init__(self):
        X, y, _ = training_rows()
        self.model = make_model().fit(X, y)
        self.classes = [str(c) for c in self.model.classes_]
        # prediction by hand (the same softmax): a pipeline call per document costs more than the extraction
        vec, lr = self.model.steps[0][1], self.model.steps[-1][1]
        self.vocabulary, self.idf = vec.vocabulary_, vec.idf_
        self.coef, self.intercept = lr.coef_.T.copy(), lr.intercept_.copy()
        log.info("speaker-actor model trained on %d annotated statements", len(X))

    def decide(self, items: list[tuple[str, str, int, int]]) -> list[str | None]:
        """The actor to give each (speaker, text, start, end), or None to leave it ``unknown``:
        the most probable actor when at least :data:`THRESHOLD` sure; for a speaker named like a
        person, the most probable actor other than ``unknown`` when at least :data:`NAME_THRESHOLD`."""
        out = []
        for (speaker, *_), probs in zip(items, self.probabilities(items)):
            best = max(probs, key=probs.get)
            if best != "unknown" and probs[best] >= THRESHOLD:
                out.append(best)
                continue
            named = {a: p for a, p in probs.items() if a != "unknown"}
            best = max(named, key=named.get) if named else None
            out.append(best if best and is_personal_name(speaker) and named[best] >= NAME_THRESHOLD else None)
        return out

    def guess(self, items: list[tuple[str, str, int, int]]) -> list[tuple[str, float]]:
        """(most probable actor, its probability) of each (speaker, text, start, end)."""
        out = []
        for probs in self.probabilities(items):
            best = max(probs, key=probs.get)
            out.append((best, probs[best]))
        return out

    def probabilities(self, items: list[tuple[str, str, int, int]]) -> list[dict[str, float]]:
        if not items:
            return []
        import numpy as np

        out = []
        for it in items:
            idx = {}
            for tok in features(*it).split():
                j = self.vocabulary.get(tok)
                if j is not None:
                    idx[j] = idx.get(j, 0) + 1
            if idx:
                cols = np.fromiter(idx, dtype=np.intp, count=len(idx))
                vals = (1.0 + np.log(np.fromiter(idx.values(), dtype=float, count=len(idx)))) * self.idf[cols]
                vals /= np.sqrt((vals * vals).sum())
                z = vals @ self.coef[cols] + self.intercept
            else:
                z = self.intercept.copy()
            p = np.exp(z - z.max())
            p /= p.sum()
            out.append(dict(zip(self.classes, p.tolist())))
        return out


_PARTICLES = {"al", "el", "bin", "ibn", "abu", "abou", "umm", "de", "van", "von", "der", "del", "la", "le"}


def is_personal_name(speaker: str) -> bool:
    """A speaker string shaped like a person's name: one to five capitalised words (Arabic
    particles allowed) after any title, none of them a noun of the lexicon's speaker, role or
    institution lists ("Sources", "Local officials" are not names)."""
    words = speaker.split()
    while words and words[0].lower() in _common_words():
        words = words[1:]  # a title before the name: "Activist Mamun Abu Omar", "Doctor Ahmed"
    if not 1 <= len(words) <= 5 or any(w.lower() in _common_words() for w in words):
        return False
    return all(w[:1].isupper() and w.isalpha() or w.lower().rstrip("-") in _PARTICLES
               or re.fullmatch(r"(?:[Aa]l|[Ee]l)-[A-Z][\w'’]*", w) for w in words)


@functools.lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """The lexicon's nouns for speakers, roles and institutions ("Sources", "Activists")."""
    from .resources import load_lexicon

    lex = load_lexicon()
    return frozenset(w.lower() for key in ("speaker_nouns", "role_nouns", "institution_nouns", "unidentifiable_speakers",
                                           "civilian_descriptors", "professional_descriptors")
                     for phrase in lex.get(key, []) for w in phrase.split())


def training_digest() -> str:
    h = hashlib.blake2b(digest_size=12)
    hash_files(h, [data_dir() / "annotations" / "statements.csv", Path(__file__)])
    h.update(repr(sorted(_excluded())).encode())
    return h.hexdigest()


_MODEL: SpeakerActorModel | None = None


def get_model(cache: bool = True) -> SpeakerActorModel:
    global _MODEL
    if _MODEL is None:
        from .cache import load_or_train

        _MODEL = load_or_train(f"speaker-actor-{training_digest()}", SpeakerActorModel, enabled=cache)
    return _MODEL
