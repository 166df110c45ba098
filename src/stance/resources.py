"""Loading the data files under ``data/``: lexicon, actors and people with dated offices.

Each loader validates its file and raises :class:`StanceInputError` naming the file, the line or
entry and what to fix.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .problems import StanceInputError

# What a trained stance labeler learns from, under data/: the model cache
# (labelers.training_digest) and the labels cache (pipeline.labeler_key) both hash these files.
LABELER_DATA = ("annotations/stances.csv", "annotations/synthetic.csv", "codebook.toml", "lexicon.toml")


def hash_files(h, paths) -> None:
    """Feed the bytes of each of ``paths`` that exists to the hash ``h`` (cache keys)."""
    for p in paths:
        if p.exists():
            h.update(p.read_bytes())


def data_dir() -> Path:
    """The project's ``data/`` folder (``STANCE_DATA`` overrides it)."""
    env = os.environ.get("STANCE_DATA")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "data" / "codebook.toml").exists():
            return parent / "data"
    raise StanceInputError("cannot find the data/ folder with codebook.toml; set STANCE_DATA to its path")


def read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise StanceInputError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as err:
        raise StanceInputError(f"{path}: TOML syntax error: {err}. Fix the line it names.") from None


@functools.lru_cache(maxsize=8)
def load_lexicon(path: str | None = None) -> dict:
    p = Path(path) if path else data_dir() / "lexicon.toml"
    lex = read_toml(p)
    for key in ("reporting_verbs", "negators", "rejecting", "hedges", "role_nouns"):
        if key not in lex:
            raise StanceInputError(f"{p}: missing section or key {key!r}")
    lists = {k: v for k, v in lex.items() if k not in ("version", "name", "language", "reporting_verbs")}
    lists.update({f"reporting_verbs.{k}": v for k, v in lex["reporting_verbs"].items()}
                 if isinstance(lex["reporting_verbs"], dict) else {"reporting_verbs": lex["reporting_verbs"]})
    for key, words in lists.items():
        # word lists: an empty word, or a string instead of a list, would match everywhere or
        # letter by letter (numbers and tables of other settings are left alone)
        if isinstance(words, str | list) and not (
                isinstance(words, list) and all(isinstance(w, str) and w.strip() for w in words)):
            raise StanceInputError(f"{p}: {key} must be a list of non-empty words in quotes, "
                                   f"[\"...\", \"...\"], not {words!r}"[:300])
    return lex


def word_pattern(words, after: str = r"(?![\w-])") -> re.Pattern:
    """One case-insensitive pattern matching any of ``words`` as whole words (longest first);
    ``after`` is what must follow a match (by default, not a word character).

    The words are compiled as a trie ("Putin|Putin's|Pushkov" becomes "Pu(?:tin(?:'s)?|shkov)"):
    a flat alternation of hundreds of names is tried name by name at every position of the
    text, which made finding people's names the slowest step of extraction."""
    # no words, or only empty ones, match nothing (an empty alternative would match everywhere)
    return re.compile(rf"(?<![\w-])(?:{_trie(w.lower() for w in words if w)}){after}", re.I)


def _trie(words) -> str:
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        group = "(?:" + "|".join(branches) + ")"
        return group + "?" if "" in node else group  # greedy: the longest word first

    return build(root) or "(?!)"


def spellings(name: str) -> list[str]:
    """``name`` and the spellings news text uses for the same name: the Arabic article with a
    space or a hyphen ("Ahrar al-Sham" is also "Ahrar Al Sham", "Ahrar al Sham", "Ahrar Al-Sham";
    case is ignored when matching), and an abbreviation whose last full stop ended the sentence
    ("U.N." written "U.N")."""
    forms = [name]
    if re.search(r"(?<![\w-])[aAeE]l-\w", name):
        forms.append(re.sub(r"(?<![\w-])([aAeE]l)-(?=\w)", r"\1 ", name))
    if re.search(r"(?<![\w-])[aAeE]l \w", name):
        forms.append(re.sub(r"(?<![\w-])([aAeE]l) (?=\w)", r"\1-", name))
    if re.search(r"\w\.\w\.$", name):
        forms.append(name[:-1])  # "according to the U.N.": the sentence's full stop took the last one
    return forms


