"""The word lists comparison uses, kept as data (data/compare_lexicon.json) so they can be extended."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """The comparison lexicon: negators, direction words, stop words, measure synonyms."""
    text = resources.files("storylens").joinpath("data/compare_lexicon.json").read_text(encoding="utf-8")
    return json.loads(text)
