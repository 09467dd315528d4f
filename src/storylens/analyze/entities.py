"""Named entities from spaCy's NER, cleaned of the small model's errors and grouped within one article."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from storylens.analyze.sentences import sentence_at
from storylens.models import LocalEntity, Mention, Sentence

LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "LAW", "PRODUCT", "FAC"})

# Honorifics never belong to a name; they tell us the gender when they are there.
HONORIFICS = {"mr": "m", "mr.": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f", "miss": "f",
              "sir": "m", "dame": "f", "lord": "m", "lady": "f", "dr": None, "dr.": None,
              "prof": None, "prof.": None, "professor": None}

# Job titles the model sometimes folds into a PERSON span ("Transport Minister Helena Marsk").
TITLE_WORDS = frozenset({
    "president", "minister", "secretary", "senator", "sen.", "rep.", "representative", "gov.",
    "governor", "chairman", "chairwoman", "chair", "chancellor", "premier", "mayor", "councillor",
    "councilor", "judge", "justice", "general", "gen.", "colonel", "col.", "captain", "capt.",
    "commissioner", "director", "manager", "coach", "spokesman", "spokeswoman", "spokesperson", "chief",
    "executive", "ceo", "king", "queen", "prince", "princess", "pope", "ambassador", "speaker",
    "leader", "founder", "officer", "inspector", "sergeant", "lieutenant", "lt.", "deputy", "vice",
    "adviser", "advisor", "analyst", "professor", "reverend", "rev.", "father", "bishop", "cardinal",
    "sheikh",
})

# Head words of organisation names: a PERSON span holding one is an organisation ("Vantor Infrastructure").
ORG_WORDS = frozenset({
    "infrastructure", "group", "consulting", "consultancy", "consultants", "athletic", "athletico", "rovers",
    "united", "wanderers", "trust", "service", "services", "agency", "ministry", "bank", "council",
    "company", "co.", "corp", "corp.", "corporation", "ltd", "ltd.", "limited", "inc", "inc.", "plc", "llc",
    "llp", "gmbh", "ag", "fc", "afc", "association", "union", "party", "institute", "university", "college",
    "school", "hospital", "department", "committee", "commission", "authority", "board", "federation",
    "foundation", "organisation", "organization", "partners", "holdings", "industries", "systems",
    "technologies", "media", "airlines", "airways", "club", "fund", "society", "church", "police",
    "bureau", "league", "network", "solutions", "energy", "motors", "labs", "laboratories", "capital",
    "ventures", "insurance", "pharmaceuticals", "telecom", "railways", "railway", "office", "inspectorate",
    "directorate", "secretariat", "parliament", "assembly", "senate", "congress", "court", "tribunal",
    "newspaper", "times", "post", "gazette", "herald", "courier", "journal", "tribune", "chronicle",
    "café", "cafe", "bakery", "restaurant", "hotel", "pub", "shop", "store", "supermarket", "brewery",
    "clinic", "studio", "theatre", "theater", "cinema", "gallery", "museum", "library",
})
# Nouns for places: an "organisation" that is the possessor or "of" object of one is a place
# ("Estmark's second-largest city", "the southern district of Harrowgate").
PLACE_NOUNS = frozenset({"district", "city", "town", "village", "region", "province", "county", "suburb",
                         "country", "capital", "neighbourhood", "neighborhood", "borough", "municipality",
                         "state", "territory", "island", "nation"})
# Place words: a name holding one is a facility or a location ("Colbeck Bridge", "River Senn").
FAC_LAST = frozenset({"bridge", "tunnel", "airport", "station", "street", "road", "avenue", "square",
                      "stadium", "arena", "tower", "pier", "quay", "depot", "dam", "harbour", "harbor",
                      "motorway", "highway", "lane", "boulevard", "terminal", "port"})
LOC_FIRST = frozenset({"river", "lake", "mount", "loch", "gulf", "cape", "isle"})
LOC_LAST = frozenset({"river", "lake", "mountains", "mountain", "valley", "sea", "ocean", "bay", "island",
                      "islands", "forest", "hills", "coast", "peninsula", "estuary", "canal", "desert"})
# Nouns for people: a name in apposition to one ("its chief executive, Anders Pellow") is a person.
PERSON_NOUNS = frozenset({
    "agent", "striker", "player", "goalkeeper", "defender", "midfielder", "forward", "engineer", "resident",
    "witness", "lawyer", "attorney", "economist", "scientist", "researcher", "expert", "official", "author",
    "reporter", "journalist", "editor", "teacher", "doctor", "nurse", "student", "owner", "worker", "driver",
    "member", "head", "boss", "spokesman", "spokeswoman", "spokesperson", "activist", "politician",
    "lawmaker", "mp", "candidate", "actor", "actress", "singer", "artist", "writer", "banker",
    "investor", "businessman", "businesswoman", "entrepreneur", "historian", "lecturer", "consultant",
    "campaigner", "organiser", "organizer", "victim", "survivor", "mother", "father", "son", "daughter",
    "wife", "husband", "brother", "sister", "friend", "colleague", "neighbour", "neighbor", "partner",
})

_ACRONYM = re.compile(r"^[A-Z][A-Z&.]{1,7}$")
# A dateline opening an article: "ALDERSUND – ", "VARENHOLT, March 10 (MPA) – ".
DATELINE = re.compile(r"^\s*[A-Z][A-Z .'’-]*[A-Z]\b[^–—\n]{0,40}?\s[–—-]{1,2}\s+")
_SPLIT_TEXT = {"(", ")", "[", "]", "|", "/", ":", ";", "—", "–", "•"}
_EDGE_PUNCT = "\"'“”‘’«»,.;:!?()[]{}-–—*•"
_ARTICLES = frozenset({"the", "a", "an"})
_SMALL_WORDS = frozenset({"of", "and", "the", "for", "&", "de", "du", "la", "on", "in", "at", "to"})


@dataclass
class _Group:
    """Mentions that name one entity, while grouping."""

    label_votes: Counter = field(default_factory=Counter)
    mentions: list[tuple[int, int, str]] = field(default_factory=list)
    forms: Counter = field(default_factory=Counter)

    @property
    def label(self) -> str:
        return self.label_votes.most_common(1)[0][0]


def find_entities(doc: Doc, sentences: list[Sentence]) -> tuple[list[Mention], list[LocalEntity]]:
    """Cleaned entity mentions of one article and the entities they group into (keyed by fullest name)."""
    if not len(doc) or not sentences:
        return [], []
    spans = _clean_spans(doc)
    spans = _add_missed(doc, _add_unseen_names(doc, spans))
    groups = _group(doc, spans)
    mentions, entities = _materialise(doc, sentences, groups)
    _attach_roles(doc, mentions, entities)
    return mentions, entities


# -- cleaning -------------------------------------------------------------------------------------

def _clean_spans(doc: Doc) -> list[tuple[int, int, str]]:
    """Token spans (start, end, label) after splitting and trimming NER output."""
    out: list[tuple[int, int, str]] = []
    for ent in doc.ents:
        if ent.label_ not in LABELS:
            continue
        for start, end in _split(ent):
            label = ent.label_
            if label != "PERSON" and start > 0 and doc[start - 1].lower_.rstrip(".") in _PERSONAL \
                    and not _org_like(doc[start:end]):
                label = "PERSON"  # "Mr Pellow" tagged as an organisation
            start, end = _trim(doc, start, end, label)
            if end > start and any(ch.isalpha() for ch in doc[start:end].text):
                out.append((start, end, _relabel(doc[start:end], label)))
    return _follow_orgs(doc, out)


def _follow_orgs(doc: Doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """One-word names take the label of the fuller name they shorten: a "person" that is the first word
    of an organisation's name ("Vantor" of "Vantor Infrastructure") or the name word of a place's
    ("Senn" of "River Senn") and of no person's name; a non-person that is a person's surname
    ("Fontaine" of "Léa Fontaine")."""
    generic = ORG_WORDS | FAC_LAST | LOC_FIRST | LOC_LAST | _SMALL_WORDS
    fuller: dict[str, str] = {}
    for s, e, lab in spans:
        if e - s < 2 or lab == "PERSON":
            continue
        words = doc[s:e].text.split()
        if lab == "ORG" and _org_like(doc[s:e]):
            fuller.setdefault(words[0].lower(), lab)
        elif lab in {"LOC", "FAC"}:
            for w in words:
                if w.lower() not in generic and w[:1].isupper():
                    fuller.setdefault(w.lower(), lab)
    person_words = {w.lower() for s, e, lab in spans if lab == "PERSON" and e - s >= 2
                    for w in doc[s:e].text.split()}
    surnames = {doc[e - 1].lower_ for s, e, lab in spans if lab == "PERSON" and e - s >= 2}
    out = []
    for s, e, lab in spans:
        low = doc[s].lower_
        if e - s == 1 and lab == "PERSON" and low in fuller and low not in person_words:
            lab = fuller[low]
        elif e - s == 1 and lab in {"ORG", "NORP", "PRODUCT"} and low in surnames \
                and not _org_like(doc[s:e]):
            lab = "PERSON"
        out.append((s, e, lab))
    return out


_PERSONAL = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame"})


def _org_like(span: Span) -> bool:
    """A capitalised organisation word in the name ("Vantor Infrastructure", "Bank of Estmark")."""
    return any(t.text[:1].isupper() and t.lower_ in ORG_WORDS for t in span)


def _place_label(span: Span) -> str | None:
    """FAC for "Colbeck Bridge", LOC for "River Senn" and "Senn Valley", else None."""
    words = [t for t in span if t.is_alpha]
    if len(words) < 2 or not all(t.text[:1].isupper() for t in (words[0], words[-1])):
        return None
    if words[0].lower_ in LOC_FIRST or words[-1].lower_ in LOC_LAST:
        return "LOC"
    if words[-1].lower_ in FAC_LAST:
        return "FAC"
    return None


def _place_context(span: Span) -> bool:
    """A place word alone does not outweigh a person reading ("Nathan Lane", "Michael Bay"): the name
    must follow "the" or open with "River" / "Mount"."""
    doc = span.doc
    return (span.start > 0 and doc[span.start - 1].lower_ == "the") or span[0].lower_ in {"river", "mount"}


def _relabel(span: Span, label: str) -> str:
    """Fix the small model's usual label errors with the name's own head words and its apposition."""
    if label in {"PERSON", "ORG", "GPE", "NORP", "FAC"}:
        if label in {"PERSON", "FAC", "NORP"} and _org_like(span):
            return "ORG"
        place = _place_label(span)
        if place is not None and not (label == "ORG" and _org_like(span)) \
                and (label != "PERSON" or _place_context(span)):
            return place
    if label in {"ORG", "GPE", "NORP", "PRODUCT"} and _person_by_apposition(span):
        return "PERSON"
    if label == "ORG" and not _org_like(span) and _names_a_place(span):
        return "GPE"
    return label


def _names_a_place(span: Span) -> bool:
    """ "Estmark's second-largest city", "the southern district of Harrowgate"."""
    root = span.root
    if root.dep_ == "poss":
        return root.head.lower_ in PLACE_NOUNS
    return root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lower_ in PLACE_NOUNS


def _person_by_apposition(span: Span) -> bool:
    """A run of capitalised proper nouns in apposition with a noun for a person ("its chief executive,
    Anders Pellow"; "Carla Benedek, the service's chief")."""
    if len(span) < 2 or len(span) > 4 or _org_like(span) or not all(
            t.pos_ == "PROPN" and t.text[:1].isupper() for t in span):
        return False
    root = span.root
    nouns = []
    if root.dep_ == "appos":
        nouns.append(root.head)
    nouns += [c for c in root.children if c.dep_ == "appos"]
    return any(n.pos_ == "NOUN" and n.lower_ in TITLE_WORDS | PERSON_NOUNS for n in nouns)


def _split(ent: Span) -> list[tuple[int, int]]:
    """Pieces of an entity span separated by line breaks, brackets and (for people) conjunctions."""
    pieces, start = [], ent.start
    for tok in ent:
        breaks = "\n" in tok.text or "\n" in tok.whitespace_ or tok.text in _SPLIT_TEXT
        joiner = ent.label_ == "PERSON" and tok.lower_ in {"and", "&", "or"}
        if breaks or joiner:
            end = tok.i + (1 if "\n" in tok.whitespace_ and tok.text.strip() and not joiner
                           and tok.text not in _SPLIT_TEXT else 0)
            pieces.append((start, end))
            start = tok.i + 1
    pieces.append((start, ent.end))
    return [(s, e) for s, e in pieces if e > s]


def _trim(doc: Doc, start: int, end: int, label: str) -> tuple[int, int]:
    """Drop leading determiners/honorifics/titles and trailing possessives, punctuation and verbs."""
    if label == "PERSON":
        # Everything up to the last title word or honorific is a role, not the name.
        titles = [i for i in range(start, end - 1) if _is_title(doc[i])]
        if titles:
            start = titles[-1] + 1
    while start < end and (doc[start].is_space or doc[start].is_punct or doc[start].lower_ in _ARTICLES):
        start += 1
    while end > start and _strip_right(doc[end - 1], label, end - start):
        end -= 1
    return start, end


def _is_title(tok: Token) -> bool:
    low = tok.lower_
    return low in HONORIFICS or low.rstrip(".") in HONORIFICS or low in TITLE_WORDS


def _strip_right(tok: Token, label: str, length: int) -> bool:
    if tok.is_space or tok.text in {"'s", "’s", "'", "’"} or all(c in _EDGE_PUNCT for c in tok.text):
        return True
    # "Xi Jinping Announced": a capitalised verb glued to the end of a name.
    return label == "PERSON" and length > 1 and tok.tag_.startswith("VB")


# -- mentions the model missed --------------------------------------------------------------------

def _add_missed(doc: Doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Other occurrences of names already found (any case for people), extended over proper nouns."""
    taken = {i for s, e, _ in spans for i in range(s, e)}
    names: dict[str, str] = {}
    for s, e, label in spans:
        names.setdefault(doc[s:e].text.lower(), label)
        if label == "PERSON" and e - s >= 2 and len(doc[e - 1].text) > 2:
            # The model often misses a surname used alone ("Benedek told reporters").
            names.setdefault(doc[e - 1].text.lower(), label)
    added: list[tuple[int, int, str]] = []
    for name, label in sorted(names.items(), key=lambda kv: -len(kv[0])):
        for start, end in _occurrences(doc, name):
            if any(i in taken for i in range(start, end)):
                continue
            if not _plausible(doc[start:end], label):
                continue
            if label == "PERSON":
                start, end = _extend_name(doc, start, end, taken)
            added.append((start, end, label))
            taken.update(range(start, end))
    return sorted(spans + added)


_LAST_TEXT: list = [None, ""]


def _text(doc: Doc) -> str:
    """The doc's text, kept for the doc being analysed (spaCy joins its tokens again on every call)."""
    if _LAST_TEXT[0] is not doc:
        _LAST_TEXT[0], _LAST_TEXT[1] = doc, doc.text
    return _LAST_TEXT[1]


def _add_unseen_names(doc: Doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Names the model missed: people an apposition shows ("Mikkel Østby, general secretary of the
    union, said") and places their own words show ("River Tarn", "Hallam Bridge")."""
    taken = {i for s, e, _ in spans for i in range(s, e)}
    added = []
    i = 0
    while i < len(doc):
        end = i
        while end < len(doc) and end not in taken and _name_word(doc[end]) \
                and (end == i or "\n" not in doc[end - 1].whitespace_):
            end += 1
        if end > i and _person_by_apposition(doc[i:end]):
            added.append((i, end, "PERSON"))
        elif end > i + 1 and _place_label(doc[i:end]) is not None and _place_context(doc[i:end]):
            added.append((i, end, _place_label(doc[i:end])))  # "the River Tarn", unseen by the model
        i = max(end, i + 1)
    return sorted(spans + added) if added else spans


def _name_word(tok: Token) -> bool:
    return tok.pos_ == "PROPN" and tok.text[:1].isupper() and tok.lower_ not in HONORIFICS \
        and tok.lower_ not in TITLE_WORDS


def _occurrences(doc: Doc, name: str) -> list[tuple[int, int]]:
    """Token spans whose text equals a name, ignoring case, on token boundaries."""
    out = []
    for match in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", _text(doc), flags=re.IGNORECASE):
        span = doc.char_span(match.start(), match.end())
        if span is not None:
            out.append((span.start, span.end))
    return out


def _plausible(span: Span, label: str) -> bool:
    """A found string is a name if capitalised, or a lower-cased person name tagged as a noun."""
    if span.text[:1].isupper():
        return True
    return label == "PERSON" and all(t.pos_ in {"PROPN", "NOUN"} and not t.is_stop for t in span)


def _extend_name(doc: Doc, start: int, end: int, taken: set[int]) -> tuple[int, int]:
    """Grow a person match over adjacent proper nouns ("Xi" → "Xi Jinping")."""
    def part_of_name(tok: Token) -> bool:
        return (tok.tag_ == "NNP" and tok.text[:1].isupper() and tok.i not in taken
                and tok.lower_ not in HONORIFICS and tok.lower_ not in TITLE_WORDS and not tok.ent_type_)

    while end < len(doc) and part_of_name(doc[end]) and "\n" not in doc[end - 1].whitespace_:
        end += 1
    return start, end


# -- grouping -------------------------------------------------------------------------------------

def _norm(text: str) -> str:
    """Comparison form of a name: case, quotes, spelling variants -ise/-ize."""
    text = text.lower().replace("’", "'").replace(".", "")
    text = re.sub(r"(?<=\w)is(ation|e|ed|ing)\b", r"iz\1", text)
    return " ".join(text.split())


def _group(doc: Doc, spans: list[tuple[int, int, str]]) -> list[_Group]:
    """Mentions grouped by same name, then by acronym and by shorter forms of a fuller name."""
    by_form: dict[str, _Group] = defaultdict(_Group)
    for s, e, label in spans:
        text = doc[s:e].text
        group = by_form[_norm(text)]
        group.label_votes[label] += 1
        group.mentions.append((doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text), text))
        group.forms[text] += 1
    # Fullest names first, so shorter ones join them.
    ordered = sorted(by_form.items(), key=lambda kv: (-len(kv[0].split()), -len(kv[0])))
    merged: list[tuple[str, _Group]] = []
    for form, group in ordered:
        target = _find_parent(form, group, merged)
        if target is None:
            merged.append((form, group))
            continue
        target.label_votes.update(group.label_votes)
        target.mentions.extend(group.mentions)
        target.forms.update(group.forms)
    # A name never written with a capital is a common word the model mistook ("party congress").
    return [g for _, g in merged if any(f[:1].isupper() for f in g.forms)]


def _find_parent(form: str, group: _Group, merged: list[tuple[str, _Group]]) -> _Group | None:
    """The already-formed entity this shorter form belongs to, if exactly one fits best."""
    label = group.label
    words = form.split()
    candidates = []
    for full, other in merged:
        if _belongs(label, words, group, full, other):
            candidates.append(other)
    if not candidates:
        return None
    # Ambiguous surnames go to the most mentioned full name.
    return max(candidates, key=lambda g: len(g.mentions))


def _belongs(label: str, words: list[str], group: _Group, full: str, other: _Group) -> bool:
    """A shorter person name, an ORG name's first words, or an acronym of the fuller form."""
    full_words = full.split()
    if label == "PERSON" and other.label == "PERSON":
        return _is_part(words, full_words)
    prefix = full_words[: len(words)] == words and len(words) < len(full_words)
    if label in {"ORG", "FAC", "LAW", "EVENT", "PRODUCT"} and other.label == label and prefix:
        return True
    if label in {"LOC", "FAC"} and other.label in {"LOC", "FAC"} and len(words) == 1 and len(full_words) > 1 \
            and words[0] in full_words and words[0] not in FAC_LAST | LOC_FIRST | LOC_LAST:
        return True  # "Senn" of "River Senn"
    return _is_acronym(group, full)


def _is_part(words: list[str], full_words: list[str]) -> bool:
    """A shorter person name made of the fuller one's words, in order ("xi" of "xi jinping")."""
    if len(words) >= len(full_words):
        return False
    it = iter(full_words)
    return all(w in it for w in words)


def _is_acronym(group: _Group, full: str) -> bool:
    """"SCO" for "Shanghai Cooperation Organisation" (initials of the significant words)."""
    text = group.forms.most_common(1)[0][0].replace(".", "")
    if not _ACRONYM.match(text) or len(full.split()) < 2:
        return False
    initials = "".join(w[0] for w in full.split() if w not in _SMALL_WORDS and w[0].isalpha())
    return initials.upper() == text.upper()


def _materialise(doc: Doc, sentences: list[Sentence], groups: list[_Group]
                 ) -> tuple[list[Mention], list[LocalEntity]]:
    """Mentions and entities, each entity keyed by its fullest name."""
    mentions: list[Mention] = []
    entities: list[LocalEntity] = []
    used_keys: set[str] = set()
    for group in groups:
        key = _canonical(group)
        if key in used_keys:
            key = f"{key} ({group.label})"
        used_keys.add(key)
        aliases = sorted({f for f in group.forms if f != key}, key=lambda f: (-group.forms[f], f))
        entities.append(
            LocalEntity(key=key, label=group.label, aliases=aliases, mentions=len(group.mentions)))
        for start, end, text in group.mentions:
            mentions.append(Mention(start=start, end=end, text=text, label=group.label, key=key,
                                    sentence=sentence_at(sentences, start)))
    mentions.sort(key=lambda m: m.start)
    entities.sort(key=lambda e: (-e.mentions, e.key))
    return mentions, entities


def _canonical(group: _Group) -> str:
    """The fullest properly capitalised form (acronyms lose to the spelled-out name)."""
    def rank(form: str) -> tuple:
        capitalised = form[:1].isupper()
        acronym = bool(_ACRONYM.match(form))
        return (capitalised, not acronym, len(form.split()), group.forms[form], len(form))

    return max(group.forms, key=rank)


# -- roles ----------------------------------------------------------------------------------------

def _attach_roles(doc: Doc, mentions: list[Mention], entities: list[LocalEntity]) -> None:
    """Descriptions attached to people: appositions and title phrases before the name."""
    by_key = {e.key: e for e in entities}
    for mention in mentions:
        if mention.label != "PERSON":
            continue
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            continue
        for role in _roles_of(doc, span):
            entity = by_key[mention.key]
            if role not in entity.roles:
                entity.roles.append(role)


def _roles_of(doc: Doc, name: Span) -> list[str]:
    """Role phrases for one name mention."""
    roles = []
    head = name.root
    appos = [c for c in head.children if c.dep_ == "appos" and c.i >= name.end and c.ent_type_ != "PERSON"]
    if appos:
        # Only the nearest apposition describes the person; later ones tend to describe the employer.
        first = appos[0]
        roles.append(_phrase(doc, first.left_edge.i, first.right_edge.i + 1))
    before = doc[head.head.left_edge.i:name.start].text_with_ws
    if head.dep_ == "appos" and head.head.i < name.start and head.head.pos_ == "NOUN" and "\n" not in before:
        noun = head.head
        end = name.start
        while end > noun.i + 1 and _is_title(doc[end - 1]) and doc[end - 1].lower_ not in TITLE_WORDS:
            end -= 1
        roles.append(_phrase(doc, noun.left_edge.i, end))
    left = _title_before(doc, name)
    if left:
        roles.append(left)
    return [r for r in roles if r and "\n" not in r and any(c.isalpha() for c in r) and len(r) < 200]


def _title_before(doc: Doc, name: Span) -> str | None:
    """Lower-case title words right before a name ("chief executive" Anders Pellow)."""
    i = name.start - 1
    while i >= 0 and doc[i].head.i in range(i, name.end) and doc[i].dep_ in {"compound", "amod", "nmod"} \
            and not (doc[i].is_punct or doc[i].is_space or "\n" in doc[i].whitespace_):
        i -= 1
    start = i + 1
    while start < name.start and _is_title(doc[start]) and doc[start].lower_ not in TITLE_WORDS:
        start += 1
    words = doc[start:name.start]
    if not len(words) or not any(t.lower_ in TITLE_WORDS or t.pos_ == "NOUN" for t in words):
        return None
    if all(t.lower_ in HONORIFICS for t in words):
        return None
    return words.text


def _phrase(doc: Doc, start: int, end: int) -> str:
    """Text of tokens [start, end) without surrounding punctuation and a dateline, determiners kept."""
    text = doc[start:end].text if end > start else ""
    return strip_dateline(text).strip().strip(",;:—–-").strip()


def strip_dateline(text: str) -> str:
    """Text without a leading dateline ("ALDERSUND – ", "VARENHOLT, March 10 (MPA) – ")."""
    match = DATELINE.match(text)
    return text[match.end():] if match else text
