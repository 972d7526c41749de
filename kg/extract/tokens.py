"""What the mention finder reads in the tokens around a name: a unit's number ("the 37th Military Division",
"LIB 387", "Battalion 372"), the organisation named after "of" ("eight members of the PDFs"), and the registry
group a collective names ("local defence forces")."""

from __future__ import annotations

import re
from typing import Any

from kg.extract.index import Index, singular

_OWNER_POSSESSIVE = re.compile(r"[’']s?\s")
_YEAR = re.compile(r"(?:19|20)\d\d")


def counts(words: set[str] | frozenset[str] | list[str], index: Index) -> set[str]:
    """The words of a count among ``words``: patterns.yaml's count_words and numbers ("12", "1,000"), not years
    ("2021")."""
    return {w for w in words if w in index.count_words or (w.replace(",", "").isdigit() and not _YEAR.fullmatch(w))}


def owner_after(
    last: int,
    tokens: list[tuple[int, int, str]],
    folded: list[str],
    taken: list[Any],  # the mention holding each token, or None
    text: str,
    index: Index,
) -> str | None:
    """The organisation a collective ending at token ``last`` belongs to when "of" or "from" names it after it
    ("eight members of the PDFs", "soldiers from the Arakan Army"): a registry mention of an organisation, not
    the owner of something else ("members of the regime's police force")."""
    k = last + 1
    if k >= len(tokens) or folded[k] not in ("of", "from") or text[tokens[last][1] : tokens[k][0]] != " ":
        return None
    k += 1
    if k < len(tokens) and folded[k] == "the":
        k += 1
    owner = taken[k] if k < len(tokens) else None
    if owner is None or owner.kind != "registry" or owner.start != tokens[k][0] or not owner.actor:
        return None
    if not index.is_a(owner.cls, "Organization") or _OWNER_POSSESSIVE.match(text, owner.end):
        return None
    return owner.actor


ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)")
SYLLABLE = re.compile(r"-(?!(?:led|run|old|set|won|era)\b)[a-z]{1,3}\b")  # a name's lower-case syllable: "Hpa-an"


def unit_number(tokens: list[tuple[int, int, str]], text: str, k: int) -> bool:
    """Whether token ``k`` is a number joined to the token before by a space or a hyphen ("LIB 387", "MOC-5")."""
    return 0 < k < len(tokens) and tokens[k][2].isdigit() and text[tokens[k - 1][1] : tokens[k][0]] in (" ", "-")


def unit_number_before(tokens: list[tuple[int, int, str]], text: str, i: int) -> int | None:
    """Where a unit's number before its name starts: "37th" before "Military Division", "No. 8" or "No.8" before
    "Operation Command Centre", "444" in "the 444 Brigade" (a bare number only after "the": not "killed 40
    Battalion soldiers"); None when there is none."""
    if i >= 1 and ORDINAL.fullmatch(tokens[i - 1][2]) and text[tokens[i - 1][1] : tokens[i][0]] == " ":
        return i - 1
    if (
        i >= 2
        and tokens[i - 1][2].isdigit()
        and 2 <= len(tokens[i - 1][2]) <= 4
        and tokens[i - 2][2] in ("the", "The")
        and text[tokens[i - 2][1] : tokens[i - 1][0]] == " "
        and text[tokens[i - 1][1] : tokens[i][0]] == " "
    ):
        return i - 1
    if (
        i >= 2
        and tokens[i - 1][2].isdigit()
        and tokens[i - 2][2] == "No"
        and text[tokens[i - 2][1] : tokens[i - 1][0]] in (".", ". ", " ")
        and text[tokens[i - 1][1] : tokens[i][0]] == " "
    ):
        return i - 2
    return None


def numbered_unit(tokens: list[tuple[int, int, str]], k: int, index: Index) -> bool:
    """A unit word with a number after it ("Battalion 372", "Brigade 5", "Battalion No 1023"): one unit's name."""
    word = tokens[k][2]
    after = k + 2 if k + 2 < len(tokens) and tokens[k + 1][2] == "No" else k + 1  # "No" or "No."
    return (
        word[:1].isupper()
        and index.cues.get(word) == "ArmedGroup"
        and after < len(tokens)
        and tokens[after][2][:1].isdigit()
    )


def _written(count: str, head: str, text: str) -> bool:
    """Whether the article writes ``count`` a few words before ``head`` ("two police officers" for "the
    officers")."""
    return bool(re.search(rf"\b{re.escape(count)}\s+(?:\S+\s+){{0,3}}?{re.escape(head)}", text, re.IGNORECASE))


def collective_actor(
    words: list[str],
    article: set[str],
    local: set[str],
    index: Index,
    before: list[str] | None = None,
    text: str = "",
) -> str | None:
    """The registry group a collective names; ``article`` and ``local``: the article's and sentence's words;
    ``before``: the words just before it (a count the collective does not hold: "over 20 junta police");
    ``text``: the article, where a group the registry counts must have been written with its count."""
    core = frozenset(singular(w) for w in words if w not in index.ignore)
    written = {w for w in words if w not in index.ignore}
    if not core:
        return None
    # only the names holding every word of the collective can fit: look at those holding the rarest
    numbers = min((index.collectives_with.get(w, ()) for w in core), key=len)

    def known(w: str, near: bool) -> bool:
        return w in local or (not near and w in article)

    best: tuple[float, str] | None = None
    counted = counts(words, index) | counts(before or [], index)
    for number in numbers:
        actor, names = index.collective_names[number]
        uncounted = counts(names, index) - counted
        if any(not _written(n, words[-1], text) for n in uncounted):
            continue  # "three Junta soldiers", a registry group of its own article: not any "junta soldiers"
        if not core <= names or (
            core <= index.civilian_heads
            and index.is_a(index.type_of(actor), "Agent")
            and index.type_of(actor) != "Group"
        ):
            continue
        rest = [w for w in names - core if w not in index.ignore and not _YEAR.fullmatch(w)]
        # a bare head ("forces") names an organisation (not a described group) only with its other words near
        near = len(core) == 1 and index.is_a(index.type_of(actor), "Organization")
        found = sum(1 for w in rest if known(w, near) or known(w + "s", near))
        # a described place, or a group a reader described ("junta forces defecting to resistance groups"): every
        # word in the article
        whole = near or index.type_of(actor) == "Place" or number in index.described_names
        if rest and found < (len(rest) if whole else max(1, len(rest) / 2)):  # near: every other word
            continue  # ("forces" near "State" and "border" is not the "Kayin State Border Guard Force")
        if rest and len(core) == 1 and index.type_of(actor) != "Place" and not uncounted and not local & set(rest):
            continue  # a bare head names a described group only with one of its words in the sentence ("Karenni
            # groups claim ..." is not the "anti-regime groups" of another paragraph; "nearby villages" may be the
            # article's "villages near the mine"); "the officers" of an article that counted "two police officers" is
            # them
        exact = written <= set(index.plain_words.get(actor, ()))
        score = len(core) / len(names) + 0.1 * exact + 0.05 * sum(1 for w in rest if w in local)
        if best is None or score > best[0]:
            best = (score, actor)
    return best[1] if best else None
