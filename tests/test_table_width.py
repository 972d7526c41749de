"""Tables line up by the columns a terminal draws, not by code points (issue 12, item 19)."""

from __future__ import annotations

import unicodedata

from click.testing import CliRunner
from wcwidth import wcswidth

from kg.cli import main
from kg.core.termwidth import clip, display_width, pad

KACHIN_STATE = "ကချင်ပြည်နယ်"  # 12 code points, 5 of them vowel signs and marks drawn over a letter


def _from_column(line: str, column: int) -> str:
    """What a terminal shows from ``column`` on (columns counted from 0)."""
    for start in range(len(line) + 1):
        if wcswidth(line[:start]) >= column:
            return line[start:]
    return ""


def test_kg_actors_columns_line_up_with_burmese_aliases(seed_output):
    """issue 12, item 19: rows holding Burmese aliases pushed the claims column right."""
    result = CliRunner().invoke(main, ["actors", "kachin", "--graph", str(seed_output)])
    assert result.exit_code == 0, result.output
    header, rule, *rows, count = result.output.splitlines()
    assert any(KACHIN_STATE in row for row in rows) and count.endswith("rows)")
    assert wcswidth(header) == len(header) and len(rule) == len(header)
    claims = header.index("claims")
    for row in rows:
        assert _from_column(row, claims).strip() == "0", row
        assert wcswidth(row) == claims + 1, row  # the last cell, "0", ends the line
    aliases = header.index("aliases")
    shown = {_from_column(row, aliases)[: len(KACHIN_STATE)] for row in rows}
    assert KACHIN_STATE in shown


def test_display_width_pad_and_clip_count_columns():
    """issue 12, item 19: combining marks take no column, wide (CJK) characters two."""
    accented = unicodedata.normalize("NFD", "Café")
    assert (len(accented), display_width(accented)) == (5, 4)
    assert display_width("中文") == 4 and display_width(KACHIN_STATE) == wcswidth(KACHIN_STATE) < len(KACHIN_STATE)
    assert pad(accented, 6) == accented + "  " and pad("中文", 5) == "中文 "
    assert clip(accented, 4) == accented and clip("中文abc", 3) == "中"
    assert clip(KACHIN_STATE, 2) == "ကချ"  # ka, then cha with its medial sign: the mark stays with its letter
    assert display_width("a\x1bb") == 2
