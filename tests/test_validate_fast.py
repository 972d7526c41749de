"""kg validate's Oxigraph engine (kg.graph.shacl) against pySHACL: the same problems from the same shapes (issue 16).

The two engines read ontology/shapes.ttl and must report the same set of problems: on the seed, on the
tiny fixture, and on a generated corpus with violations of every constraint kind the shapes use planted
in it. Two differences are normalised before comparing, both pySHACL's: the order of an sh:in list in
its default message (a Python set: it changes from run to run), and a blank node's label.
"""

from __future__ import annotations

import random
import re
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEED, TINY
from rdflib import RDF, XSD, Graph, Literal, URIRef

from kg.cli import main
from kg.core.ids import actor_iri
from kg.core.ontology import KG, Ontology, load_ontology
from kg.graph import shacl
from kg.graph.formats import union_graph
from kg.graph.rdf import PROV, SCHEMA, SKOS, build_dataset
from kg.graph.validate import shacl_problems, validate
from kg.sources.load import load_sources

sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
from scale_bench import generate

RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")


def _normal(problems: list) -> set[str]:
    """Problems as text, an sh:in list's members sorted."""
    texts = set()
    for problem in problems:
        text = re.sub(
            r"not in list \[([^\]]*)\]", lambda m: "not in list " + str(sorted(m.group(1).split(", "))), str(problem)
        )
        texts.add(text)
    return texts


def _agree(graph: Graph, ontology: Ontology) -> set[str]:
    fast, reference = _normal(shacl_problems(graph, ontology)), _normal(shacl_problems(graph, ontology, "pyshacl"))
    assert fast == reference, f"only Oxigraph: {sorted(fast - reference)}\nonly pySHACL: {sorted(reference - fast)}"
    return fast


def _graph(sources: Path, ontology: Ontology) -> Graph:
    return union_graph(build_dataset(load_sources(sources, ontology), ontology))


@pytest.mark.parametrize("sources", [SEED, TINY], ids=["seed", "tiny"])
def test_both_engines_find_the_seed_and_the_fixture_conform(sources, ontology):
    assert _agree(_graph(sources, ontology), ontology) == set()
    assert validate(sources).exit_code == validate(sources, engine="pyshacl").exit_code == 0


def plant(graph: Graph, rng: random.Random) -> list[str]:
    """Break the graph once for each constraint kind of ontology/shapes.ttl; what each break must report."""
    claims = sorted(graph.subjects(RDF.type, KG.Claim))
    articles = sorted(graph.subjects(RDF.type, SCHEMA.NewsArticle))
    actors = sorted(graph.subjects(KG.registryId, None))
    everything = {id(claims): list(claims), id(articles): list(articles), id(actors): list(actors)}

    def take(items: list) -> URIRef:  # a node not broken yet while there is one
        return items.pop(rng.randrange(len(items))) if items else rng.choice(everything[id(items)])

    place = URIRef(str(actor_iri("nowhere-place")))
    graph.add((place, RDF.type, KG.Place))  # typed but not in the registry: no label, no id
    breaks = [
        ("minCount (custom message)", lambda: graph.remove((take(claims), KG.quote, None)), "verbatim quote"),
        ("minCount (default message)", lambda: graph.remove((take(articles), KG.slug, None)), "Less than 1 values on"),
        (
            "maxCount (custom)",
            lambda: graph.add((take(actors), RDFS_LABEL, Literal("Second name"))),
            "exactly one non-empty rdfs:label",
        ),
        ("maxCount (default)", lambda: graph.add((take(claims), KG.disputed, Literal(True))), "More than 1 values on"),
        ("datatype", lambda: graph.add((take(actors), SKOS.altLabel, Literal(3))), "Aliases (skos:altLabel)"),
        (
            "datatype, language",
            lambda: graph.set((take(claims), KG.date, Literal("May", lang="en"))),
            "datatype xsd:string",
        ),
        (
            "datatype, ill-formed",
            lambda: graph.set((take(claims), KG.latest, Literal("soon", datatype=XSD.date))),
            "datatype xsd:date",
        ),
        (
            "class",
            lambda: graph.set((take(claims), PROV.wasAttributedTo, actor_iri("nowhere-place"))),
            "at most one agent",
        ),
        (
            "nodeKind",
            lambda: graph.set((take(articles), SCHEMA.url, Literal("https://example.org"))),
            "Node Kind sh:IRI",
        ),
        (
            "in (custom)",
            lambda: graph.set((take(claims), KG.method, KG.Guesswork)),
            "kg:HumanReview or kg:RuleExtraction",
        ),
        ("in (default)", lambda: graph.set((take(claims), KG.datePrecision, KG.HourPrecision)), "not in list"),
        ("minLength", lambda: graph.set((take(claims), KG.claimant, Literal(""))), "exactly one claimant"),
        (
            "maxInclusive",
            lambda: graph.set((take(claims), KG.confidence, Literal("1.5", datatype=XSD.decimal))),
            "between 0 and 1",
        ),
        (
            "minInclusive",
            lambda: graph.set((take(claims), KG.confidence, Literal("-1", datatype=XSD.decimal))),
            "between 0 and 1",
        ),
        (
            "sparql: not a relation",
            lambda: graph.set((take(claims), RDF.predicate, KG.quote)),
            "not a relation declared",
        ),
        ("sparql: direct triple", lambda: graph.remove(_relation(graph, take(claims))), "missing as a direct triple"),
        ("sparql: domain", lambda: _retarget(graph, take(claims), RDF.subject, place), "Domain: the subject"),
        (
            "sparql: range",
            lambda: _retarget(graph, take(claims), RDF.object, actor_iri("nowhere")),
            "Range: the object",
        ),
        ("sparql: no claim", lambda: graph.add((take(actors), KG.owns, place)), "has no claim node"),
    ]
    for _, mutate, _ in breaks:
        mutate()
    return [expected for _, _, expected in breaks]


