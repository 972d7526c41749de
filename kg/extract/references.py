"""References across sentences: "the company", "the group", "it" resolved to the nearest fitting earlier mention.

A reference fits a mention when the mention's class is one the reference allows (cue words in
``patterns.yaml``) and, for a reference with a head word ("the militia"), when the actor's name holds it.
"""

from __future__ import annotations

import re

from kg.core.text import name_key
from kg.extract.checks import listed_plural
from kg.extract.index import singular_noun
from kg.extract.mentions import Index, Mention
from kg.extract.names import LISTED, proposed_id
from kg.extract.sentences import DATELINE, Sentence

SUBJECT_REACH = 400  # characters: how far back a pronoun looks for the last subject


def resolve_references(mentions: list[Mention], index: Index, body_mentions: list[Mention], text: str = "") -> None:
    """Resolve each reference to the nearest fitting earlier mention (in a headline: the first later one).

    Each mention is tested once per kind of reference, not once per reference, so that a long
    article with many references that fit nothing stays linear in its length.

    Args:
        mentions: Every mention of the article, in order.
        index: For classes and names.
        body_mentions: The mentions after the headline (for references in the headline).
        text: The article, where a reference that must have been written beside its actor looks
            ("the village" means a name once written "X village" or "the village of X").
    """
    seen: list[Mention] = []
    where: dict[int, int] = {}  # a mention's place in ``seen``
    # Per reference entry: how many of ``seen`` were tested, and the last one that fitted. A mention
    # is final once in ``seen``, so the nearest fitting one only changes with the mentions added since.
    nearest: dict[object, tuple[int, Mention | None]] = {}
    nearest_subject: dict[object, tuple[int, Mention | None]] = {}  # the same, among subjects of their clauses
    first_in_body: dict[object, Mention | None] = {}  # the headline comes first: the body is not resolved yet
    body_start = body_mentions[0].start if body_mentions else 0
    last_subject: Mention | None = None  # of any class but a person's: "they" means it or nothing
    for at, m in enumerate(mentions):
        if m.kind == "reference" and m.ref is not None and m.ref.get("plural"):
            _plural(m, seen, index, text)
        elif m.kind == "reference" and m.ref is not None and m.ref.get("pronoun") == "subject":
            recent = last_subject is not None and m.start - last_subject.start < SUBJECT_REACH
            target = last_subject if recent and last_subject and _fits(m, last_subject, index, text) else None
            if target is not None:
                m.actor, m.cls, m.affiliation, m.kind = target.actor, target.cls, target.affiliation, target.kind
                m.antecedent = target
                # "A and B say they have seized": both
                k = where.get(id(target), len(seen)) + 1
                m.also = _listed_with(target, seen[k : k + 8], text)
        elif m.kind == "reference" and m.ref is not None and not m.ref.get("first_person"):  # "we": speakers.py
            # one search per reference entry; "the village" and "the township" of one entry fit different names
            key: object = (id(m.ref), m.text.split()[-1].lower()) if m.ref.get("beside") else id(m.ref)
            target = None
            if seen or m not in body_mentions:
                tested, target = nearest.get(key, (0, None))
                _, subject = nearest_subject.get(key, (0, None))
                for cand in seen[tested:]:
                    if _fits(m, cand, index, text):
                        target = cand
                        if cand.subject:
                            subject = cand
                nearest[key] = (len(seen), target)
                nearest_subject[key] = (len(seen), subject)
                # "It has seized ...": a pronoun means the last subject rather than the last name, when that
                # subject is recent (within a few sentences)
                if subject is not None and m.ref.get("pronoun") and m.start - subject.start < SUBJECT_REACH:
                    target = subject
            speaker = _speaker_before(m, seen, text, index) if m.ref.get("pronoun") else None
            if speaker is not None:
                target = speaker  # "The Treasury said in a statement it was imposing sanctions": the speaker
            named = _named_next(m, mentions[at + 1 : at + 2], text)
            if named is not None:
                target = named  # "the affiliate group known as Islamic State-Mozambique": the name after it
            if target is None and m.start < body_start:
                if key not in first_in_body:
                    first_in_body[key] = next((c for c in body_mentions if _fits(m, c, index, text)), None)
                target = first_in_body[key]
            if target is not None:
                m.actor, m.cls, m.affiliation = target.actor, target.cls, target.affiliation
                m.antecedent = target
                if target.kind == "collective":
                    m.kind = "collective"
        if m.kind != "reference" or m.actor:
            where[id(m)] = len(seen)
            seen.append(m)
            if m.subject and m.cls != "Person":
                last_subject = m  # "Ko Khant told RFA", "He said that they ...": a person is not "they"


