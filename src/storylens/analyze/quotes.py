"""Quotes: direct, partial and indirect speech, each with its cue and speaker resolved to an entity."""

from __future__ import annotations

import itertools
import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from storylens.analyze.entities import PERSON_NOUNS, TITLE_WORDS, strip_dateline
from storylens.analyze.sentences import sentence_at
from storylens.models import LocalEntity, Mention, Quote, Sentence

# Reporting verbs (lemmas) used when no learned lexicon is installed.
DEFAULT_VERBS = frozenset({
    "say", "tell", "add", "write", "report", "announce", "note", "argue", "suggest", "explain", "state",
    "claim", "warn", "insist", "declare", "acknowledge", "admit", "confirm", "deny", "reply", "respond",
    "estimate", "predict", "describe", "call", "recall", "observe", "assert", "stress", "emphasise",
    "emphasize", "tweet", "concede", "contend", "maintain", "reveal", "vow", "pledge", "promise", "urge",
    "continue", "ask", "inform", "believe", "think", "conclude", "indicate", "point", "complain",
})
LEXICON_FILE = Path(__file__).resolve().parent.parent / "data" / "quotes_lexicon.json"
CLASSIFIER_FILE = Path(__file__).resolve().parent.parent / "data" / "quotes_classifier.json"

_JOINER = "\u2060"
OPENERS = {"“": "”", '"': '"', "„": "“"}
CLOSERS = {"”", '"', "“"}
MALE = {"he", "him", "his", "himself"}
FEMALE = {"she", "her", "hers", "herself"}
SPEAKER_DEPS = {"nsubj"}
# A verb is a cue when at least this share of its uses in PolNeAR train were cues (tuned on train).
MIN_CUE_RATE = 0.15
PARTIAL_MIN_RATE = 0.5
PARTIAL_IN_CLAUSE_RATE = 0.4
# "according to X", "as per X": the first word is the cue's anchor, the second the preposition.
PREPOSITIONAL_CUES = {"according": "to", "as": "per"}
# "In a CNN poll, Clinton led …": things that speak for their authors when a sentence opens or ends
# with "in" one of them.
SOURCE_NOUNS = frozenset({"poll", "survey", "report", "study", "analysis", "interview", "statement", "letter",
                          "memo", "speech", "ruling", "filing", "book", "tweet", "post", "email", "article",
                          "editorial", "column", "op-ed", "review", "audit", "estimate", "forecast", "paper",
                          "release", "testimony", "remark", "video", "ad", "documentary", "lawsuit",
                          "complaint", "indictment", "affidavit", "assessment", "findings"})
# "who asked not to be named": the terms a source spoke on, not what they said.
_ANONYMITY = re.compile(r"not to be (named|identified)\b", re.IGNORECASE)
# Verbs that put words on a thing: the quoted words after their object are the speaker's.
NAMING_VERBS = frozenset({"call", "describe", "label", "dub", "brand", "term", "characterise",
                          "characterize", "deem", "hail", "denounce", "dismiss"})


@dataclass
class _Segment:
    """Text between quotation marks (marks excluded), within one paragraph."""

    start: int
    end: int
    paragraph: int
    open_at: int


@dataclass
class _Cue:
    """A reporting expression: the cue words, who speaks, and what the clause says."""

    verb: Token
    start: int
    end: int
    subject: Span | None
    content: tuple[int, int] | None


_LAST_TEXT: list = [None, ""]


def _text(doc: Doc) -> str:
    """The doc's text, kept for the doc being analysed (spaCy joins its tokens again on every call)."""
    if _LAST_TEXT[0] is not doc:
        _LAST_TEXT[0], _LAST_TEXT[1] = doc, doc.text
    return _LAST_TEXT[1]


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    """The learned cue rates (bench/quotes.py --learn-lexicon), or nothing when not installed."""
    return json.loads(LEXICON_FILE.read_text(encoding="utf-8")) if LEXICON_FILE.exists() else {}


@lru_cache(maxsize=1)
def reporting_verbs() -> dict[str, float]:
    """Reporting-verb lemmas with a weight in [0, 1] (learned from PolNeAR train when installed)."""
    if "verbs" in _lexicon():
        return {k: float(v) for k, v in _lexicon()["verbs"].items()}
    return {v: 1.0 for v in DEFAULT_VERBS}


@lru_cache(maxsize=1)
def cue_words() -> dict[str, float]:
    """Nouns and adjectives with the share of their uses in PolNeAR train that were cues
    ("criticism of", "a staunch opponent of", "eager to")."""
    return {k: float(v) for k, v in _lexicon().get("nouns", {}).items()}