def _relation(graph: Graph, claim: URIRef) -> tuple:
    return graph.value(claim, RDF.subject), graph.value(claim, RDF.predicate), graph.value(claim, RDF.object)


def _retarget(graph: Graph, claim: URIRef, end: URIRef, node: URIRef) -> None:
    graph.set((claim, end, node))


@pytest.mark.parametrize("seed", [1, 2])
def test_both_engines_report_the_same_planted_violations_of_every_kind(tmp_path, ontology, seed):
    generate(tmp_path / "sources", 5, seed=seed)
    graph = _graph(tmp_path / "sources", ontology)
    expected = plant(graph, random.Random(seed))
    found = "\n".join(_agree(graph, ontology))
    for fragment in expected:
        assert fragment in found, fragment


def test_planted_violations_in_the_fixture_agree(ontology):
    graph = _graph(TINY, ontology)
    expected = plant(graph, random.Random(7))
    found = "\n".join(_agree(graph, ontology))
    assert all(fragment in found for fragment in expected)


def test_validate_on_sources_agrees_and_gives_the_exit_code(tiny):
    edit = tiny / "claims" / "tiny-report.yaml"
    assert validate(tiny).problems == validate(tiny, engine="pyshacl").problems == []
    edit.write_text(
        edit.read_text(encoding="utf-8").replace("predicate: operates", "predicate: operate"), encoding="utf-8"
    )
    fast, reference = validate(tiny), validate(tiny, engine="pyshacl")
    assert fast.exit_code == reference.exit_code == 1 and fast.problems == reference.problems


def test_the_cli_takes_the_engine():
    fast = CliRunner().invoke(main, ["validate", "--sources", str(TINY)])
    reference = CliRunner().invoke(main, ["validate", "--sources", str(TINY), "--engine", "pyshacl"])
    assert fast.exit_code == reference.exit_code == 0 and fast.output == reference.output


def _with_shapes(tmp_path: Path, extra: str) -> Path:
    folder = tmp_path / "ontology"
    shutil.copytree(load_ontology().folder, folder)
    with (folder / "shapes.ttl").open("a", encoding="utf-8") as shapes:
        shapes.write(extra)
    return folder


