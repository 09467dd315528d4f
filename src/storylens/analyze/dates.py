"""Date expressions in news text, resolved to calendar dates against the publication date.

Conventions for `TimeRef.resolved` (an ISO date, YYYY-MM-DD):
- a day ("on Thursday", "yesterday", "March 12") resolves to that day;
- a week ("last week", "this week") to its Monday (ISO weeks), a weekend to its Saturday, a month
  ("next month", "in February") to its first day, a year ("last year", "in 2024") to 1 January;
  "by the end of the month" to the month's last day; "two years ago" to the same day two years back.
- A bare weekday is read from the tense of its clause: past (or present perfect, or "since") means
  the latest such day on or before publication; future ("will", "is expected to", "is due to", a
  present-tense verb, a modal) means the next such day after publication.
- Without a publication date only absolute dates (with a year) resolve; the rest stay None.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from spacy.tokens import Doc, Token

from storylens.analyze.sentences import sentence_at
from storylens.models import Sentence, TimeRef

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december"]
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(_MONTHS)} | {"sept": 9}
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": None, "few": None}

_WD = r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?" \
       r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_YEAR = r"(?:,?\s+(?P<y>(?:19|20)\d\d))?"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"

# Order matters: earlier patterns win where spans overlap.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b")),
    ("mdy", re.compile(rf"\b{_MON}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?{_YEAR}\b", re.I)),
    ("dmy", re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}{_YEAR}\b", re.I)),
    ("end", re.compile(r"\b(?:by|at|until|before|towards?|from)?\s*the\s+end\s+of\s+(?:the\s+|this\s+)?"
                       r"(?P<next>next\s+)?(?P<unit>week|month|year)\b", re.I)),
    ("ago", re.compile(r"\b(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
                       r"(?P<unit>days?|weeks?|months?|years?)\s+ago\b", re.I)),
    ("weekend", re.compile(r"\b(?P<mod>over|at|this|last|next|during)\s+(?:the\s+)?weekend\b", re.I)),
    ("rel", re.compile(r"\b(?P<mod>last|next|this|coming|earlier\s+this|later\s+this)\s+"
                       r"(?P<unit>week|month|year)\b", re.I)),
    ("word", re.compile(r"\b(?P<w>yesterday|today|tonight|tomorrow)\b", re.I)),
    ("weekday", re.compile(rf"\b(?:(?P<mod>last|next|this|on|since|until|by|from|late\s+on|early\s+on)\s+)?"
                           rf"{_WD}{_PART}\b", re.I)),
    ("month", re.compile(rf"\b(?P<mod>in|since|until|by|from|last|next|this|early|late|mid-?)\s+{_MON}"
                         r"(?:\s+(?P<y>(?:19|20)\d\d))?\b(?!\s+\d)", re.I)),
    ("year", re.compile(r"\b(?P<mod>in|since|until|by|from|during|of)\s+(?P<y>(?:19|20)\d\d)\b(?![-,.]\d)",
                        re.I)),
]

_FUTURE_HEADS = {"expect", "due", "set", "likely", "unlikely", "plan", "schedule", "intend", "go", "hope",
                 "aim", "want", "prepare", "poise", "slate", "promise", "vow", "pledge", "seek", "try"}
_FUTURE_AUX = {"will", "'ll", "shall", "wo", "would", "could", "may", "might", "should", "must", "can"}
_PRESENT_AUX = {"is", "are", "am", "'s", "'re", "be"}


def find_times(doc: Doc, sentences: list[Sentence], published: str | None) -> list[TimeRef]:
    """Date expressions in the doc, each resolved against the publication date when it allows."""
    text = doc.text
    if not text.strip():
        return []
    base = publication_date(published)
    spans: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, regex in _PATTERNS:
        for match in regex.finditer(text):
            start, end = match.start(), match.end()
            if "mon" in regex.groupindex and match["mon"] and not match["mon"][0].isupper():
                continue  # "may", "mar": a month only when capitalised
            if end > start and all(end <= s or start >= e for s, e, _, _ in spans):
                spans.append((start, end, kind, match))
    refs = [_ref(doc, sentences, start, end, kind, match, base) for start, end, kind, match in spans]
    refs += _entity_refs(doc, sentences, [(s, e) for s, e, _, _ in spans], base)
    return sorted(refs, key=lambda r: r.start)


def publication_date(published: str | None) -> date | None:
    """The calendar date of an ISO 8601 date or date-time (as written, no time-zone shift)."""
    if not published:
        return None
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(published.strip().replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _ref(doc: Doc, sentences: list[Sentence], start: int, end: int, kind: str, match: re.Match[str],
         base: date | None) -> TimeRef:
    resolved = _RESOLVERS[kind](match, base, lambda: is_future(doc, start, end))
    return TimeRef(start=start, end=end, text=doc.text[start:end], sentence=_sentence(sentences, start),
                   resolved=resolved.isoformat() if resolved else None)


def _sentence(sentences: list[Sentence], char: int) -> int:
    return sentence_at(sentences, char) if sentences else 0


# -- tense -----------------------------------------------------------------------------------


def is_future(doc: Doc, start: int, end: int) -> bool:
    """True when the clause holding doc.text[start:end] speaks of the future (see module doc)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    words = span.text.lower()
    if re.search(r"\b(?:since|last|ago|yesterday|earlier)\b", words):
        return False
    if re.search(r"\b(?:next|tomorrow|coming|later|until)\b", words):
        return True
    verb = _verb_of(span.root)
    return _verb_is_future(verb, depth=0) if verb is not None else False


