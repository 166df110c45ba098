"""Find attributed statements and resolve their speakers (see ``schema.STATEMENTS``).

Mechanism, not a list of known sentences:

1. The cleaned text is split into paragraphs and sentences; quotation spans are found first
   (straight, curly, guillemets, mangled) so that a quote running over several sentences stays
   one unit and sentence ends inside quotes do not split it.
2. In each unit an attribution is looked for: a subject + reporting verb ("Lavrov said",
   "the Russian minister stressed", "he told reporters"), an inverted one after a quote
   ("said Lavrov"), "according to X", a colon line before a quote ("From Lavrov:") or a dash
   line after it ("— Commissioner X"). The reporting verbs are data (``lexicon.toml``).
3. The subject is resolved, ranked by evidence: a person's name or alias (``name``), a role noun
   with a country adjective ("the Russian minister": ``role``), an institution or capital
   ("Russia's Foreign Ministry", "Moscow": ``metonym``), a pronoun ("he": ``pronoun``), the
   previous speaker for an unattributed quote that continues a speaker's words (``context``), or
   the document's speaker in a speech (``document``). People map to actors through their dated
   offices (``people.csv``); organisations to one canonical name (``organizations.csv``); unknown
   names keep their name with actor ``unknown`` unless their title or appositive names an actor
   ("Zakaria Malahifji political officer of the Fastaqim rebel group").

Scraped news often has no commas (FA-KES): the subject may follow the verb ("... said the
Observatory a British-based war monitoring group"), an appositive may sit bare between name and
verb, and a verb that closes the sentence attributes what precedes its subject. Regexes only,
each anchored near the verb, so the cost grows linearly with the text.
"""
from __future__ import annotations

import bisect
import hashlib
import logging
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pandas as pd

from .problems import StanceWarning
from .resources import ActorBook, load_actor_book, load_lexicon, word_pattern
from .schema import DOCUMENTS, STATEMENTS, conform, require

QUOTE_CHARS = "\"“”«»„‟"
# a doubled straight quote ("" in scraped CSV text) is one quotation mark
_QUOTE_TOKEN = re.compile(r"\"\"|�_|[\"“”«»„‟]")
_ABBREV = {
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "sgt", "capt", "gov", "sen", "rep", "st", "jr", "sr", "prof",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "vs", "etc",
    "u.s", "u.n", "u.k", "e.u", "a.m", "p.m", "i.e", "e.g", "maj", "adm", "brig", "cpl", "pvt", "rev", "ft", "mt",
    "inc", "co", "corp", "ltd", "dept", "approx",
}
# a sentence ends at . ! ? before a space, or glued to the next sentence in scraped text
# ("irresolution.For his part") when a lower-case word precedes it
# (the mark first in both branches, so the regex engine scans for it instead of trying both
# branches at every position; "[.!?]+" is "[.!?][.!?]*", the lookbehind then spans the mark)
_SENT_END = re.compile(r"[.!?](?:[.!?]*(?:[\"”’'\)\]]|�_)*(?=\s+|$)|(?<=[a-z]{3}[.!?])(?=[A-Z][a-z]))")
_AUX = r"(?:(?:has|had|have|also|later|then|again|earlier|previously|once|repeatedly|reportedly|further|" \
       r"would|will|was|were|is|are|has also|had also|quickly|publicly|separately|recently|on\s+\w+day|" \
       r"last\s+\w+|yesterday|today|clearly|explicitly|strongly|firmly|flatly|categorically|already|long|just|" \
       r"now|still|even|often|frequently|consistently|openly|privately|officially|initially|first|" \
       r"may|might|could|should|can|do|does|did|there|here|\w+ly)\s+)*"
# whole words only: the 'is' of "Francis" is no auxiliary
_AUX_END = re.compile(rf"(?:\s+|^){_AUX}$", re.I)
_WHEN_END = re.compile(r",?\s+(?:(?:late|early)\s+)?(?:on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
                       r"yesterday|today|(?:last|this)\s+(?:week|month|year|night|weekend)|on\s+(?:january|february|"
                       r"march|april|may|june|july|august|september|october|november|december)\s+\d{1,2})"
                       r"(?:\s+(?:also|again|then|later|reportedly|publicly|repeatedly))?,?\s*$", re.I)
#: words that open a clause: after them comes a new subject, never an appositive's noun
_CLAUSE_WORDS = {"that", "while", "whereas", "since", "because", "although", "though", "when", "after", "before",
                 "until", "unless", "if", "which", "who", "whom", "whose"}
_PRONOUN_SUBJ = {"he": "singular", "she": "singular", "they": "plural", "it": "neuter"}
_CAP_RUN = re.compile(r"(?<![\w'’-])[A-Z][\w'’\-]+(?:\s+(?:al-|el-|bin\s+|abu\s+|ibn\s+)?[A-Z][\w'’\-]+){0,5}")
_CALENDAR = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
             "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}
_DETERMINERS = r"(?:the|a|an|one|two|three|some|several|many|local|other|senior|top|western|unnamed|" \
               r"anonymous|both|his|her|its|their)"
_GENERIC_NOUNS = {
    "source", "sources", "official", "officials", "witness", "witnesses", "resident", "residents", "activist",
    "activists", "monitor", "observatory", "spokesman", "spokeswoman", "spokesperson", "statement", "report",
    "reports", "agency", "media", "television", "tv", "diplomat", "diplomats", "analyst", "analysts", "expert",
    "experts", "doctor", "doctors", "medic", "medics", "rescuer", "rescuers", "commander", "commanders",
    "fighter", "fighters", "rebels", "group", "groups", "army", "military", "ministry", "government", "council",
    "committee", "coalition", "opposition", "authorities", "regime", "leader", "leaders", "minister",
    "ministers", "envoy", "mediator", "ambassador", "president", "governor", "chief", "head", "correspondent",
    "journalist", "journalists", "people", "man", "woman", "citizens", "delegation", "side", "sides", "state",
    "embassy", "presidency", "office", "command", "forces", "police", "paramedics", "volunteers", "mayor",
    "negotiator", "negotiators", "organization", "organisation", "network", "center", "centre", "newspaper",
    "daily", "website", "channel", "broadcaster", "press", "secretary", "general", "lawmaker", "lawmakers",
    "senator", "parliament", "counterpart", "counterparts", "premier", "king", "emir", "prince", "sheikh",
    "relative", "relatives", "neighbour", "neighbor", "neighbours", "neighbors", "survivor", "survivors",
    "states", "countries", "nations", "powers", "governments", "allies", "service", "services", "reporter",
}
_GROUP_WORDS = {"two": 2, "both": 2, "three": 3}
#: A "sentence" longer than this (the longest in the bundled corpus is ~2,300 characters) is a
#: text without sentence ends, e.g. a 20 MB file on one line; it is cut at whitespace so that the
#: work per sentence stays bounded and extraction stays linear in the length of the text.
MAX_SENTENCE = 5000
#: In a paragraph longer than this (the longest in the bundled corpus has ~28,000 characters) a
#: sentence's subject ("the two ministers", "the Russian minister") is looked for among the
#: mentions of the last MAX_SENTENCE characters only, not the whole paragraph.
MAX_PARAGRAPH = 40_000
# verbs whose following noun phrase is the person addressed, never the speaker ("told Reuters")
_ADDRESSEE_VERBS = {"told", "tells", "tell", "telling", "informed", "assured", "assures", "answered", "replied"}
# the addressee after such a verb: "told Reuters", "told The New Arab", "told a news conference"
_ADDRESSEE_RE = re.compile(r"\s+(?:[A-Z][\w'’.\-]*(?:\s+(?:[A-Z][\w'’.\-]*|al-\w+))*|him|her|them|us|me|"
                           r"(?:an?|the)\s+(?:[\w\-]+\s+){0,2}(?:briefing|conference|meeting|session|summit|"
                           r"reporters|journalists|interviewer)(?:\s+(?:in|at)\s+[A-Z][\w\-]*)?)(?=\s|[,.;:]|$)")
# singular nouns for a person ("a resident said ... He said"), so that 'he' and 'she' can refer to them
_HUMAN_NOUNS = {"activist", "resident", "official", "spokesman", "spokeswoman", "spokesperson", "source", "doctor",
                "nurse", "medic", "witness", "correspondent", "photographer", "journalist", "commander", "diplomat",
                "analyst", "expert", "man", "woman", "father", "mother", "teacher", "student", "evacuee", "refugee",
                "sympathizer", "fighter", "rebel", "soldier", "officer", "negotiator", "mediator", "reporter",
                "founder", "member", "leader", "head", "chief", "director", "coordinator", "researcher", "relative",
                "neighbour", "neighbor", "survivor", "paramedic"}
# verbs whose infinitive is what was said: "vowed to keep up the fight"
_PROMISE_VERBS = {"vowed", "vows", "pledged", "pledges", "promised", "promises", "threatened", "threatens",
                  "offered", "offers", "refused", "refuses", "agreed", "agrees", "proposed", "proposes"}
# words after "to" that make it a preposition ("said to reporters"), not an infinitive ("claim to care")
_NOT_VERBS = {"the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "this", "that", "these", "those",
              "reporters", "journalists", "lawmakers", "parliament", "students", "supporters", "officials",
              "diplomats", "television", "radio", "state", "news", "local", "foreign", "western", "russian",
              "him", "them", "us", "me", "it", "all", "both", "each", "some", "several", "two", "three"}
# head nouns that refer back to the last institution that spoke ("the group said", "the monitor said")
_ORG_NOUNS = {"group", "monitor", "watchdog", "organization", "organisation", "body", "agency", "observatory",
              "network", "statement", "report", "ministry", "committee", "commission", "service", "charity"}
# a preposition just before a capitalised word: a place or an object ("in Syria", "of Maaret Harmeh"), no subject
_PREP_END = re.compile(r"\b(?:in|of|from|at|near|to|into|on|across|outside|inside|around|toward|towards|against|"
                       r"with|by|for)\s+$", re.I)
_PLACE_PREP_END = re.compile(r"\b(?:in|of|from|at|near|into|across|outside|inside|around)\s+"
                             r"(?:(?:northern|southern|eastern|western|central|north|south|east|west|[a-z]+-held|"
                             r"besieged|rural)\s+){0,2}$", re.I)
# plural nouns for groups that speak, for 'they' (never "people", "civilians": those are spoken about)
_PLURAL_SPEAKERS = re.compile(r"\b(?:officials|sources|diplomats|activists|rebels|residents|witnesses|medics|doctors|"
                              r"rescuers|monitors|powers|countries|governments|leaders|experts|analysts|lawmakers|"
                              r"ministers|opponents|critics|campaigners|protesters|investigators|inspectors|"
                              r"authorities|negotiators)\b")
_PREPOSITIONS = {"of", "to", "for", "with", "on", "in", "at", "by", "from", "about", "into", "against", "over", "under",
                 "through", "without", "like", "than", "behind", "after", "before"}
