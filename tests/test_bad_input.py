"""Each bad input is refused with its file, line and fix; the exit code is non-zero; output/ is untouched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import snapshot

from kg.cli import main
from kg.core.errors import LoadError, SourceError
from kg.graph.build import build

CLAIMS = "claims/tiny-report.yaml"
ACTORS = "actors.yaml"
ARTICLE = "articles/tiny-report.md"


def _edit(root: Path, rel: str, old: str, new: str) -> int:
    """Replace the first ``old`` by ``new``; return the line where the replacement starts."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def _line_of(root: Path, rel: str, needle: str, after: int) -> int:
    """The first line at or after ``after`` that holds ``needle``, else the first anywhere."""
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    for number in [*range(after, len(lines) + 1), *range(1, after)]:
        if needle in lines[number - 1]:
            return number
    raise AssertionError(needle)


# (name, file edited, old text, new text, the line to report holds this text, message pattern, fix pattern)
CASES = [
    (
        "unknown predicate",
        CLAIMS,
        "predicate: operates",
        "predicate: operate",
        "predicate: operate",
        r"unknown predicate 'operate'\. Did you mean 'operates'\?",
        r"use one of the relations",
    ),
    (
        "unknown class",
        ACTORS,
        "type: ArmedGroup",
        "type: Militia",
        "type: Militia",
        r"unknown actor type 'Militia'",
        r"use one of the classes of ontology/kg\.ttl",
    ),
    (
        "unknown actor id",
        CLAIMS,
        "subject: kaung-holdings",
        "subject: Kaung Holdings",
        "subject: Kaung Holdings",
        r"unknown actor id 'Kaung Holdings' as subject\. "
        r"'Kaung Holdings' is a name of the actor with id 'kaung-holdings'",
        r"use an id from sources/actors\.yaml",
    ),
    (
        "quote not verbatim",
        CLAIMS,
        "quote: The quarry is operated by Kaung Holdings",
        "quote: The quarry is run by Kaung Holdings",
        "The quarry is run by",
        r"the quote is not in .*tiny-report\.md",
        r"copy the passage from the article exactly",
    ),
    (
        "malformed claims YAML",
        CLAIMS,
        "    object: hill-quarry\n    quote: The quarry",
        "    object: hill-quarry\n   quote: The quarry",
        "   quote: The quarry",
        r"invalid YAML",
        r"check the indentation",
    ),
    (
        "malformed registry YAML",
        ACTORS,
        "aliases: [Kaung Holdings]",
        "aliases: [Kaung Holdings",
        "wikidata:",
        r"invalid YAML: while parsing a flow sequence .* \(it began on line 15\)",
        r"indentation and quoting",
    ),
    (
        "malformed front matter",
        ARTICLE,
        "outlet: Valley Times",
        "outlet: Valley: Times",
        "outlet: Valley: Times",
        r"invalid YAML",
        r"indentation and quoting",
    ),
    (
        "missing required field",
        CLAIMS,
        "    quote: Kaung Holdings, an army-owned company\n",
        "",
        "subject: state-army",
        r"a claim is missing the required field 'quote'",
        r"add 'quote: \.\.\.'",
    ),
    (
        "missing title",
        ARTICLE,
        "title: Defence force seizes jade quarry run by army-owned firm\n",
        "",
        "outlet:",
        r"the front matter is missing the required field 'title'",
        r"add 'title",
    ),
    (
        "impossible date",
        CLAIMS,
        "date: 2023-03-12\n    disputed",
        "date: 2023-02-30\n    disputed",
        "date: 2023-02-30",
        r"'2023-02-30' is not a valid date",
        r"YYYY-MM-DD",
    ),
    (
        "impossible published date",
        ARTICLE,
        "published: 2023-03-14",
        "published: 2023-13-01",
        "published: 2023-13-01",
        r"'2023-13-01' is not a valid date",
        r"publication date",
    ),
    (
        "duplicate id",
        ACTORS,
        "  - id: daw-hnin",
        "  - id: hill-quarry",
        "  - id: hill-quarry",
        r"the id 'hill-quarry' is used twice",
        r"give each actor its own id",
    ),
    (
        "alias claimed by two actors",
        ACTORS,
        "aliases: [Kaung Holdings]",
        "aliases: [Kaung Holdings, the army]",
        "  - id: kaung-holdings",
        r"the name 'the army' of 'kaung-holdings' is already a name of 'state-army'",
        r"one name must lead to one actor|remove it from one of the two",
    ),
    (
        "domain violated",
        CLAIMS,
        "  - subject: daw-hnin\n    predicate: spokespersonFor",
        "  - subject: hill-quarry\n    predicate: spokespersonFor",
        "  - subject: hill-quarry",
        r"'spokespersonFor' needs a person as its subject .* but 'hill-quarry' is a facility",
        r"check the order",
    ),
    (
        "unknown field",
        CLAIMS,
        "    claimant: residents\n    date: 2023-03",
        "    claimant: residents\n    dat: 2023-03",
        "dat: 2023-03",
        r"unknown field 'dat' in a claim",
        r"did you mean 'date'\?",
    ),
    (
        "confidence out of range",
        CLAIMS,
        "confidence: 0.9",
        "confidence: 9",
        "confidence: 9",
        r"confidence 9 is not a number from 0 to 1",
        r"confidence: 0\.8",
    ),
    (
        "duplicate key",
        CLAIMS,
        "    claimant: residents\n    date: 2023-03",
        "    claimant: residents\n    claimant: x",
        "claimant: x",
        r"the key 'claimant' appears twice",
        r"keep one of them",
    ),
    (
        "python object tag",
        ACTORS,
        "name: Daw Hnin",
        "name: !!python/object/apply:os.system ['echo hacked']",
        "!!python/object",
        r"invalid YAML",
        r"kg reads plain YAML data only",
    ),
]