def test_a_feature_it_does_not_translate_is_refused_and_pyshacl_runs(tmp_path):
    extra = "\nkgsh:OrShape a sh:NodeShape ; sh:targetClass kg:Actor ;\n"
    extra += "    sh:or ( [ sh:path rdfs:label ; sh:minCount 1 ] ) .\n"
    folder = _with_shapes(tmp_path, extra)
    with pytest.raises(shacl.Unsupported, match="OrShape: sh:or"):
        shacl.compile_shapes(Graph().parse(folder / "shapes.ttl"), Graph())
    notices: list[str] = []
    report = validate(TINY, folder, notice=notices.append)
    assert report.exit_code == 0 and "pySHACL runs instead" in notices[0]


def test_a_complex_path_is_refused(tmp_path):
    extra = "\nkgsh:PathShape a sh:NodeShape ; sh:targetClass kg:Actor ;\n"
    extra += "    sh:property [ sh:path ( rdfs:label rdfs:label ) ; sh:maxCount 1 ] .\n"
    with pytest.raises(shacl.Unsupported, match="is not an IRI"):
        shacl.compile_shapes(Graph().parse(_with_shapes(tmp_path, extra) / "shapes.ttl"), Graph())


def test_a_shape_read_from_the_file_is_applied_not_a_rule_written_in_python(tmp_path):
    extra = (
        "\nkgsh:ShortNames a sh:NodeShape ; sh:targetClass kg:Actor ;\n"
        '    sh:property [ sh:path rdfs:label ; sh:maxLength 12 ; sh:pattern "^[A-Z]" ] .\n'
    )
    folder = _with_shapes(tmp_path, extra)
    onto = load_ontology(folder)
    graph = _graph(TINY, onto)
    problems = _agree(graph, onto)
    assert any("id:ridge-defence-force (property rdfs:label): String length not <=" in p for p in problems)


@pytest.mark.parametrize(
    ("body", "rewritten"),
    [
        ("$this ?p ?o . FILTER NOT EXISTS { ?c ?p ?o }", True),
        ("$this ?p ?o . OPTIONAL { $this ?q ?x } FILTER NOT EXISTS { ?c ?q ?x }", False),  # ?x may be unbound
        ("$this ?p ?o . FILTER NOT EXISTS { ?c ?q ?x }", False),  # shares no variable: MINUS would keep all
        ("$this ?p ?o . FILTER NOT EXISTS { ?c ?p ?o FILTER(?c != $this) }", False),
    ],
)
def test_not_exists_becomes_minus_only_where_they_agree(body, rewritten):
    assert ("MINUS" in shacl._minus(body)) is rewritten


def test_warnings_and_counts_are_those_of_the_usual_reading(tiny):
    """The Oxigraph engine reads the sources as kg build does (in units); the report says what load_sources says."""
    (tiny / "articles" / "lonely.md").write_text(
        "---\ntitle: Lonely\noutlet: Valley Times\npublished: 2024-01-02\n---\nNo claims here.\n", encoding="utf-8"
    )
    fast, reference = validate(tiny, jobs=1), validate(tiny, engine="pyshacl")
    assert [str(w) for w in fast.warnings] == [str(w) for w in reference.warnings] != []
    assert (fast.exit_code, fast.claims, fast.problems) == (reference.exit_code, reference.claims, reference.problems)


def test_validate_reads_unchanged_sources_from_a_builds_cache(tiny, tmp_path):
    from kg.graph.build import build

    out = tmp_path / "out"
    build(tiny, out, jobs=1)
    assert validate(tiny, cache=out, jobs=1).exit_code == 0
    edit = tiny / "claims" / "tiny-report.yaml"
    edit.write_text(
        edit.read_text(encoding="utf-8").replace("predicate: operates", "predicate: operate"), encoding="utf-8"
    )
    changed = validate(tiny, cache=out, jobs=1)
    assert changed.exit_code == 1 and changed.problems == validate(tiny, engine="pyshacl").problems
    result = CliRunner().invoke(main, ["validate", "--sources", str(tiny), "--output", str(out), "--jobs", "1"])
    assert result.exit_code == 1 and "unknown predicate 'operate'" in result.output