def _verb_of(tok: Token) -> Token | None:
    node = tok
    while node.pos_ not in ("VERB", "AUX"):
        if node.head == node:
            return None
        node = node.head
    return node


def _verb_is_future(verb: Token, depth: int) -> bool:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    lowers = {a.lower_ for a in auxes}
    if lowers & _FUTURE_AUX:
        return True
    if any(a.tag_ == "VBD" or a.lower_ in ("has", "have", "had", "'ve") for a in auxes):
        return False  # was / had / did / has been: past, or present perfect
    if verb.tag_ == "VBD":
        return False
    if verb.tag_ == "VB" and depth < 3 and verb.dep_ in ("xcomp", "advcl", "ccomp", "conj"):
        head = verb.head
        if head.lemma_.lower() in _FUTURE_HEADS:
            return _head_not_past(head)
        return _verb_is_future(_verb_of(head) or head, depth + 1)
    if verb.tag_ == "VBN":
        if lowers & _PRESENT_AUX:
            return True  # "is expected", "are scheduled"
        if verb.dep_ == "conj" and depth < 3:
            return _verb_is_future(verb.head, depth + 1)
        return False
    if verb.tag_ == "VBG":
        return bool(lowers & _PRESENT_AUX)  # "is meeting on Monday"
    if verb.tag_ in ("VBZ", "VBP"):
        return not (verb.dep_ == "conj" and verb.head.tag_ == "VBD")  # "set out ... and came home"
    return False


def _head_not_past(head: Token) -> bool:
    # "was expected to" is a past expectation; "is expected to", "is due to" look ahead.
    verb = _verb_of(head) or head
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass", "cop")]
    return not (verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes))


# -- resolving -------------------------------------------------------------------------------


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _add_months(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _month_number(name: str) -> int:
    return _MONTH_ABBR[name.lower().rstrip(".")[:4] if name.lower().startswith("sept") else name.lower()[:3]]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _iso(m, base, future) -> date | None:
    return _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))


def _day_month(m, base, future) -> date | None:
    month, day = _month_number(m["mon"]), int(m["d"])
    if m["y"]:
        return _safe_date(int(m["y"]), month, day)
    if base is None:
        return None
    # No year: the candidate nearest to publication.
    options = [d for y in (base.year - 1, base.year, base.year + 1) if (d := _safe_date(y, month, day))]
    return min(options, key=lambda d: abs((d - base).days)) if options else None


def _end_of(m, base, future) -> date | None:
    if base is None:
        return None
    unit, ahead = m["unit"].lower(), 1 if m["next"] else 0
    if unit == "week":
        return _monday(base) + timedelta(days=7 * ahead + 6)
    if unit == "month":
        first = _add_months(base.replace(day=1), ahead)
        return first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return date(base.year + ahead, 12, 31)


def _ago(m, base, future) -> date | None:
    if base is None:
        return None
    n = int(m["n"]) if m["n"].isdigit() else _NUMBER_WORDS[m["n"].lower()] or 1
    unit = m["unit"].lower().rstrip("s")
    if unit == "day":
        return base - timedelta(days=n)
    if unit == "week":
        return base - timedelta(weeks=n)
    return _add_months(base, -n * (12 if unit == "year" else 1))