@pytest.mark.parametrize(("name", "rel", "old", "new", "line_text", "message", "fix"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused_with_file_line_and_fix_and_output_kept(
    tiny, tmp_path, name, rel, old, new, line_text, message, fix
):
    out = tmp_path / "output"
    build(tiny, out)
    before = snapshot(out)
    line = _line_of(tiny, rel, line_text, _edit(tiny, rel, old, new))
    with pytest.raises(SourceError) as caught:
        build(tiny, out)
    text = str(caught.value)
    assert re.search(message, text), text
    assert re.search(fix, text), text
    assert f"{Path(rel).name}:{line}:" in text, f"expected line {line} of {rel} in: {text}"
    assert snapshot(out) == before  # nothing lost, nothing left behind

    result = CliRunner().invoke(main, ["build", "--sources", str(tiny), "--output", str(out)])
    assert result.exit_code != 0
    assert "Error:" in result.output and f"{Path(rel).name}:{line}:" in result.output
    assert "Traceback" not in result.output


def test_all_problems_are_listed_at_once(tiny):
    _edit(tiny, CLAIMS, "predicate: operates", "predicate: operate")
    _edit(tiny, ACTORS, "type: Facility", "type: Building")
    with pytest.raises(SourceError) as caught:
        build(tiny, tiny.parent / "out")
    assert len(caught.value.problems) >= 2
    assert "operate" in str(caught.value) and "Building" in str(caught.value)


def test_unparseable_yaml_is_a_load_error_with_exit_code_2_in_validate(tiny):
    _edit(tiny, ACTORS, "aliases: [Kaung Holdings]", "aliases: [Kaung Holdings")
    with pytest.raises(LoadError):
        build(tiny, tiny.parent / "out")
    result = CliRunner().invoke(main, ["validate", "--sources", str(tiny)])
    assert result.exit_code == 2
    assert "actors.yaml:" in result.output


def test_rule_violations_give_exit_code_1_in_validate(tiny):
    _edit(tiny, CLAIMS, "predicate: operates", "predicate: operate")
    result = CliRunner().invoke(main, ["validate", "--sources", str(tiny)])
    assert result.exit_code == 1
    assert "unknown predicate 'operate'" in result.output


def test_a_claims_file_for_a_missing_article_is_refused(tiny):
    (tiny / "claims" / "tiny-report.yaml").rename(tiny / "claims" / "no-such-report.yaml")
    with pytest.raises(SourceError, match=r"no-such-report\.yaml:1: no article 'no-such-report'"):
        build(tiny, tiny.parent / "out")


def test_a_missing_sources_folder_is_refused(tmp_path):
    with pytest.raises(LoadError, match="the sources folder does not exist"):
        build(tmp_path / "nowhere", tmp_path / "out")


def test_a_sparql_syntax_error_names_line_and_column(seed_output):
    result = CliRunner().invoke(main, ["query", "--graph", str(seed_output), "SELECT ?s WHERE {\n ?s ?p \n}"])
    assert result.exit_code == 1
    assert re.search(r"SPARQL syntax error at line \d+, column \d+", result.output), result.output
    assert "Traceback" not in result.output


def test_an_update_is_not_a_query(seed_output):
    result = CliRunner().invoke(main, ["query", "--graph", str(seed_output), "DELETE WHERE { ?s ?p ?o }"])
    assert result.exit_code == 1 and "SPARQL syntax error" in result.output


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    ],
)
def test_queries_that_would_reach_outside_the_graph_are_refused(seed_output, text):
    result = CliRunner().invoke(main, ["query", "--graph", str(seed_output), text])
    assert result.exit_code == 1
    assert "SERVICE" in result.output or "FROM" in result.output