_KNOWN_AS = re.compile(r",?\s+(?:known\s+as|called|dubbed|named)\s+(?:the\s+)?")


def _named_next(m: Mention, after: list[Mention], text: str) -> Mention | None:
    """The name a description introduces right after it ("the affiliate group known as X", "a militia called X"):
    the description means it, not an earlier actor; None when no name follows so."""
    nxt = after[0] if after else None
    if nxt is None or nxt.kind == "reference" or not nxt.actor or m.ref is None or m.ref.get("pronoun"):
        return None
    return nxt if _KNOWN_AS.fullmatch(text, m.end, nxt.start) else None


# A report's first words that describe a group without naming it: "A rebel army in Myanmar says ...", "An ethnic
# minority insurgent group in Myanmar has closed ...", "BANGKOK: A Myanmar ethnic minority armed group said ..."
# (after a dateline, sentences.py's DATELINE)
_LEDE = re.compile(
    r"\s*(An?\s+(?:[\w’'-]+\s+){0,5}?(?:group|army|alliance|coalition|militia|movement|organi[sz]ation)"
    r"(?:\s+in\s+(?:northern\s+|southern\s+|eastern\s+|western\s+)?[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)?)\b"
)  # "in Myanmar" says which group, not where it is


def lede(sentences: list[Sentence], per_sentence: list[list[Mention]], text: str) -> None:
    """A report that opens on a group it does not name yet names it in the next two sentences: "A rebel army in
    Myanmar says it has captured a major military headquarters ... The Arakan Army said ...". The description is
    then a reference to the first armed group or organisation named there, so what the lede says of it is said of
    that group. Not when the description holds a name of its own ("A KIA-led coalition")."""
    body = [k for k, s in enumerate(sentences) if not s.headline][:2]
    first = next((k for k in body if not DATELINE.fullmatch(sentences[k].text.strip())), None)
    if first is None:
        return
    dated = DATELINE.match(text, sentences[first].start, sentences[first].end)
    match = _LEDE.match(text, dated.end() if dated else sentences[first].start, sentences[first].end)
    if match is None:
        return
    start, end = match.span(1)
    inside = [m for m in per_sentence[first] if m.start < end and start < m.end]
    if any(m.affiliation or m.cls not in (None, "Place", "Group", "Movement") for m in inside):
        return  # "A KIA-led coalition": named by its force
    later = [m for ms in per_sentence[first + 1 : first + 3] for m in ms]
    target = next((m for m in later if m.kind in ("registry", "unknown") and m.cls in LEDE_CLASSES), None)
    if target is None:
        return
    for m in inside:
        per_sentence[first].remove(m)
    actor = target.actor or proposed_id(target.name or target.text)
    ref = Mention(start, end, text[start:end], actor, target.cls, "reference", subject=True, antecedent=target)
    per_sentence[first].append(ref)
    per_sentence[first].sort(key=lambda m: m.start)


LEDE_CLASSES = ("ArmedGroup", "Organization")  # what a lede's unnamed group may be (not a state's force)


def _speaker_before(m: Mention, seen: list[Mention], text: str, index: Index) -> Mention | None:
    """The organisation whose verb of saying (patterns.yaml's said_before) comes just before the pronoun ``m``, or
    None; not a person or a place, whatever its class (a new name the parser calls an organisation counts)."""
    for cand in reversed(seen[-3:]):
        if cand.end <= m.start and cand.actor and cand.cls not in (None, "Person", "Place", "Facility"):
            return cand if index.said_before.fullmatch(text, cand.end, m.start) else None
    return None


_BRACKET = re.compile(r"\s*\(")  # "the Ta'ang National Liberation Army (TNLA) and ...": its acronym


def _listed_with(target: Mention, after: list[Mention], text: str) -> list[Mention]:
    """The names listed after a subject with "and" (the subject of "they" is all of them): "The TNLA and the
    MNDAA", "A, B and C"; only names of the subject's own class."""
    if not text:
        return []
    found: list[Mention] = []
    last = target
    for cand in after:
        same = cand.actor == last.actor and _BRACKET.fullmatch(text, last.end, cand.start)
        listed = same or LISTED.fullmatch(text, last.end, cand.start)
        if cand.start < last.end or not listed or cand.cls != target.cls:
            break
        if cand.actor and cand.actor != target.actor:
            found.append(Mention(cand.start, cand.end, cand.text, cand.actor, cand.cls, cand.kind))
        last = cand
    return found