# words that open a verb's object ("killed 10 people", "wounded several others")
_OBJECT_STARTS = {"the", "a", "an", "his", "her", "its", "their", "several", "dozens", "many", "scores", "hundreds",
                  "at", "more", "some", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
# head nouns that refer back to the last institution that spoke, like _ORG_NOUNS, when written
# sentence-initially with "The" ("The alliance also said", "The claim said", "The draft calls for")
_REFERRING_NOUNS = {"alliance", "coalition", "claim", "draft", "resolution", "channel", "broadcaster", "website",
                    "newspaper", "daily", "country", "militia", "faction", "movement", "outlet", "communique"}
# titles before a name that are no part of it (a name keeps at least two words: "Dr Partizan")
_HONORIFICS = {"doctor", "dr", "mr", "mrs", "ms", "miss", "professor", "prof", "sir", "dame", "lord", "lady",
               "general", "gen", "colonel", "col", "lieutenant", "lt", "major", "maj", "brigadier", "captain", "capt",
               "sergeant", "sgt", "admiral", "adm", "engineer", "eng", "judge", "father", "imam", "rev"}
_HONORIFIC_RUN = r"(?:(?:" + "|".join(sorted(_HONORIFICS)) + r")\.?\s+){0,3}"
# "... and Colonel" before a second speaker's name; the same words cut from the first statement
_AND_TITLE = re.compile(r"\b(?:and|but|while|whereas)\s+(?:the\s+)?" + _HONORIFIC_RUN + "$", re.I)
_AND_TITLE_TAIL = re.compile(r"[\s,;]*(?:(?:and|but|while|whereas)\s+(?:the\s+)?" + _HONORIFIC_RUN + r")?\s*$", re.I)
# nouns that say what a named organisation is ("the Syrian Observatory for Human Rights monitor")
_DESCRIPTIVE_ORG_NOUNS = {"monitor", "group", "organisation", "organization", "watchdog", "network", "body", "NGO"}
# head words of bodies that speak with 'it' (a name ending in one is no person)
_BODY_WORDS = {"news", "media", "centre", "center", "page", "website", "portal", "channel", "agency", "television",
               "tv", "radio", "newspaper", "network", "committee", "council", "commission", "observatory",
               "organization", "organisation", "ministry", "office", "foundation", "institute", "union", "front",
               "brigade", "brigades", "army", "movement", "party", "coalition", "group", "monitor", "daily", "times",
               "post", "press", "service", "services"}
# words that make what follows a noun phrase a clause: "said Kerry had agreed" is not an inversion
_FINITE = {"is", "was", "are", "were", "has", "had", "have", "will", "would", "could", "should", "must", "may",
           "might", "can", "does", "did", "do", "shall", "not", "never", "to"}


@dataclass
class Mention:
    start: int
    end: int
    speaker: str
    actor: str
    method: str  # name | role | metonym | pronoun | generic
    person: bool
    number: str = "singular"
    #: lower-cased words that described the speaker ("Madaya resident"), for "the resident" later
    described: frozenset = frozenset()
    #: who relays these words, when the speaker is quoted by another ("Lavrov said Kerry told him")
    reporter: str = ""


class Extractor:
    """Statement extractor configured from the data files (lexicon, actors, people)."""

    def __init__(self, book: ActorBook | None = None, lexicon: dict | None = None, actor_model: bool = True,
                 antecedent_model: bool = True):
        #: guess the actor of speakers the data files do not place (:mod:`stance.speaker_actor`)
        self.actor_model = actor_model
        #: rank a pronoun's candidate antecedents with the learned ranker (:mod:`stance.antecedents`)
        self.antecedent_model = antecedent_model
        #: when a list, each pronoun subject's (statement text, kind, candidates, features) is
        #: appended to it (training data for :mod:`stance.antecedents`)
        self.collect: list | None = None
        self.book = book or load_actor_book()
        self.lexicon = lexicon or load_lexicon()
        verbs = self.lexicon["reporting_verbs"]
        self.verb_kind = {}
        for kind in ("speech", "demand", "attitude"):
            for v in verbs.get(kind, []):
                self.verb_kind.setdefault(v.lower(), kind)
        self.verb_re = word_pattern(self.verb_kind)
        self.according_re = word_pattern(self.lexicon.get("attribution_prefixes", []), after=r"\s+")
        # person aliases: a match must start with a capital letter (checked in mentions())
        aliases = sorted(self.book.aliases, key=len, reverse=True)
        # FA-KES drops possessive apostrophes: "Assads government", "Russias defence ministry"
        #: first words of each person's multi-word names ("sergei", "sergey"), which may precede a surname
        self.first_names: dict[str, set[str]] = {}
        for alias, person in self.book.aliases.items():
            parts = alias.split()
            if len(parts) > 1:
                self.first_names.setdefault(person, set()).update(p for p in parts[:-1])
        for person in self.book.offices:
            self.first_names.setdefault(person, set())
        self.alias_re = word_pattern(aliases, after=r"(?:'s|’s|s)?(?![\w-])") if aliases else None
        terms = sorted(self.book.terms, key=len, reverse=True)
        #: head noun of an institution term -> actors that have one ("army" -> syria_government, ...)
        self.head_actors: dict[str, set[str]] = {}
        for term, (actor, _) in self.book.terms.items():
            if len(term.split()) == 2:  # "syrian army", not the name "free syrian army"
                self.head_actors.setdefault(term.split()[-1], set()).add(actor)
        # FA-KES drops the possessive apostrophe: "OCHAs regional coordinator"
        self.org_re = word_pattern(self.book.organizations, after=r"(?:'s|’s|s)?(?![\w-])") \
            if self.book.organizations else None
        # terms the data file writes in lower case ("rebels", "pro-regime") also match in lower case
        self.lowercase_terms = {t.strip().lower() for row in self.book.actors.values()
                                for col in ("names", "adjectives", "metonyms", "groups")
                                for t in (row.get(col) or "").split("|") if t.strip()[:1].islower()}
        self.term_re = word_pattern(terms, after=r"(?:s)?(?![\w-])")
        roles = sorted({r.lower() for r in self.lexicon["role_nouns"]}, key=len, reverse=True)
        self.role_re = word_pattern(roles)
        self.role_nouns = set(roles)
        self.openers = {w.lower() for w in self.lexicon.get("sentence_openers", [])} | _CALENDAR
        self.civilians = {w.lower() for w in self.lexicon.get("civilian_descriptors", [])}
        self.civilian_actor = (self.lexicon.get("civilians") or {}).get("actor", "other")
        self.speaker_nouns = {w.lower() for w in self.lexicon.get("speaker_nouns", [])}
        self.professionals = {w.lower() for w in self.lexicon.get("professional_descriptors", [])}
        #: speakers made only of these words ("one resident", "witnesses") stay 'unknown'
        self.unidentifiable = {w.lower() for w in self.lexicon.get("unidentifiable_speakers", [])}
        self.outlets = {re.sub(r"^the\s+", "", w.lower()) for w in self.lexicon.get("news_outlets", [])}
        #: names of unknown people seen in the current document: full name or surname -> (name, actor)
        self.doc_names: dict[str, tuple[str, str]] = {}
        insts = sorted({r.lower() for r in self.lexicon.get("institution_nouns", [])}, key=len, reverse=True)
        self.inst_re = word_pattern(insts, after=r"(?:'s|’s)?\s*$")
        roles = roles + insts
        self.version = hashlib.blake2b(
            repr((sorted(self.verb_kind.items()), aliases, terms, roles)).encode(), digest_size=8).hexdigest()

    # ---------------------------------------------------------------- text structure
    def quote_spans(self, text: str, start: int, end: int) -> tuple[list[tuple[int, int]], int]:
        """Quotation spans (inner offsets) in text[start:end]; the count of unbalanced marks."""
        spans: list[tuple[int, int]] = []
        open_at: int | None = None
        open_char = ""
        unbalanced = 0
        for m in _QUOTE_TOKEN.finditer(text, start, end):
            ch = '"' if m.group() == '""' else m.group()
            if open_at is None:
                if ch in "”»":  # a closing mark with nothing open
                    unbalanced += 1
                    continue
                open_at, open_char = m.end(), ch
            else:
                closes = (ch == '"' and open_char == '"') or (ch == "�_" and open_char == "�_") or \
                         (open_char in "“„‟" and ch in "”\"“") or (open_char == "«" and ch == "»") or \
                         (open_char == '"' and ch == "”")
                if closes and ch in ('"', "�_") and re.search(r"[.!?]\s+$", text[max(start, m.start() - 3):m.start()]) \
                        and re.match(r"[A-Z]", text[m.end():m.end() + 1]):
                    # '"We lack equipment ... to go. "There is no way out"': this mark opens a new
                    # quote; the one still open ran to the end of its sentence (a paragraph break
                    # lost in the source)
                    spans.append((open_at, len(text[:m.start()].rstrip())))
                    unbalanced += 1
                    open_at = m.end()
                elif closes:
                    spans.append((open_at, m.start()))
                    open_at = None
                elif ch in "“«„":
                    unbalanced += 1
                    open_at, open_char = m.end(), ch
        if open_at is not None:
            # news style: a quote continued in the next paragraph opens but does not close
            spans.append((open_at, end))
            unbalanced += 0 if text[start:open_at].strip() in ("\"", "“", "«", "„", "�_") else 1
        return spans, unbalanced

    def sentences(self, text: str, start: int, end: int, quotes: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Sentence spans of text[start:end], never breaking inside a quotation."""
        out: list[tuple[int, int]] = []
        s = start
        quote_starts = [q0 for q0, _ in quotes]  # quotes are sorted and do not overlap
        for m in _SENT_END.finditer(text, start, end):
            cut = m.end()
            i = bisect.bisect_left(quote_starts, m.start()) - 1  # the last quote opening before m
            if i >= 0 and cut < quotes[i][1]:
                continue
            # the word before the mark (a window, not text[s:m.start()], which grows in a text
            # without sentence ends; a word longer than the window is no abbreviation)
            w0 = max(s, m.start() - 64)
            before = text[w0:m.start()].split()
            truncated = w0 > s and before and not text[w0 - 1].isspace() and text.startswith(before[0], w0) and len(before) == 1
            last = "" if truncated or not before else before[-1].lower().rstrip(".")
            if m.group().startswith(".") and (last in _ABBREV or re.fullmatch(r"[a-z]", last) or
                                              re.fullmatch(r"(?:[a-z]\.)+[a-z]", last)):
                nxt = text[cut:cut + 3].lstrip()
                if not nxt[:1].isupper() or last in ("u.s", "u.n", "u.k", "e.u") and nxt[:1].islower():
                    continue
                if last in _ABBREV and last not in ("u.s", "u.n", "u.k", "e.u", "etc"):
                    continue
                following = re.match(r"\s*([\w\-]+)", text[cut:cut + 40])
                if last in ("u.s", "u.n", "u.k", "e.u") and following and following.group(1).lower() not in self.openers:
                    continue  # "spoke to U.S. Secretary John Kerry": an adjective, not a sentence end
            nxt = text[cut:cut + 2].lstrip()
            if nxt and nxt[0].islower():
                continue
            _append_bounded(out, text, s, cut)
            s = cut
            while s < end and text[s].isspace():
                s += 1
        if s < end and text[s:end].strip():
            _append_bounded(out, text, s, end)
        return out

    # ---------------------------------------------------------------- mentions
    def mentions(self, text: str, start: int, end: int, date: str) -> list[Mention]:
        found: list[Mention] = []

        covered: set[int] = set()

        def free(a: int, b: int) -> bool:
            return covered.isdisjoint(range(a, b))

        if self.alias_re is not None:
            for m in self.alias_re.finditer(text, start, end):
                word = m.group()
                if not word[:1].isupper():
                    continue
                key = word.lower()
                person = self.book.aliases.get(key) or self.book.aliases.get(re.sub(r"(?:'s|’s|s)$", "", key))
                if person and " " not in word.strip():
                    prev = re.search(r"([A-Z][\w'’\-]*)\s+$", text[max(0, m.start() - 30):m.start()])
                    if prev and prev.group(1).lower() not in self.openers | self.role_nouns | self.first_names[person] \
                            and prev.group(1).lower() not in self.book.terms and prev.group(1).lower() not in _GENERIC_NOUNS:
                        continue  # "Ibrahim Khatib" is not Moaz al-Khatib: another first name, another person
                if person:
                    actor, _ = self.book.actor_of(person, date)
                    found.append(Mention(m.start(), m.end(), person, actor, "name", True))
                    covered.update(range(m.start(), m.end()))
        for m in self.term_re.finditer(text, start, end):
            if not free(m.start(), m.end()):
                continue
            word = m.group()
            actor, kind = self._term(word)
            if kind != "group" and not word[:1].isupper() and word.lower() not in self.lowercase_terms:
                continue
            found.append(Mention(m.start(), m.end(), word, actor, "metonym", False, "plural"))
            covered.update(range(m.start(), m.end()))
        found.sort(key=lambda x: x.start)
        return found

    # ---------------------------------------------------------------- subject resolution
    def subject_before(self, text: str, clause_start: int, verb_start: int, mentions: list[Mention],
                       history: list[Mention], date: str, speech_verb: bool = True) -> list[Mention]:
        """Resolve the subject phrase ending right before ``verb_start``."""
        clause_start = _near(text, clause_start, verb_start, 300)
        window = text[clause_start:verb_start]
        tail_at = len(window) - len(window[-80:])
        aux = _AUX_END.search(window, tail_at)  # auxiliaries are short: look at the window's end only
        core_end = clause_start + (aux.start() if aux else len(window))
        when = _WHEN_END.search(text[max(clause_start, core_end - 60):core_end])
        if when and when.start() > 0:
            # "Pope Francis on Sunday also urged", "Lavrov last week said": a time between subject and verb
            core_end = max(clause_start, core_end - 60) + when.start()
        jointly = re.search(r"\s+(?:both|jointly|together)$", text[max(clause_start, core_end - 12):core_end]) \
            if text[core_end - 1:core_end] in ("h", "y", "r") else None
        if jointly and core_end - 12 > clause_start:
            # "The YPG and the Observatory both reported": the speakers are before 'both'
            core_end = max(clause_start, core_end - 12) + jointly.start()
        core = text[clause_start:core_end]
        if not core.strip():
            return []
        paren = re.search(r"\s*\(([^()]{1,40})\)\s*$", core)
        org = self.book.organization(paren.group(1), strict=True) if paren else None
        # "The organisations Office for the Coordination of Humanitarian Affairs (OCHA) revealed": the
        # organisation the acronym names, unless a person speaks for it ("Jens Laerke spokesman for ... (OCHA)")
        paren_org = [Mention(clause_start + paren.start(1), clause_start + paren.end(1), org[0], org[1], "metonym",
                             False, "plural")] if org and paren.start() > 0 else None
        if paren and paren.start() > 0:
            # "the Syrian Network for Human Rights (SNHR) said"
            core_end = clause_start + paren.start()
            core = text[clause_start:core_end]
        inner_paren = re.search(r"\s*\([^()]{1,12}\)\s+((?:[a-z][\w\-]*\s+){0,2}[a-z][\w\-]*)\s*$", core) \
            if ")" in core[-40:] else None
        if inner_paren and self._is_head_noun(inner_paren.group(1).split()[-1]) and \
                re.fullmatch(r"\s*(?:The\s+)?[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*){0,5}", core[:inner_paren.start()]):
            # "The Islamic State (IS) group said", "The Syrian Democratic Forces (SDF) alliance said": the
            # name before the abbreviation, opening the clause, speaks; the noun after it says what it is
            core_end = clause_start + inner_paren.start()
            core = text[clause_start:core_end]
        desc = re.search(r"\s+(?:[a-z][\w\-]*\s+)?(?:monitor|group|organi[sz]ation|watchdog|network|body|NGO)\s*$",
                         core[-40:]) if (core.split() or [""])[-1] in _DESCRIPTIVE_ORG_NOUNS else None
        if desc:
            # "the Syrian Observatory for Human Rights monitoring group said": the organisation the
            # data files name, with a noun that says what it is
            at = len(core) - len(core[-40:]) + desc.start()
            run = re.search(r"[A-Z][\w'’\-]*(?:\s+(?:(?:for|of|and|on)\s+)*[A-Z][\w'’\-]*)*$", core[:at])
            if run and self.book.organization(run.group(), strict=True):
                core_end = clause_start + at
                core = text[clause_start:core_end]
        ing = None if "ing " not in core else re.match(r"\s*((?:[\w'’\-]+\s+){0,3}([\w'’\-]+))\s+[a-z]{2,}ing\s+(?:the|a|an|his|her|their|its|those)\s"
                       r"[^\"“”,;]{0,80}$", core)
        if ing and (self._is_head_noun(ing.group(2)) or ing.group(2).lower() in self.speaker_nouns or
                    ing.group(2).lower().rstrip("s") in _HUMAN_NOUNS or ing.group(2).lower() in self.civilians):
            # "Medics attending the victims said", "Doctors treating the wounded in the town said": the
            # participle phrase describes the subject before it
            core_end = clause_start + ing.end(1)
            core = text[clause_start:core_end]
        part = re.search(r"\s(?:speaking|writing|talking|familiar|briefed|knowledgeable)\s+"
                         r"(?:to|on|by|from|in|at|with|alongside|after|before|during|"
                         r"via|beside|next)\b[^\"“”]{0,200}$", core)
        if part and part.start() > 0:
            # "Ahmed a Madaya resident speaking to AFP by phone said"
            core_end = clause_start + part.start()
            core = text[clause_start:core_end]
        dashed = re.search(r"\s[-–—]\s[^-–—\"“”]{2,160}\s[-–—]\s*$", core) if core.rstrip()[-1:] in "-–—" else None
        if dashed and dashed.start() > 0:
            # "The Observatory - which relies on a network of sources inside Syria - says": the
            # phrase between dashes is an appositive
            core_end = clause_start + dashed.start()
            core = text[clause_start:core_end]
        # an appositive between subject and verb: "Lavrov, the Russian minister, said"
        appos = re.search(r",[^,\"“”]{2,140},\s*$", core)
        candidates = [core_end]
        inner = re.fullmatch(r",\s*((?:[A-Z][\w'’.\-]*|al-\w+|el-\w+|bin|ibn|abu|de)(?:\s+(?:[A-Z][\w'’.\-]*|al-\w+|"
                             r"el-\w+|bin|ibn|abu|de))+),\s*", core[appos.start():]) if appos else None
        lead_seg = re.search(r"(?:^|[,;:\"“”(])\s*([^,;:\"“”()]*)$", core[:appos.start()]) if inner else None
        if inner and lead_seg and any(self._is_head_noun(w) for w in lead_seg.group(1).split()[-6:]) and \
                not any(m.person and m.end == clause_start + appos.start() for m in mentions):
            # "The Syrian foreign minister, Walid al-Moualem, said", "A spokesman for the HNC, Salem
            # al-Meslet, said": the name in the appositive is the speaker; the phrase before it
            # tells whom they speak for
            a = clause_start + appos.start() + inner.start(1)
            named = self._subject_at(text, a, a + len(inner.group(1)), mentions, history, date, speech_verb)
            if named and named[0].person:
                if named[0].actor == "unknown":
                    lead = self._subject_at(text, clause_start, clause_start + appos.start(), mentions, history, date,
                                            speech_verb)
                    actor = lead[0].actor if lead and not lead[0].person else \
                        next((m.actor for m in mentions if clause_start <= m.start < a and not m.person), "unknown")
                else:
                    actor = named[0].actor
                # the subject phrase starts with its title: what precedes it may be the statement
                b = clause_start + lead_seg.start(1)
                return [Mention(b, x.end, x.speaker, actor, x.method, True, described=x.described) for x in named]
        if appos:
            named = re.search(r"[A-Z][\w'’\-]+(?:,\s*\d{1,2})?$", core[:appos.start()])
            if named and re.match(r",\s*(?:a|an|the|[a-z])", core[appos.start():]):
                # "Khaled Khoja, a senior official of the Syrian opposition, said": the name
                # before the appositive is the subject, not a noun inside it
                candidates.insert(0, clause_start + appos.start())
            else:
                candidates.append(clause_start + appos.start())
        bare = self._bare_appositive(text, clause_start, core_end, mentions)
        if bare is not None:
            # "Mona Kurdi a spokesperson for SARC noted" (no commas): the name is the subject
            candidates.insert(0, bare)
        res: list[Mention] = []
        for end in candidates:
            res = self._subject_at(text, clause_start, end, mentions, history, date, speech_verb)
            if res:
                break
        if paren_org and (not res or not res[0].person):
            return paren_org
        both = self._conjoined(text, clause_start, res, mentions, history, date, speech_verb)
        if both:
            return both
        rel = [r for r in re.finditer(r"\s(?:who|which)\s", core) if _words(core[r.end():]) <= 25]
        inside = bool(res) and bool(rel) and clause_start + rel[-1].end() <= res[0].start
        ends_pronoun = (core.split() or [""])[-1].lower() in ("we", "i", "you", "he", "she", "they", "it")
        if rel and not ends_pronoun and (not res or inside or (res[0].method == "role" and not res[0].person
                                                                and res[0].actor == "unknown")):
            # "Opposition activist Omar Abu Laila who lives in Europe ... said", "A Syrian human
            # rights activist from Deir al-Zor who fled for Turkey last year said": the subject is
            # before the relative clause, not a noun inside it
            alt = self._subject_at(text, clause_start, clause_start + rel[-1].start(), mentions, history,
                                   date, speech_verb)
            if alt and (inside or not res or alt[0].method in ("name", "metonym")):
                return alt
        return res

    def _comma_less_list(self, text: str, a: int, b: int, mentions: list[Mention], history: list[Mention],
                         date: str, speech_verb: bool = True) -> list[Mention]:
        """The first two speakers of a list of three written without commas ("a war monitor medics
        and emergency workers said"): after 'a'/'an' and a singular head noun, a plural noun
        cannot belong to the same phrase, so it starts the next one. [] when the phrase is no such list."""
        words = list(re.finditer(r"[\w'’\-]+", text[a:b]))
        if len(words) < 3 or words[0].group().lower() not in ("a", "an") or not words[-1].group().islower():
            return []
        last = words[-1].group().lower()
        if not (last.endswith("s") and (self._is_head_noun(last) or last in self.speaker_nouns or
                                        last in self.professionals or last[:-1] in _HUMAN_NOUNS)):
            return []
        for i in range(1, len(words) - 1):
            w = words[i].group().lower()
            if self._is_head_noun(w) and not w.endswith("s") and all(x.group().islower() for x in words[i + 1:]):
                cut = a + words[i].end()
                first = self._subject_at(text, a, cut, mentions, history, date, speech_verb)
                second = self._subject_at(text, a + words[i + 1].start(), b, mentions, history, date, speech_verb)
                if first and second:
                    return first + second
                return []
        return []

    def _conjoined(self, text: str, clause_start: int, res: list[Mention], mentions: list[Mention],
                   history: list[Mention], date: str, speech_verb: bool = True) -> list[Mention]:
        """The speakers of a subject made of two phrases joined by 'and' when ``res`` is the second
        ("the observatory and a security source said"), or []."""
        joined = re.search(r"\s(?:and|&)\s+(?:(?:the|a|an|its|their|his|her)\s+)?(?:so-called\s+)?$",
                           text[max(clause_start, res[0].start - 24):res[0].start]) if len(res) == 1 else None
        if joined and not res[0].person or joined and res[0].method == "role":
            # "the observatory and a security source said", "A hospital and a civil defence group
            # said", "The government and its Russian allies say": each speaks
            and_at = max(clause_start, res[0].start - 24) + joined.start()
            np_left = self._noun_phrase(text, clause_start, and_at)
            listed = self._comma_less_list(text, and_at - len(np_left), and_at, mentions, history, date,
                                           speech_verb) if np_left else []
            left = listed or self._subject_at(text, clause_start, and_at, mentions, history, date, speech_verb)
            l0 = and_at - len(np_left) if listed else min(x.start for x in left) if left else and_at
            first = (text[l0:and_at].split() or [""])[0]
            # a phrase that can be a subject: not the object of a preposition ("aircraft from Saudi
            # Arabia and the UAE"), not a verb's object ("to pressure rebel forces and the UN says"),
            # no clause ("The attack also injured dozens and the monitor said")
            if left and all(x.method in ("name", "metonym", "role") and x.speaker != res[0].speaker for x in left) \
                    and not text[left[-1].end:and_at].strip() \
                    and not any(w in _FINITE or w in self.verb_kind or w.endswith("ed") and w.isalpha()
                                for w in (v.lower() for v in text[l0:and_at].split() if v.islower())) \
                    and not re.search(r"\b(?:in|of|from|at|near|to|into|on|for|with|by|against|than|between)\s+"
                                      r"(?:the\s+)?$", text[max(clause_start, l0 - 14):l0], re.I) \
                    and (first[:1].isupper() or re.fullmatch(_DETERMINERS, first, re.I) or self._is_head_noun(first)
                         or first.lower() in self.speaker_nouns or first.lower() in self.civilians):
                return left + res
        return []

    def _coordinated_states(self, text: str, near: list[Mention], last: Mention) -> list[Mention]:
        """Names of actors listed with 'and' before a verb ("Moscow and Damascus", "the US Britain
        France and Russia" without commas); adjectives ("Russian state TV") are not a list."""
        def is_name(m: Mention) -> bool:
            return self.book.terms.get(m.speaker.lower(), ("", ""))[1] in ("name", "metonym")

        if not is_name(last):
            return [last]
        group, joined = [last], False
        for prev in reversed(near[:near.index(last)]):
            between = text[prev.end:group[0].start].strip().lower()
            if prev.person or not is_name(prev) or between not in ("", "and", "&", ",", ", and"):
                break
            joined = joined or between != ""
            group.insert(0, prev)
        return group if joined else [last]

    def _bare_appositive(self, text: str, clause_start: int, core_end: int, mentions: list[Mention]) -> int | None:
        """End of a name followed by an appositive without commas ("Zakaria Malahifji political
        officer of the Fastaqim rebel group", "the Observatory a Britain-based monitor"), or None."""
        names = [(m.start, m.end) for m in mentions if clause_start <= m.start and m.end < core_end
                 and self.book.terms.get(m.speaker.lower(), ("", ""))[1] != "adjective"
                 and (m.person or re.match(r"\s+(?:a|an|the)\s", text[m.end:core_end]))
                 and not self._possessive(text[m.start:m.end])]
        for m in _CAP_RUN.finditer(text, max(clause_start, core_end - 300), core_end):
            run = re.sub(r"^(?:the|a|an)\s+", "", self._strip_openers(m.group()), flags=re.I)
            if _PREP_END.search(text, max(0, m.end() - len(run) - 12), m.end() - len(run)):
                continue  # "killed in Syria a monitor said", "the village of Maaret Harmeh": a place, not a subject
            if (run.split() or [""])[-1].lower() in _CALENDAR | {"today", "tonight", "yesterday"}:
                continue  # "western Aleppo Saturday the observatory said": a time, not a name
            if len(run.split()) == 1 and run.lower() in self.doc_names and re.match(r"\s+the\s", text[m.end():core_end]):
                names.append((m.end() - len(run), m.end()))  # "Johnson the former mayor of London" after "Boris Johnson"
                continue
            if len(run.split()) == 1 and re.match(r"\s+an?\s", text[m.end():core_end]) and \
                    run.lower() not in self.book.terms and run.lower() not in self.openers and \
                    not run.lower().endswith("ing"):  # "Citing a military source it said"
                names.append((m.end() - len(run), m.end()))  # "Ahmed a Madaya resident"
                continue
            if m.start() >= clause_start and len(run.split()) >= 2 and run[:1].isupper() and \
                    not all(w.lower() in self.book.terms for w in run.split()):
                names.append((m.end() - len(run), m.end()))
        # the first name whose appositive runs to the verb: "Ammar al-Selmo the head of the Civil
        # Defense rescue service in eastern Aleppo told" is al-Selmo, not the Civil Defense
        for _, b in sorted(names, key=lambda x: x[1]):
            rest = text[b:core_end].split()
            whole = re.sub(r"^(?:the|a|an)\s+", "", " ".join(rest), flags=re.I).lower()
            if (whole in self.book.organizations or whole in self.book.terms):
                continue  # "on the orders of their leader Abu Bakr al-Baghdadi the Observatory said": the organisation speaks
            the = max((i for i, w in enumerate(rest) if w.lower() == "the"), default=-1)
            tail_org = " ".join(rest[the + 1:]) if the == 0 or the > 0 and rest[the - 1].lower() not in _PREPOSITIONS \
                else ""
            if tail_org[:1].isupper() and (self.book.organization(tail_org, strict=True) or
                                           tail_org.lower() in self.book.terms):
                continue  # "in the rebel-held Eastern Ghouta region the Observatory said": the organisation speaks
            titled = re.search(r"\b([A-Za-z][\w\-]*)\s+[A-Z][\w'’\-]+\s+[A-Z][\w'’\-]+\s*$", text[b:core_end])
            ends_person = any(m.person and b <= m.start and m.end <= core_end and not text[m.end:core_end].strip()
                              for m in mentions)
            if ends_person or (titled and self._is_head_noun(titled.group(1))):
                continue  # "World Food Programme spokeswoman Bettina Luescher": the name ends the phrase
            if not 1 <= len(rest) <= 14 or any(ch in text[b:core_end] for ch in QUOTE_CHARS + ",;"):
                continue
            last_a = max((i for i in range(max(0, len(rest) - 5), len(rest) - 1) if rest[i] in ("a", "an")), default=0)
            if last_a > 0:
                # "held by the Islamic State group in eastern Syria a monitor said", "killed 14
                # jihadists from the Islamic State group and five civilians a monitoring group said":
                # an indefinite phrase right before the verb, after other words, is the subject itself
                continue

            lead = [w.lower() for w in rest[:6]]
            titled_person = lead[0] in self.role_nouns and any(m.person and m.end == b for m in mentions)
            if not (rest[0][:1].islower() or titled_person) or lead[0] in _FINITE or \
                    lead[0] in self.openers - {"a", "an", "the"}:
                continue  # ("Sergey Rudskoy Chief of the Main Operational Directorate said": his title)
            if any(w in _FINITE or w in self.verb_kind or w in _CLAUSE_WORDS for w in (x.lower() for x in rest)):
                continue  # "Lavrov told his counterpart John Kerry that Moscow": a clause, not an appositive
            if any(w.endswith("ed") and w.islower() and (nxt[:1].isdigit() or nxt.lower() in _OBJECT_STARTS)
                   for w, nxt in zip(rest, rest[1:])):
                continue  # "Maaret Harmeh killed 10 people and wounded several others": a verb with its object
            if any(self._is_head_noun(w) or w in self.civilians or w in _HUMAN_NOUNS for w in lead):
                return b
            if lead[0] in ("a", "an") and len(rest) <= 6 and re.fullmatch(r"[a-z]+(?:ist|ian|er|or)", lead[1:2] and
                                                                        lead[1] or ""):
                # "Suleiman Youssef a writer told", "Ibrahim al-Assad a neurologist in Saraqib said": a
                # person's trade after the name
                return b
        return None

    def _subject_at(self, text: str, clause_start: int, end: int, mentions: list[Mention],
                    history: list[Mention], date: str, speech_verb: bool = True) -> list[Mention]:
        phrase = text[clause_start:end]
        stripped = phrase.rstrip()
        end = clause_start + len(stripped)
        if not stripped:
            return []
        np0 = self._noun_phrase(text, clause_start, end)
        both = re.search(r"\s+and\s+(?:(?:the|a|an)\s+)?(?=[a-z])", np0)
        if both and not re.search(r"\bbetween\s", text[max(clause_start, end - len(np0) - 10):end - len(np0)]):
            # "a war monitor and activists said", "state media and activists said": one statement of each
            np_start0 = end - len(np0)
            left = self._comma_less_list(text, np_start0, np_start0 + both.start(), mentions, history, date,
                                         speech_verb) or \
                self._subject_at(text, clause_start, np_start0 + both.start(), mentions, history, date, speech_verb)
            right = self._subject_at(text, np_start0 + both.end(), end, mentions, history, date, speech_verb)
            if left and right:
                return left + right
        # coordinated persons: "Lavrov and Kerry said"
        near = [m for m in mentions if clause_start <= m.start and m.end <= end]
        tail_person = [m for m in near if m.end == end or text[m.end:end].strip() in ("", "'s")]
        if tail_person:
            last = tail_person[-1]
            group = [last]
            if last.person:
                near = [m for m in near if m.person]  # "Lavrov and US Secretary of State John Kerry"
            idx = near.index(last)
            while idx > 0:
                prev = near[idx - 1]
                between = text[prev.end:group[0].start].strip().lower()
                titled = re.fullmatch(r"(?:,\s*)?and\s+(?:[\w.\-]+\s+){1,6}", text[prev.end:group[0].start].strip() + " ")
                if titled and not all(w[:1].isupper() or w.lower() in self.role_nouns or w.lower() in ("of", "the")
                                      for w in text[prev.end:group[0].start].split()[1:]):
                    titled = None
                if (between in ("and", "&", ",", ", and") or titled) and prev.person == last.person:
                    group.insert(0, prev)
                    idx -= 1
                else:
                    break
            if len(group) > 1 and not re.search(r"\s(?:and|&)\s", text[group[0].start:group[-1].start]):
                # "In a call with Erdogan, Putin said": a comma alone does not make a list
                group = [last]
            owned = re.search(r"((?:the\s+)?(?:government|regime|administration|forces|army|ministry|office|cabinet|"
                              r"presidency|camp|side|delegation)\s+of\s+(?:[A-Z][\w\-]*\s+){0,3})$",
                              text[max(clause_start, last.start - 80):group[0].start], re.I)
            if last.person and owned:
                # "the government of President Bashar al-Assad says": the institution speaks, for the
                # person's actor
                a = group[0].start - len(owned.group(1))
                return [Mention(a, end, _tidy(text[a:end]), last.actor, "metonym", False, "plural")]
            if last.person:
                return group
            lo = max(clause_start, group[0].start - 60)
            seat = re.search(r"((?:[\w\-]+\s+){0,2}[\w\-]+)\s+(?:in|of)\s+(?:the\s+)?$", text[lo:group[0].start])
            if len(group) == 1 and seat and self.inst_re.search(seat.group(1)) and \
                    self.book.terms.get(last.speaker.lower(), ("", ""))[1] in ("name", "metonym"):
                # "the defense ministry in Moscow said": the institution speaks, for the place's state
                inst = self._subject_at(text, clause_start, lo + seat.end(1), mentions, history, date, speech_verb)
                if inst and not inst[0].person:
                    return [Mention(x.start, end, x.speaker, x.actor if x.actor != "unknown" else last.actor, x.method,
                                    False, x.number, x.described) for x in inst]
            states = self._coordinated_states(text, near, last)
            if len(states) > 1:
                # "The US Britain France and Russia said": each state speaks
                return [Mention(m.start, m.end, m.speaker, m.actor, "metonym", False, "plural") for m in states]
            # institution / metonym, possibly with a role noun ("Russia's Foreign Ministry"); the first
            # actor word of the phrase specifies it ("Russian state TV")
            phrase = self._noun_phrase(text, clause_start, end) or last.speaker
            first = next((m for m in near if m.start >= end - len(phrase) and not m.person), last)
            if phrase[:1].islower():
                phrase = text[first.start:end]  # "the city state media" -> "state media"
            role = re.search(r"(?:^|\s)(\w[\w\-]*)$", phrase)
            if role and role.group(1).lower() in self.role_nouns and first.actor != "unknown":
                # "the UN envoy said": the person who spoke for that actor with that role, or the
                # office holder on the date
                pool = [h for h in reversed(history) if h.person and h.actor == first.actor]
                word = role.group(1).lower()
                held = [h for h in pool if re.search(rf"\b{re.escape(word)}\b", self.book.actor_of(h.speaker, date)[1])]
                holder = held[0].speaker if held else self.book.office_holder(first.actor, word, date)
                if holder:
                    return [Mention(last.start, end, holder, first.actor, "role", True)]
            # "a pro-regime military source" is a person 'he' can refer to
            human = phrase.split()[-1].lower() in _HUMAN_NOUNS
            return [Mention(last.start, last.end, phrase, first.actor, "metonym", human, "plural")]
        age = re.search(r"(?<=[a-z])(?:,\s*|\s+)\d{1,2},?$", stripped)
        if age and stripped[:age.start()].split()[-1].lower() not in _CALENDAR:
            # "Ahmed, 24, said", "Ahmed 24 said": an age after the name
            return self._subject_at(text, clause_start, clause_start + age.start(), mentions, history, date,
                                    speech_verb)
        words = stripped.split()
        lastword = words[-1].lower().strip("\"“”,")
        if lastword in _PRONOUN_SUBJ:
            if lastword == "it" and len(words) > 1 and words[-2].lower() in _PREPOSITIONS:
                return []  # "hasnt let us hear the end of it said Modar Shekho": 'it' is an object
            return self._pronoun(lastword, end - len(lastword), end, history)
        if lastword in ("who", "that") and len(words) > 1:
            # "those who say", "there are those who questioned": the subject is before 'who'
            return self._subject_at(text, clause_start, end - len(words[-1]), mentions, history, date, speech_verb)
        if lastword in ("we", "i"):
            return []  # first person inside a quote, handled by the quote's attribution
        np_text = self._noun_phrase(text, clause_start, end)
        if not np_text:
            return []
        np_start = end - len(np_text)
        both = re.search(r"\s+and\s+(?:(?:the|a|an)\s+)?(?=[a-z])", np_text)
        if both and not re.search(r"\bbetween\b", text[max(clause_start, np_start - 10):np_start]):
            # "a war monitor and activists said": one statement of each
            left = self._subject_at(text, np_start, np_start + both.start(), mentions, history, date, speech_verb)
            right = self._subject_at(text, np_start + both.end(), end, mentions, history, date, speech_verb)
            if left and right:
                return left + right
        np_mentions = [m for m in mentions if np_start <= m.start < end]
        # "the two ministers said": the last distinct people mentioned
        mgroup = re.match(r"(?:the\s+)?(two|both|three)\s+(\w+)$", np_text, re.I)
        if mgroup:
            n = _GROUP_WORDS[mgroup.group(1).lower()]
            people: list[Mention] = []
            for h in reversed(history + [m for m in mentions if m.end <= np_start]):
                if h.person and h.speaker not in [p.speaker for p in people]:
                    people.append(h)
                if len(people) == n:
                    break
            if len(people) == n:
                return [Mention(np_start, end, p.speaker, p.actor, "role", True) for p in reversed(people)]
        # the first actor word of the phrase specifies it: "Russian state TV", "Russia's Foreign Ministry"
        actor_from_np = next((m.actor for m in np_mentions if not m.person), None)
        owner = next((m for m in reversed(np_mentions) if m.person), None)
        poss = re.match(r"(?:the\s+)?((?:[A-Z][\w\-]*\s+)*[A-Z][\w\-]*?)(?:'s|’s|s)\s", np_text)
        org = self.book.organization(self._strip_openers(poss.group(1))) \
            if poss and not actor_from_np and not owner else None
        if org and (self.inst_re.search(np_text) or np_text.split()[-1].lower() in _ORG_NOUNS):
            # "Human Rights Watchs 16-page report said", "OCHA's statement said": the organisation speaks
            return [Mention(np_start, end, org[0], org[1], "metonym", False, "plural")]
        inst = self.inst_re.search(np_text)
        if inst:
            # an institution speaks for its actor, never for a person: "Russia's Foreign Ministry",
            # "Assad's government", "the Syrian army", "a military source"
            lo = max(clause_start, np_start - 90)
            member = re.search(r"(?:^|\s)((?:[A-Z][\w'’\-]+\s+){1,3}[A-Z][\w'’\-]+)\s+(?:of|from)\s+(?:the\s+)?"
                               r"(?:[a-z][\w\-]*\s+){0,2}$", text[lo:np_start])
            if member and not any(w.lower() in self.book.terms or self._is_head_noun(w) or w.lower() in self.openers
                                  or self.book.organization(w) or w.lower() in self.book.aliases
                                  for w in member.group(1).split()):
                # "Khaled Omar of the opposition Local Council in Ain Tarma said": the person speaks,
                # for the body they belong to
                a = lo + member.start(1)
                actor = actor_from_np or next((m.actor for m in mentions if a < m.start and m.end <= end and not m.person),
                                              "unknown")
                return [Mention(a, a + len(member.group(1)), member.group(1), actor, "name", True,
                                described=frozenset(w.lower() for w in text[lo + member.end(1):end].split()))]
            # "the Local Council", "the Syrian Revolutionary Command Council": a body with a proper
            # name of its own is not the last council or government the story named
            named = [w for w in re.sub(r"^(?:the|a|an)\s+", "", np_text[:inst.start()], flags=re.I).split()
                     if w[:1].isupper() and w.lower() not in self.book.terms]
            if not actor_from_np and not owner and not named:
                back = self._common_subject(np_start, end, _tidy(np_text), None, history)
                if back[0].actor != "unknown":
                    return back  # "the statement added", "the ministry said": the one that spoke before
            # "media", "Western media", "local media" (words the lexicon calls unidentifiable) are
            # no earlier state media: they stay unknown as the annotation rules say
            vague = set(_tidy(np_text).lower().split()) <= self.unidentifiable
            actor = actor_from_np or (owner.actor if owner else None) or (None if named or vague else self._earlier_institution(
                inst.group().split()[-1].lower(), np_start, mentions, history))
            return [Mention(np_start, end, _tidy(np_text), actor or "unknown", "metonym" if actor else "role", False)]
        role = self.role_re.search(np_text)
        the_role = role and re.fullmatch(r"[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)?", np_text) and role.group() == np_text \
            and re.search(r"\bthe\s+$", text[max(0, np_start - 5):np_start], re.I)
        bare_np = re.sub(r"^(?:the|a|an)\s+", "", np_text, flags=re.I)
        if role and (bare_np.split()[0][:1].islower() or actor_from_np or the_role):
            # a role noun: "the Russian minister", "the diplomacy chief", "Syria's foreign minister"
            role_word = role.group().lower()
            rest = np_text[role.end():].strip()
            if rest[:1].isupper():
                # "Foreign Minister Ivan Petrov": a name follows the role
                return [Mention(np_start, end, rest, actor_from_np or "unknown", "name", True)]
            pool = [h for h in reversed(history) if h.person] + \
                   [m for m in reversed(mentions) if m.person and m.end <= np_start]
            # "the President announced": the last person named who held that office then
            holders = [h for h in pool if re.search(rf"\b{re.escape(role_word)}\b",
                                                    self.book.actor_of(h.speaker, date)[1])]
            for h in holders:
                if actor_from_np is None or h.actor == actor_from_np:
                    return [Mention(np_start, end, h.speaker, h.actor, "role", True)]
            for h in pool:
                if actor_from_np is None or h.actor == actor_from_np:
                    return [Mention(np_start, end, h.speaker, h.actor, "role", True)]
            if actor_from_np:
                holder = self.book.office_holder(actor_from_np, role_word, date)
                if holder:
                    return [Mention(np_start, end, holder, actor_from_np, "role", True)]
                return [Mention(np_start, end, _tidy(np_text), actor_from_np, "role", False)]
        common = re.fullmatch(r"The((?:\s+(?:[a-z][\w\-]*|TV))+)", np_text)
        if common and common.group(1).split()[-1].lower() in _ORG_NOUNS | _REFERRING_NOUNS:
            # "The alliance also said", "The claim said", "The state TV channel said": a common noun
            # written with the capital of the sentence, which refers back
            return self._common_subject(np_start, end, _tidy(np_text), actor_from_np, history, refers=True)
        if np_text[:1].isupper():
            # an unknown name keeps its name; a role or country word before it is dropped
            name = np_text
            if role:
                after = np_text[role.end():].strip()
                name = after if after[:1].isupper() else name
            words = re.sub(r"^(?:the|a|an)\s+", "", name, flags=re.I).split()
            while len(words) > 1 and (words[0].lower() in self.book.terms or words[0].lower() in ("of", "to", "for")
                                      or len(words) > 2 and words[0].lower().rstrip(".") in _HONORIFICS):
                words = words[1:]  # "Doctor Ibrahim al-Assad": the name without its honorific
            name = " ".join(words)
            if len(words) == 1 and (self._is_head_noun(name) or name.lower() in self.speaker_nouns):
                # a sentence-initial common noun ("Activists said"), not a name
                return self._common_subject(np_start, end, _tidy(np_text), actor_from_np, history)
            org = self.book.organization(np_text, strict=True)
            if org is None and len(words) > 2:
                for k in range(len(words) - 1, 1, -1):
                    org = self.book.organization(" ".join(words[:k]), strict=True)
                    if org:
                        break  # "the Faylaq Al Sham Islamist faction": the organisation and a word about it
            if org:
                # "The global chemical arms watchdog said": an organisation, not a person
                return [Mention(np_start, end, org[0], org[1], "metonym", False, "plural")]
            seen = self.doc_names.get(words[-1].lower().rstrip(".")) if words else None
            if seen and (len(words) == 1 or seen[0].lower().endswith(name.lower().rstrip("."))):
                # "Malahifji said" after "Zakaria Malahifji ... told Reuters": the same person
                return [Mention(np_start, end, seen[0], seen[1], "name", True)]
            pm = re.search(r"(\S+)\s+(?:in|from|at|near|of|across|to)\s+(?:(?:[a-z]+-held|northern|southern|eastern|"
                           r"western|central|besieged|rural)\s+){0,2}$", text[max(clause_start, np_start - 60):np_start])
            if pm and len(words) <= 2 and (len(words) == 1 or self._is_head_noun(pm.group(1)) or pm.group(1).lower() in self.speaker_nouns
                       or pm.group(1).lower() in self.civilians):
                # "groups in Syria said", "a human rights activist from Deir al-Zor said": the
                # subject is before the preposition
                cut = max(clause_start, np_start - 60) + pm.end(1)
                res = self._subject_at(text, clause_start, cut, mentions, history, date)
                if res:
                    return res
            if _PLACE_PREP_END.search(text, max(clause_start, np_start - 12), np_start) and \
                    re.match(r"\s*(?!(?:told|tells|informed|assured)\b)[a-z]+\s+(?:the\s|an?\s|(?:[a-z][\w\-]*\s+){0,2}[A-Z])",
                             text[end:end + 60]):
                # "battles raged in Hardatain and Ratain said the Observatory": a name after a
                # preposition is a place or an object, not who speaks
                return []
            name = _tidy(name).rstrip(".")
            parts = name.split()
            while len(parts) > 2 and (parts[-1].lower() in self.book.organizations or
                                      parts[-1][:-1].lower() in self.book.organizations or parts[-1].lower() in self.book.terms):
                parts.pop()  # "Kevin Kennedy OCHAs regional coordinator": OCHA is his affiliation
            name = " ".join(parts)
            cut = re.search(r"\s(?:of|for)\s", name)
            if cut and len(name[:cut.start()].split()) >= 2:
                name = name[:cut.start()]  # "Laila Kiki of The Syria Campaign": the rest is her affiliation
            at = np_text.rfind(name)
            actor, described = self._affiliation(text, np_start + max(at, 0), np_start + max(at, 0) + len(name)
                                                 if at >= 0 else end)
            actor = actor_from_np or actor
            if len(name.split()) >= 2:
                for key in (name.lower(), name.split()[-1].lower()):
                    if len(self.doc_names.get(key, ("",))[0]) < len(name):  # the fullest name wins
                        self.doc_names[key] = (name, actor)
            return [Mention(np_start, end, name, actor, "name", True, described=described)]
        head = np_text.split()[-1].lower()
        if actor_from_np or head in self.speaker_nouns or self._is_head_noun(head) or head in self.civilians:
            # only nouns that can speak: "the city said" and "the date said" are misreadings
            return self._common_subject(np_start, end, _tidy(np_text), actor_from_np, history)
        pm = re.search(r"\s+(?:in|at|near|from|on|across|of|inside|outside|to|for)\s+$", text[clause_start:np_start])
        if pm and pm.start() > 0:
            # "medical workers in the rebel-held area said": the speaker is before the preposition
            return self._subject_at(text, clause_start, clause_start + pm.start(), mentions, history, date, speech_verb)
        return []

    def _earlier_institution(self, head: str, start: int, mentions: list[Mention],
                             history: list[Mention]) -> str | None:
        """The actor of "the government", "the army", "state media" without a country: the
        last institution named with the same noun before it ("the Syrian government", "Syrian
        state media"), among earlier speakers or mentions; else, of the actors that have such an
        institution in actors.csv, the one the document has mentioned most so far."""
        earlier = [m for m in mentions if m.end <= start] + history
        for m in reversed(earlier):
            if not m.person and m.actor != "unknown" and head in m.speaker.lower().split():
                return m.actor
        # people ("source", "official") are not an institution of whoever the story mentions most
        owners = set() if head in _HUMAN_NOUNS or head.rstrip("s") in _HUMAN_NOUNS else self.head_actors.get(head, set())
        counts: dict[str, int] = {}
        for m in earlier:
            if m.actor in owners:
                counts[m.actor] = counts.get(m.actor, 0) + 1
        return max(counts, key=counts.get) if counts else None

    def _common_subject(self, start: int, end: int, phrase: str, actor: str | None,
                        history: list[Mention], refers: bool = False) -> list[Mention]:
        """A subject made of common nouns: "the group", "the resident", "activists", "a source".

        A definite phrase whose head noun described a recent speaker refers back to them ("the
        resident" after "Ahmed a Madaya resident said"); "the group", "the monitor" and the like
        refer to the last institution that spoke. Otherwise the phrase is its own speaker."""
        words = phrase.lower().split()
        head = words[-1] if words else ""
        definite = bool(re.match(r"the\s", phrase, re.I)) or len(words) <= 2
        if definite and actor is None:
            org = self.book.organization(phrase) if head in _ORG_NOUNS else None
            if org:
                # "the observatory said", "the monitor said": the organisation the data file names so
                return [Mention(start, end, org[0], org[1], "metonym", False, "plural")]
            for h in reversed(history[-6:]):
                if h.method in ("name", "role", "metonym", "pronoun") and (
                        head in h.described or h.speaker.lower().split()[-1:] == [head]):
                    # "the resident" after "Ahmed a Madaya resident", "the official" after "a U.S. official"
                    return [Mention(start, end, h.speaker, h.actor, "role", h.person, described=h.described)]
            content = set(words) - {"the", "a", "an", "state"}
            for h in reversed(history[-6:]):
                if not h.person and h.actor != "unknown" and h.method == "metonym" and \
                        content & set(h.speaker.lower().split()):
                    # "the TV said" after "Syrian state TV said": the same broadcaster
                    return [Mention(start, end, h.speaker, h.actor, "role", False, described=h.described)]
            if head in _ORG_NOUNS or head in _REFERRING_NOUNS and refers:
                for h in reversed(history[-6:]):
                    if not h.person and h.actor != "unknown":
                        return [Mention(start, end, h.speaker, h.actor, "role", False, described=h.described)]
        # a singular human noun ("a Syrian human rights activist", "a source in the Syrian militia")
        # is a person 'he' can refer to
        lead = next((i for i, w in enumerate(words) if w in ("in", "of", "from", "at", "inside", "near", "with")), None)
        person = head in _HUMAN_NOUNS or bool(lead) and words[lead - 1] in _HUMAN_NOUNS
        if actor is None and set(words) & self.professionals:
            actor = self.civilian_actor  # "rescue workers", "an AFP correspondent"
        return [Mention(start, end, phrase, actor or "unknown", "role", person, described=frozenset(words))]

    def _affiliation(self, text: str, start: int, end: int) -> tuple[str, frozenset]:
        """The actor of an unknown person from the words around the name: a title before it
        ("Russian Defence Ministry spokesman Igor Konashenkov", "Opposition activist Omar Abu
        Laila") or an appositive after it ("Zakaria Malahifji political officer of the Fastaqim
        rebel group", "Ole Solvang HRW deputy director"); a civilian or professional ("a doctor",
        "Madaya resident") speaks for the lexicon's ``[civilians] actor``. 'unknown' when nothing
        says. Also returns the describing words, so that "the resident" can refer back."""
        before = re.search(r"((?:[\w'’\-]+\s+){1,5})$", text[max(0, start - 80):start])
        spans = []
        if before and (before.group(1).split()[-1][:1].isupper() or self._is_head_noun(before.group(1).split()[-1])):
            spans.append((start - len(before.group(1)), start))
        lead = re.match(r"[\s,]*", text[end:end + 120])
        end += lead.end()
        tail = text[end:end + 120]
        stop = re.search(r"[.;:!?\"“”]|\s(?:said|says|told|added|who|which|that)\b", tail)
        tail = tail[:stop.start()] if stop else tail
        first = tail.split()[:2]
        if first and (first[0][:1].isupper() or first[0].lower() in ("a", "an", "the", "head", "director", "chief", "of", "from", "for")
                      or any(self._is_head_noun(w) for w in first)):
            spans.append((end, end + len(tail)))
        described = frozenset(w.lower() for a, b in spans for w in re.findall(r"[\w\-]+", text[a:b]))
        for i, (a, b) in enumerate(spans):
            # the clue nearest the name wins: the last one of the title, the first of the appositive
            hits = [(m.start(), self._term(m.group())[0]) for m in self.term_re.finditer(text, a, b)]
            if self.org_re is not None:
                # "WFP spokeswoman Bettina Luescher", "Ole Solvang HRW deputy director"
                hits += [(m.start(), self._org(m.group())[1])
                         for m in self.org_re.finditer(text, a, b) if m.group()[:1].isupper() and self._org(m.group())]
            hits += [(a + w.start(), self.civilian_actor)
                     for w in re.finditer(r"[\w\-]+", text[a:b]) if w.group().lower() in self.civilians]
            if hits:
                hits.sort()
                return (hits[-1] if a < start and i == 0 and b == start else hits[0])[1], described
        return "unknown", described

    def _pronoun(self, word: str, start: int, end: int, history: list[Mention]) -> list[Mention]:
        """The antecedent of a pronoun subject: the rules' answer (:meth:`_pronoun_rule`) ranked
        against the other speakers and names before it by :mod:`stance.antecedents`."""
        rule = self._pronoun_rule(word, start, end, history)
        if not (self.antecedent_model or self.collect is not None) or len(rule) != 1:
            return rule
        from .antecedents import WINDOW, features

        kind = _PRONOUN_SUBJ[word.lower()]
        cands = self._antecedent_candidates(start, history, rule[0])
        if len(cands) < 2:
            return rule
        text = getattr(self, "_text", "")
        para = text.rfind("\n\n", max(0, start - WINDOW), start)
        feats = [features(kind, c, text, start, para + 2 if para >= 0 else start - WINDOW) for c in cands]
        if self.collect is not None:
            self._pending[start] = (kind, cands, feats)
            return rule
        from .antecedents import get_ranker

        best = cands[get_ranker().best(feats)]
        if best.rule:
            return rule
        return [Mention(start, end, best.speaker, best.actor, "pronoun", best.person and not best.institution,
                        "plural" if best.plural else "singular", best.described)]

    def _antecedent_candidates(self, start: int, history: list[Mention], chosen: Mention) -> list:
        """The rules' answer, the last distinct speakers and the people and bodies named in the
        WINDOW before ``start``, as :class:`stance.antecedents.Candidate`."""
        from .antecedents import MAX_MENTIONS, MAX_SPEAKERS, WINDOW, Candidate

        out: list = []
        seen: dict[str, int] = {}

        def add(m: Mention, rank: int, opener: bool, rule: bool) -> None:
            key = m.speaker.lower()
            if key in seen:
                c = out[seen[key]]
                c.rule = c.rule or rule
                c.opener = c.opener or opener
                return
            seen[key] = len(out)
            out.append(Candidate(m.speaker, m.actor, m.person, m.number == "plural" or not m.person, m.method,
                                 m.start, m.end, rank, opener, rule, self._institutional(m), m.described))

        if chosen.actor != "unknown" or chosen.speaker.lower() not in _PRONOUN_SUBJ:
            add(chosen, -1, False, True)
        rank = 0
        spoke: dict[str, int] = {}
        for h in reversed(history):
            if h.start < start - WINDOW:
                break
            if h.speaker.lower() not in spoke:
                spoke[h.speaker.lower()] = rank
                rank += 1
                if rank > MAX_SPEAKERS:
                    break
        for c in out:
            c.speaker_rank = spoke.get(c.speaker.lower(), -1)
        for h in reversed(history):
            if h.speaker.lower() in spoke and h.start >= start - WINDOW and h.method != "pronoun":
                add(h, spoke[h.speaker.lower()], False, False)
        opener = getattr(self, "sentence_subject", None)
        if opener is not None and opener.end <= start:
            add(opener, spoke.get(opener.speaker.lower(), -1), True, False)
        ms = getattr(self, "_doc_mentions", [])
        starts = getattr(self, "_mention_starts", [])
        lo, hi = bisect.bisect_left(starts, start - WINDOW), bisect.bisect_left(starts, start)
        text = getattr(self, "_text", "")
        for m in ms[max(lo, hi - MAX_MENTIONS):hi]:  # the nearest names only: the work per pronoun stays bounded
            if m.end > start:
                break
            if self.book.terms.get(m.speaker.lower(), ("", ""))[1] == "adjective":
                continue  # "Russian" is no antecedent
            lo_s = max(0, m.start - 300)
            sent = max(text.rfind(". ", lo_s, m.start), text.rfind("\n", lo_s, m.start), lo_s - 1)
            opens = not text[sent + 1:m.start].strip() or _words(text[sent + 1:m.start]) <= 1
            add(m, spoke.get(m.speaker.lower(), -1), opens, False)
        for c in out:
            if c.speaker_rank < 0:
                c.speaker_rank = spoke.get(c.speaker.lower(), -1)
        return out

    def _pronoun_rule(self, word: str, start: int, end: int, history: list[Mention]) -> list[Mention]:
        """'he'/'she': the last person who spoke; 'it': the last institution; 'they': the last speaker.
        When no person has spoken yet, 'he'/'she' is the person who opened the previous sentence
        ("Kerry met Lavrov in Geneva. He said ...": Kerry)."""
        number = _PRONOUN_SUBJ[word.lower()]
        if number == "plural":
            group = self._plural_antecedent(start, history)
            if group is not None:
                return [Mention(start, end, group.speaker, group.actor, "pronoun", False, "plural", group.described)]
        if number == "plural":
            # 'they' is a group or an institution rather than one person, when one spoke recently
            for h in reversed(history[-3:]):
                if not h.person or h.number == "plural":
                    return [Mention(start, end, h.speaker, h.actor, "pronoun", h.person)]
        body = getattr(self, "sentence_body", None)
        if number == "neuter" and body is not None:
            body = self._opening_body(getattr(self, "_text", ""), *body)
        if number == "neuter" and body is not None and body.end <= start and \
                (not history or history[-1].end <= body.start):
            # "The Ariha Today Facebook page posted a photo ... It said": the institution that opened
            # the previous sentence is more recent than the last speaker
            return [Mention(start, end, body.speaker, body.actor, "pronoun", False)]
        for h in reversed(history):
            if number == "plural":
                return [Mention(start, end, h.speaker, h.actor, "pronoun", h.person)]
            institution = self._institutional(h)
            if (number == "neuter" and (not h.person or institution)) or \
                    (number == "singular" and h.person and not institution):
                # "Al-Masdar News reported ... It said": a name of an outlet or a committee is no 'he'
                return [Mention(start, end, h.speaker, h.actor, "pronoun", h.person and not institution)]
        opener = getattr(self, "sentence_subject", None)
        if number == "singular" and opener is not None and opener.end <= start:
            return [Mention(start, end, opener.speaker, opener.actor, "pronoun", True)]
        return [Mention(start, end, word.lower(), "unknown", "pronoun", False)]

    def _institutional(self, m: Mention) -> bool:
        """A name the rules took for a person's that names a body ("Al-Masdar News", "the Palmyra
        Coordination Committee", "Ariha Today Facebook page"): 'it' refers to it, 'he' does not."""
        if not m.person or m.method != "name":
            return False
        # the name's own words only: "Zakaria Malahifji senior official in the Aleppo opposition
        # group Fastaqim" is a person described by a body
        return bool({w.lower() for w in m.speaker.split()[1:]} & _BODY_WORDS)

    def _plural_antecedent(self, start: int, history: list[Mention]) -> Mention | None:
        """'they': a plural group that can speak ("many US officials", "sources in the area",
        "Western powers") named after the last speaker's attribution and at most one sentence
        before the pronoun: it is more salient than an earlier speaker."""
        text = getattr(self, "_text", "")
        lo = max(history[-1].end if history else 0, start - 300)
        prev_end = text.rfind(". ", lo, max(lo, start - 2))
        sent0 = text.rfind(". ", lo, max(lo, prev_end)) if prev_end >= 0 else -1
        lo = max(lo, sent0 + 2 if sent0 >= 0 else lo)
        best = None
        for m in _PLURAL_SPEAKERS.finditer(text, lo, start):
            if text[m.end():m.end() + 1].isalpha():
                continue
            best = m
        if best is None:
            return None
        phrase = self._with_modifiers(text[max(0, best.start() - 60):best.end()], best.group())
        words = phrase.split()
        cut = max((i + 1 for i, w in enumerate(words[:-1]) if w.lower() in _CLAUSE_WORDS), default=0)
        phrase = " ".join(words[cut:])  # "the attack which opponents": the group is after 'which'
        lead = re.search(r"([A-Z][\w\-]+)\s+$", text[max(0, best.end() - len(phrase) - 30):best.end() - len(phrase)])
        if lead and f"{lead.group(1)} {phrase}".lower() in self.book.terms:
            phrase = f"{lead.group(1)} {phrase}"  # "Western powers"
        actor = next((self._term(t.group())[0] for t in self.term_re.finditer(phrase)), None)
        return self._common_subject(best.start(), best.end(), phrase, actor, [])[0]

    def _opening_body(self, text: str, s0: int, s1: int, mentions: list[Mention]) -> Mention | None:
        """The institution that is the subject of sentence [s0, s1), a sentence that is no
        attribution ("And the United Nations has raised concern ...", "The activist-run Palmyra
        Coordination Committee has published the names ..."), or None."""
        m = re.match(r"(?:(?i:and|but|meanwhile|later|also)\s+)?(?:(?i:the)\s+)?(?:[a-z][\w\-]*\s+){0,2}?"
                     r"((?:[A-Z][\w'’\-]*\s+){0,6}(?:[A-Z][\w'’\-]*|page|website|portal|channel|agency|group|"
                     r"committee|network|council|newspaper))\s+(?:(?:has|have|had|also|later|then|on\s+\w+day)\s+)?"
                     r"(?:[a-z]+ed|posted|published|issued|released|raised|sent|put|shared|made|gave|took|wrote|said)\b",
                     text[s0:min(s1, s0 + 200)])
        if not m or not m.group(1)[:1].isupper():
            return None
        a, b = s0 + m.start(1), s0 + m.end(1)
        known = [x for x in mentions if a <= x.start and x.end <= b]
        if known and not any(x.person for x in known) and known[0].start == a:
            x = known[-1]
            return Mention(a, b, x.speaker, x.actor, "pronoun", False)
        phrase = m.group(1)
        if known or not set(phrase.lower().split()[1:]) & _BODY_WORDS:
            return None
        org = self.book.organization(phrase)
        name, actor = org if org else (phrase, "unknown")
        return Mention(a, b, name, actor, "pronoun", False)

    def _strip_openers(self, phrase: str) -> str:
        """Drop leading words that open a sentence ("However", "On Sunday the") from a phrase."""
        words = phrase.split()
        while words and words[0].lower().strip(",") in self.openers:
            if words[0].lower() in ("the", "a", "an") and len(words) > 1 and words[1].lower() not in self.openers:
                break  # "the Kremlin" keeps its article
            words = words[1:]
        return " ".join(words)

    def _noun_phrase(self, text: str, clause_start: int, end: int) -> str:
        """The noun phrase ending at ``end``: capitalised words or determiner + nouns."""
        seg = text[_near(text, clause_start, end, 120):end]
        m = re.search(r"((?:[A-Z][\w'’.\-]*|al-\w+|el-\w+|bin|de|van|von|der|of|the|for|and|on|ibn|abu|ul)"
                      r"(?:\s+(?:[A-Z][\w'’.\-]*|al-\w+|el-\w+|bin|de|van|von|der|of|the|for|and|on|ibn|abu|ul))*)\s*$", seg)
        cap = m.group(1) if m else ""
        cap = re.sub(r"^(?:(?:of|the|for|and|on)\s+)+", "", cap)
        cap = self._strip_openers(cap)
        inner = list(re.finditer(r"\s(?=the\s+[A-Z])", cap))
        if inner:
            cap = cap[inner[-1].end():]  # "Urum al-Kubra the Union of Syrian Medical Organisations"
        if cap and re.sub(r"^(?:the|a|an)\s+", "", cap)[:1].isupper():
            # a determiner before the capitalised run belongs to it ("the Syrian Observatory")
            if len(cap.split()) == 1 and cap.lower() in _GENERIC_NOUNS:
                return self._with_modifiers(seg, cap)  # "Syrian state TV"
            return cap
        m = re.search(r"(?:^|\s)((?:[A-Z][\w\-]*\s+)*[A-Z][\w\-]*(?:'s|’s)\s+(?:[\w\-]+\s+){0,3}[\w\-]+)\s*$", seg)
        if m:
            return m.group(1)
        m = re.search(r"(?:^|\s)(((?:[A-Z][\w\-]*\s+)*)([A-Z][\w\-]*)s\s+(?:[\w\-]+\s+){0,2}[a-z][\w\-]*)\s*$", seg)
        if m and (m.group(3).lower() in self.book.aliases or m.group(3).lower() in self.book.terms or
                  self.book.organization(self._strip_openers(m.group(2) + m.group(3)))) and \
                (self.inst_re.search(m.group(1)) or m.group(1).split()[-1].lower() in _ORG_NOUNS):
            return m.group(1)  # FA-KES drops the apostrophe: "Assads government", "Russias defence ministry"
        m = re.search(rf"(?:^|\s)({_DETERMINERS}\s+(?:(?!(?:the|a|an)\s)(?:(?-i:(?:[A-Z]\.)+[A-Z]?\.?)|[\w'’\-]+)\s+){{0,4}}"
                      r"[\w'’\-]+)\s*$", seg, re.I)
        if m:
            # "the suspected attack Turkish presidential sources": a capitalised word after common
            # nouns starts a new phrase
            cut = re.search(r"^\S+\s+(?:[a-z][\w\-]*\s+)+(?=[A-Z])", m.group(1))
            return m.group(1)[cut.end():] if cut else m.group(1)
        m = re.search(r"(?:^|\s)([a-z][\w\-]+)\s*$", seg)
        if m and (m.group(1).lower() in _GENERIC_NOUNS or m.group(1).lower() in self.speaker_nouns):
            return self._with_modifiers(seg, m.group(1))
        return ""

    def _with_modifiers(self, seg: str, head: str) -> str:
        """``head`` with the actor words and compound nouns right before it ("regime media",
        "Syrian state TV", "opposition activists", "rescue workers")."""
        words = seg[:len(seg.rstrip()) - len(head)].split()
        taken: list[str] = []
        while words and len(taken) < 3:
            w = words[-1].lower()
            compound = re.fullmatch(r"[a-z][a-z\-]+", words[-1]) is not None and w not in self.openers and \
                w not in _FINITE and not w.endswith(("ed", "ing", "ly")) and len(taken) < 2
            possessive = w.endswith("s") and w[:-1] in self.book.terms  # "Frances foreign minister" (FA-KES)
            if w in self.book.terms or possessive or w in ("state", "local", "official") or w in self.civilians \
                    or compound:
                taken.insert(0, words.pop())
            else:
                break
        return " ".join(taken + [head])

    def subject_after(self, text: str, verb_end: int, limit: int, mentions: list[Mention],
                      history: list[Mention], date: str) -> tuple[list[Mention], int]:
        """Inverted attribution: 'said Lavrov', ', said the Russian minister', 'said Ole Solvang HRW
        deputy director'. Returns the speakers and where their phrase ends (or [], verb_end)."""
        pos = verb_end
        while pos < limit and text[pos] in " ,\t\n":
            pos += 1
        end = self._phrase_after(text, pos, limit)
        if end <= pos:
            return [], verb_end
        word = text[pos:end]
        if word.lower() in _PRONOUN_SUBJ:
            return self._pronoun(word, pos, end, history), end
        if re.fullmatch(r"(?:al|el)-[A-Z][\w'’\-]*", word) and re.match(r"\s*(?:[.,;:!?]|$)", text[end:end + 2]):
            # '"..." says al-Hajj.': a surname with its article closes the sentence
            seen = self.doc_names.get(word.lower())
            return [Mention(pos, end, seen[0] if seen else word, seen[1] if seen else "unknown", "name", True)], end
        by = re.match(r"\s+(?:by|from|of)\s+", text[end:limit])
        if by and word.split()[-1].lower() in ("statement", "report", "communique", "spokesman", "spokeswoman"):
            # 'said a statement by the Russian defence ministry': the ministry speaks
            p2 = end + by.end()
            e2 = self._phrase_after(text, p2, limit)
            if e2 > p2:
                subj = self._subject_at(text, p2, e2, mentions, history, date)
                if subj:
                    return subj, e2
        return self._subject_at(text, pos, end, mentions, history, date), end

    def _phrase_after(self, text: str, pos: int, limit: int) -> int:
        """End of the subject phrase starting at ``pos``: a pronoun, a capitalised run ("Ole
        Solvang", "the Syrian Observatory for Human Rights") or a determiner phrase ending in a
        role or institution noun ("a military source", "the Russian foreign minister")."""
        seg = text[pos:limit]
        m = re.match(r"(?:he|she|they|it)\b", seg, re.I)
        if m:
            return pos + m.end()
        det = re.match(r"(?:the|a|an)\s+", seg, re.I)
        rest = det.end() if det else 0
        titled = re.match(r"((?:(?:[A-Z][\w]*-(?:based|backed|led|born|held|controlled|run)|[a-z][\w\-]*)\s+){1,3})"
                          r"(?=[A-Z])", seg[rest:])
        if titled and self._is_head_noun(titled.group(1).split()[-1]) and \
                titled.group(1).split()[0].lower() not in _FINITE | self.openers:
            # "said Aleppo-based activist Ibrahim Khatib", "said opposition activist Omar Abu Laila":
            # the title and the name after it are one phrase
            name = re.match(r"[A-Z][\w'’.\-]*(?:\s+(?:[A-Z][\w'’.\-]*|al-\w+|el-\w+|bin|ibn|abu))*",
                            seg[rest + titled.end():])
            return pos + rest + titled.end() + name.end()
        cap = re.match(r"(?:[A-Z][\w'’.\-]*|al-\w+|el-\w+)(?:\s+(?:[A-Z][\w'’.\-]*|al-\w+|el-\w+|(?:bin|ibn|abu|de|van|"
                       r"von|der)(?=\s+[A-Z])|(?:of|for|the|and)(?=\s+[A-Z])))*", seg[rest:])
        if cap:
            # "said Monday." is a time, not a subject: the run's full stop is no part of the word
            first = cap.group().split()[0].lower().rstrip(".")
            if first not in self.openers:
                end = rest + cap.end()
                titled = re.match(r"((?:\s+[a-z][\w\-]*){1,3})\s+(?=[A-Z])", seg[end:])
                if titled and self._is_head_noun(titled.group(1).split()[-1]) and not any(
                        w in _FINITE or w in self.verb_kind or w in _CLAUSE_WORDS for w in titled.group(1).split()):
                    # "said Observatory chief Rami Abdel Rahman", "said SOHR director Rami Abdel Rahman":
                    # the organisation and its role noun are the title of the name after them
                    name = re.match(r"[A-Z][\w'’.\-]*(?:\s+(?:[A-Z][\w'’.\-]*|al-\w+|el-\w+|bin|ibn|abu))*",
                                    seg[end + titled.end():])
                    if name and name.group().split()[0].lower().rstrip(".") not in self.openers:
                        return pos + end + titled.end() + name.end()
                # a role noun right after the run belongs to it ("the Syrian foreign minister")
                tail = re.match(r"(?:\s+[a-z][\w\-]*){1,3}", seg[end:])
                if tail and det:
                    words = tail.group().split()
                    for i in range(len(words), 0, -1):
                        if self._is_head_noun(words[i - 1]):
                            return pos + end + len(" ".join([""] + words[:i]))
                return pos + end
        if det:
            words = re.match(r"(?:[\w'’\-]+\s+){0,3}[\w'’\-]+", seg[rest:])
            if words:
                ws = words.group().split()
                heads = [i for i, w in enumerate(ws) if self._is_head_noun(w)]
                # only modifiers between the article and the noun: "the attack killed 100 people" is a clause
                if heads and not any(w.lower() in _FINITE or w.lower().endswith("ed") or w[:1].isdigit()
                                     or w.lower() in ("than", "of", "in", "on", "at", "and", "but", "or")
                                     or w.lower() in self.verb_kind
                                     for w in ws[:heads[0]]):
                    i = heads[0]
                    while i + 1 < len(ws) and self._is_head_noun(ws[i + 1]):
                        i += 1
                    return pos + rest + len(" ".join(ws[:i + 1]))
        return pos

    def _term(self, word: str) -> tuple[str, str]:
        """(actor, kind) of a matched term, also written with a possessive 's' ("Russias")."""
        key = word.lower()
        return self.book.terms.get(key) or self.book.terms[key[:-1]]

    def _org(self, word: str) -> tuple[str, str] | None:
        key = word.lower()
        return self.book.organizations.get(key) or self.book.organizations.get(re.sub(r"(?:'s|’s|s)$", "", key))

    def _possessive(self, word: str) -> bool:
        """A known name with a possessive ending, also without its apostrophe as FA-KES writes it
        ("Assad's", "Assads"): what follows is the person's ("Assads government"), not an appositive."""
        key = word.lower()
        if key.endswith(("'s", "’s")):
            return True
        return key.endswith("s") and key not in self.book.aliases and key[:-1] in self.book.aliases

    def _is_outlet(self, m: Mention) -> bool:
        """A news outlet that relays others' words ("Reuters", "the Associated Press")."""
        return re.sub(r"^the\s+", "", m.speaker.lower()) in self.outlets

    def _is_head_noun(self, word: str) -> bool:
        w = word.lower().strip(",.;:")
        return w in _GENERIC_NOUNS or w in self.role_nouns

    def _inversion_fits(self, text: str, phrase_end: int, s1: int) -> bool:
        """After an inverted subject ("said Ole Solvang ...") comes the sentence end, an
        appositive or a circumstance, never the rest of a clause ("said Kerry had agreed")."""
        rest = text[phrase_end:s1].strip()
        if not rest or rest[0] in ",.;:!?)—–-" or rest[0] in QUOTE_CHARS:
            return True
        first = rest.split()[0].lower().strip(",.;:")
        if first in _FINITE or (first.endswith("ed") and first not in _GENERIC_NOUNS):
            return False
        return True

        # ---------------------------------------------------------------- extraction
    def extract_document(self, doc: dict) -> tuple[list[dict], int]:
        """Statements of one document (dicts with the ``schema.STATEMENTS`` keys) and the count
        of unbalanced quotation marks seen."""
        text = doc["text"] or ""
        date = doc.get("date") or ""
        is_speech = doc.get("genre") == "speech"
        out: list[dict] = []
        history: list[Mention] = []
        self.doc_names = {}
        self._text = text
        self._pending: dict[int, tuple] = {}
        self.sentence_subject: Mention | None = None
        self.sentence_body: tuple[int, int, list[Mention]] | None = None
        unbalanced_total = 0
        breaks = list(re.finditer(r"\n\s*\n", text))
        para_starts = [0] + [m.end() for m in breaks]
        para_ends = [m.start() for m in breaks] + [len(text)]
        doc_mentions = self.mentions(text, 0, len(text), date)
        for m in doc_mentions:
            if m.person and len(m.speaker.split()) > 1:
                # "Johnson said" in a story that named Boris Johnson
                self.doc_names.setdefault(m.speaker.split()[-1].lower(), (m.speaker, m.actor))
        for m in doc_mentions:
            first = m.speaker.split()[0]
            if m.person and len(m.speaker.split()) > 1 and len(first) > 2 and \
                    first.lower() not in self.role_nouns and text[m.start:m.end].startswith(first):
                # "Ban said" in a story that named Ban Ki-moon: a name written first as it is here
                self.doc_names.setdefault(first.lower(), (m.speaker, m.actor))
        mention_starts = [m.start for m in doc_mentions]  # sorted by mentions()
        self._doc_mentions, self._mention_starts = doc_mentions, mention_starts
        prev_para_had_statement = False
        pending_colon: list[Mention] | None = None
        pending_said = ""
        for p0, p1 in zip(para_starts, para_ends):
            while p0 < p1 and text[p0].isspace():
                p0 += 1
            while p1 > p0 and text[p1 - 1].isspace():
                p1 -= 1
            if p0 >= p1:
                continue
            quotes, unbalanced = self.quote_spans(text, p0, p1)
            unbalanced_total += unbalanced
            mentions = doc_mentions[bisect.bisect_left(mention_starts, p0):bisect.bisect_left(mention_starts, p1)]
            quote_starts, quote_ends = [a for a, _ in quotes], [b for _, b in quotes]
            para_statements = 0
            sentences = self.sentences(text, p0, p1, quotes)
            for s0, s1 in sentences:
                # the quotes overlapping this sentence, found by bisection (a paragraph may hold thousands)
                near = quotes[bisect.bisect_right(quote_ends, s0):bisect.bisect_left(quote_starts, s1)]
                # the paragraph's mentions up to the sentence end; in a paragraph longer than any
                # real one (a file on one line), only those of the last MAX_SENTENCE characters
                back = p0 if p1 - p0 <= MAX_PARAGRAPH else max(p0, s0 - MAX_SENTENCE)
                smentions = doc_mentions[bisect.bisect_left(mention_starts, back):bisect.bisect_left(mention_starts, s1)]
                found = self._attributed(text, s0, s1, near, smentions, history, date)
                # the person opening this sentence ("Kerry met Lavrov ..."), for a 'he' in the next one
                first = next((m for m in smentions if m.start >= s0), None)
                lead = text[s0:first.start] if first else ""
                # an institution opening this sentence ("The Palmyra Coordination Committee has
                # published the names"), for an 'it' in the next one
                # (computed only when an 'it' asks for it: most sentences are followed by none)
                self.sentence_body = (s0, s1, smentions) if not found else None
                self.sentence_subject = first if first and first.person and _words(lead) <= 4 and \
                    not re.search(r"\b(?:with|to|by|from|for|against|of|about|and)\s", lead + " ") else None
                squotes = [(a, b) for a, b in near if s0 <= a and b <= s1 and _words(text[a:b]) >= 1]
                if not found and pending_colon and (squotes or pending_said):
                    found = [(pending_colon, "colon" if squotes else pending_said, (s0, s1))]
                pending_colon, pending_said = None, ""
                if len(found) == 1 and _is_title(text[found[0][2][0]:found[0][2][1]]) and \
                        found[0][0][0].method in ("name", "role", "metonym"):
                    # "Director of Levant Institute for Strategic Affairs (LISA) Sami Nader said." and
                    # his words follow in the next sentence
                    pending_colon, pending_said = found[0][0], found[0][1]
                    continue
                # "From Lavrov:" / "Lavrov said:" introduce the next quote
                line = text[s0:s1].strip()
                if line.endswith(":") and _words(line) <= 10:
                    subj = [m for m in mentions if s0 <= m.start < s1]
                    if subj:
                        pending_colon = [subj[-1]]
                        continue
                if not found and squotes:
                    # "— Commissioner X" right after the quote
                    after = text[s1:min(p1 + 200, len(text))]
                    dash = re.match(r"\s*[—–-]\s*([^\n]{2,80})", after)
                    if dash and text[s1 - 1:s1] in QUOTE_CHARS + ".":
                        d0 = s1 + dash.start(1)
                        subj = self._subject_at(text, d0, s1 + dash.end(1), self.mentions(text, d0, s1 + dash.end(1), date),
                                                history, date)
                        if subj:
                            found = [(subj, "dash", (s0, s1))]
                if not found and squotes and not is_speech:
                    qwords = sum(_words(text[a:b]) for a, b in squotes)
                    if qwords >= max(4, 0.6 * _words(text[s0:s1])) and history and \
                            (para_statements or prev_para_had_statement):
                        last = history[-1]
                        found = [([Mention(s0, s0, last.speaker, last.actor, "context", last.person)], "", (s0, s1))]
                if not found:
                    if is_speech:
                        out.append(self._row(doc, s0, s1, doc.get("speaker") or "", doc.get("actor") or "unknown",
                                             "document", "speech", "", ""))
                        para_statements += 1
                    continue
                for speakers, cue, (c0, c1) in found:
                    c0, c1 = _trim(text, c0, c1)
                    if c1 <= c0:
                        continue
                    kind = "direct" if any(a < c1 and c0 < b and _words(text[a:b]) >= 2 for a, b in squotes) else "reported"
                    reporter = doc.get("speaker") if is_speech else ""
                    unresolved = all(sp.method == "pronoun" and sp.actor == "unknown" for sp in speakers)
                    if is_speech and (unresolved or all(self._speaks_for_speaker(sp, doc) for sp in speakers)):
                        # "Syria welcomed ...", "my Government responded ..." in Syria's speech
                        out.append(self._row(doc, s0, s1, doc.get("speaker") or "", doc.get("actor") or "unknown",
                                             "document", "speech", "", ""))
                        para_statements += 1
                        continue
                    for sp in speakers:
                        if self.collect is not None and sp.method == "pronoun" and sp.start in self._pending:
                            self.collect.append((text[c0:c1], *self._pending.pop(sp.start)))
                        org = None if sp.person else self.book.organization(sp.speaker)
                        if org:
                            # "the Britain-based monitor", "SOHR": one name for one organisation
                            sp.speaker, sp.actor = org[0], org[1]
                        out.append(self._row(doc, c0, c1, sp.speaker, sp.actor, sp.method, kind, cue,
                                             sp.reporter or (reporter if reporter and reporter != sp.speaker else "")))
                        para_statements += 1
                        if sp.method != "context":
                            history.append(sp)
            prev_para_had_statement = para_statements > 0
        for row in out:
            # a surname quoted before the full name was introduced ("... Luescher said" before
            # "WFP spokeswoman Bettina Luescher told"): the full name and actor seen in the document
            seen = self.doc_names.get(row["speaker"].lower()) if row["speaker_method"] in (
                "name", "pronoun", "context") else None
            if seen and row["actor"] in ("unknown", seen[1]):
                row["speaker"], row["actor"] = seen
        if self.actor_model:
            self._guess_actors(text, out)
        return out, unbalanced_total

    def _guess_actors(self, text: str, rows: list[dict]) -> None:
        """Speakers the data files do not place: the actor the annotations' model gives them from
        the speaker string and the story (see :mod:`stance.speaker_actor`), above its threshold.
        The method gains '+model' so the guess stays visible."""
        todo = [r for r in rows if r["actor"] == "unknown" and r["speaker_method"] != "document"
                and not set(r["speaker"].lower().split()) <= self.unidentifiable]
        if not todo:
            return
        from .speaker_actor import get_model

        for r, actor in zip(todo, get_model().decide([(r["speaker"], text, r["start"], r["end"]) for r in todo])):
            if actor:
                r["actor"], r["speaker_method"] = actor, r["speaker_method"] + "+model"

    def _speaks_for_speaker(self, sp: Mention, doc: dict) -> bool:
        """In a speech, the speaker's own state or government is the speaker talking ("Syria
        welcomed ..." in the Syrian minister's speech)."""
        own = doc.get("actor") or ""
        if sp.speaker.lower().startswith(("my ", "our ")):
            return True
        if not own or sp.speaker == doc.get("speaker"):
            return False
        if not sp.person:
            return sp.actor == own
        names = (self.book.actors.get(own, {}).get("names") or "").split("|")
        return sp.actor == "unknown" and len(sp.speaker.split()) == 1 and \
            any(n.lower().startswith(sp.speaker.lower()) for n in names if n)

    def _attributed(self, text, s0, s1, quotes, mentions, history, date):
        """Attributions in sentence [s0, s1): list of (speakers, cue, content span)."""
        results = []
        outside = [(a, b) for a, b in quotes if a < s1 and s0 < b]

        def in_quote(pos: int) -> bool:
            return any(a <= pos < b for a, b in outside)

        # "SANA quoted residents as saying that ...", "state television cited a source as saying ...": the
        # one quoted speaks, relayed by the subject
        quoted = re.search(r"\b(?:quoted|cited|quoting|citing)\s+([^\"“”,;]{2,80}?)\s+as\s+(?:saying|telling|stating)\s+"
                           r"(?:that\s+)?", text[s0:s1]) if " as " in text[s0:s1] else None
        if quoted and quoted.group(1).startswith("by "):
            quoted = None  # "Lavrov was quoted by Interfax as saying": the passive has its own rule
        if quoted and not in_quote(s0 + quoted.start()):
            a, b = s0 + quoted.start(1), s0 + quoted.end(1)
            subj = self._subject_at(text, a, b, mentions, history, date)
            content = _trim(text, s0 + quoted.end(), s1)
            if subj and subj[0].method != "pronoun" and _words(text[content[0]:content[1]]) >= 3:
                by = self.subject_before(text, s0, s0 + quoted.start(), mentions, history, date)
                reporter = by[0].speaker if by and by[0].method in ("name", "metonym", "role") else ""
                return [([Mention(x.start, x.end, x.speaker, x.actor, x.method, x.person, x.number, x.described,
                                  reporter=reporter) for x in subj], "quoted", content)]
        # "according to X, ..." / "..., according to X"
        for m in self.according_re.finditer(text, s0, s1):
            if in_quote(m.start()):
                continue
            seg_end = s1
            nxt = re.search(r"[,;]|\s(?:said|says)\s|\s(?:and\s+)?(?:the|a|an)\s", text[m.end():s1])
            phrase_end = m.end() + (nxt.start() if nxt else len(text[m.end():s1].rstrip(" .")))
            subj = self._subject_at(text, m.end(), phrase_end, mentions, history, date)
            two = re.match(r"\s+and\s+(?:the|a|an)\s", text[phrase_end:s1])
            if subj and two:
                # "according to the Observatory and the Civil Defence rescue service": each speaks
                nxt2 = re.search(r"[,;]|\s(?:said|says|the|a|an)\s", text[phrase_end + two.end():s1])
                end2 = phrase_end + two.end() + (nxt2.start() if nxt2 else len(text[phrase_end + two.end():s1].rstrip(" .")))
                second = self._subject_at(text, phrase_end + two.end() - 4, end2, mentions, history, date)
                if second and all(x.method in ("name", "metonym", "role") and x.speaker != subj[0].speaker
                                  for x in second):
                    subj, phrase_end = subj + second, end2
            if not subj:
                continue
            if m.start() - s0 >= 3 and all(self._is_outlet(x) for x in subj) and any(
                    not in_quote(v.start()) for v in self.verb_re.finditer(text, s0, m.start())):
                continue  # "Activists ... reported X according to Reuters": Reuters relays the activists
            if m.start() - s0 < 3:
                content = (phrase_end + 1, seg_end)
            else:
                content = (s0, m.start())
            results.append((subj, m.group().strip().lower(), content))
            return results
        candidates = []
        quoted: list[tuple[int, int]] | None = None
        qwords = sentence_words = 0
        for m in self.verb_re.finditer(text, s0, s1):
            if in_quote(m.start()):
                continue
            if m.group()[:1].isupper() and re.search(r"[A-Z][\w'’\-]*\s+$", text[max(s0, m.start() - 30):m.start()]):
                continue  # "the neighbourhood of Sheikh Said", "Port Said": a name, not a verb
            verb = m.group().lower()
            kind = self.verb_kind.get(verb, "speech")
            infinitive = re.match(r"\s+to\s+([a-z]+)\b", text[m.end():s1])
            if infinitive and infinitive.group(1) not in _NOT_VERBS and kind != "demand" and \
                    verb not in _ADDRESSEE_VERBS and verb not in _PROMISE_VERBS:
                continue  # "those who claim to care": an infinitive, not a report ("vowed to" is one)
            if re.match(r"\s+(?:on|upon)\s+\w+ing\b", text[m.end():s1]) or \
                    re.search(r"\b(?:the|a|an|such|these|those|his|her|its|their|our|my|your|this|that|whose)\s+$",
                              text[max(s0, m.start() - 8):m.start()], re.I):
                continue  # "insist on creating", "such claims", "his comments": not a report
            if re.match(r"\s+to\s+(?:be|have)\b", text[m.end():s1]) or \
                    (verb in ("agreed", "agrees") and re.match(r"\s+to\s", text[m.end():s1])):
                continue  # "an attack believed to be by Syrian jets", "Assad agreed to a deal": not a report
            passive = re.search(r"\b(?:is|was|are|were|be|been|being)\s+(?:\w+ly\s+|also\s+|still\s+)?$",
                                text[max(s0, m.start() - 20):m.start()])
            if passive:
                # "casualties were reported by the Observatory": the agent is the speaker
                by = re.match(r"\s+by\s+", text[m.end():s1])
                if by and kind == "speech":
                    agent, _ = self.subject_after(text, m.end() + by.end() - 1, s1, mentions, history, date)
                    content = _trim(text, s0, m.start() - len(passive.group()))
                    if agent and _words(text[content[0]:content[1]]) >= 3:
                        candidates.append((True, (agent, verb, content), m.end()))
                continue
            # clause start: the sentence start, or the end of the last quotation before the verb
            clause_start = s0
            for _, b in outside:
                if b <= m.start():
                    clause_start = max(clause_start, b + 1)
            sem = text.rfind(";", clause_start, m.start())
            if sem >= 0:
                clause_start = sem + 1
            if verb.endswith("ing") or verb.split()[0].endswith("ing"):
                # a participle ("..., saying ...") continues the main clause's attribution
                if candidates:
                    continue
            if candidates and re.search(r"\band\s*$", text[clause_start:m.start()]) and \
                    not re.search(r"[A-Z]\w*\s+and\s*$", text[clause_start:m.start()]):
                continue  # "X blamed ... and said ...": same speaker, one statement
            subj = None
            if re.search(r"\s(?:and|but)\s+(?:\w+ly\s+)?$", text[max(clause_start, m.start() - 20):m.start()]):
                # "The Britain-based monitoring group was unable to confirm ... and said": the
                # sentence's subject also said it
                subj = self._clause_subject(text, clause_start, m.start(), mentions, history, date)
            elif verb.split()[0].endswith("ing") and _words(text[clause_start:m.start()]) >= 4:
                # "The Britain-based monitor could not immediately confirm how many ... saying": the
                # participle's subject is the clause's subject
                subj = self._clause_subject(text, clause_start, m.start(), mentions, history, date) or None
            quoted_as = re.search(r"\b(?:is|was|were|are|has\s+been|have\s+been|had\s+been)\s+(?:\w+ly\s+)?quoted\s+"
                                  r"(?:by\s+[^,;\"“”]{1,60}?\s+)?as\s+(?:having\s+)?$", text[max(clause_start, m.start() - 90):m.start()])
            subj_end = max(clause_start, m.start() - 90) + quoted_as.start() if quoted_as else m.start()
            subj = subj or self.subject_before(text, clause_start, subj_end, mentions, history, date,
                                               kind != "attitude")
            inverted = False
            prev = text[max(s0, m.start() - 3):m.start()]
            after_quote = re.search(r"[,\"”�_]\s*$", prev) is not None or \
                any(b <= m.start() and m.start() - b < 4 for a, b in outside)
            # near the verb, or separated from it by an appositive ("Andrew Mitchell, a former
            # international development minister, said")
            strong = bool(subj) and subj[0].method in ("name", "metonym", "pronoun") and \
                (subj[0].end >= m.start() - 40 or subj[0].person and subj[0].end >= m.start() - 150 and (
                    re.match(r"\s*,?\s*(?:a|an|the)\s", text[subj[0].end:m.start()]) is not None or
                    # a capitalised title after the name ("Sergey Rudskoy Chief of the Main Operational
                    # Directorate of the General Staff said")
                    re.fullmatch(r"(?:\s+(?:[A-Z][\w'’\-]*|of|the|for|and|on))+\s*", text[subj[0].end:m.start()])
                    is not None and text[subj[0].end:m.start()].split()[0].lower() in self.role_nouns)) and \
                not (subj[0].method == "name" and not subj[0].person)
            if not subj or after_quote or (not strong and _words(text[clause_start:m.start()]) >= 4):
                # "CONTENT said the Observatory": the subject follows the verb (FA-KES has no commas)
                inv, inv_end = self.subject_after(text, m.end(), s1, mentions, history, date) \
                    if verb not in _ADDRESSEE_VERBS and kind == "speech" else ([], m.end())
                # after a comma ("..., said the Observatory") the subject follows the verb only when
                # no clause follows it: "Khoja, a senior official, said Assad must go" is Khoja's
                quote_mark = re.search(r"[\"”�_]\s*,?\s*$", prev) is not None or \
                    any(b <= m.start() and m.start() - b < 4 for a, b in outside)
                # "Andrew Mitchell, a former minister, said British aircraft ...": the comma closes
                # the subject's appositive; what follows the verb is the statement
                appositive_subject = bool(subj) and subj[0].person and re.fullmatch(
                    r"\s*,\s*(?:a|an|the|his|her|its)\s[^,\"“”]*,\s*", text[subj[0].end:m.start()]) is not None
                if inv and inv[0].method == "pronoun" and subj and re.match(r"\s+[a-z]", text[inv_end:inv_end + 3]):
                    inv = []  # "Khaled Omar of the Local Council in Ain Tarma said he saw ...": 'he' opens the statement
                if inv and (quote_mark or self._inversion_fits(text, inv_end, s1) and not appositive_subject):
                    subj, inverted = inv, True
            if not subj:
                continue
            subj_start = min(x.start for x in subj)
            if quoted is None:  # the same for every verb of the sentence: counted once
                quoted = [(a, b) for a, b in outside if s0 <= a and b <= s1 and _words(text[a:b]) >= 1]
                qwords = sum(_words(text[a:b]) for a, b in quoted)
                sentence_words = _words(text[s0:s1])
            hugging = any(0 <= min(subj_start, m.start()) - b <= 4 or 0 <= a - m.end() <= 4 for a, b in quoted
                          if _words(text[a:b]) >= 3)
            if quoted and (qwords >= 0.6 * max(1, sentence_words) - 4 or hugging):
                # the quote is the statement when it fills the sentence or touches its attribution
                inner = self._quoted_speaker(text, m.end(), quoted[0][0], mentions, history, date)
                if inner:
                    # "Lavrov said Kerry had told him: '...'": Kerry's words, reported by Lavrov
                    subj = [Mention(x.start, x.end, x.speaker, x.actor, x.method, x.person, x.number, x.described,
                                    reporter=subj[0].speaker) for x in inner if x.speaker != subj[0].speaker] or subj
                # a one- or two-word quote inside reported speech is part of it, not a statement
                whole = [(a, b) for a, b in quoted if _words(text[a:b]) >= 3] or quoted
                found = [(subj, verb, (a, b)) for a, b in whole]
                last = max(b for _, b in whole)
                more = re.search(r"\b(adding|saying|noting|stressing|warning|insisting|explaining)\s+(?:that\s+)?",
                                 text[last:s1])
                if more and _words(text[last + more.end():s1]) >= 3 and not in_quote(last + more.start()):
                    # '"...," he said, adding that the government has agreed "in principle" to ...'
                    found.append((subj, more.group(1).lower(), (last + more.end(), s1)))
                return found
            after = self._content_after(text, m.end(), s1, verb)
            after_text = text[after[0]:s1]
            after_words = _words(after_text)
            first_after = (after_text.split() or [""])[0].lower()
            raw_first = (text[m.end():s1].split() or [""])[0].lower().strip(",")
            if verb in _ADDRESSEE_VERBS and raw_first[:1].isalpha():
                # "... local activist X told The New Arab adding that ...": the word after the addressee
                told = _ADDRESSEE_RE.match(text, m.end(), s1)
                if told:
                    raw_first = (text[told.end():s1].split() or [""])[0].lower().strip(",")
            if raw_first in ("before", "after", "during", "ahead", "while", "as", "when", "and", "but", "adding", "citing"):
                first_after = raw_first
            before_words = _words(text[s0:subj_start])
            comma_before = re.search(r"[,\"”�_]\s*$", text[s0:subj_start]) is not None
            # the verb closes the sentence ("... a monitoring group said on Monday", "... the
            # Observatory said citing medical sources"): the statement is what precedes the subject
            closes = after_words < 4 or (first_after.endswith("ing") and first_after not in ("nothing", "something")) \
                or first_after in ("and", "but", "while", "although", "though", "as", "after", "before", "when", "who") \
                or first_after in ("if", "unless", "because", "since", "once", "referring")
            # "said that ...", "told Interfax that ...": the words after 'that' are the statement
            that_clause = re.search(r"(?:^|\s)that\s+$", text[m.end():after[0]]) is not None and after_words >= 3 \
                and not raw_first.endswith("ing") and _words(text[m.end():after[0]]) <= 8
            # the subject of a that-clause ("Lavrov told Kerry that Moscow opposes ...") is inside
            # the statement, never an attribution that closes the sentence
            in_that = re.search(r"\bthat\s+$", text[s0:subj_start]) is not None
            # an opening circumstance ("In a call with Erdogan, Putin said ...", "Speaking to
            # reporters in Geneva, de Mistura said ...") is not the statement
            intro = "," in text[s0:subj_start] and after_words >= 3 and not (closes and after_words >= 4) and re.match(
                r"(?:in|on|at|after|before|during|following|while|with|from|ahead|asked|later|earlier|"
                r"addressing|speaking|talking|writing|meeting|visiting)\b", text[s0:subj_start], re.I) is not None \
                and not any(a < subj_start for a, _ in outside if a >= s0)
            # a clause after an earlier attribution ("Mitchell said British aircraft could help
            # enforce ..."): its subject is inside that statement, not a closing attribution
            embedded = not (comma_before and closes) and any(
                not tr and v_end <= subj_start and c[0][0].person and self.verb_kind.get(c[1]) == "speech"
                for tr, c, v_end in candidates)
            in_that = in_that or intro or embedded
            trailing = inverted or (before_words >= 3 and subj_start - s0 > 8 and (comma_before or closes)
                                    and not that_clause and not in_that)
            if inverted and _words(text[s0:m.start()]) >= 3 and (closes or after_quote or before_words >= 3):
                content = (s0, m.start())
            elif trailing and not inverted:
                content = (s0, self._title_start(text, s0, subj_start))
                if after_words > 12 and after_text.strip().lower().startswith("that"):
                    content = after
            else:
                content = after
            if _words(text[content[0]:content[1]]) < (3 if closes and not trailing and kind == "speech" else 2):
                continue
            candidates.append((trailing, (subj, verb, content), m.end()))
        if not candidates:
            return results
        first_trailing, first, _ = candidates[0]
        later = [(min(x.start for x in c[0]), c, v_end) for _, c, v_end in candidates[1:]]
        c0, c1 = first[2]
        # a second attribution joined by 'and'/'but' ("... and Kerry said 'no'"), not one that closes
        # the sentence (", Russia's Foreign Ministry said in a statement")
        # (a rank or honorific before a known name is not part of the name's mention: "and Colonel
        # Chris Garver said")
        inside = [(b, c, v_end) for b, c, v_end in later if c0 < b < c1 and
                  _AND_TITLE.search(text[max(c0, b - 40):b])]
        if not first_trailing and inside and _words(text[s0:min(x.start for x in first[0])]) <= 2 and \
                first[0][0].method in ("name", "metonym", "pronoun"):
            # "Lavrov said: '...' and Kerry said 'no'": the sentence opens with its attribution, and a
            # second speaker's attribution inside it ends the first speaker's words and starts its own
            cut = c0 + len(_AND_TITLE_TAIL.sub("", text[c0:inside[0][0]]))
            if _words(text[c0:cut]) >= 2:
                out = [(first[0], first[1], (c0, cut))]
                b, c, v_end = inside[0]
                own = self._content_after(text, v_end, s1, c[1])
                speakers = c[0]
                if speakers[0].method == "pronoun" and any(x.person for x in first[0]):
                    # "Kerry told reporters ... but he warned that ...": 'he' is the sentence's first speaker
                    speakers = [Mention(x.start, x.end, x.speaker, x.actor, "pronoun", x.person) for x in first[0]]
                if _words(text[own[0]:own[1]]) >= (1 if self.verb_kind.get(c[1]) == "attitude" else 2):
                    out.append((speakers, c[1], own))
                return out
        # an attribution closing the sentence (", X told reporters") governs what precedes it
        for trailing, cand, v_end in candidates:
            if trailing and cand[2][0] == s0 and not (
                    len(candidates) > 1 and all(self._is_outlet(x) for x in cand[0])):
                # "Britain said ... Reuters reported": Reuters only relays Britain's words
                told = _ADDRESSEE_RE.match(text, v_end, s1) if cand[1] in _ADDRESSEE_VERBS else None
                more = re.match(r"[\s,]*(adding|saying|noting|stressing|warning|insisting|explaining)\s+(?:that\s+)?",
                                text[told.end() if told else v_end:s1])
                at = (told.end() if told else v_end) + (more.end() if more else 0)
                if more and _words(text[at:s1]) >= 3 and not in_quote(at):
                    # "... X told The New Arab adding that rebels ... were killed": a second statement
                    return [cand, (cand[0], more.group(1).lower(), (at, s1))]
                return [cand]
        # a finite verb before a participle: "Kerry speaking alongside Lavrov insisted ..."
        finite = [c for _, c, _ in candidates if not c[1].split()[0].endswith("ing")]
        return [(finite or [candidates[0][1]])[0]]

    def _clause_subject(self, text: str, clause_start: int, limit: int, mentions: list[Mention],
                        history: list[Mention], date: str) -> list[Mention]:
        """The subject at the start of a clause: the words before its first finite verb."""
        for w in re.finditer(r"[\w'’\-]+", text[clause_start:limit]):
            word = w.group().lower()
            if word in _FINITE or word in self.verb_kind or (word.endswith("ed") and "-" not in word and w.start() > 0
                                                              and w.group()[:1].islower()):
                if w.start() == 0:
                    return []
                return self._subject_at(text, clause_start, clause_start + w.start(), mentions, history, date, False)
        return []

    def _title_start(self, text: str, s0: int, subj_start: int) -> int:
        """Where the subject's title or article begins ("... record low [WFP spokeswoman] Bettina
        Luescher told"), so that it is not part of the statement before it."""
        pos = subj_start
        lo = _near(text, s0, subj_start, 120)
        m = re.search(r"(?:(?:[A-Z][\w\-.]*|[a-z][\w\-]*)\s+){1,4}$", text[lo:subj_start])
        if m:
            words = m.group().split()
            for i in range(len(words)):
                if words[i].lower() in self.role_nouns and all(w[:1].isupper() or w.lower() in self.role_nouns
                                                               for w in words[i:]):
                    lead = i
                    while lead > 0 and words[lead - 1][:1].isupper():
                        lead -= 1
                    pos = lo + m.start() + len(" ".join(words[:lead]) + (" " if lead else ""))
                    break
        art = re.search(r"\b(?:the|a|an)\s+$", text[s0:pos], re.I)
        if art:
            pos = s0 + art.start()
        return pos if _words(text[s0:pos]) >= 3 else subj_start

    def _quoted_speaker(self, text: str, start: int, quote_start: int, mentions: list[Mention],
                        history: list[Mention], date: str) -> list[Mention]:
        """A second reporting clause between the first verb and the quote ("... Kerry had told
        him:"): its subject is the quote's speaker."""
        for m in self.verb_re.finditer(text, start, quote_start):
            if m.group().lower().endswith("ing"):
                continue
            subj = self.subject_before(text, start, m.start(), mentions, history, date)
            if subj and subj[0].method in ("name", "metonym", "role") and subj[0].start >= start:
                return subj
        return []

    def _content_after(self, text: str, v_end: int, s1: int, verb: str) -> tuple[int, int]:
        if verb in _ADDRESSEE_VERBS:
            # "told Reuters", "told Asharq Al-Awsat": the addressee is not what was said
            who = _ADDRESSEE_RE.match(text[v_end:s1])
            if who:
                v_end += who.end()
        seg = text[v_end:s1]
        m = re.match(r"\s*(?:(?:on|in|at|late on|early on|last)\s+\w+day\s+|yesterday\s+|today\s+|"
                     r"(?:to\s+)?(?:reporters|journalists|the press|a news conference|a press conference|"
                     r"[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)*\s+(?:news\s+)?(?:television|TV|radio|newspaper|agency|channel|"
                     r"network|website|daily|broadcaster)|"
                     r"(?:in|at|on|during|via|through|with)\s+(?:an?\s+|the\s+|his\s+|her\s+|its\s+|their\s+)?"
                     r"(?:[\w\-]+\s+){0,3}(?:statement|interview|report|video|speech|message|post|tweet|letter|e-mail|email|"
                     r"call|text|"
                     r"release|communique|address)(?:\s+(?:posted|issued|published|released|aired|broadcast)"
                     r"(?:\s+(?:on|in|by)\s+[\w\-]+)+)?|"
                     r"(?:at|to|during|in|on)\s+(?:an?\s+|the\s+)?(?:(?!before|after|during|ahead|with)[\w\-]+\s+){0,2}"
                     r"(?:briefing|conference|interview|meeting|session|summit)"
                     r"(?:\s+(?:in|on|at|with)\s+[A-Z][\w\-]*)?|"
                     r"(?:the\s+)?(?:state\s+)?(?:news\s+agency|media|television|TV)(?:\s+[A-Z]\w+)?)"
                     r"(?:\s+(?:in|on|at)\s+[A-Z]?\w+)*\s+)*(?:,\s*)?(?:that\s+)?", seg)
        start = v_end + (m.end() if m else 0)
        mthat = re.search(r"\bthat\s", seg[:80])
        before = seg[:mthat.start()].split() if mthat else []
        if mthat and before and (before[-1].lower() in _PREPOSITIONS or before[-1].lower() in _FINITE
                                 or before[-1].lower() in ("all", "so", "such", "now", "like")):
            mthat = None  # "said the government was responsible for that attack": 'that' is the content's
        if mthat and v_end + mthat.end() > start:
            start = v_end + mthat.end()
        return start, s1

    def _row(self, doc, start, end, speaker, actor, method, kind, cue, reported_by):
        text = doc["text"]
        return {
            "doc_id": doc["doc_id"], "date": doc.get("date") or "", "date_precision": doc.get("date_precision") or "none",
            "source": doc.get("source") or "", "url": doc.get("url") or "", "speaker": speaker or "",
            "actor": actor or "unknown", "speaker_method": method, "reported_by": reported_by or "",
            "kind": kind, "cue": cue, "text": text[start:end], "start": start, "end": end,
        }


def _append_bounded(out: list[tuple[int, int]], text: str, s: int, e: int) -> None:
    """Append sentence [s, e), cut at whitespace into pieces of at most MAX_SENTENCE characters."""
    while e - s > MAX_SENTENCE:
        cut = text.rfind(" ", s + MAX_SENTENCE // 2, s + MAX_SENTENCE)
        cut = cut + 1 if cut > 0 else s + MAX_SENTENCE
        out.append((s, cut))
        s = cut
    out.append((s, e))


def _near(text: str, start: int, end: int, width: int) -> int:
    """``start``, or a word start at most ``width`` characters before ``end``: patterns anchored at
    a phrase's end need not scan a whole long clause."""
    if end - start <= width:
        return start
    pos = end - width
    while pos < end and not text[pos - 1].isspace():
        pos += 1
    return pos


def _is_title(s: str) -> bool:
    """Only capitalised words and their connectors: a title, not something said."""
    words = re.findall(r"[\w'’\-]+", s)
    return bool(words) and all(w[:1].isupper() or w in ("of", "for", "the", "and", "on", "de", "al") for w in words)


_WORD = re.compile(r"[\w'’-]+")


def _words(s: str) -> int:
    return len(_WORD.findall(s))


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and (text[a].isspace() or text[a] in ",;:—–-" + QUOTE_CHARS):
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in ",;:—–-" + QUOTE_CHARS):
        b -= 1
    if b - 2 >= a and text[b - 2:b] == "�_":
        b -= 2
    if text[a:a + 2] == "�_":
        a += 2
    return a, b


def _tidy(phrase: str) -> str:
    phrase = re.sub(r"^(?:the|a|an)\s+", "", phrase.strip(), flags=re.I)
    return re.sub(r"(?:'s|’s)$", "", phrase)


_DEFAULT: Extractor | None = None


def default_extractor() -> Extractor:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Extractor()
    return _DEFAULT


def statements_of(doc: dict, extractor: Extractor | None = None) -> list[dict]:
    """Statement rows of one document dict, with ids."""
    ex = extractor or default_extractor()
    rows, unbalanced = ex.extract_document(doc)
    if unbalanced:
        where = doc.get("path") or doc["doc_id"]
        message = (f"{where}: document {doc['doc_id']} has {unbalanced} unbalanced quotation mark(s); each open "
                   f"quote was read to the end of its paragraph, check those statements' text")
        warnings.warn(message, StanceWarning, stacklevel=2)
        logging.getLogger("stance").warning(message)
    for i, row in enumerate(rows, 1):
        row["statement_id"] = f"{doc['doc_id']}#s{i}"
    return rows


def unknown_speakers(statements: pd.DataFrame) -> pd.DataFrame:
    """Speakers the data files do not place, most frequent first, so that ``people.csv`` and
    ``actors.csv`` can grow: those left with actor ``unknown`` and those whose actor is only the
    annotations' model's guess (``speaker_method`` ending in ``+model``; ``guessed_actor`` says
    which, empty for ``unknown``). Columns: speaker, statements, documents, example, guessed_actor."""
    cols = ["speaker", "statements", "documents", "example", "guessed_actor"]
    guessed = statements["speaker_method"].fillna("").str.endswith("+model") if "speaker_method" in statements \
        else pd.Series(False, index=statements.index)
    unk = statements[(statements["actor"] == "unknown") | guessed].copy()
    if unk.empty:
        return pd.DataFrame(columns=cols)
    unk["guessed_actor"] = unk["actor"].where(guessed[unk.index], "")
    out = unk.groupby("speaker").agg(statements=("text", "size"), documents=("doc_id", "nunique"),
                                     example=("statement_id", "first"),
                                     guessed_actor=("guessed_actor", lambda a: a.mode().iloc[0])).reset_index()
    return out.sort_values(["statements", "speaker"], ascending=[False, True], ignore_index=True)[cols]


def iter_statements(documents: Iterable[dict], extractor: Extractor | None = None) -> Iterator[dict]:
    for doc in documents:
        yield from statements_of(doc, extractor)


def extract_statements(documents: pd.DataFrame, extractor: Extractor | None = None) -> pd.DataFrame:
    """The statements table (``schema.STATEMENTS``) of a documents table."""
    require(documents, DOCUMENTS, "documents")
    rows = list(iter_statements(documents.to_dict("records"), extractor))
    return conform(rows, STATEMENTS)
