"""Whether a registry name found in the text is the registry's actor: not when another country's word qualifies
a generic name ("the Chinese military", "Rwandan forces"), nor when a generic name is the last word of a longer
name ("Arakan Liberation Army")."""

from __future__ import annotations

import re
from typing import Any

from kg.extract.classes import demonym, name_after
from kg.extract.index import Index, fold
from kg.extract.mention import Mention
from kg.extract.tokens import unit_number_before


def capital(token: str) -> bool:
    """Whether a word starts with a capital."""
    return token[:1].isupper()


def foreign_owner(
    text: str,
    tokens: list[tuple[int, int, str]],
    folded: list[str],
    i: int,
    j: int,
    actor: str,
    taken: list[Any],  # the mention holding each token, or None
    index: Index,
) -> int | None:
    """Where a name starts that a generic registry name in lower case (tokens i to j) ends, qualified by a
    capitalised word none of the actor's names holds: "the Chinese military", "Sudan's army" (not the
    registry's military, whose names say Myanmar); None when it is the registry's actor."""
    if text[tokens[i][0] : tokens[j][1]] != text[tokens[i][0] : tokens[j][1]].lower() or i == 0:
        return None
    k = i - 1
    while k > 0 and k >= i - 2 and folded[k] in index.foreign_between:
        k -= 1  # "Sudan's national army"
    owner = k >= 1 and folded[k] == "s" and text[tokens[k][0] - 1] in "'’"
    if owner:
        k -= 1
    word = tokens[k][2]
    if (
        k < 0
        or (k == 0 and not owner and not (demonym(word) and word not in index.not_peoples))  # a sentence's first
        # word has a capital whatever it is ("Thirty police officers"), a people's word is one still ("Sudanese army
        # spokesperson X"; not "Civilian resistance fighters")
        or taken[k] is not None
        or not word[:1].isupper()
        or word in index.not_names
        or folded[k] in index.words_of.get(actor, ())
        or (k > 0 and tokens[k - 1][2][:1].isupper() and folded[k - 1] not in ("the", "a", "an"))  # "Nam Tein
        # military camp": a longer name's (not "The Sudanese army" at a sentence's start)
        or name_after(text, tokens[k][1], index) is not None  # "Khaikam police station"
        or not all(text[tokens[x][1] : tokens[x + 1][0]] in (" ", "'", "’") for x in range(k, i))  # not "Anti-regime"
    ):
        return None
    return k


_ACRONYM = re.compile(r"[A-Z]{3,7}|(?=[A-Z0-9-]*\d)[A-Z][A-Z0-9-]{1,6}")  # "FARDC", "AMISOM", "M23"


def owner_force(text: str, tokens: list[tuple[int, int, str]], owner: int, j: int) -> str | None:
    """The force a new acronym names when it stands before a force's common word or troops ("FARDC soldiers",
    "ENDF troops", "AMISOM soldiers"): the troops are the acronym's force, coded at it; None when the word is
    a country's or people's ("Rwandan forces", "Sudan's army": the whole is the name) or owns with "'s"."""
    word = tokens[owner][2]
    if owner + 1 > j or text[tokens[owner][1] : tokens[owner + 1][0]] != " " or not _ACRONYM.fullmatch(word):
        return None
    # words only: "the LIB 9th battalion" is a unit's name
    return word if all(tokens[x][2].isalpha() for x in range(owner + 1, j + 1)) else None


def inside_name(
    key: str,
    written: str,
    i: int,
    tokens: list[tuple[int, int, str]],
    taken: list[Any],  # the mention holding each token, or None
    joined: Any,
    index: Index,
    text: str,
) -> bool:
    """A registry name only ever written in lower case ("the army"), capitalised after a capitalised word: the
    last word of a longer name ("Arakan Liberation Army"), not the registry's actor; capitalised before a
    unit's name after its number, or of a unit's kind ("the 37th Military Division"): its first word; a state
    force's common name after a word of the other side ("the ethnic army"): another side's force."""
    if key not in index.lower_keys:
        return False
    other_side = i > 0 and fold(tokens[i - 1][2]) in index.own_side
    if other_side and index.is_a(index.type_of(index.names[key]), "StateForce"):
        return True  # "the ethnic army", "a rebel army": not the state's
    if written == written.lower():
        return False
    k = i + len(key.split())
    following: list[str] = []
    while k < len(tokens) and len(following) < 3 and capital(tokens[k][2]) and joined(k - 1, k):
        following.append(tokens[k][2])
        k += 1
    numbered = unit_number_before(tokens, text, i) is not None  # "37th", "No. 5"
    phrase = (written.split()[-1], *following)
    if (numbered and any(word in index.unit_words for word in following)) or any(
        phrase[:n] in index.cue_phrases for n in range(2, len(phrase) + 1)
    ):
        return True  # not "Junta Battalion 372", the junta's battalion
    if following and following[0] in index.titles:
        return False  # "Acting Police Colonel Tin Min Tun": the police, then a rank
    return i > 0 and capital(tokens[i - 1][2]) and taken[i - 1] is None and bool(joined(i - 1, i))