def _split(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def _date(value: str, path: Path, line: int, column: str) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise StanceInputError(f"{path}, line {line}: {column} {value!r} is not a YYYY-MM-DD date") from None


@dataclass(frozen=True)
class Office:
    person: str
    actor: str
    office: str
    start: dt.date | None
    end: dt.date | None

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass
class ActorBook:
    """Actors with their names and metonyms; people with aliases and dated offices."""

    actors: dict[str, dict] = field(default_factory=dict)
    #: lower-cased term -> (actor, kind) with kind one of name | adjective | metonym | group
    terms: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: lower-cased alias -> canonical person name
    aliases: dict[str, str] = field(default_factory=dict)
    offices: dict[str, list[Office]] = field(default_factory=dict)
    #: lower-cased name or description of an organisation -> (canonical name, actor)
    organizations: dict[str, tuple[str, str]] = field(default_factory=dict)

    def organization(self, phrase: str, strict: bool = False) -> tuple[str, str] | None:
        """(canonical name, actor) when ``phrase`` names an organisation: its head is the
        organisation's name or description ("the Britain-based monitor", "SOHR"); "UN officials"
        is not the UN. ``strict``: only lower-case or hyphenated words may precede the name
        ("Ole Solvang HRW" is a person of HRW, not HRW)."""
        words = re.sub(r"^(?:the|a|an)\s+", "", phrase.strip(), flags=re.I).split()
        for i in range(len(words)):
            hit = self.organizations.get(" ".join(words[i:]).lower().rstrip(".,"))
            if hit and not (strict and any(w[:1].isupper() and "-" not in w for w in words[:i])):
                return hit
        return None

    def actor_of(self, person: str, date: str | None) -> tuple[str, str]:
        """(actor, office) of ``person`` on ``date`` (ISO, any precision; empty = latest office)."""
        offices = self.offices.get(person, [])
        if not offices:
            return "unknown", ""
        day = _midpoint(date)
        if day is not None:
            for o in offices:
                if o.covers(day):
                    return o.actor, o.office
            # outside every office: nearest office in time if within a year, else "other"
            best = min(offices, key=lambda o: _distance(o, day))
            if _distance(best, day) <= 366:
                return best.actor, best.office
            return "other", ""
        latest = max(offices, key=lambda o: o.start or dt.date.min)
        return latest.actor, latest.office

    def office_holder(self, actor: str, role: str, date: str | None) -> str | None:
        """The person holding an office named like ``role`` for ``actor`` on ``date``."""
        day = _midpoint(date)
        role = role.lower()
        current = [o for offices in self.offices.values() for o in offices
                   if o.actor == actor and (day is None or o.covers(day))]
        tiers = (
            [o for o in current if o.office == role],
            [o for o in current if o.office.endswith(" " + role)
             and not re.search(r"\b(deputy|vice|assistant|under|former)\b", o.office)],
            # "envoy": the "special envoy for syria", not the "adviser to the special envoy"
            [o for o in current if re.split(r"\s(?:for|to|of|on)\s", o.office)[0].endswith(role)
             and not re.search(r"\b(deputy|vice|assistant|under|former)\b", o.office)],
            [o for o in current if re.search(rf"\b{re.escape(role)}\b", o.office)
             and not re.search(r"\b(deputy|vice|assistant|under|former)\b", o.office)],
        )
        for matches in tiers:
            people = {o.person for o in matches}
            if len(people) == 1:
                return people.pop()
            if len(people) > 1:
                return None
        return None


def _midpoint(date: str | None) -> dt.date | None:
    if not date:
        return None
    parts = str(date).split("-")
    try:
        if len(parts) == 1:
            return dt.date(int(parts[0]), 7, 1)
        if len(parts) == 2:
            return dt.date(int(parts[0]), int(parts[1]), 15)
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2][:2]))
    except ValueError:
        return None


def _distance(o: Office, day: dt.date) -> int:
    if o.start and day < o.start:
        return (o.start - day).days
    if o.end and day >= o.end:
        return (day - o.end).days
    return 0