def _plural(m: Mention, seen: list[Mention], index: Index, text: str) -> None:
    """ "the two companies", "both groups": the last so many different fitting actors, when they are near (within
    the last few sentences) and there are exactly enough of them there; otherwise nothing."""
    assert m.ref is not None
    wanted = m.ref["plural"]  # a number, or "many": every one of at least two
    found: dict[str, Mention] = {}
    for cand in reversed(seen):
        if m.start - cand.start > SUBJECT_REACH:
            break
        if cand.actor and cand.actor not in found and _fits(m, cand, index, text):
            found[cand.actor] = cand
    if len(found) < 2 or (wanted != "many" and len(found) != int(wanted)):
        return
    first, *others = sorted(found.values(), key=lambda c: c.start)
    m.actor, m.cls, m.kind = first.actor, first.cls, first.kind
    m.also = [Mention(m.start, m.end, m.text, c.actor, c.cls, c.kind) for c in others]


def _fits(ref: Mention, cand: Mention, index: Index, text: str = "") -> bool:
    """Whether the reference ``ref`` may stand for the mention ``cand``."""
    assert ref.ref is not None
    head = ref.ref.get("head")
    if cand is ref or cand.cls not in (ref.ref.get("classes") or []):
        return False
    if ref.ref.get("beside") and text:  # "the village": a name written "X village" or "the village of X"
        word = ref.text.split()[-1].lower()
        if ref.ref.get("plural"):  # "both villages": each written "X village"
            word = singular_noun(word)
        after = [w.strip(",.;:’'”)") for w in text[cand.end : cand.end + 16].lower().split()[:1]]  # "X village."
        before = text[max(0, cand.start - 16) : cand.start].lower().split()[-2:]
        if (
            word not in cand.text.lower().split()
            and after not in ([word], [word + "s"])
            and before != [word, "of"]
            and listed_plural(text, cand.end) != word + "s"  # "Ge Laung and Lone Kauk villages"
        ):
            return False
    if ref.ref.get("collective") and cand.kind != "collective" and cand.cls != "Group":
        return False
    known = cand.actor is not None and cand.kind != "unknown"  # a proposed actor has only its text
    if head and known and head not in index.words_of.get(cand.actor or "", set()):
        return False
    # a new name holds the head word, or was introduced with it: "three copper mines – Letpadaung, Sapetaung"
    return not (head and not known and head not in cand.text.lower() and head not in _introduced(text, cand))


def _introduced(text: str, cand: Mention) -> str:
    """The words of the sentence before a new name, up to 80 characters: where it was introduced as a kind."""
    before = text[max(0, cand.start - 80) : cand.start]
    return before[max(before.rfind(". "), before.rfind("\n")) + 1 :].lower()


def foreign_common_names(every: list[Mention], index: Index) -> None:
    """In an article about another country's force, its common name is that force, not the registry's.

    An article that writes "the Sudanese army" and then "the army", "army troops", never names the registry's
    army by a name of its own ("the Tatmadaw", "the Myanmar military") and names at most one other registry
    actor by a name of its own (it is not about the registry's world, where "the army" is the registry's
    even beside "the Chinese military"), means the Sudanese army each time: every mention that reaches the
    registry's actor by a common name (a name the registry only writes in lower case) stands for the nearest
    such qualified name before it (else the first after), and so does a collective that the common name made
    that actor's. When the qualified name is itself in the registry ("Sudan’s army" of a registry that holds the
    SAF beside Myanmar's army), the common name is that actor from the start if the article named it before it
    first wrote the common name, whatever other registry actors it names.

    Args:
        every: Every mention of the article, in order; changed in place.
        index: For the names the registry writes in lower case only.
    """
    foreign = [m for m in every if m.generic_of]
    if not foreign:
        return
    named = {m.actor for m in every if m.kind == "registry" and name_key(m.text) not in index.lower_keys}
    for actor in sorted({m.generic_of for m in foreign if m.generic_of}):
        qualified = [m for m in foreign if m.generic_of == actor]
        common = [
            m for m in every if (m.actor == actor and m.kind in ("registry", "collective")) or m.affiliation == actor
        ]
        known = all(q.kind == "registry" for q in qualified)  # "Sudan’s army" is itself in the registry
        if (
            actor in named
            or (len(named) >= 2 and not known)
            or (known and common and common[0].start < qualified[0].start)
        ):
            continue  # the article names the registry's actor, or is among the registry's actors, or wrote "the
            # army" before it named the registry's other army: the registry's actor is meant
        for m in common:
            reached = m.actor == actor
            before = [q for q in qualified if q.start < m.start]
            q = before[-1] if before else qualified[0]
            other = q.actor if known and q.actor else proposed_id(q.text)
            if reached:
                m.actor, m.kind = other, (q.kind if m.kind == "registry" else m.kind)
            if m.affiliation == actor:
                m.affiliation = other