def legal_form(text: str, tokens: list[tuple[int, int, str]], folded: list[str], j: int, index: Index) -> int:
    """The last token of a company's name written with its legal form after the registry's spelling
    ("Myanma Economic Holdings Ltd", "Wanbao Mining, Ltd", "... Public Company Limited"): the form is part of
    the mention, so that the parse's head word of the name ("Ltd.") is the company's."""
    for form in index.legal_forms:
        end = j + len(form)
        if end >= len(tokens) or tuple(folded[j + 1 : end + 1]) != form:
            continue
        gaps = [text[tokens[k][1] : tokens[k + 1][0]] for k in range(j, end)]
        if gaps[0] in (" ", ", ", ". ") and all(g == " " for g in gaps[1:]) and capital(tokens[j + 1][2]):
            return end
    return j


def longer_company(
    text: str, tokens: list[tuple[int, int, str]], folded: list[str], i: int, j: int, taken: list[Any], index: Index
) -> tuple[Mention, int] | None:
    """A longer company's name that begins with the registry company's name of tokens i to j ("Wanbao Mining
    Copper Ltd.", another company): one to three capitalised words after it, then a legal form; its mention and
    last token, or None. The name leaves out an owner before it ("China's")."""
    k = j
    while k + 1 < len(tokens) and k < j + 3 and text[tokens[k][1] : tokens[k + 1][0]] == " ":
        if (
            not capital(tokens[k + 1][2])
            or taken[k + 1] is not None
            or any(folded[k + 1] == f[0] for f in index.legal_forms)
        ):
            return None
        k += 1
        end = legal_form(text, tokens, folded, k, index)
        if end > k:
            s, e = tokens[i][0], tokens[end][1]
            name = _OWNED_BY.sub("", text[s:e])
            return Mention(s, e, text[s:e], None, "Company", "unknown", name=name), end
    return None


_OWNED_BY = re.compile(r"^\S+[’']s\s+")  # "China's ": the owner before a company's name


def branch(text: str, tokens: list[tuple[int, int, str]], j: int, actor: str, taken: list[Any], index: Index) -> int:
    """The last token of a local branch's name, a registry force's name and one capitalised word of a place
    ("People's Defence Force Zoland", "PDF Kalay"): a new name; ``j`` when there is none (a title, a cue word, a
    unit's word or a longer name after it: "KIA Battalion 12", "the KIA Chairman")."""
    k = j + 1
    if k >= len(tokens) or index.type_of(actor) != "ArmedGroup" or text[tokens[j][1] : tokens[k][0]] != " ":
        return j
    if (
        not _place_word(tokens[k][2], index)
        or taken[k] is not None
        or (k + 1 < len(tokens) and capital(tokens[k + 1][2]) and text[tokens[k][1] : tokens[k + 1][0]] == " ")
        or text[tokens[k][1] : tokens[k][1] + 1] in "-’'"  # "PDF Zoland's" is fine, "KIA Kachin-..." not
    ):
        return j
    return k


def branch_before(
    text: str, tokens: list[tuple[int, int, str]], i: int, actor: str, taken: list[Any], index: Index
) -> int:
    """The first token of a local branch's name written with the place first ("the Myaing People's Defence Force",
    "Yinmarbin PDF", "Myaunk Yamar PDF"): one or two capitalised words the registry lacks, after a lower-case word,
    "The" or a comma; ``i`` when there are none."""
    if index.type_of(actor) != "ArmedGroup" or not capital(tokens[i][2]):
        return i
    k = i
    while k > 0 and i - k < 2 and text[tokens[k - 1][1] : tokens[k][0]] == " " and taken[k - 1] is None:
        if not _place_word(tokens[k - 1][2], index):
            break
        k -= 1
    if k == i or k < 1:
        return i
    word, gap = tokens[k - 1][2], text[tokens[k - 1][1] : tokens[k][0]]
    opens = (word.islower() or word == "The") and gap == " "  # "the Myaing PDF", "The Myaing PDF said"
    return k if opens or gap == ", " else i  # ", Myaunk Yamar PDF spokesman Ko Khant told RFA"


