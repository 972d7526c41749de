"""Extraction: an article becomes draft claims for a person to review (rules, no model)."""

from kg.extract.core import DraftClaim, Extraction, ProposedActor, extract_article
from kg.extract.draft import Outcome, extract, render_draft
from kg.extract.evaluate import Evaluation, evaluate

__all__ = [
    "DraftClaim",
    "Evaluation",
    "Extraction",
    "Outcome",
    "ProposedActor",
    "evaluate",
    "extract",
    "extract_article",
    "render_draft",
]
