"""Quantities in news text: money, percentages, counts, areas, lengths and durations.

Each quantity keeps the value in the unit the article states, a normalised unit code, conversions
(metric and imperial for lengths and areas; money stays in its currency), what it measures (from the
dependency parse), a relative change when one is stated, and the period it refers to.

Not quantities: years ("in 2024"), dates and times, ordinals ("third term"), fractions ("a third"),
ages ("aged 54", "the 24-year-old"), identifiers ("piers 11 and 12", "Line 7"), phone-like digit
groups, vague amounts ("dozens", "more than a dozen", "hundreds of millions") and bare numbers that
count nothing (a list of numbers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from storylens.analyze.sentences import sentence_at
from storylens.models import Quantity, Sentence

# -- numbers ---------------------------------------------------------------------------------

_ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}
_SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6,
    "billion": 1e9, "bn": 1e9, "trillion": 1e12, "tn": 1e12,
}
_WORD = "|".join(sorted([*_ONES, *_TENS], key=len, reverse=True))
_UNITS = "|".join(k for k in _ONES if 0 < _ONES[k] < 10)
_WORDNUM = rf"(?:(?:{'|'.join(_TENS)})[- ](?:{_UNITS})|{_WORD}|a hundred)"
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_NUM = rf"(?P<num>{_DIGITS}|\b{_WORDNUM}\b)"
_SCALE_WORD = r"(?:\s?(?P<scale>trillion|billion|million|thousand)\b)?"
_SCALE_ANY = r"(?:\s?(?P<scale>trillion|billion|million|thousand|tn|bn|mln|mn|m|k)\b)?"

# -- units -----------------------------------------------------------------------------------

_SYMBOLS = {"us$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "c$": "CAD", "a$": "AUD",
            "hk$": "HKD"}
_CODES = {"usd": "USD", "eur": "EUR", "gbp": "GBP", "cny": "CNY", "rmb": "CNY", "jpy": "JPY",
          "chf": "CHF", "inr": "INR", "rub": "RUB", "cad": "CAD", "aud": "AUD", "hkd": "HKD"}
_CURRENCY_WORDS = {"dollar": "USD", "euro": "EUR", "pound": "GBP", "yuan": "CNY", "renminbi": "CNY",
                   "yen": "JPY", "rouble": "RUB", "ruble": "RUB", "franc": "CHF", "rupee": "INR"}
_METRES = {"km": 1000.0, "m": 1.0, "cm": 0.01, "mm": 0.001, "mi": 1609.344, "ft": 0.3048,
           "yd": 0.9144, "in": 0.0254}
_SQ_KM = {"km2": 1.0, "m2": 1e-6, "sq_mi": 2.589988110336, "ha": 0.01, "acre": 0.004046856422,
          "sq_ft": 9.290304e-8}
_LENGTH_NAMES = {
    "kilometre": "km", "kilometer": "km", "km": "km", "metre": "m", "meter": "m", "m": "m",
    "centimetre": "cm", "centimeter": "cm", "cm": "cm", "millimetre": "mm", "millimeter": "mm",
    "mm": "mm", "mile": "mi", "mi": "mi", "foot": "ft", "feet": "ft", "ft": "ft", "yard": "yd",
    "yd": "yd", "inch": "in", "inche": "in",
}
_DURATIONS = {"year": "year", "month": "month", "week": "week", "day": "day", "hour": "hour",
              "minute": "minute", "season": "season"}
_DAYS = {"year": 365.25, "month": 30.44, "week": 7.0, "day": 1.0, "hour": 1 / 24, "minute": 1 / 1440}

_LENGTH_UNIT = (r"kilomet(?:re|er)s?|km|met(?:re|er)s?|centimet(?:re|er)s?|cm|millimet(?:re|er)s?|mm"
                r"|miles?|mi|feet|foot|ft|yards?|yd|inch(?:es)?")

_MONEY_RES = [
    re.compile(rf"(?P<sym>US\$|HK\$|C\$|A\$|\$|€|£|¥)\s?{_NUM}{_SCALE_ANY}", re.IGNORECASE),
    re.compile(rf"\b(?P<code>{'|'.join(_CODES).upper()})\s?{_NUM}{_SCALE_ANY}"),
    re.compile(rf"{_NUM}{_SCALE_WORD}\s(?:US\s|U\.S\.\s)?(?P<word>dollars?|euros?|pounds?(?: sterling)?"
               r"|yuan|renminbi|yen|roubles?|rubles?|francs?|rupees?)\b", re.IGNORECASE),
]
_PERCENT_RE = re.compile(
    rf"{_NUM}\s?(?:(?P<pp>percentage[- ]points?)|%|per\s?cent\b|percent\b|pc\b)", re.IGNORECASE)
_AREA_RES = [
    re.compile(rf"{_NUM}{_SCALE_WORD}[\s-](?:square|sq\.?)[\s-](?P<unit>{_LENGTH_UNIT}|m)\b", re.IGNORECASE),
    re.compile(rf"{_NUM}{_SCALE_WORD}\s?(?P<unit>km2|km²|m2|m²|hectares?|ha|acres?)(?![\w])", re.IGNORECASE),
]
_LENGTH_RE = re.compile(
    rf"{_NUM}{_SCALE_WORD}(?:(?:\s|-)(?P<unit>{_LENGTH_UNIT}|m)|(?P<tight>{_LENGTH_UNIT}))\b", re.IGNORECASE)
_DURATION_RE = re.compile(rf"{_NUM}[\s-](?P<unit>years?|months?|weeks?|days?|hours?|minutes?|seasons?)\b",
                          re.IGNORECASE)
# A duration that is an age, or a point in time rather than an amount.
_NOT_DURATION_AFTER = re.compile(r"[\s-]*(?:old\b|ago\b|before\b|after\b|later\b|earlier\b|since\b)",
                                 re.IGNORECASE)
_NOT_DURATION_BEFORE = re.compile(r"\b(?:first|last|past|next|previous|coming|recent|within)\s+$",
                                  re.IGNORECASE)
_AGE_AFTER = re.compile(r"^[\s-]*years?[\s-]*old\b", re.IGNORECASE)
_VAGUE = {"dozen", "dozens", "hundreds", "thousands", "millions", "billions", "scores"}
_ORDINALS = re.compile(
    r"^(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))$",
    re.IGNORECASE,
)

# -- words that give a measure its meaning ---------------------------------------------------

_CASUALTY = {
    "kill": "killed", "die": "died", "injure": "injured", "wound": "wounded", "hurt": "hurt",
    "arrest": "arrested", "evacuate": "evacuated", "rescue": "rescued", "displace": "displaced",
    "hospitalise": "hospitalised", "hospitalize": "hospitalised", "detain": "detained",
    "treat": "treated", "miss": "missing", "missing": "missing", "injured": "injured",
    "dead": "dead", "wounded": "wounded",
}
_UP = {"rise", "increase", "grow", "climb", "jump", "surge", "soar", "gain", "rocket", "boom", "expand",
       "up", "growth", "hike", "raise", "spike", "rebound", "higher"}
_DOWN = {"fall", "drop", "decline", "decrease", "slip", "slump", "plunge", "shrink", "sink", "tumble",
         "cut", "lose", "down", "reduce", "contract", "dip", "loss", "slide", "lower", "plummet", "fell"}
_MULTIPLY = {"double": 100.0, "triple": 200.0, "treble": 200.0, "quadruple": 300.0, "halve": -50.0}
_LEVEL_VERBS = {"rise", "fall", "reach", "remain", "stand", "hit", "total", "climb", "drop", "be",
                "increase", "decrease", "grow", "jump", "top", "exceed", "surpass", "number"}
_FILLER_HEADS = ("number of ", "total of ", "amount of ", "value of ", "figure of ", "level of ")
_PERIOD_WORDS = re.compile(
    r"\b(?:year|years|month|months|quarter|quarters|season|week|weeks|half|decade|january|february|march"
    r"|april|may|june|july|august|september|october|november|december|(?:19|20)\d\d)\b", re.IGNORECASE)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_ONE_DAY = re.compile(rf"\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}|-old\b",
                      re.IGNORECASE)
_DURATION_ONLY = re.compile(
    r"^(?:(?:for|about|around|at least|at most|more than|less than|nearly|almost|some|over|up to|within)\s+)*"
    rf"(?:[\d,.]+|a|an|several|few|{_WORD})\s+(?:years?|months?|weeks?|days?|decades?|quarters?|seasons?)$",
    re.IGNORECASE)
_PERIOD_PREPS = {"in", "during", "between", "over", "since", "for", "from", "through", "throughout", "by"}
_MAX_MEASURE_TOKENS = 9
_OPEN_PAREN = re.compile(r"\s*[(\[]\s*(?:about|around|some|roughly|nearly)?\s*")
_PHRASE_PREPS = {"of", "to", "from", "on", "in", "for"}


@dataclass
class _Hit:
    """A quantity found in the text, before its context is read."""

    start: int
    end: int
    value: float
    unit: str
    kind: str  # money, percent, pp, area, length, duration, count
    measure: str | None = None
    change: float | None = None
    change_unit: str | None = None
    root: Token | None = None


def find_quantities(doc: Doc, sentences: list[Sentence]) -> list[Quantity]:
    """Every quantity in the doc, with unit, conversions, measure, change and period."""
    if not doc.text.strip():
        return []
    hits = _unit_hits(doc)
    hits += _count_hits(doc, hits)
    hits.sort(key=lambda h: h.start)
    for hit in hits:
        hit.root = _root(doc, hit)
    for hit in hits:
        if hit.measure is None:
            hit.measure = _measure(hit)
        if hit.kind in ("percent", "pp"):
            hit.change = _percent_change(hit) or None
            hit.change_unit = hit.unit if hit.change is not None else None
    _attach_changes(doc, hits)
    _share_parenthetical_measures(doc, hits)
    return [_quantity(doc, sentences, hit) for hit in hits]


# -- finding numbers with units --------------------------------------------------------------


def parse_number(text: str) -> float | None:
    """A number written in digits ("6,000", "40.8") or words ("four", "twenty-one"); else None."""
    clean = text.strip().lower().replace(",", "")
    try:
        return float(clean)
    except ValueError:
        pass
    if clean == "a hundred":
        return 100.0
    parts = re.split(r"[- ]", clean)
    if len(parts) == 1:
        return float(_ONES.get(clean, _TENS.get(clean, -1))) if clean in _ONES or clean in _TENS else None
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _ONES:
        return float(_TENS[parts[0]] + _ONES[parts[1]])
    return None


def _scaled(match: re.Match) -> float | None:
    value = parse_number(match["num"])
    if value is None:
        return None
    scale = (match.groupdict().get("scale") or "").lower()
    return value * _SCALES.get(scale, 1.0)


def _unit_hits(doc: Doc) -> list[_Hit]:
    text = doc.text
    found: list[_Hit] = []
    for regex in _MONEY_RES:
        found += [h for m in regex.finditer(text) if (h := _money(m))]
    found += [h for m in _PERCENT_RE.finditer(text) if (h := _percent(m))]
    for regex in _AREA_RES:
        found += [h for m in regex.finditer(text) if (h := _area(m))]
    found += [h for m in _LENGTH_RE.finditer(text) if (h := _length(m))]
    found += [h for m in _DURATION_RE.finditer(text) if (h := _duration(m, text))]
    return _without_overlaps(found)


def _without_overlaps(hits: list[_Hit]) -> list[_Hit]:
    # Longest first: "6,000 square kilometres" beats "6,000 square" and "kilometres".
    kept: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), h.start)):
        if all(hit.end <= k.start or hit.start >= k.end for k in kept):
            kept.append(hit)
    return kept


def _money(m: re.Match) -> _Hit | None:
    value = _scaled(m)
    if value is None:
        return None
    groups = m.groupdict()
    if groups.get("sym"):
        unit = _SYMBOLS[groups["sym"].lower()]
    elif groups.get("code"):
        unit = _CODES[groups["code"].lower()]
    else:
        word = groups["word"].lower().split()[0]
        unit = _CURRENCY_WORDS[word.rstrip("s") if word not in ("yuan", "yen") else word]
    return _Hit(m.start(), m.end(), value, unit, "money")


def _percent(m: re.Match) -> _Hit | None:
    value = parse_number(m["num"])
    if value is None:
        return None
    if m["pp"]:
        return _Hit(m.start(), m.end(), value, "pp", "pp")
    return _Hit(m.start(), m.end(), value, "percent", "percent")


def _area(m: re.Match) -> _Hit | None:
    value = _scaled(m)
    if value is None:
        return None
    unit = m["unit"].lower().rstrip("s")
    codes = {"km2": "km2", "km²": "km2", "m2": "m2", "m²": "m2", "hectare": "ha", "ha": "ha", "acre": "acre"}
    if unit in codes:
        return _Hit(m.start(), m.end(), value, codes[unit], "area")
    length = _length_code(unit)
    area = {"km": "km2", "m": "m2", "mi": "sq_mi", "ft": "sq_ft"}.get(length or "")
    return _Hit(m.start(), m.end(), value, area, "area") if area else None


def _length_code(name: str) -> str | None:
    name = name.lower()
    if name in ("feet", "foot", "ft"):
        return "ft"
    return _LENGTH_NAMES.get(name.rstrip("s") if len(name) > 2 else name)


def _length(m: re.Match) -> _Hit | None:
    value = _scaled(m)
    name = m["unit"] or m["tight"]
    code = _length_code(name)
    if value is None or code is None:
        return None
    if code in ("mi", "in") and name.lower() in ("mi", "in") and m["tight"]:
        return None  # "3in" or "5mi" glued: too often something else
    return _Hit(m.start(), m.end(), value, code, "length")


def _duration(m: re.Match, text: str) -> _Hit | None:
    value = parse_number(m["num"])
    if value is None:
        return None
    if _NOT_DURATION_AFTER.match(text, m.end()):
        return None
    if _NOT_DURATION_BEFORE.search(text[max(0, m.start() - 12):m.start()]):
        return None
    unit = _DURATIONS[m["unit"].lower().rstrip("s")]
    return _Hit(m.start(), m.end(), value, unit, "duration")


# -- counts ----------------------------------------------------------------------------------

_SKIP_ENTS = {"DATE", "TIME", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}


def _count_hits(doc: Doc, taken: list[_Hit]) -> list[_Hit]:
    covered = {i for h in taken for i in range(h.start, h.end)}
    hits = []
    for tok in doc:
        if tok.idx in covered or not _is_count_number(tok):
            continue
        value = parse_number(tok.text)
        if value is None or _not_a_count(doc, tok, value):
            continue
        measure = _count_measure(tok)
        if measure:
            hits.append(_Hit(tok.idx, tok.idx + len(tok.text), value, "count", "count", measure=measure))
    return hits


def _is_count_number(tok: Token) -> bool:
    lower = tok.lower_
    if _ORDINALS.match(lower) or lower in _VAGUE:
        return False
    if lower in _ONES or lower in _TENS:
        return lower not in ("one", "zero")  # "one of", "no one": a pronoun far more often than a count
    return bool(re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", tok.text))


def _not_a_count(doc: Doc, tok: Token, value: float) -> bool:
    text = tok.text
    if tok.ent_type_ in _SKIP_ENTS:
        return True
    if re.fullmatch(r"0\d+", text):
        return True  # leading zero: a code or phone number
    if text.isdigit() and len(text) == 4 and 1800 <= value <= 2099 and not _counts_noun(tok):
        return True  # a year
    if _neighbour_is_number(doc, tok):
        return True  # digit groups: phone numbers, scores like "2 1"
    if tok.i > 0 and doc[tok.i - 1].lower_ in ("aged", "age", "ages", "number", "no", "no."):
        return True
    if _AGE_AFTER.match(doc.text, tok.idx + len(text)):
        return True
    if tok.i + 1 < len(doc) and (doc[tok.i + 1].lower_ in _VAGUE or doc[tok.i + 1].text in (":", "/")):
        return True
    return _is_label(tok)


def _counts_noun(tok: Token) -> bool:
    return tok.dep_ == "nummod" and tok.head.i > tok.i and tok.head.tag_ == "NNS"


def _neighbour_is_number(doc: Doc, tok: Token) -> bool:
    for j in (tok.i - 1, tok.i + 1):
        if 0 <= j < len(doc) and doc[j].text.isdigit() and not doc[j].whitespace_ == "" == tok.whitespace_:
            return True
    return False


def _is_label(tok: Token) -> bool:
    # "piers 11 and 12", "Line 7", "Quay 4": a number after the noun names, it does not count.
    prev = tok.doc[tok.i - 1] if tok.i > 0 else None
    if prev is not None and prev.pos_ in ("NOUN", "PROPN") and prev.tag_ != "NNS" or (
        prev is not None and prev.tag_ == "NNS" and tok.head == prev
    ):
        return True
    if tok.dep_ == "conj" and tok.head.i < tok.i and tok.head.like_num:
        return _is_label(tok.head)
    if tok.dep_ == "appos" and tok.head.ent_type_ == "PERSON":
        return True  # "Smith, 54,": an age
    head = tok.head
    return tok.dep_ in ("nummod", "appos", "compound") and head.i < tok.i and head.pos_ in ("NOUN", "PROPN")


def _count_measure(tok: Token) -> str | None:
    """What a bare number counts: the noun it modifies, or its role in the clause."""
    if tok.dep_ == "nummod" and tok.head.pos_ in ("NOUN", "PROPN") and tok.head.i > tok.i:
        return _with_casualty(tok.head, phrase(tok.head, {tok.i}))
    of = _of_object(tok)
    if of is not None:
        return _people_if_bare(phrase(of, {tok.i}))
    head = tok.head
    if tok.dep_ in ("nsubj", "nsubjpass") and head.lemma_.lower() in _CASUALTY:
        return "people " + _CASUALTY[head.lemma_.lower()]
    if tok.dep_ in ("dobj",) and head.lemma_.lower() in _CASUALTY:
        return "people " + _CASUALTY[head.lemma_.lower()]
    if tok.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX") and (
        head.head.lemma_.lower() in _LEVEL_VERBS or _direction(head.head) is not None
    ):
        return _clause_measure(head.head, {tok.i})
    if tok.dep_ in ("attr", "dobj") and head.lemma_.lower() in _LEVEL_VERBS:
        return _clause_measure(head, {tok.i})
    return None


def _people_if_bare(measure: str | None) -> str | None:
    # "two of the injured", "14 injured": news counts of casualties are people.
    if measure in _CASUALTY.values():
        return f"people {measure}"
    return measure


def _with_casualty(noun: Token, base: str | None) -> str | None:
    """'people' + 'killed' when the counted noun was killed, died, was injured..."""
    if base is None:
        return None
    verb = None
    if noun.dep_ in ("nsubj", "nsubjpass", "dobj") and noun.head.lemma_.lower() in _CASUALTY:
        verb = noun.head
    for child in noun.children:
        if child.dep_ in ("relcl", "acl", "amod") and child.lemma_.lower() in _CASUALTY:
            verb = child
    if verb is None:
        return base
    word = _CASUALTY[verb.lemma_.lower()]
    return base if word in base.split() else f"{base} {word}"


# -- what is measured ------------------------------------------------------------------------


def phrase(head: Token, exclude: set[int]) -> str | None:
    """A short noun phrase around `head`: possessors, compounds, adjectives, one 'of/to/on' phrase."""
    keep = _phrase_tokens(head, exclude, depth=0)
    if not keep:
        return None
    toks = sorted(keep, key=lambda t: t.i)[:_MAX_MEASURE_TOKENS]
    words = []
    for i, t in enumerate(toks):
        text = t.text if t.pos_ == "PROPN" or t.text.isupper() and len(t.text) > 1 else t.lower_
        words.append(text + (t.whitespace_ if i + 1 < len(toks) and toks[i + 1].i == t.i + 1 else " "))
    out = "".join(words).strip()
    if len(toks) == 1 and toks[0].pos_ == "PRON":
        return None
    for filler in _FILLER_HEADS:
        if out.startswith(filler) and len(out) > len(filler):
            out = out[len(filler):]
    return out or None


def _phrase_tokens(head: Token, exclude: set[int], depth: int) -> list[Token]:
    if head.i in exclude:
        return []
    out = [head]
    for child in head.lefts:
        if child.i in exclude or child.like_num and child.dep_ == "nummod":
            continue
        modifier = child.dep_ in ("compound", "amod", "nmod") and not _inside_quantity(child, exclude)
        if child.dep_ == "poss" or modifier:
            out += [t for t in child.subtree if t.i not in exclude and t.dep_ != "det"]
    preps = 0
    for child in head.rights:
        if child.i in exclude:
            continue
        if child.dep_ == "prep" and child.lower_ in _PHRASE_PREPS and depth < 1 and preps < 1:
            obj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
            if obj is not None and obj.i not in exclude:
                out += [child, *_phrase_tokens(obj, exclude, depth + 1)]
                preps += 1
        elif child.dep_ in ("acl", "amod") and child.tag_ in ("VBN", "JJ") and child.i == head.i + 1:
            out.append(child)  # "people injured"
    return out


def _inside_quantity(tok: Token, exclude: set[int]) -> bool:
    return any(t.i in exclude for t in tok.subtree)


def _of_object(tok: Token) -> Token | None:
    for child in tok.rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _span_of_object(doc: Doc, ids: set[int]) -> Token | None:
    """The object of an 'of' phrase hanging off the quantity ('31 per cent of all vehicles')."""
    for i in sorted(ids):
        of = _of_object(doc[i])
        if of is not None and of.i not in ids and of.pos_ != "PRON":
            return of
    return None


def _clause_measure(verb: Token, exclude: set[int]) -> str | None:
    """For 'X rose to N' the subject X; for 'puts the cost at N' the object; 'X would cost N'."""
    if verb.lemma_.lower() == "cost":
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "csubj", "nsubjpass")), None)
        what = phrase(subj, exclude) if subj is not None and subj.pos_ != "PRON" else None
        return f"cost of {what}" if what else "cost"
    for child in verb.children:
        if child.dep_ == "dobj" and child.i not in exclude and not child.like_num:
            return phrase(child, exclude)
    subject = _subject(verb)
    if subject is not None and subject.i not in exclude and subject.pos_ != "PRON":
        return _people_if_bare(phrase(subject, exclude))
    return None


def _subject(verb: Token) -> Token | None:
    while True:
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None and subj.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
            return verb.head  # "a contract that runs for five years": the contract
        if subj is not None or verb.dep_ not in ("xcomp", "conj") or verb.head == verb:
            return subj
        verb = verb.head  # "exports continued to rise", "rose and reached"


def _root(doc: Doc, hit: _Hit) -> Token | None:
    span: Span | None = doc.char_span(hit.start, hit.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _span_ids(doc: Doc, hit: _Hit) -> set[int]:
    span = doc.char_span(hit.start, hit.end, alignment_mode="expand")
    return {t.i for t in span} if span is not None else set()


def _measure(hit: _Hit) -> str | None:
    root = hit.root
    if root is None:
        return None
    exclude = _span_ids(root.doc, hit)
    of = _span_of_object(root.doc, exclude)
    if of is not None:
        return _people_if_bare(phrase(of, exclude))
    head = root.head
    if root.dep_ in ("nummod", "compound", "amod", "npadvmod", "quantmod", "nmod") and head.i not in exclude \
            and head.pos_ in ("NOUN", "PROPN"):
        return phrase(head, exclude)
    if root.dep_ == "pobj" and head.dep_ in ("prep", "agent"):
        owner = head.head
        if head.lower_ == "of" and owner.pos_ in ("NOUN", "PROPN"):
            return phrase(owner, exclude)  # "a dividend of 86 million euros"
        if head.lower_ in ("at", "to"):
            while owner.dep_ in ("pcomp", "pobj", "prep") and owner.head != owner:
                owner = owner.head  # "put the cost of rebuilding at N": up to "put"
        if owner.pos_ in ("VERB", "AUX"):
            return _clause_measure(owner, exclude)
        if owner.pos_ in ("NOUN", "PROPN"):
            return phrase(owner, exclude)  # "a fee of", "a record bid at"
    if root.dep_ in ("dobj", "attr", "npadvmod", "nsubj", "appos", "advmod") and head.pos_ in ("VERB", "AUX"):
        return _clause_measure(head, exclude)
    return None


# -- changes ---------------------------------------------------------------------------------


def _direction(tok: Token) -> float | None:
    lemma = tok.lemma_.lower()
    if lemma in _UP or tok.lower_ in _UP:
        return 1.0
    if lemma in _DOWN or tok.lower_ in _DOWN:
        return -1.0
    return None


def _percent_change(hit: _Hit) -> float | None:
    """+v or -v when the percentage is a change ('rose 50%', 'up 27%', 'a 27% increase')."""
    root = hit.root
    if root is None:
        return None
    doc = root.doc
    before = doc[max(0, root.i - 3):root.i]
    for tok in reversed(list(before)):
        if tok.lower_ in ("up", "down"):
            return hit.value * (1.0 if tok.lower_ == "up" else -1.0)
    anchor = _change_anchor(root)
    if anchor is None:
        return None
    if hit.measure is not None and _span_of_object(doc, _span_ids(doc, hit)) is not None:
        pass  # "lost 23% of its inspectors": the inspectors are what changed
    elif anchor.pos_ in ("VERB", "AUX"):
        hit.measure = _clause_measure(anchor, _span_ids(doc, hit))
    else:
        of = next((c for c in anchor.rights if c.dep_ == "prep" and c.lower_ in ("in", "of")), None)
        obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        hit.measure = phrase(obj, _span_ids(doc, hit)) if obj is not None else None
    return hit.value * (_direction(anchor) or 0.0)


def _change_anchor(root: Token) -> Token | None:
    """The verb or noun of change a percentage belongs to ('rose', 'increase'), if any."""
    node = root
    for _ in range(3):
        if node.head == node:
            return None
        if node.dep_ == "pobj" and node.head.lower_ not in ("by", "of"):
            return None  # "to 50%": a level reached, not a change
        node = node.head
        if _direction(node) is not None:
            return node
    return None


def _change_verb(tok: Token) -> Token | None:
    """The verb of change whose new level this quantity is ('rose ... to $40.8 billion')."""
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ in ("to", "at") and head.head.pos_ in ("VERB", "AUX"):
        verb = head.head
    elif tok.dep_ in ("dobj", "attr") and head.pos_ in ("VERB", "AUX"):
        verb = head
    else:
        return None
    return verb if _direction(verb) is not None or verb.lemma_.lower() in _MULTIPLY else None


def _attach_changes(doc: Doc, hits: list[_Hit]) -> None:
    """Give a level ('to $40.8 billion') the change stated beside it ('rose nearly 50%')."""
    for hit in hits:
        if hit.kind in ("percent", "pp") or hit.root is None:
            continue
        verb = _change_verb(hit.root)
        if verb is None:
            continue
        if verb.lemma_.lower() in _MULTIPLY:
            hit.change, hit.change_unit = _MULTIPLY[verb.lemma_.lower()], "percent"
            continue
        hit.measure = hit.measure or _clause_measure(verb, _span_ids(doc, hit))
        changes = [p for p in hits if p.kind in ("percent", "pp") and p.change is not None
                   and p.root is not None and _same_clause(p.root, verb)]
        if changes:
            best = min(changes, key=lambda p: abs(p.start - hit.start))
            hit.change, hit.change_unit = best.change, best.unit
            best.measure = best.measure or hit.measure


def _same_clause(tok: Token, verb: Token) -> bool:
    node = tok
    for _ in range(4):
        if node == verb:
            return True
        if node.head == node:
            return False
        node = node.head
    return node == verb


def _share_parenthetical_measures(doc: Doc, hits: list[_Hit]) -> None:
    # "6,000 square kilometres (2,300 sq mi) of land": the conversion measures the same thing.
    for first, second in zip(hits, hits[1:], strict=False):
        gap = doc.text[first.end:second.start]
        if _OPEN_PAREN.fullmatch(gap) and first.unit != second.unit:
            shared = first.measure or second.measure
            first.measure = second.measure = shared


# -- output ----------------------------------------------------------------------------------


def normalise(value: float, unit: str) -> dict[str, float]:
    """Conversions of a value: metres, km and miles for lengths; km², sq mi, ha for areas."""
    if unit in _METRES:
        metres = value * _METRES[unit]
        return {"m": metres, "km": metres / 1000, "mi": metres / _METRES["mi"], "ft": metres / _METRES["ft"]}
    if unit in _SQ_KM:
        km2 = value * _SQ_KM[unit]
        return {"km2": km2, "sq_mi": km2 / _SQ_KM["sq_mi"], "ha": km2 * 100}
    if unit in _DAYS:
        return {unit: value, "days": value * _DAYS[unit]}
    return {unit: value}


def _period(doc: Doc, hit: _Hit, sentence: Sentence | None) -> str | None:
    """The nearest date range in the sentence ('in the first five months of the year', 'last year')."""
    if sentence is None:
        return None
    best, best_gap = None, None
    for ent in doc.ents:
        if ent.label_ != "DATE" or ent.start_char < sentence.start or ent.end_char > sentence.end:
            continue
        if ent.start_char < hit.end and ent.end_char > hit.start or not _is_period(ent):
            continue
        if hit.root is not None and _governor(ent.root) != _governor(hit.root):
            continue  # a date in another clause dates something else
        gap = ent.start_char - hit.end if ent.start_char >= hit.end else hit.start - ent.end_char
        if best_gap is None or gap < best_gap:
            best, best_gap = ent, gap
    if best is None:
        return None
    before = doc[best.start - 1] if best.start > 0 else None
    if before is not None and before.lower_ in _PERIOD_PREPS:
        return doc.text[before.idx:best.end_char]
    return best.text


def _is_period(ent: Span) -> bool:
    # A span of time ('the first five months of the year', 'last year'), not one day or an age.
    if not _PERIOD_WORDS.search(ent.text) or _DURATION_ONLY.match(ent.text):
        return False
    return not _ONE_DAY.search(ent.text) or bool(re.search(r"\b(?:between|from|and|to)\b", ent.text))


def _governor(tok: Token) -> Token:
    """The verb whose clause a token belongs to (the sentence root when there is none)."""
    node = tok
    while node.head != node and node.pos_ not in ("VERB", "AUX"):
        node = node.head
    return node


def _quantity(doc: Doc, sentences: list[Sentence], hit: _Hit) -> Quantity:
    index = sentence_at(sentences, hit.start) if sentences else 0
    sentence = sentences[index] if sentences else None
    return Quantity(
        start=hit.start,
        end=hit.end,
        text=doc.text[hit.start:hit.end],
        sentence=index,
        value=hit.value,
        unit=hit.unit,
        measure=hit.measure,
        change=hit.change,
        change_unit=hit.change_unit,
        period=_period(doc, hit, sentence),
        normalised=normalise(hit.value, hit.unit),
        qualifier=_qualifier(doc.text, hit.start),
    )


_QUALIFIER = re.compile(
    r"\b(nearly|almost|about|around|approximately|roughly|some|close to|an estimated|"
    r"(?:just |well )?(?:more than|over|under|less than|fewer than)|at least|at most|up to|as many as)"
    r"\s+$", re.IGNORECASE)


def _qualifier(text: str, start: int) -> str | None:
    """The hedge right before a number ("nearly", "more than"), lower-cased, or None."""
    match = _QUALIFIER.search(text, max(0, start - 30), start)
    return match.group(1).lower() if match else None