def _place_word(word: str, index: Index) -> bool:
    """Whether a word may be a place's one-word name beside a force's: capitalised, not an acronym, a cue word, a
    unit's word, a title or a word that is no name."""
    return (
        capital(word)
        and word[1:].islower()
        and word not in index.not_names
        and word not in index.cues
        and word not in index.unit_words
        and word.casefold() not in index.person_words
    )


def joined_company(tokens: list[tuple[int, int, str]], i: int, j: int, index: Index) -> bool:
    """Whether "and" inside the capitalised words i to j joins one company's name: a company's cue word before
    it and one word after it ("China Nonferrous Metal Mining and Construction"), not two names."""
    words = [t[2] for t in tokens[i : j + 1]]
    at = words.index("and") if "and" in words else -1
    return 0 < at == len(words) - 2 and index.cues.get(words[at - 1]) == "Company" and "and" not in words[:at]


def two_companies(tokens: list[tuple[int, int, str]], i: int, j: int, index: Index) -> bool:
    """Whether "and" inside the capitalised words i to j ends one company's name written with its legal form
    and starts another's: "Cargo Link Petroleum Company Limited and Asia Sun Group Company Limited"."""
    words = [fold(t[2]) for t in tokens[i : j + 1]]
    at = words.index("and") if "and" in words else -1  # the caller found "and" in any case ("And" too)
    return at > 1 and any(form[-1] == words[at - 1] for form in index.legal_forms)


def place_first(text: str, tokens: list[tuple[int, int, str]], i: int, cls: str | None, taken: list[Any]) -> Any:
    """The registry place that begins a longer name of an organisation or site ("China Nonferrous Metal
    Mining", "Kachin State Special Region"): the mention of tokens before ``i``, or None."""
    prev = taken[i - 1] if i > 0 else None
    if cls in (None, "Person", "Place") or prev is None or prev.kind != "registry" or prev.cls != "Place":
        return None
    return prev if text[tokens[i - 1][1] : tokens[i][0]] == " " and prev.text[:1].isupper() else None


def possessive_place(m: Any, words: list[str], index: Index) -> None:
    """ "China's Wanbao Mining" names Wanbao Mining and says where it is."""
    if "s" not in words[1:-1] or m.actor is None:
        return
    cut = words.index("s", 1)
    place = index.names.get(" ".join(words[:cut]))
    if place and place != m.actor and index.type_of(place) == "Place":
        m.inner.append(("locatedIn", m.actor, place, "place-possessive", 0.8))


def connector(tokens: list[tuple[int, int, str]], folded: list[str], j: int, index: Index) -> bool:
    """Whether the word after token ``j`` joins two capitalised words of one name, a capital, "the" or a particle
    following it: "of", "and", or "for" after an organisation's word ("the International Organization for
    Migration"); "of the" after one of ``of_the_names`` ("the Department of the Treasury"), as two joining words;
    the "’s" of "People’s"; one of patterns.yaml's name_particles ("Mocímboa da Praia", "de la République")."""
    after = tokens[j + 2][2] if j + 2 < len(tokens) else ""
    if not (capital(after) or after in ("the", *index.name_particles)):
        return False  # the name ends before the word
    if tokens[j][2] in index.possessive_names and folded[j + 1] == "s" and tokens[j + 1][0] == tokens[j][1] + 1:
        return True  # "the Karenni National People’s Liberation Front": the people's word is inside the name
    if folded[j + 1] == "the":
        return j > 0 and folded[j] == "of" and tokens[j - 1][2] in index.of_the_names
    if folded[j + 1] == "of" and folded[j + 2] == "the":
        return tokens[j][2] in index.of_the_names
    if tokens[j + 1][2] in index.name_particles:  # "Mocímboa da Praia", "Forces Armées de la République"
        return True
    return folded[j + 1] in ("of", "and") or (tokens[j + 1][2] == "for" and tokens[j][2] in index.for_names)


def titled_place(tokens: list[tuple[int, int, str]], j: int, taken: list[Any]) -> int | None:
    """The last token of a registry place that a capitalised "For" or "Of" at ``j`` joins to the name before it
    ("Justice For Myanmar"), or None."""
    place = taken[j + 1] if j + 1 < len(taken) and tokens[j][2] in ("For", "Of") else None
    if place is None or place.kind != "registry" or place.cls != "Place":
        return None
    last = j + 1
    while last + 1 < len(taken) and taken[last + 1] is place:
        last += 1
    return last
