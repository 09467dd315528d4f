"""Word-level helpers shared by the comparison steps: content stems and what is distinctive in a story."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from storylens.compare.lexicon import lexicon

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_LEXICON = lexicon()
# Polarity words are what two sentences disagree with, not what they are about.
_NOT_CONTENT = frozenset(_LEXICON["stop"]) | frozenset(_LEXICON["negators"]) | frozenset(
    _LEXICON["up"]) | frozenset(_LEXICON["down"])


def words(text: str) -> list[str]:
    """The text's words, case-folded, curly apostrophes straightened."""
    return [w.casefold().replace("’", "'") for w in WORD.findall(text)]


def stem(word: str) -> str:
    """A crude stem that makes 'warned', 'warning' and 'warn' (or 'bridge', 'bridges') one key."""
    for suffix in ("ings", "ing", "ed", "s", "er"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) >= 5 else word


def content_of(tokens: Iterable[str]) -> set[str]:
    """Stems of the content words among these (no function words, no polarity words)."""
    return {stem(w) for w in tokens if w not in _NOT_CONTENT and len(w) > 2}


def content_stems(text: str) -> set[str]:
    """Stems of the sentence's content words."""
    return content_of(words(text))


def common_stems(text: str) -> set[str]:
    """Stems of the sentence's content words that are not capitalised mid-sentence (not names)."""
    found = WORD.findall(text)
    return content_of(w.casefold().replace("’", "'") for n, w in enumerate(found)
                      if n == 0 or not w[:1].isupper())


def distinctive(keys_per_sentence: list[set[str]], share: float = 0.2) -> Counter[str]:
    """Keys found in at most `share` of the sentences (and in at least two): what picks out a subject."""
    counts: Counter[str] = Counter(k for keys in keys_per_sentence for k in keys)
    limit = max(2, share * len(keys_per_sentence))
    return Counter({k: n for k, n in counts.items() if 2 <= n <= limit})
