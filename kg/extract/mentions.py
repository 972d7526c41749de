"""Mentions of actors in a sentence: registry names, collectives, references and unknown names.

What a reference stands for is worked out later, over the whole article (:mod:`kg.extract.references`).
"""

from __future__ import annotations

import re

from kg.extract.classes import PEOPLE_ENDINGS, country_before_title, described, guess_class, guess_name, name_after
from kg.extract.index import Index, build_index, fold
from kg.extract.mention import TOKEN, Mention, head_in_name, pro_side, wanted_parse
from kg.extract.owners import branch as _branch
from kg.extract.owners import branch_before as _branch_before
from kg.extract.owners import capital as _capital
from kg.extract.owners import connector as _connector
from kg.extract.owners import foreign_owner as _foreign_owner
from kg.extract.owners import inside_name as _inside_name
from kg.extract.owners import joined_company as _joined_company
from kg.extract.owners import legal_form as _legal_form
from kg.extract.owners import longer_company, owner_force
from kg.extract.owners import place_first as _place_first
from kg.extract.owners import possessive_place as _possessive_place
from kg.extract.owners import titled_place as _titled_place
from kg.extract.owners import two_companies as _two_companies
from kg.extract.tokens import SYLLABLE, collective_actor, numbered_unit, owner_after, unit_number, unit_number_before

__all__ = [
    "TOKEN",
    "Index",
    "Mention",
    "build_index",
    "find_mentions",
    "guess_class",
    "name_after",
    "pro_side",
    "wanted_parse",
]

_JOIN = re.compile(r"[\s\-'’,.&/]{0,3}")


