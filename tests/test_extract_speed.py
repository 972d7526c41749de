"""What makes extraction fast gives the same results as the plain pipeline (issue 14, speed).

The pipeline's components run from memos (the attribute ruler, the lemmatizer), the entity recogniser only
on sentences that may hold a new name, and articles in worker processes: each must leave the tokens, the
entities and the drafts as they were.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from conftest import ROOT

from kg.core.ontology import load_ontology
from kg.extract import extract, render_draft
from kg.extract.draft import load_registry_checked
from kg.extract.mention import Mention, may_name, wanted_parse
from kg.extract.mentions import build_index
from kg.extract.nlp import BUDGET, annotator, parse_sentences, pipeline
from kg.extract.rules import load_rules

# Sentences that reach every kind of pattern of the attribute ruler: one-token tags, words ("was", "had",
# "'s"), regexes ("nothin'"), dependencies ("it" as subject, "There is"), and patterns of two tokens
# ("gonna", "Let's", "ain't"); with white space as tokens, and the same words twice (the memo's second look).
SENTENCES = [
    "The Kachin Independence Army (KIA) attacked a junta base in Hpakant on Monday, residents said.",
    "It was the third attack this month; the army had said it would not retreat.",
    "There is nothin' they're gonna do about it, and we ain't leaving, he said.",
    "Let's see whether Golden Hill Mining Co. Ltd. gets   the permit   it got last year.",
    "y'all know the  company's  subsidiary was backed by Myanmar Economic Holdings Ltd.",
    "The KIA attacked a junta base in Hpakant on Monday, residents said.",
    "He said it was   over.",
]


def _tokens(doc):
    return [
        (t.text, t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, str(t.morph), t.is_sent_start, t.whitespace_) for t in doc
    ]


def test_the_annotator_gives_what_the_pipeline_gives():
    nlp = pipeline()
    expected = list(nlp.pipe(SENTENCES))
    for _ in range(2):  # a cold memo, then a warm one
        got = annotator().annotate(SENTENCES, [True] * len(SENTENCES))
        assert [_tokens(d) for d in got] == [_tokens(d) for d in expected]
        assert [[(e.start, e.end, e.label_) for e in d.ents] for d in got] == [
            [(e.start, e.end, e.label_) for e in d.ents] for d in expected
        ]


def test_entities_only_where_wanted_and_the_same_there():
    nlp = pipeline()
    expected = list(nlp.pipe(SENTENCES))
    wanted = [i % 2 == 0 for i in range(len(SENTENCES))]
    got = annotator().annotate(SENTENCES, wanted)
    for doc, plain, want in zip(got, expected, wanted, strict=True):
        assert _tokens(doc) == _tokens(plain)
        assert [(e.text, e.label_) for e in doc.ents] == ([(e.text, e.label_) for e in plain.ents] if want else [])


def test_the_parser_and_recogniser_loop_gives_what_spacy_loop_gives():
    from kg.extract.nlp import transitions

    nlp = pipeline()
    texts = [*SENTENCES, "", *reversed(SENTENCES)]  # an empty doc; batches of 4, sorted by length in twos
    for name in ("parser", "ner"):
        before = [n for n, _ in nlp.pipeline[: nlp.pipe_names.index(name)]]
        ours = list(nlp.pipe(texts, disable=[name, *(n for n in nlp.pipe_names if n not in before)]))
        theirs = [nlp.make_doc(t) for t in texts]
        for other in before:
            theirs = list(nlp.get_pipe(other).pipe(theirs, batch_size=4))
        theirs = list(nlp.get_pipe(name).pipe(theirs, batch_size=4))
        assert list(transitions(nlp.get_pipe(name), ours, 4)) == ours  # in order
        assert [_tokens(d) for d in ours] == [_tokens(d) for d in theirs]
        assert [[(e.start, e.end, e.label_) for e in d.ents] for d in ours] == [
            [(e.start, e.end, e.label_) for e in d.ents] for d in theirs
        ]
        assert any(d.ents for d in ours) if name == "ner" else any(t.dep_ == "nsubj" for t in ours[0])


@pytest.fixture(scope="module")
def index():
    onto = load_ontology()
    return build_index(load_registry_checked(ROOT / "tests" / "realtext" / "actors.yaml", onto), load_rules(), onto)


@pytest.mark.parametrize(
    ("sentence", "held", "expected"),
    [
        ("Reuters said the army attacked the camp.", [], True),  # a name at the start of a sentence
        ("He said the army attacked the camp.", [], False),  # a capitalised function word
        ("It said they attacked it in the night.", [], False),
        ("Troops of the US attacked.", [], True),  # "US" is no function word
        ("The KIA attacked the camp.", [(4, 7, "KIA")], False),  # every capital is in a mention
        ("The Shanni Army attacked.", [(11, 15, "Army")], True),  # a generic word may be part of a longer name
        ("The Army attacked.", [(4, 8, "Army")], True),
        ("ကချင် troops attacked.", [], True),  # a script without capitals: the recogniser decides
        ("troops attacked 3 camps.", [], False),
    ],
)
def test_which_sentences_may_hold_a_new_name(index, sentence, held, expected):
    mentions = [Mention(a, b, text, "x", None, "registry") for a, b, text in held]
    assert may_name(sentence, 0, len(sentence), mentions, index) is expected


def test_a_sentence_with_nothing_to_read_in_its_parse_is_not_parsed(index):
    plain = "troops attacked 3 camps at night."
    assert wanted_parse(plain, 0, len(plain), [], index) is None
    assert wanted_parse(plain, 0, len(plain), [Mention(0, 6, "troops", None, "Group", "collective")], index) is False
    named = "Reuters said troops attacked."
    assert wanted_parse(named, 0, len(named), [], index) is True
    # a text wanted once is parsed; one never wanted is not, but counts against the budget all the same
    spans = parse_sentences([plain, named, plain, named], [None, False, False, True])
    assert spans[0] is not None and spans[0] is not spans[2]  # (a new Span of the same Doc)
    assert [e.text for e in spans[1].ents] == [e.text for e in spans[3].ents] == ["Reuters"]
    unread = [f"{i:04d} " + "word " * 199 for i in range(BUDGET // 1_000)]  # 1,000 characters each
    assert sum(map(len, unread)) == BUDGET
    assert parse_sentences([*unread, named], [*[None] * len(unread), True])[-1] is None  # past the budget
    assert parse_sentences([*unread[:10], named], [*[None] * 10, True])[-1] is not None


def test_drafts_are_the_same_with_any_number_of_jobs(tmp_path: Path):
    folder = ROOT / "tests" / "extraction"
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "actors.yaml").write_text((folder / "actors.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    runs = [extract([folder / "articles"], sources, dry_run=True, jobs=jobs) for jobs in (1, 2, 3)]
    drafts = [[render_draft(o.extraction) for o in run] for run in runs]
    assert drafts[0] == drafts[1] == drafts[2]
    assert len(drafts[0]) == len(list((folder / "articles").glob("*.md")))


def test_articles_parsed_together_get_what_each_gets_alone():
    from kg.extract.together import in_one_pass

    texts = [SENTENCES[:3], SENTENCES[3:], [], SENTENCES[1:2]]

    def work(number: int):
        def run():
            if number == 2:
                raise ValueError("no text")  # handed back in its place; the others go on
            spans = parse_sentences(texts[number])
            return [_tokens(s) for s in spans], [[(e.text, e.label_) for e in s.ents] for s in spans]

        return run

    alone = [work(n)() if n != 2 else None for n in range(len(texts))]
    together = in_one_pass([work(n) for n in range(len(texts))])
    assert isinstance(together[2], ValueError)
    assert [t for n, t in enumerate(together) if n != 2] == [a for n, a in enumerate(alone) if n != 2]


def test_articles_are_grouped_in_order_and_smaller_toward_the_end(tmp_path: Path):
    from kg.extract.batch import GROUP_ARTICLES, GROUP_BYTES, GROUP_FLOOR, groups

    paths = []
    for number, size in enumerate([500, 3_000, 90_000, 2_000, *[1_500] * 30]):
        path = tmp_path / f"a{number:02d}.md"
        path.write_text("x" * size, encoding="utf-8")
        paths.append(path)
    missing = tmp_path / "missing.md"  # read_one says what is wrong with it, in its turn
    for jobs in (1, 2):
        found = groups([*paths, missing], jobs)
        assert [p for g in found for p in g] == [*paths, missing]
        assert all(len(g) <= GROUP_ARTICLES for g in found)
        assert all(len(g) == 1 or sum(p.stat().st_size for p in g if p.exists()) <= GROUP_BYTES for g in found)
        assert [paths[2]] in found  # a long article goes alone
    several = groups(paths, 2)
    assert len(several[-1]) < len(groups(paths, 1)[-1])  # the last of several jobs' is smaller
    # but not below the floor: a group is closed only when it is full or the next article would take it past
    for group, after in pairwise(several):
        held = sum(p.stat().st_size for p in group)
        assert len(group) == GROUP_ARTICLES or held + after[0].stat().st_size > GROUP_FLOOR
    # the tail is not cut into single articles (a pass has a cost of its own): only the long one goes alone
    assert [g for g in several[:-1] if len(g) == 1] == [[paths[2]]]


def test_a_pass_that_fails_fails_the_articles_waiting_for_it(monkeypatch):
    from kg.extract import together

    class Broken:
        def annotate(self, texts, names):
            raise MemoryError("no room")

    monkeypatch.setattr(together.nlp, "annotator", lambda: Broken())
    results = together.in_one_pass([lambda: parse_sentences(["The KIA attacked."]), lambda: "no parse asked"])
    assert isinstance(results[0], MemoryError) and results[1] == "no parse asked"


def test_an_article_reads_the_same_whatever_the_process_read_before():
    """A mention's weakness (its class only the parser's label) is the mention's own: a set of ids took a mention
    made where a dropped one had lain for the dropped one, so "The UK imposed sanctions" gave the UK as a
    government or a place by what the worker had extracted before."""
    dropped = Mention(0, 2, "UK", None, "Place", "unknown", weak=True)
    twin = Mention(0, 2, "UK", None, "Place", "unknown")  # made after it, at the same place: not weak
    assert dropped.weak
    assert not twin.weak
    from test_extract_unknown import _extract

    text = "The UK imposed sanctions on MEHL on Thursday. The UK government said the firm funds the military."
    first = render_draft(_extract(text))
    assert "UK (Government)" in first or "type: Government" in first
    for _ in range(20):  # articles before it, each leaving mentions behind to be freed
        _extract("Fighting spread to Pein Sar and Kan Htaung villages in Ann township, residents said.")
        assert render_draft(_extract(text)) == first
