"""The codebook as data: issues, their propositions, topic words and cue phrases per stance.

``load_codebook()`` validates the file and raises :class:`StanceInputError` naming the file, the
issue and what to fix. Cues are case-insensitive regular expressions where ``...`` stands for a
gap of up to six words.
"""
from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .problems import StanceInputError
from .resources import data_dir, read_toml
from .schema import STANCES

_GAP = r"(?:[\s,]+[\w'’\-]+){0,6}?[\s,]+"


def compile_cue(cue: str, where: str) -> re.Pattern:
    parts = [p.strip() for p in cue.split("...")]
    body = _GAP.join(p for p in parts if p)
    try:
        return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.I)
    except re.error as err:
        raise StanceInputError(f"{where}: cue {cue!r} is not a valid pattern ({err}); fix or quote it") from None


@dataclass
class Issue:
    id: str
    label: str
    proposition: str
    topic: list[re.Pattern] = field(default_factory=list)
    cues: dict[str, list[tuple[str, re.Pattern]]] = field(default_factory=dict)
    # (orientation, pattern): +1 for what the proposition is for, -1 for what it is against
    targets: list[tuple[int, re.Pattern]] = field(default_factory=list)


@dataclass
class Codebook:
    name: str
    version: str
    path: str
    issues: dict[str, Issue]
    actors: list[str]
    digest: str

    @property
    def issue_ids(self) -> list[str]:
        return list(self.issues)


@functools.lru_cache(maxsize=8)
def load_codebook(path: str | None = None) -> Codebook:
    p = Path(path) if path else data_dir() / "codebook.toml"
    raw = read_toml(p)
    for key in ("version", "issues"):
        if key not in raw:
            raise StanceInputError(f"{p}: missing top-level key {key!r}")
    stances = raw.get("stances", list(STANCES))
    unknown = [s for s in stances if s not in STANCES]
    if unknown:
        raise StanceInputError(f"{p}: unknown stance values {unknown}; stance knows {list(STANCES)}")
    issues: dict[str, Issue] = {}
    for iid, spec in raw["issues"].items():
        where = f"{p}, issue {iid!r}"
        if not re.fullmatch(r"[a-z][a-z0-9_]*", iid):
            raise StanceInputError(f"{where}: issue ids must be lower-case words with underscores")
        for key in spec:
            if key not in ("label", "proposition", "topic", "favor", "against", "neutral", "pro_targets", "con_targets"):
                raise StanceInputError(f"{where}: unknown key {key!r} (stance values are {list(STANCES)})")
        if not spec.get("topic"):
            raise StanceInputError(f"{where}: no 'topic' words; list the words that make a statement be about it")
        if not (spec.get("favor") or spec.get("against")):
            raise StanceInputError(f"{where}: no cues; give at least one 'favor' or 'against' cue phrase")
        issue = Issue(iid, spec.get("label", iid), spec.get("proposition", ""))
        issue.topic = [compile_cue(c, where + " topic") for c in spec["topic"]]
        for stance in STANCES:
            issue.cues[stance] = [(c, compile_cue(c, f"{where} {stance}")) for c in spec.get(stance, [])]
        for key, sign in (("pro_targets", 1), ("con_targets", -1)):
            items = spec.get(key) or []
            if isinstance(items, str) or not all(isinstance(x, str) for x in items):
                raise StanceInputError(f"{where}: {key!r} must be a list of phrases")
            if items:
                # one alternation per orientation, longest first so "terrorist groups" wins over "terrorist"
                body = "|".join(f"(?:{x})" for x in sorted(items, key=len, reverse=True))
                issue.targets.append((sign, compile_cue(body, f"{where} {key}")))
        issues[iid] = issue
    digest = hashlib.blake2b(p.read_bytes(), digest_size=8).hexdigest()
    return Codebook(raw.get("name", p.stem), str(raw["version"]), str(p), issues, raw.get("actors", []), digest)