def find_quotes(doc: Doc, sentences: list[Sentence], mentions: list[Mention],
                entities: list[LocalEntity]) -> list[Quote]:
    """Direct, partial and indirect quotes of one article with cue, speaker and confidence."""
    if not len(doc) or not sentences:
        return []
    paragraphs = paragraph_spans(_text(doc))
    segments = _segments(_text(doc), paragraphs)
    cues = _cues(doc, segments)
    quotes = _direct_quotes(doc, sentences, segments, cues, mentions)
    quotes += _indirect_quotes(doc, sentences, cues, quotes, segments, mentions)
    quotes = _colon_quotes(doc, sentences, paragraphs, quotes, mentions)
    quotes = _dash_quotes(doc, sentences, paragraphs, quotes, mentions)
    quotes += _learned_quotes(doc, sentences, segments, quotes, mentions)
    _around_parenthetical_cues(doc, quotes)
    _to_sentence_end(doc, quotes)
    quotes = _without_embedded(quotes)
    quotes = _without_straddling(quotes)
    quotes = [q for q in quotes if not (q.kind == "indirect" and _ANONYMITY.match(q.text))]
    quotes.sort(key=lambda q: q.start)
    _resolve_pronouns(doc, quotes, mentions, entities)
    _resolve_roles(doc, quotes, mentions, entities)
    _continue_speakers(quotes, paragraphs)
    return quotes


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Non-empty lines: stored articles put each paragraph on its own line (blank lines or not)."""
    spans, start = [], 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            spans.append((start, end))
        start = end + 1
    return spans


# -- quotation marks ------------------------------------------------------------------------------

def _segments(text: str, paragraphs: list[tuple[int, int]]) -> list[_Segment]:
    """Quoted stretches per paragraph; unclosed ones end at the paragraph end."""
    out: list[_Segment] = []
    # Doubled apostrophes ('' … '', newspaper archives) read as one straight double mark; the second
    # apostrophe becomes a joiner that no test treats as a space or a word.
    text = text.replace("''", '"' + _JOINER)
    for p, (pstart, pend) in enumerate(paragraphs):
        open_at: int | None = None
        for i in range(pstart, pend):
            ch = text[i]
            if open_at is None and ch in OPENERS and _opens(text, i, pstart):
                open_at = i
            elif open_at is not None and ch in CLOSERS and _closes(text, i, open_at):
                _add(out, text, open_at + 1, i, p, open_at)
                open_at = None
            elif open_at is not None and ch in OPENERS and _opens(text, i, pstart) and ch == "“":
                # A second opening mark: the first one was never closed.
                _add(out, text, open_at + 1, _sentence_end(text, open_at, i), p, open_at)
                open_at = i
        if open_at is not None:
            # Unclosed: news style when the next paragraph reopens; either way it stops here.
            _add(out, text, open_at + 1, pend, p, open_at)
    return out


def _opens(text: str, i: int, pstart: int) -> bool:
    """An opening mark sits after a space, bracket or paragraph start and before a word."""
    before = text[i - 1] if i > pstart else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if text[i] == "“":
        return not after.isspace()
    return (before.isspace() or before in "([—–-:") and not after.isspace()


def _closes(text: str, i: int, open_at: int) -> bool:
    if text[i] == "”":
        return True
    before = text[i - 1]
    return i > open_at + 1 and not before.isspace()


def _sentence_end(text: str, start: int, limit: int) -> int:
    for i in range(start + 1, limit):
        if text[i] in ".?!" and (i + 1 >= len(text) or text[i + 1].isspace()):
            return i + 1
    return limit


def _add(out: list[_Segment], text: str, start: int, end: int, p: int, open_at: int) -> None:
    while start < end and (text[start].isspace() or text[start] == _JOINER):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(_Segment(start, end, p, open_at))


# -- cues -----------------------------------------------------------------------------------------

def _cues(doc: Doc, segments: list[_Segment]) -> list[_Cue]:
    """Reporting verbs outside quoted text and "according to" phrases."""
    inside = _quoted_chars(segments)
    verbs = reporting_verbs()
    out: list[_Cue] = []
    for tok in doc:
        if _in(inside, tok.idx):
            continue
        if tok.i + 1 < len(doc) and PREPOSITIONAL_CUES.get(tok.lower_) == doc[tok.i + 1].lower_:
            cue = _according(doc, tok)
        elif tok.lower_ == "in" and tok.dep_ == "prep":
            cue = _in_source(doc, tok)
        elif tok.pos_ in {"VERB", "AUX"} and verbs.get(tok.lemma_.lower(), 0.0) >= MIN_CUE_RATE \
                and tok.dep_ not in {"aux", "auxpass"}:
            cue = _verb_cue(doc, tok)
        else:
            cue = None
        if cue is not None:
            out.append(cue)
    return out


def _quoted_chars(segments: list[_Segment]) -> list[tuple[int, int]]:
    return [(s.open_at, s.end + 1) for s in segments]


def _in(ranges: list[tuple[int, int]], char: int) -> bool:
    return any(s <= char < e for s, e in ranges)


def _verb_cue(doc: Doc, verb: Token) -> _Cue | None:
    """A reporting verb with its subject (possibly inherited) and clausal complement."""
    subject = _subject(verb)
    if _misparsed_main_verb(verb):
        subject = _np(verb.head)
    elif (glued := _glued_to_subject(verb)) is not None:
        # "Carla Benedek, the chief of the service, stated divers had …" read as "stated divers".
        clause, speaker = glued
        return _Cue(verb, verb.idx, verb.idx + len(verb.text), _np(speaker),
                    _char_span(doc, verb.i + 1, clause.right_edge.i + 1))
    else:
        passive_participle = verb.tag_ == "VBN" and not any(c.dep_.startswith("aux") for c in verb.children)
        if verb.dep_ in {"amod", "acl"} or passive_participle:
            return None
    end = verb.idx + len(verb.text)
    cue_end_tok = verb
    for child in verb.children:
        if child.dep_ == "prt" or child.dep_ == "dobj" and child.pos_ == "PROPN":
            last = child.right_edge if child.dep_ == "dobj" else child
            cue_end_tok = max(cue_end_tok, last, key=lambda t: t.i)
    end = cue_end_tok.idx + len(cue_end_tok.text)
    start = verb.idx
    content = _complement(doc, verb)
    if content is not None and subject is not None and subject.start > verb.i \
            and content[0] < subject.end_char and subject.start_char < content[1]:
        content = None  # an inverted speaker ("…,” said Edward Leamer, …) is not what was said
    return _Cue(verb, start, end, subject, content)


def _misparsed_main_verb(verb: Token) -> bool:
    """ "Ruth Castellane, the analyst who …, called the estimate …": the small model reads the main verb
    after a long apposition as a participle modifying the name."""
    head = verb.head
    return (verb.dep_ == "acl" and verb.tag_ in {"VBN", "VBD"} and head.ent_type_ == "PERSON"
            and head.dep_ == "ROOT" and verb.i > 0 and verb.doc[verb.i - 1].text == ","
            and any(c.dep_ in {"dobj", "oprd", "ccomp"} for c in verb.children))


def _glued_to_subject(verb: Token) -> tuple[Token, Token] | None:
    """A reporting verb after an apposition's comma that the model read as an adjective of the next
    noun, which it then made a second subject of the reported clause: (the clause, the real speaker)."""
    doc = verb.doc
    noun = verb.head
    if verb.dep_ != "amod" or verb.tag_ not in {"VBN", "VBD"} or verb.i == 0 or doc[verb.i - 1].text != ",":
        return None
    if noun.i != verb.i + 1 or noun.dep_ not in {"nsubj", "nsubjpass"}:
        return None
    clause = noun.head
    speakers = [c for c in clause.children if c.dep_ == "nsubj" and c.i < verb.i and c.pos_ == "PROPN"]
    return (clause, speakers[0]) if speakers else None


def _dateline_word(tok: Token) -> bool:
    """ "BRELLSTAD – Norland's minister … told": a parse may make the dateline a second subject."""
    doc = tok.doc
    starts_line = tok.i == 0 or "\n" in doc[tok.i - 1].text_with_ws
    return tok.text.isupper() and len(tok.text) > 2 and tok.i + 1 < len(doc) \
        and doc[tok.i + 1].text in {"–", "—", "-", "--"} and starts_line


def _subject(verb: Token) -> Span | None:
    """The verb's subject, or its coordinated verb's, or the noun a relative clause hangs on."""
    for tok in (verb, verb.head):
        for child in tok.children:
            if child.dep_ in SPEAKER_DEPS and not _dateline_word(child) and not _other_line(child, tok):
                if child.tag_ in {"WP", "WDT"} and tok.dep_ == "relcl":
                    return _np(tok.head)
                return _np(child)
        inherits = tok.dep_ in {"conj", "xcomp"} or tok.dep_ in {"advcl", "pcomp"} and tok.tag_ == "VBG"
        if not inherits or tok is tok.head:
            break
    return _passive_speaker(verb) or _inverted_subject(verb)


_MODIFIER_DEPS = frozenset({"compound", "det", "amod", "poss", "case", "nmod", "nummod"})


def _inverted_subject(verb: Token) -> Span | None:
    """ "“The risk,” said Edward Leamer, an economist …": after a quote, the speaker follows the verb,
    where a parse may hang it on the next verb instead."""
    doc = verb.doc
    before = doc[verb.i - 1] if verb.i > 0 else None
    if before is None or before.text not in {",", "”", '"', "''", "’"} \
            or verb.i + 1 >= len(doc):
        return None
    end = verb.i + 1
    while end < len(doc) and doc[end].dep_ in _MODIFIER_DEPS and doc[end].head.i > end:
        end += 1
    if end >= len(doc) or doc[end].pos_ not in {"PROPN", "NOUN"} or "\n" in doc[verb.i:end].text:
        return None
    return doc[verb.i + 1:end + 1]


def _passive_speaker(verb: Token) -> Span | None:
    """ "X was quoted as saying", "X is said to have told": the subject of the passive verb above."""
    tok = verb
    for _ in range(3):
        if tok.dep_ not in {"pcomp", "xcomp", "prep"} or tok.head is tok:
            return None
        tok = tok.head
        subjects = [c for c in tok.children if c.dep_ == "nsubjpass"]
        if subjects and tok.tag_ == "VBN":
            if subjects[0].tag_ in {"WP", "WDT"} and tok.dep_ == "relcl":
                return _np(tok.head)
            return _np(subjects[0])
    return None


def _other_line(child: Token, verb: Token) -> bool:
    """ "1:50 p.m.\n\nFamed doctor Pacheco said": a parse may make a heading line a second subject."""
    lo, hi = sorted((child.i, verb.i))
    return any("\n" in t.text_with_ws for t in verb.doc[lo:hi])


def _np(head: Token) -> Span:
    """A subject noun phrase, without relative clauses and trailing punctuation."""
    doc = head.doc
    end = head.right_edge.i + 1
    for child in head.children:
        if child.i > head.i and child.dep_ in {"relcl", "punct", "acl"} and child.i < end:
            end = child.left_edge.i if child.dep_ != "punct" else child.i
    start = head.left_edge.i
    # Parses of machine-damaged text can hang whole clauses on a noun: stop at a verb or a line break.
    for tok in doc[head.i + 1:end]:
        if tok.pos_ in {"VERB", "AUX"} or "\n" in tok.text_with_ws:
            end = tok.i + (1 if "\n" in tok.whitespace_ and tok.pos_ not in {"VERB", "AUX"} else 0)
            break
    for tok in doc[start:head.i]:
        if "\n" in tok.text_with_ws:
            start = tok.i + 1
    if start < head.i:
        # "ALDERSUND – Estmark's transport minister": the dateline is not part of who spoke.
        lead = doc[start:head.i].text
        rest = strip_dateline(lead)
        if rest != lead:
            cut = doc[start].idx + len(lead) - len(rest)
            while start < head.i and doc[start].idx < cut:
                start += 1
    for child in head.children:
        # "A Kremlin aide on Tuesday": the time is not part of who spoke.
        if child.i > head.i and child.dep_ in {"prep", "npadvmod"} and any(
                t.ent_type_ in {"DATE", "TIME"} for t in child.subtree):
            end = min(end, child.left_edge.i)
    while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return doc[start:end]


def _complement(doc: Doc, verb: Token) -> tuple[int, int] | None:
    """Character span of what was said: the clausal complement, with its "that" (as PolNeAR marks it)."""
    comps = [c for c in verb.children if c.dep_ in {"ccomp", "xcomp"} and c.pos_ in {"VERB", "AUX"}]
    if comps:
        comp = comps[0]
        left, right = comp.left_edge.i, comp.right_edge.i
        for other in comps[1:]:
            # "was co-operating": a hyphenated word split into clauses of their own; "said the inquiry
            # had ended, had cost millions and …": one statement the parse split in two.
            hyphenated = other.left_edge.i == right + 1 and doc[right].whitespace_ == ""
            split = verb.i < comp.i and other.left_edge.i > right and other.sent == comp.sent \
                and all(t.is_punct or t.dep_ == "cc" for t in doc[right + 1:other.left_edge.i])
            if hyphenated or split:
                right = other.right_edge.i
        while left < comp.i and doc[left].is_punct:
            left += 1
        while right > comp.i and (doc[right].is_punct or doc[right].dep_ == "cc"):
            right -= 1  # "…, but" with what follows cut off by the parse
        if comp.i < verb.i:
            whole = _content_before(doc, verb, right)
            if whole is not None:
                return whole  # "A, but B, the source added": the parse hangs only B on the cue
        objs = [c for c in verb.children if c.dep_ == "dobj" and verb.i < c.i < left]
        if objs and verb.lemma_.lower() in NAMING_VERBS:
            left = objs[0].left_edge.i  # "called the remarks a new low": what is named, and its name
        return _char_span(doc, left, right + 1)
    if verb.lemma_.lower() in NAMING_VERBS:
        # "called the senator a “nasty guy” and “unstable”": what is named and its names, as PolNeAR
        # marks them (the quoted names are partial quotes inside it).
        objs = [c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i]
        tail = _said_of_object(verb, objs[0]) if objs else None
        names = [c for c in verb.children if c.dep_ == "oprd" and c.i > verb.i]
        if not objs and len(names) >= 2:
            # "called both Trump and Clinton “crazy”" read as two names: the first is what is named.
            objs, tail = [doc[verb.i + 1]], names[-1]
        if tail is not None:
            right = tail.right_edge.i
            if not any(t.pos_ in {"VERB", "AUX"} for t in doc[right + 1:verb.right_edge.i + 1]):
                right = verb.right_edge.i  # a list of names the parse hangs on the verb
            while right > tail.i and doc[right].is_punct and doc[right].text not in _QUOTE_MARKS:
                right -= 1
            return _char_span(doc, objs[0].left_edge.i, right + 1)
    before = _content_before(doc, verb)
    if before is not None:
        return before
    marks = [c.lower_ for c in verb.children if c.dep_ == "mark" or c.tag_ == "WRB"]
    # "as the mayor noted", "as she put it" (not "as he welcomed the guests": a time, not a source)
    objectless = not any(c.dep_ == "dobj" and c.lower_ != "it" for c in verb.children)
    if verb.dep_ == "advcl" and marks == ["as"] and objectless and verb.head.i != verb.i:
        return _around_as_clause(doc, verb.left_edge.i, verb.right_edge.i)
    sent = verb.sent
    if doc[sent.start].lower_ == "as" and verb.dep_ != "ROOT" and objectless:
        # "As the Gazette reported on Monday, …": the small parse reads "As the Gazette" as a phrase.
        comma = next((t.i for t in doc[verb.i + 1:sent.end] if t.text == ","), None)
        if comma is not None and not any(t.pos_ in {"VERB", "AUX"} for t in doc[verb.i + 1:comma]):
            return _around_as_clause(doc, sent.start, comma - 1)
    if verb.dep_ in {"parataxis", "advcl"} and not marks and verb.head.i != verb.i \
            and any(c.dep_ == "nsubj" for c in verb.children):  # not a participle ("…, pumping air")
        # "The bridge, he said, will reopen": the main clause is what was said.
        head = verb.head
        toks = [t for t in head.subtree if not (verb.left_edge.i <= t.i <= verb.right_edge.i)]
        if toks:
            return _char_span(doc, toks[0].i, toks[-1].i + 1)
    return None


def _around_as_clause(doc: Doc, left: int, right: int) -> tuple[int, int] | None:
    """What "as the mayor noted" (tokens left..right) reports: the rest of its sentence; the whole
    sentence when the clause sits inside it ("The pier, as the engineer noted, was never built for
    trams"), as PolNeAR marks it."""
    sent = doc[left].sent
    if left > sent.start and doc[left - 1].text == ",":
        left -= 1
    if right + 1 < sent.end and doc[right + 1].text in {",", ":"}:
        right += 1
    end = sent.end
    while end > right + 1 and doc[end - 1].is_punct:
        end -= 1
    if left <= sent.start:
        return _char_span(doc, right + 1, end) if end - right > 3 else None
    span = _char_span(doc, sent.start, left if right + 1 >= end else end)
    return None if span is None else _after_dateline(_text(doc), *span)


def _content_before(doc: Doc, verb: Token, comp_end: int | None = None) -> tuple[int, int] | None:
    """ "Four people died …, officials said.": a sentence-final "subject + verb" after a comma reports
    everything before the comma (the parse may hang that on anything)."""
    sent = verb.sent
    subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i]
    if not subjects or any(not (t.is_punct or t.is_space) for t in doc[verb.i + 1:sent.end]):
        return None
    comma = subjects[0].left_edge.i - 1
    if comma - sent.start < 4 or doc[comma].text != ",":
        return None
    if comp_end is not None:
        if comp_end >= comma:
            return None
    elif any(c.i < comma for c in verb.children if c.dep_ in {"ccomp", "xcomp", "dobj"}):
        return None
    span = _char_span(doc, sent.start, comma)
    return None if span is None else _after_dateline(_text(doc), *span)


