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


def _check_phrases(value: object, where: str) -> None:
    """A cue or topic list must be a list of non-empty strings (an empty cue would match everywhere)."""
    if not isinstance(value, list):
        raise StanceInputError(f"{where}: must be a list of phrases in brackets, [\"...\"], not {value!r}")
    for i, item in enumerate(value, 1):
        if not isinstance(item, str) or not item.strip():
            raise StanceInputError(f"{where}: item {i} ({item!r}) must be a non-empty phrase in quotes")


def required_literal(pattern: re.Pattern) -> str | tuple[str, ...]:
    """Text that every match of ``pattern`` contains, lower-cased: a string, or a tuple of
    strings one of which every match contains (for a pattern that starts ``(oppose|reject) ...``);
    "" if nothing is certain. A statement whose :func:`fold` lacks it cannot match, so the cue scan
    skips the pattern without running it: most statements are about no issue, and substring tests
    are far cheaper than regex scans.
    """
    from re import _parser

    try:
        required = _required(_parser.parse(pattern.pattern, pattern.flags))
    except Exception:  # noqa: BLE001 - an unparsable pattern is simply always run
        return ""
    if not required:
        return ""
    return required[0] if len(required) == 1 else tuple(required)


def _required(seq) -> list[str]:
    """Alternatives one of which every match of the parsed sequence contains ([] if none)."""
    from re import _constants as c

    best: list[str] = []
    run: list[str] = []

    def consider(alternatives: list[str]) -> None:
        nonlocal best
        # the weakest alternative decides how often the test passes: keep the longest weakest
        if alternatives and (not best or min(map(len, alternatives)) > min(map(len, best))):
            best = alternatives

    def flush() -> None:
        if run:
            consider(["".join(run)])
            run.clear()

    def walk(items) -> None:
        for op, av in items:
            if op is c.LITERAL and av < 128:
                run.append(chr(av).lower())
            elif op is c.SUBPATTERN and not av[1] and not av[2]:
                walk(av[3])  # a group without flags is part of the sequence
            else:
                flush()
                if op is c.BRANCH:
                    branches = [_required(b) for b in av[1]]
                    if all(branches):
                        consider(sorted({x for b in branches for x in b}))

    walk(seq)
    flush()
    return best


_FOLD = {0x17F: "s", 0x131: "i", 0x307: None}  # what re.IGNORECASE also takes for s and i


def fold(text: str) -> str:
    """``text`` lower-cased as :func:`required_literal` expects (re.IGNORECASE's equivalences)."""
    return text.lower().translate(_FOLD)


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
    unknown = [s for s in stances if s not in STANCES] if isinstance(stances, list) else [stances]
    if unknown:
        raise StanceInputError(f"{p}: unknown stance values {unknown} in 'stances'; stance knows {list(STANCES)}, "
                               f"use only these")
    if not isinstance(raw["issues"], dict):
        raise StanceInputError(f"{p}: 'issues' must be tables like [issues.my_issue], not {type(raw['issues']).__name__}")
    issues: dict[str, Issue] = {}
    for iid, spec in raw["issues"].items():
        where = f"{p}, issue {iid!r}"
        if not re.fullmatch(r"[a-z][a-z0-9_]*", iid):
            raise StanceInputError(f"{where}: issue ids must be lower-case words with underscores")
        if not isinstance(spec, dict):
            raise StanceInputError(f"{where}: must be a table [issues.{iid}] with topic and cue lists")
        for key in spec:
            if key not in ("label", "proposition", "topic", "favor", "against", "neutral", "pro_targets", "con_targets"):
                raise StanceInputError(f"{where}: unknown key {key!r} (stance values are {list(STANCES)})")
        for key in ("topic", *STANCES, "pro_targets", "con_targets"):
            _check_phrases(spec.get(key, []), f"{where}, {key!r}")
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
