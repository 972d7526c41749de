"""What an article names, in its draft and its graph (issue 14): every registry actor the article names is listed
under the draft's ``mentioned_actors`` and linked from the article by ``schema:mentions``, and every actor the
draft proposes is in the source's graph, whether or not a claim uses it.

The article is written for these tests, with kg's bundled registry.
"""

from __future__ import annotations

import pytest
import yaml
from conftest import SEED, write_article
from rdflib import Dataset, Namespace

from kg.core.errors import SourceError
from kg.core.ids import actor_iri, source_graph_iri, source_iri
from kg.core.ontology import KG
from kg.extract import extract
from kg.graph.build import build

SCHEMA = Namespace("https://schema.org/")
TEXT = (
    "The Kachin Independence Army attacked Golden Hill Mining Co. Ltd. on Monday, residents said. "
    "Min Aung Hlaing visited Silver Lake Holdings Ltd. in Myitkyina."
)


@pytest.fixture
def src(tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "actors.yaml").write_text((SEED / "actors.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    write_article(folder / "articles" / "report.md", TEXT)
    extract([folder / "articles" / "report.md"], folder)
    return folder


def test_the_draft_lists_every_registry_actor_the_article_names(src):
    draft = yaml.safe_load((src / "claims" / "report.yaml").read_text(encoding="utf-8"))
    assert {"kia", "min-aung-hlaing", "myitkyina"} <= set(draft["mentioned_actors"])
    ends = {x for c in draft["claims"] for x in (c["subject"], c["object"])}
    assert "min-aung-hlaing" not in ends  # named, and in no claim


def test_the_graph_links_the_article_to_every_actor_it_names_and_holds_every_proposed_one(src, tmp_path):
    draft = yaml.safe_load((src / "claims" / "report.yaml").read_text(encoding="utf-8"))
    proposed = {p["id"] for p in draft["proposed_actors"]}
    assert "new-silver-lake-holdings-ltd" in proposed
    build(src, tmp_path / "out")
    dataset = Dataset()
    dataset.parse(tmp_path / "out" / "graph.trig", format="trig")
    graph = dataset.graph(source_graph_iri("report"))
    named = set(graph.objects(source_iri("report"), SCHEMA.mentions))
    assert {actor_iri(a) for a in draft["mentioned_actors"]} | {actor_iri(p) for p in proposed} == named
    for actor in proposed:  # in no claim, and in the graph all the same
        assert (actor_iri(actor), KG.status, KG.ProposedActor) in graph


@pytest.mark.parametrize(
    ("listed", "message"),
    [
        ("[kia, nobody-at-all]", r"report\.yaml:\d+: 'mentioned_actors' names 'nobody-at-all'"),
        ("kia", r"report\.yaml:\d+: 'mentioned_actors' must be a list of actor ids"),
    ],
)
def test_a_mentioned_actor_that_is_no_registry_actor_is_refused_with_its_line(src, tmp_path, listed, message):
    path = src / "claims" / "report.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.split("mentioned_actors:")[0] + f"mentioned_actors: {listed}\n", encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("last good output", encoding="utf-8")
    with pytest.raises(SourceError, match=message):
        build(src, tmp_path / "out")
    assert (tmp_path / "out" / "keep.txt").read_text(encoding="utf-8") == "last good output"


def test_one_proposed_actor_per_id_whatever_the_spelling(tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "actors.yaml").write_text((SEED / "actors.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    text = "The KIA said the junta was sanctioned by U.S, U.K. and Canada. The U.S. sanctioned MEHL and MEC."
    write_article(folder / "articles" / "two.md", text)
    extract([folder / "articles" / "two.md"], folder)
    draft = yaml.safe_load((folder / "claims" / "two.yaml").read_text(encoding="utf-8"))
    ids = [p["id"] for p in draft.get("proposed_actors", [])]
    assert len(ids) == len(set(ids))
    assert all(p["name"] != "U.S" for p in draft.get("proposed_actors", []))