def _after_dateline(text: str, start: int, end: int) -> tuple[int, int]:
    """A span starting a paragraph, without its dateline ("VARENHOLT, March 10 (MPA) – ")."""
    if start > 0 and text[start - 1] != "\n":
        return start, end
    rest = strip_dateline(text[start:end])
    return (end - len(rest), end) if rest and len(rest) < end - start else (start, end)


def _according(doc: Doc, tok: Token) -> _Cue | None:
    """ "according to X, ..." (or "as per X"): X speaks, the rest of the sentence is what was said."""
    to = doc[tok.i + 1]
    objs = [c for c in to.children if c.dep_ == "pobj"]
    if not objs:
        return None
    return _phrase_cue(doc, tok, to, doc[objs[0].left_edge.i:objs[0].right_edge.i + 1])


def _in_source(doc: Doc, tok: Token) -> _Cue | None:
    """ "In a CNN poll released Monday, Clinton led …" (or "… in the Post's report."): the poll speaks,
    the rest of the sentence is what it said. Only at either end of a sentence, where it frames it."""
    objs = [c for c in tok.children if c.dep_ == "pobj" and c.lemma_.lower() in SOURCE_NOUNS]
    if not objs or reporting_verbs().get(tok.head.lemma_.lower(), 0.0) >= MIN_CUE_RATE:
        return None  # "said in a statement": where someone said it, not who
    subject = doc[objs[0].left_edge.i:objs[0].right_edge.i + 1]
    if [t.lower_ for t in subject] == ["the", objs[0].lower_] and objs[0].tag_ == "NNS":
        return None  # "ahead in the polls": polls at large, no one's
    sent = tok.sent
    opens = all(t.is_punct or t.dep_ == "cc" for t in doc[sent.start:tok.i])
    ends = all(t.is_punct for t in doc[subject.end:sent.end])
    if not (opens or ends) or sent.end - sent.start - (subject.end - tok.i) < 4:
        return None
    return _phrase_cue(doc, tok, tok, subject)


def _phrase_cue(doc: Doc, first: Token, last: Token, subject: Span) -> _Cue:
    """A cue phrase (first..last, then its speaker) whose sentence, on its longer side, is what was said."""
    sent = first.sent
    if first.i - sent.start >= sent.end - subject.end:
        content = _char_span(doc, sent.start, first.i)
    else:
        content = _char_span(doc, subject.end, sent.end)
    return _Cue(first, first.idx, last.idx + len(last.text), subject, content)


