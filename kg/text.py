"""Text normalisation: matching quotes against articles, and names against the registry."""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    }
)  # fmt: skip
_SPACE = re.compile(r"\s+")


def normalise_quote(text: str) -> str:
    """Collapse whitespace and straighten typographic quotes, nothing more."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip()


def find_verbatim(haystack: str, quote: str) -> str | None:
    """Find ``quote`` in ``haystack`` up to whitespace and typographic quotes.

    Args:
        haystack: The article text.
        quote: The quote as a person typed it.

    Returns:
        The matching passage exactly as the article has it, or None.
    """
    needle = normalise_quote(quote)
    if not needle:
        return None
    # Normalise the haystack while remembering where each character came from.
    chars: list[str] = []
    origin: list[int] = []
    pending_space = False
    for i, ch in enumerate(haystack.translate(_QUOTES)):
        if ch.isspace():
            pending_space = bool(chars)
            continue
        if pending_space:
            chars.append(" ")
            origin.append(i - 1)
            pending_space = False
        chars.append(ch)
        origin.append(i)
    at = "".join(chars).find(needle)
    if at < 0:
        return None
    return haystack[origin[at] : origin[at + len(needle) - 1] + 1]


def name_key(name: str) -> str:
    """The key under which a name or alias is looked up.

    Case, punctuation, symbols, spacing and a leading "the" do not count, so
    "The Union of Myanmar Economic Holdings, Ltd." finds "union of myanmar
    economic holdings ltd". Letters, digits and combining marks of every
    script are kept (Burmese vowel signs are marks, not punctuation).
    """
    text = unicodedata.normalize("NFKC", name).casefold()
    kept = "".join(" " if unicodedata.category(ch)[0] in "PZSC" else ch for ch in text)
    words = kept.split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)