def _weekend(m, base, future) -> date | None:
    if base is None:
        return None
    mod = m["mod"].lower()
    saturday = base + timedelta(days=(5 - base.weekday()) % 7)  # this coming (or current) Saturday
    if base.weekday() == 6:
        saturday = base - timedelta(days=1)
    if mod == "next":
        return saturday + timedelta(days=7) if base.weekday() >= 5 else saturday
    if mod == "last" or (mod != "this" and not future()):
        return saturday - timedelta(days=7) if saturday > base else saturday
    return saturday


def _relative(m, base, future) -> date | None:
    if base is None:
        return None
    mod, unit = m["mod"].lower().split()[0], m["unit"].lower()
    step = {"last": -1, "next": 1, "coming": 1}.get(mod, 0)
    if unit == "week":
        return _monday(base) + timedelta(weeks=step)
    if unit == "month":
        return _add_months(base.replace(day=1), step)
    return date(base.year + step, 1, 1)


def _word(m, base, future) -> date | None:
    if base is None:
        return None
    return base + timedelta(days={"yesterday": -1, "tomorrow": 1}.get(m["w"].lower(), 0))


def _weekday(m, base, future) -> date | None:
    if base is None:
        return None
    target = _WEEKDAYS.index(m["wd"].lower())
    mod = (m["mod"] or "").lower()
    back = (base.weekday() - target) % 7
    if mod == "last":
        return base - timedelta(days=back or 7)
    if mod == "next" or mod != "since" and future():
        return base + timedelta(days=(target - base.weekday()) % 7 or 7)
    return base - timedelta(days=back)


def _month(m, base, future) -> date | None:
    month = _month_number(m["mon"])
    if m["y"]:
        return date(int(m["y"]), month, 1)
    if base is None:
        return None
    mod = m["mod"].lower()
    if mod == "next" or (mod not in ("last", "since") and future()):
        year = base.year if month >= base.month else base.year + 1
    else:
        year = base.year if month <= base.month else base.year - 1
    return date(year, month, 1)


def _year(m, base, future) -> date | None:
    return date(int(m["y"]), 1, 1)


_RESOLVERS = {"iso": _iso, "mdy": _day_month, "dmy": _day_month, "end": _end_of, "ago": _ago,
              "weekend": _weekend, "rel": _relative, "word": _word, "weekday": _weekday, "month": _month,
              "year": _year}


# -- spaCy's DATE entities the patterns missed ------------------------------------------------

_DATE_LIKE = re.compile(r"\b(?:(?:19|20)\d\d|" + "|".join(_MONTHS) + r")\b", re.I)


def _entity_refs(doc: Doc, sentences: list[Sentence], taken: list[tuple[int, int]],
                 base: date | None) -> list[TimeRef]:
    """DATE entities naming a month or year that no pattern covered, resolved by dateparser."""
    refs = []
    for ent in doc.ents:
        if ent.label_ != "DATE" or not _DATE_LIKE.search(ent.text):
            continue
        if any(ent.start_char < e and ent.end_char > s for s, e in taken):
            continue
        resolved = _dateparser(ent.text, base)
        refs.append(TimeRef(start=ent.start_char, end=ent.end_char, text=ent.text,
                            sentence=_sentence(sentences, ent.start_char),
                            resolved=resolved.isoformat() if resolved else None))
    return refs


def _dateparser(text: str, base: date | None) -> date | None:
    """An absolute reading of the text (only when it names a year, or when a base date is known)."""
    years = re.findall(r"\b(?:19|20)\d\d\b", text)
    if years and not re.search("|".join(_MONTHS), text, re.I):
        return date(int(years[0]), 1, 1)  # "2024", "between 1970 and 1974": the first year
    if base is None and not years:
        return None
    import dateparser  # slow to import; only needed for the rare leftovers

    settings = {"PREFER_DAY_OF_MONTH": "first", "STRICT_PARSING": False, "REQUIRE_PARTS": ["month", "year"]}
    if base is not None:
        settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day)
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    except (ValueError, OverflowError):
        return None
    return parsed.date() if parsed else None