def _char_span(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Character span of tokens [start, end), trimmed of edge punctuation and spaces."""
    while start < end and (doc[start].is_punct and doc[start].text not in "“\"" or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if end - start < 2:
        return None
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)


# -- direct and partial quotes --------------------------------------------------------------------

def _direct_quotes(doc: Doc, sentences: list[Sentence], segments: list[_Segment], cues: list[_Cue],
                   mentions: list[Mention]) -> list[Quote]:
    """One quote per quoted segment that reads as speech, with its nearest cue in the same paragraph."""
    paragraphs = paragraph_spans(_text(doc))
    out: list[Quote] = []
    for seg in segments:
        pstart, pend = paragraphs[seg.paragraph]
        cue = _outermost(_cue_for_segment(doc, seg, cues, segments, pstart, pend), cues)
        kind = "partial" if _embedded(doc, seg, cue) else "direct"
        if kind == "partial" and cue is not None and not (_said_by(doc, seg, cue) and _strong(cue, seg)):
            cue = None
        # A short piece after a cued quote in its paragraph goes on what was said ("“I would,” she
        # said. “I would, Mayor.”"); elsewhere a short uncued stretch is a scare quote or a title.
        goes_on = bool(out) and out[-1].kind == "direct" and out[-1].cue_start is not None \
            and paragraphs[seg.paragraph][0] <= out[-1].start
        if cue is None and not _speech_like(_text(doc), seg, pstart, 2 if goes_on else 4):
            continue  # scare quotes, titles, nicknames
        if kind == "partial" and (cue is None or _title_like(_text(doc)[seg.start:seg.end])):
            continue  # a name in quotation marks ("the “Dictators’ Club”") is not speech
        quote = Quote(start=seg.start, end=seg.end, text=_text(doc)[seg.start:seg.end], kind=kind,
                      sentence=sentence_at(sentences, seg.start), confidence=0.3)
        if cue is not None:
            _attach(doc, quote, cue, mentions)
        out.append(quote)
    return out


def _cue_for_segment(doc: Doc, seg: _Segment, cues: list[_Cue], segments: list[_Segment],
                     pstart: int, pend: int) -> _Cue | None:
    """The reporting cue next to a quoted segment: same sentence first, then the one after or before."""
    quoted = _quoted_chars(segments)
    seg_sents = {doc.char_span(seg.start, seg.end, alignment_mode="expand")[0].sent.start,
                 doc.char_span(seg.start, seg.end, alignment_mode="expand")[-1].sent.start}
    best, best_gap = None, None
    for cue in cues:
        if not pstart <= cue.start < pend or _in(quoted, cue.start):
            continue
        same = cue.verb.sent.start in seg_sents
        gap = cue.start - seg.end if cue.start >= seg.end else seg.open_at - cue.end
        if not same and not _adjacent(_text(doc), seg, cue):
            continue
        # A cue between this segment and the next one belongs to the nearer.
        if cue.start >= seg.end and _segment_between(segments, seg.end, cue.start):
            continue
        if cue.start < seg.start and _segment_between(segments, cue.end, seg.open_at):
            continue
        rank = gap + (0 if same else 1000)
        if best_gap is None or rank < best_gap:
            best, best_gap = cue, rank
    return best


def _strong(cue: _Cue, seg: _Segment | None = None) -> bool:
    """A verb that usually reports speech; weaker ones next to a quoted fragment mark scare quotes,
    unless the fragment lies inside the clause the verb reports ("recommends that … “pending …”")."""
    lemma = cue.verb.lemma_.lower()
    rate = reporting_verbs().get(lemma, 0.0)
    if cue.verb.lower_ in PREPOSITIONAL_CUES or rate >= PARTIAL_MIN_RATE:
        return True
    inside = seg is not None and cue.content is not None and cue.content[0] <= seg.start \
        and seg.end <= cue.content[1] + 1
    return inside and rate >= PARTIAL_IN_CLAUSE_RATE


def _outermost(cue: _Cue | None, cues: list[_Cue]) -> _Cue | None:
    """ "An aide said Moscow claimed that …": the outer reporting verb is the one quoted; so is the verb
    a participle hangs on ("“A,” she said, referring to the plan, “B.”": B is what she said)."""
    while cue is not None and cue.verb.tag_ == "VBG" and cue.verb.dep_ == "advcl" \
            and not any(c.dep_ == "nsubj" for c in cue.verb.children):
        head = [c for c in cues if c.verb.i == cue.verb.head.i]
        if not head:
            break
        cue = head[0]
    while cue is not None:
        outer = [c for c in cues if c.verb in cue.verb.ancestors and c.verb.sent == cue.verb.sent
                 and c.content is not None and c.content[0] <= cue.start < c.content[1]]
        if not outer:
            return cue
        cue = outer[-1]
    return cue


def _said_by(doc: Doc, seg: _Segment, cue: _Cue) -> bool:
    """A quoted fragment is in the cue's complement, not its object ("announced a “no limits” pact")."""
    if cue.verb.lower_ in PREPOSITIONAL_CUES:
        return True
    span = doc.char_span(seg.start, seg.end, alignment_mode="expand")
    naming = cue.verb.lemma_.lower() in NAMING_VERBS
    if naming and span.start > cue.verb.i and all(
            t.is_punct for t in doc[cue.verb.right_edge.i + 1:span.start]):
        return True  # right after the named thing, however the parse hung the quoted words
    for tok in span:
        path = [tok, *tok.ancestors]
        if cue.verb in path:
            child = path[path.index(cue.verb) - 1] if path.index(cue.verb) else cue.verb
            if child.dep_ not in {"dobj", "nsubj", "nsubjpass", "npadvmod", "dative", "attr"}:
                return True
            quoted_object = span.start <= child.i < span.end
            if child.dep_ == "dobj" and (naming and tok.i > child.i or quoted_object):
                # "called the plan “a sticking plaster”", "called claims … “completely false”", and a
                # quoted object itself: "describes “progressive cracking”" (not "a “no limits” pact").
                return True
    return False


def _adjacent(text: str, seg: _Segment, cue: _Cue) -> bool:
    """A short attribution sentence right after the quote, or one ending with a colon right before it."""
    if cue.start >= seg.end:
        between = text[seg.end:cue.start]
        return len(between.split()) <= 6 and "\n" not in between
    between = text[cue.end:seg.open_at]
    return between.strip().endswith(":") and "\n" not in between and len(between.split()) <= 12


def _segment_between(segments: list[_Segment], start: int, end: int) -> bool:
    return any(start <= s.open_at and s.end <= end for s in segments)


def _embedded(doc: Doc, seg: _Segment, cue: _Cue | None) -> bool:
    """A fragment quoted inside the reporter's own sentence ("said the leader “fully understands …”")."""
    span = doc.char_span(seg.start, seg.end, alignment_mode="expand")
    sent = span[0].sent
    lead = _text(doc)[sent.start_char:seg.open_at].strip()
    if not lead or lead[-1] in ":,":
        return False
    if cue is not None and cue.start >= seg.end and lead[-1] in ":,.":
        return False
    return not lead.endswith(("“", '"')) and bool(lead)


def _title_like(text: str) -> bool:
    """A short run of capitalised words: a name or title, not a quoted fragment."""
    words = text.split()
    return len(words) <= 5 and all(w[:1].isupper() or w.lower() in {"of", "the", "and"} for w in words)


def _speech_like(text: str, seg: _Segment, pstart: int, min_words: int = 4) -> bool:
    """An uncued quoted stretch counts as speech when it is a sentence of its own."""
    body = text[seg.start:seg.end]
    lead = text[pstart:seg.open_at].strip()
    starts_sentence = not lead or lead[-1] in ".?!:”\""
    return starts_sentence and body[:1].isupper() and len(body.split()) >= min_words


def _attach(doc: Doc, quote: Quote, cue: _Cue, mentions: list[Mention]) -> None:
    """Fill the cue and speaker fields of a quote from a cue."""
    quote.cue = _text(doc)[cue.start:cue.end]
    quote.cue_start, quote.cue_end = cue.start, cue.end
    subject = cue.subject
    if subject is None:
        quote.confidence = 0.4
        return
    named = _mention_in(subject, mentions) or _alias_in(subject, mentions) or _appositive(subject, mentions)
    relative = _relative_pronoun(cue.verb, subject)
    if named is not None:
        quote.speaker, quote.speaker_start, quote.speaker_end = named.text, named.start, named.end
        quote.speaker_key, quote.speaker_via = named.key, "name"
        quote.confidence = 0.9 if quote.kind == "direct" else 0.8
        if relative is not None:
            quote.speaker_end = max(named.end, relative.idx + len(relative.text))
        return
    quote.speaker, quote.speaker_start, quote.speaker_end = subject.text, subject.start_char, subject.end_char
    if relative is not None:
        quote.speaker_end = max(subject.end_char, relative.idx + len(relative.text))
    if subject.root.lower_ in MALE | FEMALE | {"it", "they"}:
        quote.speaker_via = "pronoun"
        quote.confidence = 0.7
    else:
        quote.speaker_via = "nominal"
        quote.confidence = 0.7 if quote.kind == "direct" else 0.6


def _relative_pronoun(verb: Token, subject: Span) -> Token | None:
    """ "Smith, who said": the relative pronoun that stands for the speaker in the verb's clause (the
    speaker mention runs from the name through it)."""
    for tok in (verb, verb.head):
        for child in tok.children:
            if child.dep_ in {"nsubj", "nsubjpass"} and child.tag_ in {"WP", "WDT"} and tok.dep_ == "relcl" \
                    and child.i >= subject.end and subject.start <= tok.head.i < subject.end:
                return child
        if tok.dep_ not in {"conj", "xcomp"} or tok is tok.head:
            break
    return None


def _mention_in(subject: Span, mentions: list[Mention]) -> Mention | None:
    """The named speaker inside a subject phrase: a person first, then an organisation or place."""
    inside = [m for m in mentions if subject.start_char <= m.start and m.end <= subject.end_char]
    if not inside:
        return None
    root = subject.root
    # The head of the phrase must be the name (or a title before it), not "a spokesman for X".
    heads = [m for m in inside if m.start <= root.idx < m.end]
    if heads:
        return heads[0]
    people = [m for m in inside if m.label == "PERSON"]
    if people and (root.dep_ == "appos" or root.pos_ in {"PROPN", "NOUN"} and _before_name(root, people[0])):
        return people[0]
    return None


def _appositive(subject: Span, mentions: list[Mention]) -> Mention | None:
    """The name in apposition to a nominal speaker: "Its chief executive, Anders Pellow, said"."""
    root = subject.root
    for child in root.children:
        if child.dep_ != "appos" or child.i < root.i:
            continue
        for m in mentions:
            if m.label in {"PERSON", "ORG"} and m.start <= child.idx < m.end:
                return m
    return None


def _alias_in(subject: Span, mentions: list[Mention]) -> Mention | None:
    """A proper-noun subject the model did not tag, matched to a person's surname used elsewhere."""
    root = subject.root
    if root.pos_ != "PROPN":
        return None
    for m in mentions:
        if m.label == "PERSON" and m.key.split()[-1] == root.text:
            return Mention(root.idx, root.idx + len(root.text), root.text, "PERSON", m.key, m.sentence)
    # A name the model missed everywhere: the fullest run of proper nouns ending in this word.
    runs = [_name_run(t) for t in root.doc if t.text == root.text and t.tag_ == "NNP"]
    full = max(runs, key=len, default=None)
    if full is None or not full.text[:1].isupper():
        return None
    sub = _name_run(root)
    return Mention(sub.start_char, sub.end_char, sub.text, "PERSON", full.text, 0)


def _name_run(tok: Token) -> Span:
    """Proper nouns right before a token, with it: "Mikkel Østby"."""
    start = tok.i
    while start > 0 and tok.doc[start - 1].tag_ == "NNP" and tok.doc[start - 1].text[:1].isupper() \
            and tok.doc[start - 1].lower_ not in {"mr", "ms", "mrs", "dr"}:
        start -= 1
    return tok.doc[start:tok.i + 1]


def _before_name(root: Token, person: Mention) -> bool:
    """A title noun directly before a person's name: "official Li Zhanshu", "chairman Leon Harcastle"."""
    return root.idx < person.start and any(person.start <= c.idx < person.end for c in root.children)


# -- indirect quotes ------------------------------------------------------------------------------

def _indirect_quotes(doc: Doc, sentences: list[Sentence], cues: list[_Cue], direct: list[Quote],
                     segments: list[_Segment], mentions: list[Mention]) -> list[Quote]:
    """Reported speech: a cue with a speaker and a clause that is not itself quoted (it may hold a
    partial quote: the partial keeps the quoted words, the indirect quote the whole clause; a quoted
    stretch inside the clause its cue reports becomes such a partial)."""
    used = {q.cue_start for q in direct if q.cue_start is not None and q.kind == "direct"}
    out: list[Quote] = []
    for cue in cues:
        if cue.content is None or cue.subject is None:
            continue
        span = _in_line(_text(doc), cue.content, cue.start)
        if span is None:
            continue
        start, end = _after_dateline(_text(doc), *span)
        if _covered(start, end, [(q.start, q.end) for q in direct if q.kind == "direct"]) >= 0.6:
            continue  # the direct quote already carries this cue
        if any(s.start <= start and end <= s.end for s in segments):
            continue  # the clause is itself inside quotation marks
        if len(_text(doc)[start:end].split()) < 3:
            continue
        if _rule_rejected(doc, cue):
            continue
        if cue.start in used:
            # A mixed quote ("told him that if he wants our guns, “come and take it.”"): the quoted
            # words are a fragment of the reported clause.
            for q in direct:
                if q.cue_start == cue.start and start <= q.start and q.end <= end + 2:
                    q.kind = "partial"
        for part_start, part_end in _that_clauses(doc, cue, start, end):
            quote = Quote(start=part_start, end=part_end, text=_text(doc)[part_start:part_end],
                          kind="indirect", sentence=sentence_at(sentences, part_start))
            _attach(doc, quote, cue, mentions)
            out.append(quote)
    return out


def _that_clauses(doc: Doc, cue: _Cue, start: int, end: int) -> list[tuple[int, int]]:
    """ "said A and that B": two statements, each its own quote (one clause when there is no second
    "that")."""
    comps = [c for c in cue.verb.children if c.dep_ == "ccomp" and start <= c.idx < end]
    if not comps:
        return [(start, end)]
    cuts = []
    for conj in comps[0].children:
        first = conj.left_edge
        if conj.dep_ == "conj" and first.lower_ == "that" and first.i > 0 and doc[first.i - 1].dep_ == "cc" \
                and start < doc[first.i - 1].idx and first.idx < end:
            cuts.append(first.i)
    parts, left = [], start
    for i in cuts:
        piece = _char_span(doc, doc.char_span(left, end, alignment_mode="expand").start, i - 1)
        if piece is not None:
            parts.append((max(piece[0], left), piece[1]))
        left = doc[i].idx
    parts.append((left, end))
    return [p for p in parts if len(_text(doc)[p[0]:p[1]].split()) >= 3]


# -- attributions found by the learned classifier -------------------------------------------------

@dataclass
class Candidate:
    """A verb and one of its complements: a possible attribution (cue, source, content)."""

    verb: Token
    cue_end: Token
    rel: str
    content: tuple[int, int]
    subject: Span | None


@lru_cache(maxsize=1)
def classifier() -> tuple[dict[str, float], float, float, float] | None:
    """Weights, intercept, acceptance threshold (for a candidate the rules missed) and rejection
    threshold (for a clause the rules found) of the candidate classifier, when installed."""
    if not CLASSIFIER_FILE.exists():
        return None
    data = json.loads(CLASSIFIER_FILE.read_text(encoding="utf-8"))
    return data["weights"], float(data["intercept"]), float(data["threshold"]), float(data["reject"])


def candidates(doc: Doc, quoted: list[tuple[int, int]]) -> list[Candidate]:
    """Every verb outside quotation marks with a clause, object or prepositional object after it."""
    out: list[Candidate] = []
    text = _text(doc)
    for verb in doc:
        if verb.pos_ not in {"VERB", "AUX", "ADJ", "NOUN"} or _in(quoted, verb.idx):
            continue
        subject = None
        for child in verb.children:
            rel, head, cue_end = child.dep_, child, verb
            if verb.pos_ == "NOUN" and not (rel == "prep" and child.lower_ in {"of", "about", "for", "on"}
                                            or rel == "acl" and child.tag_ == "VB"):
                continue
            if verb.pos_ == "ADJ" and rel not in {"ccomp", "xcomp", "prep"}:
                continue
            if rel == "acl":
                rel = "acl"
            elif rel == "prep":
                objs = [c for c in child.children if c.dep_ in {"pobj", "pcomp"}]
                if not objs:
                    continue
                head, cue_end, rel = objs[0], child, "prep:" + child.lower_
            elif rel not in {"ccomp", "xcomp", "dobj", "nsubjpass"}:
                continue
            if head.i < verb.i and rel not in {"ccomp", "nsubjpass"}:
                continue
            span = _char_span(doc, head.left_edge.i, head.right_edge.i + 1)
            if span is None and head.left_edge.i == head.right_edge.i and not head.is_punct:
                span = (head.idx, head.idx + len(head.text))
            span = _in_line(text, span, verb.idx)
            if span is None:
                continue
            if subject is None:
                subject = _source(verb) or False
            out.append(Candidate(verb, cue_end, rel, span, subject or None))
    return out


def _in_line(text: str, span: tuple[int, int] | None, anchor: int) -> tuple[int, int] | None:
    """A span cut to the line (paragraph) of the anchor: a parse may run on across a headline."""
    if span is None:
        return None
    start, end = span
    line_start, line_end = text.rfind("\n", 0, anchor) + 1, text.find("\n", anchor)
    line_end = line_end if line_end >= 0 else len(text)
    if end <= line_start or start >= line_end:
        return None  # wholly on another line: the parse ran across a paragraph break
    if "\n" not in text[start:end]:
        return span
    start, end = max(start, line_start), min(end, line_end)
    while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-"):
        end -= 1
    return (start, end) if end - start >= 2 else None


def _source(verb: Token) -> Span | None:
    """Who a candidate attributes to: the subject, a possessor ("Trump's attacks on"), a passive's agent
    ("was criticised by X"), else the subject of a governing word ("refused to say", "in a bid to")."""
    subject = _subject(verb)
    if subject is not None:
        return subject
    for child in verb.children:
        if child.dep_ == "poss":
            return _np(child)
        if child.dep_ == "agent":
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                return _np(objs[0])
    if verb.tag_ == "VBN" and any(c.dep_ == "prep" and c.lower_ == "as" for c in verb.children):
        # "was quoted as saying", "is cited as": the passive subject is who spoke.
        subjects = [c for c in verb.children if c.dep_ == "nsubjpass"]
        if subjects and subjects[0].tag_ in {"WP", "WDT"} and verb.dep_ == "relcl":
            return _np(verb.head)  # "Sanders, who was quoted as saying": Sanders
        if subjects:
            return _np(subjects[0])
    tok = verb
    for _ in range(3):
        if tok.head is tok or tok.dep_ in {"ccomp", "parataxis"}:
            break
        tok = tok.head
        for child in tok.children:
            if child.dep_ in {"nsubj", "poss"} and child.i != verb.i:
                return _np(child)
    return None


def candidate_features(doc: Doc, cand: Candidate) -> list[str]:
    """Sparse features of a candidate (names only: each weighs 1)."""
    verb, rel = cand.verb, cand.rel
    lemma = verb.lemma_.lower()
    rate = (cue_words() if verb.pos_ in {"NOUN", "ADJ"} else reporting_verbs()).get(lemma, 0.0)
    content = doc.char_span(*cand.content, alignment_mode="expand")
    first = content[0] if content is not None and len(content) else verb
    n = len(content) if content is not None else 1
    subj = cand.subject
    if subj is None:
        skind = "none"
    elif subj.root.lower_ in MALE | FEMALE | {"i", "we", "they", "it", "you"}:
        skind = "pron"
    elif subj.root.ent_type_:
        skind = "ent:" + subj.root.ent_type_
    else:
        skind = "noun"
    pos = verb.pos_
    rel = rel if pos in {"VERB", "AUX"} else f"{pos}:{rel}"
    feats = [f"l={lemma}", f"r={rel}", f"lr={lemma}|{rel}", f"rate={min(int(rate * 10), 9)}",
             f"rr={min(int(rate * 10), 9)}|{rel}", f"s={skind}", f"sr={skind}|{rel}", f"t={verb.tag_}",
             f"d={verb.dep_}", f"n={min(n, 24) // 4}", f"nr={min(n, 24) // 4}|{rel}",
             f"c0={first.lower_ if first.is_stop else first.pos_}", f"cp={first.pos_}"]
    if subj is not None and skind in {"noun", "pron"}:
        feats.append(f"sl={subj.root.lemma_.lower()}")
    feats += [f"ls={lemma}|{skind}", f"hd={verb.head.lemma_.lower() if verb.head is not verb else '-'}",
              f"ln={lemma}|{min(n, 24) // 6}", f"cl={first.lemma_.lower()}"]
    if any(c.dep_ == "neg" for c in verb.children):
        feats.append("neg")
    if content is not None and any(t.text in {'"', "“", "”", "''"} for t in content):
        feats.append("quoted")
    if verb.dep_ == "ROOT" and subj is not None:
        feats.append("root_subj")
    if content is not None and len(content):
        root = content.root
        feats += [f"oh={root.lemma_.lower()}", f"ohp={root.pos_}|{rel}",
                  f"cv={any(t.pos_ in {'VERB', 'AUX'} for t in content)}|{rel}"]
    feats += _context_features(doc, cand)
    feats += _content_features(doc, cand, content)
    # Pairs of the main features: the model learns "say + ccomp + pronoun subject" as one weight.
    base = sorted(f for f in feats if f[:f.find("=")] in _PAIRED)
    feats += [a + "&" + b for a, b in itertools.combinations(base, 2)]
    return feats


_PAIRED = frozenset({"l", "r", "s", "d", "t", "c0", "oh", "n", "hd", "sl", "cl", "rate", "md", "anc", "hdep",
                     "sib"})
_QUOTE_MARKS = frozenset({'"', "“", "”", "''"})
_SIBLING_DEPS = frozenset({"ccomp", "xcomp", "dobj", "prep", "dative", "advcl"})


_SENTENCE_CACHE: list = [None, {}]


def _sentence_facts(doc: Doc, sent: Span) -> tuple[list[str], list[int]]:
    """Features of a sentence (headline-like, quotation marks, a paragraph's first) and the positions
    of its strong reporting verbs; computed once per sentence of the doc being analysed."""
    if _SENTENCE_CACHE[0] is not doc:
        _SENTENCE_CACHE[0], _SENTENCE_CACHE[1] = doc, {}
    cache = _SENTENCE_CACHE[1]
    if sent.start not in cache:
        rates = reporting_verbs()
        toks = list(sent)
        words = [t for t in toks if t.is_alpha]
        first = sent.start == 0 or "\n" in doc[sent.start - 1].text_with_ws
        feats = [f"sq={int(any(t.text in _QUOTE_MARKS for t in toks))}", f"pfirst={int(first)}"]
        if len(words) >= 3 and sum(t.text[0].isupper() for t in words) >= 0.6 * len(words):
            feats.append("headline")
        strong = [t.i for t in toks if t.pos_ == "VERB" and rates.get(t.lemma_.lower(), 0.0) >= 0.5]
        cache[sent.start] = (feats, strong)
    return cache[sent.start]


def _context_features(doc: Doc, cand: Candidate) -> list[str]:
    """The sentence around a candidate: quotation marks, the verb's place, a modal, a reporting verb
    above it or beside it, its other complements, a paragraph's first sentence."""
    verb, sent = cand.verb, cand.verb.sent
    sent_feats, strong = _sentence_facts(doc, sent)
    modals = [c.lemma_.lower() for c in verb.children if c.tag_ == "MD"]
    above = any(a.i in strong for a in verb.ancestors) if strong else False
    beside = any(i != verb.i for i in strong)
    siblings = "+".join(sorted({c.dep_ for c in verb.children if c.dep_ in _SIBLING_DEPS}))
    feats = [*sent_feats, f"vpos={min(int(3 * (verb.i - sent.start) / max(1, len(sent))), 2)}",
             f"md={modals[0] if modals else '-'}", f"anc={'cue' if above else '-'}", f"hdep={verb.head.dep_}",
             f"sib={siblings}", f"ocue={int(beside)}"]
    if cand.subject is not None:
        feats.append(f"se={cand.subject.root.ent_type_ or cand.subject.root.pos_}")
    return feats


_FIRST_PERSON = frozenset({"i", "we", "my", "our", "me", "us"})
_MODALS = frozenset({"would", "will", "could", "should", "must", "can", "may", "might"})


def _content_features(doc: Doc, cand: Candidate, content: Span | None) -> list[str]:
    """What the reported words hold (first person, a modal, a negation, names, several verbs, its
    first words), the words around the verb and the subject's head with the verb. (Not what follows
    the words: a clause the parse cut short looks unlike its gold span, which runs on, yet it is found
    and extended.)"""
    if content is None or not len(content):
        return []
    rel, lower = cand.rel, {t.lower_ for t in content}
    before = doc[cand.verb.i - 1] if cand.verb.i > 0 else None
    word = "-" if before is None else before.lower_ if before.is_stop or before.is_punct else before.pos_
    feats = [f"fp={int(bool(lower & _FIRST_PERSON))}|{rel}", f"mdc={int(bool(lower & _MODALS))}|{rel}",
             f"negc={int(any(t.dep_ == 'neg' for t in content))}",
             f"prev={word}",
             f"nents={min(sum(t.ent_iob_ == 'B' for t in content), 3)}|{rel}",
             f"vv={int(sum(t.pos_ == 'VERB' for t in content) > 1)}|{rel}"]
    if cand.subject is not None:
        feats.append(f"sv={cand.subject.root.lemma_.lower()}|{cand.verb.lemma_.lower()}")
    # The words around the verb and the first words reported, as a bag: what the parse's labels miss.
    verb, sent = cand.verb, cand.verb.sent
    window = doc[max(sent.start, verb.i - 3):min(sent.end, verb.i + 4)]
    feats += [f"win={t.lemma_.lower()}@{'L' if t.i < verb.i else 'R'}"
              for t in window if t.i != verb.i and not t.is_punct]
    feats += [f"bow={t.lemma_.lower()}" for t in content[:12] if not t.is_punct]
    return feats


def candidate_score(doc: Doc, cand: Candidate) -> float:
    """Probability that a candidate is an attribution, from the learned weights (0 without them)."""
    model = classifier()
    if model is None:
        return 0.0
    weights, intercept = model[0], model[1]
    feats = candidate_features(doc, cand)
    z = intercept + sum(map(weights.get, feats, itertools.repeat(0.0, len(feats))))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _learned_quotes(doc: Doc, sentences: list[Sentence], segments: list[_Segment], found: list[Quote],
                    mentions: list[Mention]) -> list[Quote]:
    """Attributions the rules missed ("the poll shows …", "criticized her state's gun laws"), kept when
    the classifier learned from PolNeAR train accepts them."""
    model = classifier()
    if model is None:
        return []
    threshold = model[2]
    quoted = _quoted_chars(segments)
    # A partial quote does not block the clause around it: the clause is what was reported.
    spans = [(q.start, q.end) for q in found if q.kind != "partial"]
    out: list[Quote] = []
    scored = [(candidate_score(doc, cand), cand) for cand in candidates(doc, quoted)]
    # The likeliest readings first. A verb may report more than one thing ("attacked her opponent as
    # a fraud, with jabs at his record"; a clause beside the one the rules took): each accepted reading
    # that no quote covers yet is kept.
    for score, cand in sorted([sc for sc in scored if sc[0] >= threshold], key=lambda sc: -sc[0]):
        start, end = _after_dateline(_text(doc), *_with_object_and_charge(doc, cand))
        if _covered(start, end, spans) >= 0.5:
            continue
        quote = Quote(start=start, end=end, text=_text(doc)[start:end], kind="indirect",
                      sentence=sentence_at(sentences, start))
        cue = _Cue(cand.verb, cand.verb.idx, cand.cue_end.idx + len(cand.cue_end.text), cand.subject, None)
        _attach(doc, quote, cue, mentions)
        quote.confidence = round(min(quote.confidence, score), 2)
        spans.append((start, end))
        out.append(quote)
    return out


def _with_object_and_charge(doc: Doc, cand: Candidate) -> tuple[int, int]:
    """ "accused the government of ignoring warnings", "praised her for …", "described the plan as a
    mistake", "called the remarks “a new low”": the object and what is said of it are one content, as
    PolNeAR marks them."""
    start, end = cand.content
    verb = cand.verb
    objs = [c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i]
    if not objs or cand.rel not in {"dobj", "prep:of", "prep:for", "prep:as", "ccomp", "xcomp", "oprd"}:
        return start, end
    obj = objs[0]
    tail = _said_of_object(verb, obj)
    if tail is None:
        return start, end
    span = _in_line(_text(doc), _char_span(doc, obj.left_edge.i, tail.right_edge.i + 1), verb.idx)
    return span if span is not None else (start, end)


def _said_of_object(verb: Token, obj: Token) -> Token | None:
    """What a verb says of its object: "of" / "for" right after it, "as …", or a naming verb's
    complement ("called it “a disgrace”")."""
    for child in verb.children:
        if child.i <= obj.right_edge.i:
            continue
        if child.dep_ == "prep" and (child.lower_ in {"of", "for"} and child.i == obj.right_edge.i + 1
                                     or child.lower_ == "as"):
            return child
        if child.dep_ in {"oprd", "ccomp", "xcomp"} and verb.lemma_.lower() in NAMING_VERBS:
            return child
    return None


# A transcript line may sit inside a quotation that runs over paragraphs ("WALLACE: …).
_COLON_LINE = re.compile(r"[\"“]?([A-Z][\w.'’ -]{0,40}?):[ \t]+(?=\S)")


def _colon_quotes(doc: Doc, sentences: list[Sentence], paragraphs: list[tuple[int, int]],
                  found: list[Quote], mentions: list[Mention]) -> list[Quote]:
    """The quotes with "TAPPER: Do you think …" (a transcript line) and "Bill Clinton: Hillary …" (a
    headline) added: the name before a paragraph's colon says the rest of the paragraph. A transcript
    line inside a running quotation ("HOLT: …) replaces the quote the marks made of it."""
    out = list(found)
    for pstart, pend in paragraphs:
        m = _COLON_LINE.match(_text(doc), pstart, pend)
        if m is None:
            continue
        prefix = m.group(1).strip()
        words = prefix.split()
        transcript = prefix.upper() == prefix and len(words) <= 2 and any(c.isalpha() for c in prefix)
        name_start, name_end = m.start(1), m.start(1) + len(m.group(1).rstrip())
        name = [x for x in mentions if x.label in {"PERSON", "ORG"} and name_start <= x.start
                and x.end == name_end]
        # A headline "Poll: …", "Clinton camp: …" (not a dateline "Beijing: …" opening a body).
        headline = pstart == paragraphs[0][0] and len(words) <= 3 and pend - pstart <= 160 and not any(
            x.label in {"GPE", "LOC"} and name_start <= x.start < name_end for x in mentions)
        if not transcript and not ((name and len(words) <= 5 or headline) and words[0] not in {"The", "A"}):
            continue
        if m.start(1) > pstart:
            out = [q for q in out if not (q.kind == "direct" and pstart <= q.start and q.end <= pend)]
        spans = [(q.start, q.end) for q in out if q.kind == "direct"]
        start, end = m.end(), pend
        while end > start and _text(doc)[end - 1].isspace():
            end -= 1
        if end - start < 8 or _covered(start, end, spans) >= 0.5:
            continue
        subject = doc.char_span(name_start, name_end, alignment_mode="contract")
        if subject is None or not len(subject):
            continue
        kind = "direct" if transcript else "indirect"
        quote = Quote(start=start, end=end, text=_text(doc)[start:end], kind=kind,
                      sentence=sentence_at(sentences, start))
        colon = m.end(1)
        _attach(doc, quote, _Cue(subject[-1], colon, colon + 1, subject, None), mentions)
        quote.confidence = round(quote.confidence * 0.8, 2)
        out.append(quote)
    return out


# “A reader's words.” ― Name (reader reactions, epigraphs): a quoted paragraph signed after a dash.
_DASH_SIGNED = re.compile(
    r"[“\"”](?P<quote>\S.*?)[”\"“]?[ \t\u00a0]*[―—–][ \t\u00a0]*(?P<name>[A-Z][^\n]{1,80}?)[ \t\u00a0]*$")


def _dash_quotes(doc: Doc, sentences: list[Sentence], paragraphs: list[tuple[int, int]],
                 found: list[Quote], mentions: list[Mention]) -> list[Quote]:
    """The quotes with each dash-signed paragraph as one direct quote of the person named after the
    dash (its pieces found before, split by a stray mark, give way to it)."""
    text, out = _text(doc), list(found)
    for pstart, pend in paragraphs:
        m = _DASH_SIGNED.match(text, pstart, pend)
        if m is None or len(m.group("quote").split()) < 3:
            continue
        name = [x for x in mentions if x.label in {"PERSON", "ORG"} and x.start == m.start("name")]
        if not name:
            continue
        subject = doc.char_span(name[0].start, name[0].end, alignment_mode="contract")
        if subject is None or not len(subject):
            continue
        start, end = _trim_quote(text, m.start("quote"), m.end("quote"))
        out = [q for q in out if not (start <= q.start and q.end <= end + 1)]
        quote = Quote(start=start, end=end, text=text[start:end], kind="direct",
                      sentence=sentence_at(sentences, start))
        dash = m.start("name") - 1
        while dash > end and text[dash] not in "―—–":
            dash -= 1
        _attach(doc, quote, _Cue(subject.root, dash, dash + 1, subject, None), mentions)
        out.append(quote)
    return out


def _trim_quote(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without the quotation marks and spaces at its edges."""
    while start < end and (text[start].isspace() or text[start] in "“”\""):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "“”\""):
        end -= 1
    return start, end


def _covered(start: int, end: int, spans: list[tuple[int, int]]) -> float:
    """Share of the characters start..end inside any of the spans."""
    inside = sum(max(0, min(end, e) - max(start, s)) for s, e in spans)
    return min(1.0, inside / max(1, end - start))


def _rule_rejected(doc: Doc, cue: _Cue) -> bool:
    """The classifier finds the rule's reported clause very unlikely to be an attribution."""
    model = classifier()
    if model is None or cue.content is None or cue.verb.lower_ in PREPOSITIONAL_CUES \
            or cue.verb.pos_ == "ADP":
        return False  # a phrase, not a verb: the classifier knows verbs
    comps = [c for c in cue.verb.children if c.dep_ in {"ccomp", "xcomp"}]
    rel = comps[0].dep_ if comps else "ccomp"
    score = candidate_score(doc, Candidate(cue.verb, cue.verb, rel, cue.content, cue.subject))
    return score < model[3]


def _cue_span(doc: Doc, quote: Quote) -> Span | None:
    """The tokens of a quote's cue."""
    return doc.char_span(quote.cue_start, quote.cue_end or quote.cue_start + 1, alignment_mode="expand")


def _to_sentence_end(doc: Doc, quotes: list[Quote]) -> None:
    """A reported clause after its cue runs on to the end of its sentence (see _run_on_end)."""
    text = _text(doc)
    starts = sorted(q.start for q in quotes if q.kind != "partial")  # a partial is part of the clause
    for q in quotes:
        if q.kind != "indirect" or q.cue_start is None or q.cue_start > q.start:
            continue
        cue = _cue_span(doc, q)
        if cue is None:
            continue
        end = _run_on_end(doc, cue.root, q.end, starts)
        if end != q.end:
            q.end, q.text = end, text[q.start:end]


def _around_parenthetical_cues(doc: Doc, quotes: list[Quote]) -> None:
    """ "The pier had become so weak, the engineer noted, that trams had to slow": a cue set off by
    commas inside its sentence reports the whole sentence, on both sides of it."""
    text = _text(doc)
    for q in quotes:
        if q.kind != "indirect" or q.cue_start is None or q.speaker_start is None:
            continue
        speaker = doc.char_span(q.speaker_start, q.speaker_end, alignment_mode="expand")
        cue = _cue_span(doc, q)
        if speaker is None or cue is None or speaker.sent != cue.sent or speaker.end > cue.start:
            continue
        sent = cue.sent
        before = doc[speaker.start - 1] if speaker.start > sent.start else None
        after = next((t for t in doc[cue.end:min(sent.end, cue.end + 7)] if t.is_punct), None)
        if before is None or before.text != "," or after is None or after.text != "," \
                or any(t.pos_ in {"VERB", "AUX"} for t in doc[cue.end:after.i]):
            continue
        if speaker.start - 1 - sent.start < 3 or sent.end - after.i < 4:
            continue  # a few words on either side: not a sentence the cue sits inside
        span = _char_span(doc, sent.start, sent.end)
        if span is not None and span[0] <= q.start and q.end <= span[1]:
            q.start, q.end = _after_dateline(text, *span)
            q.text = text[q.start:q.end]


_EMBEDDED_CLAUSES = frozenset({"relcl", "acl", "advcl", "ccomp", "csubj", "parataxis"})


def _run_on_end(doc: Doc, cue: Token, end: int, other_starts: list[int] = ()) -> int:
    """Where a reported clause ending at character `end` really ends: the parse often stops it at
    "but", "so" or a comma ("said the team had played well, but the referee cost them the match"),
    where PolNeAR, and a reader, take the rest of the sentence as part of what was reported. It runs
    on to the end of the sentence, or of the clause its cue sits in, unless the rest is on another line,
    holds another quote or someone else's report ("…, but the contractor warned of delays"), or the
    cue is a parenthetical "who said …,"."""
    last = doc.char_span(end - 1, end, alignment_mode="expand")
    if last is None:
        return end
    last = last[-1]
    limit = last.sent.end
    if cue.sent == last.sent:
        for head in [cue, *cue.ancestors]:
            if head.dep_ in {"relcl", "acl"}:
                return end
            if head.dep_ in _EMBEDDED_CLAUSES:
                limit = min(head.right_edge.i + 1, limit)
                break
    if limit <= last.i + 1:
        return end
    text, rates = _text(doc), reporting_verbs()
    limit_char = doc[limit - 1].idx
    if "\n" in text[end:limit_char] or any(end <= s <= limit_char for s in other_starts):
        return end
    if any(t.pos_ == "VERB" and rates.get(t.lemma_.lower(), 0.0) >= 0.5 for t in doc[last.i + 1:limit]):
        return end
    span = _char_span(doc, last.i + 1, limit)
    return end if span is None else span[1]


def _without_straddling(quotes: list[Quote]) -> list[Quote]:
    """Quotes without the reported clauses that run across a quotation's edge ("knew it,” said Brandt,
    speaking of the crossing"): a parse across the marks, not a report."""
    direct = [(q.start, q.end) for q in quotes if q.kind == "direct"]

    def straddles(q: Quote) -> bool:
        return q.kind == "indirect" and any(
            s < q.end and q.start < e and not (q.start <= s and e <= q.end or s <= q.start and q.end <= e)
            for s, e in direct)

    return [q for q in quotes if not straddles(q)]


def _without_embedded(quotes: list[Quote]) -> list[Quote]:
    """Quotes without the reported clauses whose cue lies inside a longer reported clause ("she said
    she hopes to be elected"): the words are already in the outer quote, under its speaker."""
    indirect = [q for q in quotes if q.kind == "indirect"]

    def embedded(q: Quote) -> bool:
        return q.kind == "indirect" and q.cue_start is not None and any(
            o is not q and o.start <= q.start and q.end <= o.end and o.end - o.start > q.end - q.start
            and o.start <= q.cue_start < o.end for o in indirect)

    return [q for q in quotes if not embedded(q)]


# -- speakers: pronouns and continuations ---------------------------------------------------------

def _resolve_pronouns(doc: Doc, quotes: list[Quote], mentions: list[Mention],
                      entities: list[LocalEntity]) -> None:
    """ "he said" → the last compatible person named outside quoted text before the quote, preferring
    the subject of that sentence ("Østby is due to meet Helena Marsk. He said …" → Østby)."""
    gender = _genders(doc, mentions)
    quoted = [(q.start, q.end) for q in quotes]
    people = [m for m in mentions if m.label == "PERSON" and not _in(quoted, m.start)]
    orgs = [m for m in mentions if m.label in {"ORG", "GPE", "NORP"} and not _in(quoted, m.start)]
    subjects = {m.start for m in people if _is_subject(doc, m)}
    for quote in quotes:
        if quote.speaker_via != "pronoun" or quote.speaker is None:
            continue
        pron = quote.speaker.lower()
        anchor = min(quote.start, quote.speaker_start or quote.start)
        want = "m" if pron in MALE else "f" if pron in FEMALE else None
        if pron in MALE | FEMALE:
            target = _last_compatible(people, anchor, want, gender, subjects)
        elif pron in {"it", "they"}:
            target = _last_compatible(orgs, anchor, None, gender, set())
        else:
            target = None
        if target is None:
            continue
        quote.speaker_key = target.key
        if want and target.key not in gender:
            gender[target.key] = want  # what we learn helps the next pronoun
        quote.confidence = round(quote.confidence * 0.95, 2)


_ROLE_WORDS = TITLE_WORDS | PERSON_NOUNS
_DEFINITE = re.compile(r"^(?:the|its|his|her|their|[\w-]+['’]s)\s+(?:[\w-]+\s+){0,3}([\w-]+)$",
                       re.IGNORECASE)


def _resolve_roles(doc: Doc, quotes: list[Quote], mentions: list[Mention],
                   entities: list[LocalEntity]) -> None:
    """ "the minister said" → the one person named earlier with that role ("Transport Minister Helena
    Marsk"); the speaker stays the nominal phrase, its key is the person."""
    people = {e.key: e for e in entities if e.label == "PERSON" and e.roles}
    if not people:
        return
    first_seen: dict[str, int] = {}
    for m in mentions:
        if m.key in people:
            first_seen.setdefault(m.key, m.start)
    for quote in quotes:
        if quote.speaker_via != "nominal" or quote.speaker_key or not quote.speaker:
            continue
        match = _DEFINITE.match(quote.speaker.strip())
        if match is None or match.group(1).lower() not in _ROLE_WORDS:
            continue
        words = {w.lower().strip("’'") for w in quote.speaker.split()[1:]}
        head = match.group(1).lower()
        anchor = quote.speaker_start if quote.speaker_start is not None else quote.start
        scored = []
        for key, entity in people.items():
            if first_seen.get(key, anchor) >= anchor:
                continue
            role_words = {w.lower().strip(",.’'") for role in entity.roles for w in role.split()}
            if head in role_words:
                scored.append((len(words & role_words), key))
        scored.sort(reverse=True)
        if len(scored) == 1 or len(scored) > 1 and scored[0][0] > scored[1][0]:
            quote.speaker_key = scored[0][1]
            quote.confidence = round(quote.confidence * 0.9, 2)


def _mention_root(doc: Doc, m: Mention) -> Token | None:
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _is_subject(doc: Doc, m: Mention) -> bool:
    root = _mention_root(doc, m)
    return root is not None and root.dep_ in {"nsubj", "nsubjpass"}


def _genders(doc: Doc, mentions: list[Mention]) -> dict[str, str]:
    """Gender from titles ("Mr Xi" → male, "Ms Marsk" → female), else from a possessive in the clause
    the person is the subject of ("Mikkel Østby … said his members" → male)."""
    out: dict[str, str] = {}
    people = [m for m in mentions if m.label == "PERSON"]
    for m in people:
        before = _text(doc)[max(0, m.start - 6):m.start].split()
        word = before[-1].lower().rstrip(".") if before else ""
        if word == "mr":
            out.setdefault(m.key, "m")
        elif word in {"ms", "mrs", "miss"}:
            out.setdefault(m.key, "f")
    starts = sorted(m.start for m in people)
    for m in people:
        root = _mention_root(doc, m)
        if m.key in out or root is None or root.dep_ != "nsubj":
            continue
        later = [s for s in starts if s > m.start]
        limit = later[0] if later else len(_text(doc))
        for tok in root.head.subtree:
            if tok.i > root.i and tok.idx < limit and tok.tag_ == "PRP$" and tok.lower_ in {"his", "her"}:
                out[m.key] = "m" if tok.lower_ == "his" else "f"
                break
    return out


def _last_compatible(candidates: list[Mention], anchor: int, want: str | None,
                     gender: dict[str, str], subjects: set[int]) -> Mention | None:
    before = [m for m in candidates if m.end <= anchor]
    fits = [m for m in before if want is None or gender.get(m.key, want) == want]
    if not fits:
        return before[-1] if before else None
    last = fits[-1]
    if last.start not in subjects:
        same = [m for m in fits if m.sentence == last.sentence and m.start in subjects]
        if same:
            return same[-1]
    return last


def _continue_speakers(quotes: list[Quote], paragraphs: list[tuple[int, int]]) -> None:
    """A cue-less quote continues the speaker of a quote just before it (same or previous paragraph)."""
    prev: Quote | None = None
    for quote in quotes:
        if quote.cue is None and quote.kind == "direct" and prev is not None and prev.speaker is not None \
                and _paragraph(paragraphs, quote.start) - _paragraph(paragraphs, prev.start) <= 1:
            quote.speaker_key = prev.speaker_key
            quote.speaker = None if prev.speaker_key else prev.speaker
            quote.speaker_via = "continuation"
            quote.confidence = 0.7 if prev.speaker_key else 0.5
        if quote.kind == "direct" or quote.speaker is not None and quote.confidence >= 0.6:
            prev = quote


def _paragraph(paragraphs: list[tuple[int, int]], char: int) -> int:
    for i, (_, e) in enumerate(paragraphs):
        if char < e:
            return i
    return len(paragraphs) - 1