def test_a_graph_that_is_not_built_is_reported(tmp_path):
    result = CliRunner().invoke(main, ["describe", "UMEHL", "--graph", str(tmp_path)])
    assert result.exit_code == 1 and "run 'kg build' first" in result.output


def test_shacl_catches_what_the_loaders_would_not_let_through(ontology):
    from conftest import SEED
    from rdflib import RDF

    from kg.core.ids import actor_iri
    from kg.core.ontology import KG
    from kg.graph.formats import union_graph
    from kg.graph.rdf import build_dataset
    from kg.graph.validate import shacl_problems
    from kg.sources.load import load_sources

    graph = union_graph(build_dataset(load_sources(SEED, ontology), ontology))
    graph.add((actor_iri("china"), KG.leads, actor_iri("junta")))  # no claim behind it
    claim = sorted(graph.subjects(RDF.type, KG.Claim))[0]
    graph.remove((claim, KG.quote, None))
    graph.set((claim, RDF.subject, actor_iri("china")))  # a place cannot be the subject of most relations
    problems = "\n".join(str(p) for p in shacl_problems(graph, ontology))
    assert "has no claim node: every relation needs evidence" in problems
    assert "A claim needs exactly one non-empty verbatim quote" in problems
    assert "Domain: the subject" in problems or "missing as a direct triple" in problems


def test_a_claims_file_may_be_a_bare_list(tiny):
    text = (tiny / CLAIMS).read_text(encoding="utf-8")
    body = text.split("claims:\n", 1)[1]
    (tiny / CLAIMS).write_text("\n".join(line[2:] for line in body.splitlines()) + "\n", encoding="utf-8")
    assert build(tiny, tiny.parent / "out").claims == 6


@pytest.mark.parametrize("url", ["https://example.org/a b", "https://example.org/<script>", "javascript:alert(1)"])
def test_a_url_that_is_not_a_valid_http_iri_is_refused(tiny, url):
    """Regression: a URL with '<' reached rdflib's Turtle writer and crashed the build instead of a source error."""
    _edit(tiny, ARTICLE, "url: https://valley-times.example/news/quarry", f"url: '{url}'")
    with pytest.raises(SourceError, match=r"tiny-report\.md:4: .* is not an http\(s\) URL"):
        build(tiny, tiny.parent / "out")