def find_mentions(
    text: str, start: int, end: int, index: Index, article_words: set[str], headline: bool
) -> list[Mention]:
    """Find the mentions in ``text[start:end]``, left to right, not overlapping.

    Args:
        text: The article text.
        start: Where the sentence starts.
        end: Where it ends.
        index: The registry and rules look-ups.
        article_words: Every word of the article (folded), to confirm collectives.
        headline: True for the headline, where bare nouns may be references.
    """
    tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text, start, end)]
    folded = [fold(t[2]) for t in tokens]
    n = len(tokens)
    taken: list[Mention | None] = [None] * n
    mentions: list[Mention] = []

    def joined(i: int, j: int) -> bool:
        return all(_JOIN.fullmatch(text[tokens[k][1] : tokens[k + 1][0]]) for k in range(i, j))

    # 1. registry names, longest first
    i = 0
    prefixes = index.prefixes
    while i < n:
        found = None
        top = min(n, i + index.longest) - 1
        reach = i - 1  # the last token that still continues some name
        key = folded[i]
        while key in prefixes:
            reach += 1
            if reach == top:
                break
            key = f"{key} {folded[reach + 1]}"
        for j in range(reach, i - 1, -1):
            key = " ".join(folded[i : j + 1])
            actor = index.names.get(key)
            if actor and joined(i, j):
                written = text[tokens[i][0] : tokens[j][1]]
                if written.upper() != written and key in index.exact_keys:  # an acronym in lower case is a word
                    continue
                if written.islower() and key in index.proper_keys:  # "national" is not "The National"
                    continue
                if key in index.the_keys and (i == 0 or folded[i - 1] != "the"):  # nor is "National Defense"
                    continue
                if _inside_name(key, written, i, tokens, taken, joined, index, text):
                    continue
                found = (j, actor)
                break
        if found is None:
            i += 1
            continue
        j, actor = found
        if index.type_of(actor) == "Company":
            j = _legal_form(text, tokens, folded, j, index)  # "Myanma Economic Holdings Ltd": the name's own form
            longer = longer_company(text, tokens, folded, i, j, taken, index)  # "Wanbao Mining Copper Ltd."
            if longer is not None:
                _take(longer[0], i, longer[1], taken, mentions)
                i = longer[1] + 1
                continue
        # "People's Defence Force Zoland", "the Myaing People's Defence Force": a local branch, a new name
        last, first = (
            _branch(text, tokens, j, actor, taken, index),
            _branch_before(text, tokens, i, actor, taken, index),
        )
        if last > j or first < i:
            s, e = tokens[first][0], tokens[last][1]
            _take(Mention(s, e, text[s:e], None, "ArmedGroup", "unknown"), first, last, taken, mentions)
            i = last + 1
            continue
        owner = _foreign_owner(text, tokens, folded, i, j, actor, taken, index)
        if owner is not None:  # "the Chinese military" is not the registry's military: a new name
            s, e = tokens[owner][0], tokens[j][1]
            name = owner_force(text, tokens, owner, j)  # "ENDF troops": the ENDF
            foreign = Mention(s, e, text[s:e], None, index.type_of(actor), "unknown", generic_of=actor, name=name)
            _take(foreign, owner, j, taken, mentions)
            i = j + 1
            continue
        m = Mention(
            tokens[i][0], tokens[j][1], text[tokens[i][0] : tokens[j][1]], actor, index.type_of(actor), "registry"
        )
        _possessive_place(m, folded[i : j + 1], index)
        common = index.names.get(folded[j]) if j > i and folded[j] in index.lower_keys else None
        if common is not None and common != actor and index.type_of(common) == index.type_of(actor):
            m.generic_of = common  # "Sudan’s army", a registry force written with another's common name ("army")
        _take(m, i, j, taken, mentions)
        i = j + 1

    # 2. collectives around head nouns
    i = 0
    while i < n:
        head = None
        if folded[i] not in index.head_starts:
            i += 1
            continue
        for size in range(min(index.max_head, n - i), 0, -1):
            hkey = tuple(folded[i : i + size])
            if hkey in index.heads and joined(i, i + size - 1):
                head = (size, index.heads[hkey], hkey in index.not_members)
                break
        if head is None:
            i += 1
            continue
        size, affiliation, not_member = head
        last = i + size - 1
        if numbered_unit(tokens, last, index) or (
            tokens[last][2][:1].isupper() and unit_number_before(tokens, text, i) is not None
        ):
            i = last + 1  # "Battalion 372", "the KIA's 6th Battalion": a unit's name (step 4), not a collective
            continue
        if last + 1 < n and folded[last + 1] in index.title_heads and joined(last, last + 1):
            i = last + 1  # "a battalion commander", "police chief": a person's title, not a collective
            continue
        covering = {id(taken[k]) for k in range(i, last + 1) if taken[k] is not None}
        inside = [taken[k] for k in range(i, last + 1) if taken[k] is not None]
        if head_in_name(inside, tokens, folded, (i, last), affiliation, index, taken, mentions):
            i = last + 1  # the head is part of a registry name ("around 6,000 police"): that name is a collective
            continue
        first = i
        while (
            first > 0
            and taken[first - 1] is None
            and (
                folded[first - 1] in index.modifiers
                or (folded[first - 1][:1].isdigit() and not (first > 1 and numbered_unit(tokens, first - 2, index)))
                or (folded[first - 1] == "of" and first > 1 and folded[first - 2] in _MANY)  # "hundreds of police"
            )  # not the number of "Brigade 6 troops"
            and (
                "," not in text[tokens[first - 1][1] : tokens[first][0]]
                or _THOUSANDS.fullmatch(text, tokens[first - 1][0], tokens[first][1])
            )  # "No. 4, residents": not theirs
        ):
            first -= 1
        if affiliation is not None and not headline:
            owner = _foreign_owner(text, tokens, folded, first, last, affiliation, taken, index)
            if owner is not None:  # "Rwandan forces", "Chinese troops": another country's, not the registry's force
                s, e = tokens[owner][0], tokens[last][1]
                name = owner_force(text, tokens, owner, last)  # "FARDC soldiers": the FARDC's, coded at it
                foreign = Mention(
                    s, e, text[s:e], None, index.type_of(affiliation), "unknown", generic_of=affiliation, name=name
                )
                _take(foreign, owner, last, taken, mentions)
                i = last + 1
                continue
        modifier = None
        before = first - 1
        if before > 0 and folded[before] == "s" and taken[before] is None and taken[before - 1] is not None:
            before -= 1  # "the regime's forces"
        elif before > 0 and folded[before] == "led" and taken[before] is None:
            hyphen = text[tokens[before - 1][1] : tokens[before][0]] == "-"
            if taken[before - 1] is not None:
                before -= 1 if hyphen else 0  # "KIA-led forces"
            elif hyphen and _capital(tokens[before - 1][2]):
                i = last + 1  # "the RSF-led forces": led by a name the registry lacks, not the registry's forces
                continue
        if (
            before >= 0
            and taken[before] is not None
            and joined(before, first)
            and "," not in text[tokens[before][1] : tokens[first][0]]  # "X, a militia": an apposition
        ):
            prev: Mention | None = taken[before]
            if prev is not None and prev.kind == "registry" and index.is_a(prev.cls, "Organization"):
                modifier = prev
            elif prev is not None and prev.kind == "unknown" and prev.cls not in ("Place", "Person", None):
                i = last + 1  # "the RSF-led forces", "the M23's fighters": a new name's, not the registry's forces
                continue
        for m in [m for m in inside if m is not None]:
            if index.is_a(m.cls, "Organization") and len(covering) == 1:
                modifier = modifier or m
        if modifier is not None:
            mentions.remove(modifier)
            for k in range(n):
                if taken[k] is modifier:
                    taken[k] = None
            first = min(first, next(k for k in range(n) if tokens[k][0] >= modifier.start))
            affiliation = None if not_member else modifier.actor
        if any(taken[k] is not None for k in range(first, last + 1)) or (
            first > 0 and (index.references.get(tuple(folded[first - 1 : last + 1])) or {}).get("plural")
        ):  # "the two groups": a plural reference
            i = last + 1
            continue
        words = [folded[k] for k in range(first, last + 1)]
        actor = None
        # "the Chinland Defence Force": capitalised words inside a sentence (not a headline's) are a name's,
        # which the parser's names take; not the registry's "local defence forces"
        capitalised = not headline and first > 0 and all(text[tokens[k][0]].isupper() for k in range(first, last + 1))
        if capitalised:
            affiliation = None
        elif folded[first] not in ("a", "an", "another", "one", "any", "every", "each"):
            local = set(folded)
            actor = collective_actor(words, article_words, local, index, folded[max(0, first - 2) : first], text)
        if actor == affiliation:
            actor = None
        if modifier is None and (
            (actor is not None and not index.is_a(index.type_of(actor), "StateForce"))
            or any(w in index.own_side for w in words)
        ):
            affiliation = None  # "three defence forces" are not the military's, whatever "forces" alone means
        belongs = owner_after(last, tokens, folded, taken, text, index) if modifier is None and actor is None else None
        if belongs is not None and not not_member:
            affiliation = belongs  # "eight members of the PDFs", "soldiers of the KIA": the force they belong to
        s, e = tokens[first][0], tokens[last][1]
        ours = first > 0 and folded[first - 1] == "our"  # "our troops": the speaker's (speakers.py)
        if pro_side(text, s) or ours:
            affiliation = None  # "pro-junta militias": on the junta's side, not its own
        if modifier is None and first > 0 and folded[first - 1] in index.own_side and joined(first - 1, first):
            affiliation = None  # "Chin revolutionary forces": a side's word that is no modifier, not the military's
        if modifier is None and first > 0 and folded[first - 1] in ("its", "their", "whose"):  # "whose troops"
            owners = [x for x in mentions if x.end <= s and x.actor and index.is_a(x.cls, "Organization")]
            affiliation = max(owners, key=lambda x: x.end).actor if owners else None
        m = Mention(s, e, text[s:e], actor, index.type_of(actor) or "Group", "collective", affiliation)
        if (
            modifier is None
            and actor is None
            and affiliation is None
            and not ours
            and (
                (first == i and size == 1)
                or (first > 0 and folded[first - 1] == "the" and not folded[last].endswith("s"))
            )
        ):
            i = last + 1  # a bare plural with nothing known: not worth a mention; "the ethnic rebel army": a
            continue  # reference (step 3) to a group named before, not a nameless collective
        _take(m, first, last, taken, mentions)
        i = last + 1

    def described_ref(k: int) -> bool:
        """A reference with words before its noun ("the armed group", "these two holding firms", "both border
        villages"): the words are lower-case and none that makes it another actor ("the other group", "the
        rebel army"); the reference is the one the same words give without them."""
        first = k + 1
        if first < n and (folded[k], folded[first]) in index.ref_counted:
            first += 1  # "the two", "these three"
        elif folded[k] != "the" and (folded[k],) not in index.ref_counted:
            return False
        other_side = False
        for skip in range(1, index.ref_modifiers + 1):
            noun = first + skip
            if noun >= n or not joined(k, noun) or any(taken[x] is not None for x in range(k, noun + 1)):
                return False
            word = tokens[noun - 1][2]
            if not _MODIFIER.fullmatch(word) or folded[noun - 1] in index.ref_not_modifiers or word.endswith("est"):
                return False
            other_side = other_side or folded[noun - 1] in index.own_side
            ref = index.references.get((*folded[k:first], folded[noun]))
            if ref is not None and other_side:  # "the ethnic army": an armed group, not the state's force
                forces = all(index.is_a(c, "StateForce") for c in ref.get("classes") or [])
                if forces:  # "the ethnic armed group", "the paramilitary force": the group named before, as without
                    ref = {**ref, "classes": index.ref_own_side_classes} if index.ref_own_side_classes else None
            if ref is not None and not ref.get("pronoun") and not _NAMED_AFTER.match(text, tokens[noun][1]):
                s, e = tokens[k][0], tokens[noun][1]
                _take(Mention(s, e, text[s:e], None, None, "reference", ref=ref), k, noun, taken, mentions)
                return True
        return False

    # 3. descriptions ("a subsidiary of X") and references ("the group", "he")
    i = 0
    while i < n:
        if taken[i] is not None or folded[i] not in index.phrase_starts:
            i += 1
            continue
        # words before a reference's noun first: "both holding companies" is more than "both"
        matched = bool(index.ref_modifiers) and described_ref(i)
        if not matched:
            for size in range(min(4, n - i), 0, -1):
                rkey = tuple(folded[i : i + size])
                nxt = i + size
                following = taken[nxt] if nxt < n else None
                if rkey in index.descriptions and following is not None and following.actor:
                    obj = following
                    entry = index.descriptions[rkey]
                    actor = described(obj.actor or "", entry["keyword"], index)
                    if actor:
                        m = Mention(
                            tokens[i][0],
                            obj.end,
                            text[tokens[i][0] : obj.end],
                            actor,
                            index.type_of(actor),
                            "description",
                        )
                        m.inner.append(
                            (entry["predicate"], actor, obj.actor or "", "description", float(entry["confidence"]))
                        )
                        m.inner.extend(obj.inner)
                        mentions.remove(obj)
                        for k in range(i, n):
                            if k < nxt or taken[k] is obj:
                                taken[k] = m
                        mentions.append(m)
                        i = nxt
                        matched = True
                        break
                ref = index.references.get(rkey) or (index.headline_refs.get(rkey) if headline else None)
                if (
                    ref is not None
                    and joined(i, i + size - 1)
                    and all(taken[k] is None for k in range(i, i + size))
                    and not _NAMED_AFTER.match(text, tokens[i + size - 1][1])  # "the city of Nyala" names its own
                    and not (  # "The State Department", "investor She Zhijiang": a capital mid-sentence goes on a name
                        i + size - 1 > 0
                        and not headline
                        and _capital(tokens[i + size - 1][2])
                        and i + size < n
                        and _capital(tokens[i + size][2])
                        and text[tokens[i + size - 1][1] : tokens[i + size][0]] == " "
                    )
                ):
                    s, e = tokens[i][0], tokens[i + size - 1][1]
                    m = Mention(s, e, text[s:e], None, None, "reference", ref=ref)
                    _take(m, i, i + size - 1, taken, mentions)
                    i += size
                    matched = True
                    break
        if not matched:
            i += 1

    # 4. unknown capitalised names
    i = 0
    while i < n:
        if (
            taken[i] is not None
            or not _capital(tokens[i][2])
            or (
                tokens[i][2] in index.not_names
                and not numbered_unit(tokens, i, index)
                and not (tokens[i][2] in index.unit_words and unit_number_before(tokens, text, i) is not None)
            )  # "KNU 5th Brigade": a unit's name, its number before it
        ):
            i += 1
            continue
        j = i
        while (
            j + 1 < n
            and taken[j + 1] is None
            and joined(j, j + 1)
            and (
                _capital(tokens[j + 1][2])
                or _connector(tokens, folded, j, index)
                or SYLLABLE.fullmatch(text, tokens[j][1], tokens[j + 1][1]) is not None  # "Hpa-an"
            )
        ):
            if "," in text[tokens[j][1] : tokens[j + 1][0]]:
                break
            j += 1
        titled = _titled_place(tokens, j, taken)
        if titled is not None:  # "Justice For Myanmar": a title-case name ending in a registry place is one name
            mentions.remove(taken[j + 1])  # type: ignore[arg-type]
            for k in range(j + 1, titled + 1):
                taken[k] = None
            j = titled
        while j > i and folded[j] in ("of", "and", "for", "the"):
            j -= 1
        joined_after = name_after(text, tokens[j][1], index)
        if i == j and tokens[i][2].endswith(PEOPLE_ENDINGS) and joined_after and joined_after[1] != "Government":
            joined_after = None  # "Chinese mines": a people's word and a common noun name nothing
        if joined_after is not None:  # "Kyein Chaung outpost": the word is part of the name
            k = j
            while k + 1 < n and tokens[k + 1][1] <= joined_after[0]:
                k += 1
            covered = list({id(t): t for t in taken[j + 1 : k + 1] if t is not None}.values())
            # a registry match of a lower-case word ("military" for the junta) is part of "military camp"
            if all(t.kind == "registry" and t.text.islower() for t in covered):
                for t in covered:
                    mentions.remove(t)
                s, e = tokens[i][0], joined_after[0]
                _take(Mention(s, e, text[s:e], None, joined_after[1], "unknown"), i, k, taken, mentions)
                i = k + 1
                continue
        plural = j > i and folded[j] in index.place_after and folded[j].endswith("s")
        j -= plural  # "Maha Aung Myay and Aung Myay Thazan Townships": places, and the place word no name's
        after = text[tokens[j][1] : tokens[j][1] + 16].lower().split()
        cls: str | None = "Place" if plural else None
        if after and after[0] in index.place_after and after[0].endswith("s") and "and" in folded[i:j]:
            j = max(i, i + folded[i:j].index("and") - 1)  # "Ge Laung and Lone Kauk villages": two villages
            cls = "Place"
        elif (
            "and" in folded[i:j]
            and "of" not in folded[i:j]
            and (
                tokens[j][2] not in index.cues
                or _two_companies(tokens, i, j, index)
                or index.cues.get(tokens[i + folded[i:j].index("and") - 1][2]) == index.cues[tokens[j][2]]
            )  # "Kabaw Valley and Gangaw Township": two places, each with its word
        ):
            if _joined_company(tokens, i, j, index):
                cls = "Company"  # "China Nonferrous Metal Mining and Construction": one company
            else:
                j = max(i, i + folded[i:j].index("and") - 1)  # "Goma and Bukavu": two ("... Development Party": one)
        cls = cls or guess_name(tokens, i, j, text, index)
        if titled is not None or (cls is None and any(tokens[k][2] in ("For", "Of") for k in range(i + 1, j))):
            cls = "Organization"  # "Justice For Myanmar": title case names an organisation
        if i == j and tokens[i][2] in index.unit_acronyms and unit_number(tokens, text, i + 1):
            j, cls = i + 1, index.unit_class  # "LIB 387", "MOC-5": a unit's short name and number
        elif any(tokens[k][2] in index.unit_words for k in range(i, j + 1)):
            ahead = unit_number_before(tokens, text, i)  # "the 37th Military Division", "No. 8 Operation ..."
            cls = index.unit_class if ahead is not None else cls or index.unit_class  # "44th Division": no place
            if ahead is not None and all(taken[k] is None for k in range(ahead, i)):
                i = ahead
        elif cls is not None and (ahead := unit_number_before(tokens, text, i)) is not None and folded[ahead] == "no":
            i = ahead if all(taken[k] is None for k in range(ahead, i)) else i  # "No. 1 Mining Industry"
        if (split := country_before_title(tokens, i, j, text, index)) is not None:  # "[US] President Donald Trump"
            _take(split[1], i, split[0] - 1, taken, mentions)
            i = split[0]
        while (
            j > i
            and tokens[i][2] in index.titles
            and text[tokens[i][1] : tokens[i + 1][0]] in (" ", ". ", "-")  # not "U.S"; "Lt-Col Kyaw Kyaw Thit"
            and _capital(tokens[i + 1][2])
        ):
            i, cls = i + 1, "Person"  # "Lieutenant Nat Soe", "Major General Saw Tun Hlaing": a person
        if i == j and tokens[i][2] in index.titles:
            cls = None  # "Brigadier General" before a name the registry knows: a title alone is no name
        if (
            i == j
            and tokens[i][2] in index.cues
            and cls == index.cues[tokens[i][2]]
            and not numbered_unit(tokens, i, index)
        ):
            cls = None  # a cue word alone ("Port" after "Kyaukphyu") is no name
        if (place := _place_first(text, tokens, i, cls, taken)) is not None:  # "China Nonferrous Metal Mining"
            mentions.remove(place)
            while i > 0 and taken[i - 1] is place:
                i, taken[i - 1] = i - 1, None
        sentence_start = i == 0 or text[tokens[i][0] - 2 : tokens[i][0]].strip() in ("“", '"', "(")
        if cls and not (headline and cls == "Person") and not (sentence_start and i == j and cls == "Person"):
            s, e = tokens[i][0], tokens[j][1]
            m = Mention(s, e, text[s:e], None, cls, "unknown")
            _take(m, i, j, taken, mentions)
        i = j + 1

    mentions.sort(key=lambda m: m.start)
    return mentions


_MANY = frozenset(("dozens", "hundreds", "thousands", "scores", "dozen"))  # a count before "of" ("hundreds of")
_THOUSANDS = re.compile(r"\d{1,3},\d{3}")  # "2,000 police officers"
_NAMED_AFTER = re.compile(r"\s+of\s+(?:the\s+)?[A-Z]")
_MODIFIER = re.compile(r"[a-z]+")  # "armed", "holding": a lower-case word before a noun (a hyphen parts tokens)


def _take(mention: Mention, first: int, last: int, taken: list[Mention | None], mentions: list[Mention]) -> None:
    """Record a mention and mark its tokens (first to last, inclusive) as taken."""
    for k in range(first, last + 1):
        taken[k] = mention
    mentions.append(mention)
