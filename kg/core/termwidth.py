"""How many terminal columns text takes: for tables that line up in any script.

``len`` counts code points, but a terminal draws a Burmese vowel sign or an
accent (a combining mark) in the column of the letter before it, and a CJK
character in two columns; so a table padded with ``str.ljust`` came out
ragged wherever a name held such text (issue 12, item 19). Widths here come
from wcwidth, which follows the Unicode tables that terminals use.
"""

from __future__ import annotations

from wcwidth import wcswidth, wcwidth


def _char_width(char: str) -> int:
    return max(wcwidth(char), 0)  # a control character (-1) is escaped before printing: count it as nothing


def display_width(text: str) -> int:
    """The number of terminal columns ``text`` takes."""
    width = wcswidth(text)
    return width if width >= 0 else sum(_char_width(c) for c in text)


def pad(text: str, width: int) -> str:
    """``text`` with spaces after it up to ``width`` columns (``str.ljust`` by display width)."""
    return text + " " * max(width - display_width(text), 0)


def clip(text: str, width: int) -> str:
    """The longest start of ``text`` that fits in ``width`` columns, keeping each mark with its letter."""
    used = 0
    for end, char in enumerate(text):
        used += _char_width(char)
        if used > width:
            return text[:end]
    return text
