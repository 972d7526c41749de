"""Text normalisation: matching quotes against articles, and names against the registry."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    }
)  # fmt: skip
_SPACE = re.compile(r"\s+")
_RUN = re.compile(r"\s{2,}")
_SINGLE = re.compile("[\u2018\u2019\u201a\u201b\u2032]")
_DOUBLE = re.compile("[\u201c\u201d\u201e\u201f\u2033]")
_ASCII_SEPARATORS = re.compile("[^0-9a-z]+")  # in ASCII, all but letters and digits are P, Z, S or C


def normalise_quote(text: str) -> str:
    """Collapse whitespace and straighten typographic quotes, nothing more."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip()


@lru_cache(maxsize=2)  # the claims of one article are checked against the same text
def _flatten(haystack: str) -> tuple[str, str]:
    """The haystack with straight quotes (same length), and that again with every whitespace run one space."""
    straight = _DOUBLE.sub('"', _SINGLE.sub("'", haystack))
    return straight, _SPACE.sub(" ", straight)


def find_verbatim(haystack: str, quote: str) -> str | None:
    """Find ``quote`` in ``haystack`` up to whitespace and typographic quotes.

    Runs at the speed of ``str.find`` whatever the article's size (a 5 MB
    article and many claims stay fast): the article is flattened once with
    regular expressions, and only the two ends of the match are mapped back.

    Args:
        haystack: The article text.
        quote: The quote as a person typed it.

    Returns:
        The matching passage exactly as the article has it, or None.
    """
    return find_normalised(haystack, normalise_quote(quote))


def find_normalised(haystack: str, needle: str) -> str | None:
    """:func:`find_verbatim` of a quote already normalised (:func:`normalise_quote`)."""
    if not needle:
        return None
    straight, flat = _flatten(haystack)
    at = flat.find(needle)
    if at < 0:
        return None
    # The needle starts and ends with a non-space; map those two flat offsets back. Only runs of
    # two or more whitespace characters shift offsets (each one by its length minus one).
    first, last = at, at + len(needle) - 1
    shift = 0
    start = None
    for run in _RUN.finditer(straight):
        space = run.start() - shift  # where the run's single space sits in the flat text
        if start is None and space > first:
            start = first + shift
        if space > last:
            break
        shift += run.end() - run.start() - 1
    if start is None:
        start = first + shift
    return haystack[start : last + shift + 1]


def name_key(name: str) -> str:
    """The key under which a name or alias is looked up.

    Case, punctuation, symbols, spacing and a leading "the" do not count, so
    "The Union of Myanmar Economic Holdings, Ltd." finds "union of myanmar
    economic holdings ltd". Letters, digits and combining marks of every
    script are kept (Burmese vowel signs are marks, not punctuation).
    """
    # ASCII: the same rule, quicker (a registry of tens of thousands of names is keyed at each lookup)
    words = _ASCII_SEPARATORS.sub(" ", name.lower()).split() if name.isascii() else name_words(name)
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def name_words(name: str) -> list[str]:
    """The words of a name by Unicode categories: NFKC, case folded, split at punctuation, spaces, symbols
    and controls. :func:`name_key` takes a quicker path to the same words for ASCII names."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return "".join(" " if unicodedata.category(ch)[0] in "PZSC" else ch for ch in text).split()


def counted(count: int, noun: str) -> str:
    """``count`` and the noun in the number it takes: "1 claim", "2 claims", "0 claims" (nouns with a plain "s")."""
    return f"{count} {noun if count == 1 else noun + 's'}"