@functools.lru_cache(maxsize=8)
def load_actor_book(actors_path: str | None = None, people_path: str | None = None) -> ActorBook:
    base = data_dir()
    apath = Path(actors_path) if actors_path else base / "actors.csv"
    ppath = Path(people_path) if people_path else base / "people.csv"
    book = ActorBook()
    rows = _read_csv(apath, {"actor", "names"})
    lines: dict[str, int] = {}
    for i, row in rows:
        actor = (row.get("actor") or "").strip()
        if not actor:
            raise StanceInputError(f"{apath}, line {i}: empty actor id; give each row an id like 'russia'")
        if actor in lines:
            raise StanceInputError(f"{apath}, line {i}: actor {actor!r} is already defined on line {lines[actor]}; "
                                   f"keep one row per actor")
        lines[actor] = i
        book.actors[actor] = row
        for kind in ("names", "adjectives", "metonyms", "groups"):
            for term in _split(row.get(kind, "")):
                for form in spellings(term):
                    book.terms.setdefault(form.lower(), (actor, kind.rstrip("s")))
    opath = apath.with_name("organizations.csv")
    if not actors_path and opath.exists():
        for i, row in _read_csv(opath, {"organization", "aliases", "actor"}):
            name, actor = (row.get("organization") or "").strip(), (row.get("actor") or "").strip()
            if not name or actor not in book.actors:
                raise StanceInputError(f"{opath}, line {i}: needs an organization name and an actor of "
                                       f"{apath.name} ({sorted(book.actors)}), has {name!r}, {actor!r}")
            for alias in [name, *_split(row.get("aliases", ""))]:
                book.organizations[alias.lower()] = (name, actor)
                for form in spellings(alias)[1:]:
                    book.organizations.setdefault(form.lower(), (name, actor))
    if ppath.exists():
        people = _read_csv(ppath, {"person", "aliases", "actor", "office", "start", "end"})
        if people:
            for i, row in people:
                person = (row["person"] or "").strip()
                actor = (row["actor"] or "").strip()
                if not person:
                    raise StanceInputError(f"{ppath}, line {i}: empty person name")
                if actor not in book.actors:
                    raise StanceInputError(
                        f"{ppath}, line {i}: actor {actor!r} of {person} is not in {apath.name}; "
                        f"use one of {sorted(book.actors)}")
                office = Office(person, actor, (row["office"] or "").strip().lower(),
                                _date(row["start"], ppath, i, "start"), _date(row["end"], ppath, i, "end"))
                if office.start and office.end and office.end < office.start:
                    raise StanceInputError(f"{ppath}, line {i}: {person}'s office {office.office!r} ends before it starts")
                for other in book.offices.get(person, []):
                    if _overlap(other, office):
                        raise StanceInputError(
                            f"{ppath}, line {i}: {person}'s office {office.office!r} ({office.start}..{office.end}) "
                            f"overlaps {other.office!r} ({other.start}..{other.end}); make the dates consecutive")
                book.offices.setdefault(person, []).append(office)
                names = [person, *_split(row["aliases"])]
                # FA-KES and other scraped text drop apostrophes: "O'Brien" is also written "OBrien"
                names += [re.sub(r"['’]", "", a) for a in names if re.search(r"['’]", a)]
                for alias in names:
                    key = alias.lower()
                    holder = book.aliases.get(key)
                    if holder and holder != person:
                        raise StanceInputError(
                            f"{ppath}, line {i}: alias {alias!r} of {person} is already used by {holder}; "
                            f"keep only full names for one of them")
                    book.aliases[key] = person
                for alias in names:
                    for form in spellings(alias)[1:]:
                        book.aliases.setdefault(form.lower(), person)  # a variant never displaces a written alias
    return book


def _read_csv(path: Path, need: set[str]) -> list[tuple[int, dict]]:
    """(line number, row) of a UTF-8 data file with the ``need``ed columns; errors name the line."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise StanceInputError(f"{path}: file not found") from None
    except UnicodeDecodeError as err:
        line = path.read_bytes()[:err.start].count(b"\n") + 1
        raise StanceInputError(f"{path}, line {line}: not UTF-8 ({err.reason} at byte {err.start}); "
                               f"save the file as UTF-8") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not need <= set(reader.fieldnames or []):
        raise StanceInputError(f"{path}: needs columns {sorted(need)}, has {reader.fieldnames}")
    rows = []
    first = reader.line_num + 1
    for row in reader:
        line = reader.line_num  # one line per row: a field over several lines is refused below
        if None in row:
            raise StanceInputError(f"{path}, line {line}: more fields than the header's {len(reader.fieldnames)}; "
                                   f"quote fields that contain commas")
        if any("\n" in (v or "") for v in row.values()):
            raise StanceInputError(f"{path}, line {first}: a quotation mark opened on this line is not closed "
                                   f"on it (the field runs to line {line}); close it")
        rows.append((line, row))
        first = line + 1
    return rows


def _overlap(a: Office, b: Office) -> bool:
    a0, a1 = a.start or dt.date.min, a.end or dt.date.max
    b0, b1 = b.start or dt.date.min, b.end or dt.date.max
    return a0 < b1 and b0 < a1
