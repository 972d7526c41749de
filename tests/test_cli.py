"""The command line: help with examples, coverage in the docs, and exact output on the seed."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import ROOT, TINY, write_article
from rdflib import Graph, URIRef

from kg.cli import main
from kg.query.named import named_queries

COMMANDS = sorted(main.commands)


def invoke(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    return result


def test_every_command_is_in_the_reference_and_introduced_in_the_docs():
    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    pages = [ROOT / "README.md", *(page for page in (ROOT / "docs").glob("*.md") if page.name != "cli.md")]
    prose = "\n".join(page.read_text(encoding="utf-8") for page in pages)
    assert {"build", "query", "validate", "actors", "describe"} <= set(COMMANDS)
    for command in COMMANDS:
        assert f"\n## kg {command}\n" in reference, f"'kg {command}' is not in docs/cli.md: run cog -r docs/cli.md"
        assert re.search(rf"kg {command}\b", prose), f"'kg {command}' is shown in no page of README.md or docs/"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output and f"kg {command}" in result.output


def test_top_level_help_has_an_example_and_lists_commands():
    result = invoke("--help")
    assert result.exit_code == 0 and "Example:" in result.output
    for command in COMMANDS:
        assert command in result.output


def test_every_named_query_is_documented_and_runs_on_the_seed(seed_output):
    page = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    examples = {"actor": "UMEHL", "source": "myanmar-now-letpadaung-police-surrender"}
    assert len(named_queries()) >= 8
    for name, query in named_queries().items():
        assert f"--name {name}" in page, f"named query {name} is not documented in docs/queries.md"
        args = ["query", "--graph", str(seed_output), "--name", name]
        for param in query.params:
            if not param.optional:
                args += ["-p", f"{param.name}={examples[param.kind]}"]
        result = invoke(*args)
        assert result.exit_code == 0, result.output
        assert re.search(r"\(\d+ rows?\)\n$", result.output)


def test_build_prints_a_summary(tmp_path):
    result = invoke("build", "--sources", str(TINY), "--output", str(tmp_path))
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "Built 1 article, 7 actors, 6 relations, 6 claims, 0 warnings."


def test_the_program_ends_a_build_without_teardown_yet_prints_and_publishes_all(tiny, tmp_path):
    """``python -m kg.cli`` (kg.cli.run) ends a build that succeeded with os._exit: its output still reaches the
    pipe, the build is published whole, and a build that fails still exits with its code and message."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "kg.cli", "build", "--sources", str(tiny), "--output", str(tmp_path / "out")]
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "Built 1 article, 7 actors, 6 relations, 6 claims, 0 warnings.",
        *(f"  {tmp_path / 'out' / name}" for name in ("graph.ttl", "graph.trig", "graph.nt", "graph.jsonld", "store")),
    ]
    assert Graph().parse(tmp_path / "out" / "graph.ttl") and (tmp_path / "out" / "store").is_dir()
    built = (tmp_path / "out" / "graph.nt").read_bytes()
    (tiny / "actors.yaml").write_text("- id: [broken\n", encoding="utf-8")
    failed = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path, check=False)
    assert failed.returncode == 2 and "actors.yaml:2: invalid YAML" in failed.stderr, failed.stderr
    assert (tmp_path / "out" / "graph.nt").read_bytes() == built


def test_the_program_leaves_what_a_build_loaded_unfreed_to_its_end(tiny, tmp_path, monkeypatch):
    """kg.cli.run hands the build a list to leave its units in: the process ends without freeing them."""
    from kg.cli import commands

    ended: list[int] = []
    monkeypatch.setattr(commands, "_HELD", [])
    monkeypatch.setattr(commands, "_ENDED", [])
    monkeypatch.setattr(commands.os, "_exit", ended.append)
    monkeypatch.setattr(sys, "argv", ["kg", "build", "--sources", str(tiny), "--output", str(tmp_path / "out")])
    commands.run()
    assert ended == [0]
    assert sorted(commands._HELD[0][0].units) == sorted(path.stem for path in (tiny / "articles").glob("*.md"))


def test_build_of_several_articles_warns_about_articles_without_claims(tiny, tmp_path):
    write_article(tiny / "articles" / "second-report.md", "Nothing to claim here.")
    write_article(tiny / "articles" / "third-report.md", "Nor here.")
    result = invoke("build", "--sources", str(tiny), "--output", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert "Built 3 articles, 7 actors, 6 relations, 6 claims, 2 warnings." in result.output
    assert "second-report.md: has no claims file" in result.output


def test_describe_shows_type_aliases_relations_quotes_and_sources(seed_output):
    result = invoke("describe", "the military", "--graph", str(seed_output))
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("Myanmar military junta  (state force; id: junta)\n")
    assert "Tatmadaw" in out
    assert "Myanmar military junta —owns→ Union of Myanmar Economic Holdings Ltd" in out
    assert "“the Union of Myanmar Economic Holdings, Ltd, a military-owned conglomerate”" in out
    assert "source myanmar-now-letpadaung-police-surrender" in out


def test_describe_of_an_unknown_actor_suggests_close_names(seed_output):
    result = invoke("describe", "Wanbao Minin", "--graph", str(seed_output))
    assert result.exit_code == 1
    assert "no actor called 'Wanbao Minin'" in result.output and "wanbao mining" in result.output


def test_actors_search_matches_aliases(seed_output):
    result = invoke("actors", "tatmadaw", "--graph", str(seed_output))
    assert result.exit_code == 0
    rows = result.output.splitlines()
    assert rows[0].split() == ["class", "name", "id", "aliases", "claims"]
    assert rows[2].startswith("state force  Myanmar military junta  junta")
    assert rows[-1] == "(1 row)"


def test_query_formats(seed_output):
    text = "SELECT ?o WHERE { id:junta kg:owns ?o }"
    table = invoke("query", "--graph", str(seed_output), text).output
    assert table == "o\n--------\nid:umehl\n(1 row)\n"
    csv = invoke("query", "--graph", str(seed_output), "--format", "csv", text).output
    assert csv.splitlines() == ["o", "https://w3id.org/kg/id/umehl"]
    tsv = invoke("query", "--graph", str(seed_output), "--format", "tsv", text).output
    assert tsv == "?o\n<https://w3id.org/kg/id/umehl>\n"
    data = json.loads(invoke("query", "--graph", str(seed_output), "--format", "json", text).output)
    assert data["results"]["bindings"] == [{"o": {"type": "uri", "value": "https://w3id.org/kg/id/umehl"}}]
    turtle = invoke("query", "--graph", str(seed_output), "CONSTRUCT { ?s kg:owns ?o } WHERE { ?s kg:owns ?o }").output
    assert "id:junta kg:owns id:umehl" in " ".join(turtle.split())
    construct = "CONSTRUCT { ?s kg:owns ?o } WHERE { ?s kg:owns ?o }"
    rdfxml = invoke("query", "--graph", str(seed_output), "--format", "xml", construct).output
    owns = URIRef("https://w3id.org/kg/ontology#owns")
    junta, umehl = URIRef("https://w3id.org/kg/id/junta"), URIRef("https://w3id.org/kg/id/umehl")
    assert set(Graph().parse(data=rdfxml, format="xml")) == {(junta, owns, umehl)}
    assert invoke("query", "--graph", str(seed_output), "ASK { id:junta kg:owns id:umehl }").output == "true\n"


def test_query_from_a_file_and_the_list(seed_output, tmp_path):
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?c a kg:Claim }", encoding="utf-8")
    result = invoke("query", "--graph", str(seed_output), "-f", str(rq))
    assert result.output.splitlines()[2] == "36"
    listing = invoke("query", "--list").output
    assert "relations-of: Every relation of an actor" in listing
    assert "    -p actor=<actor>  The actor: id, name or alias." in listing


def test_named_query_parameter_errors(seed_output):
    missing = invoke("query", "--graph", str(seed_output), "--name", "relations-of")
    assert missing.exit_code == 1 and "needs the parameter 'actor'" in missing.output
    unknown = invoke("query", "--graph", str(seed_output), "--name", "relations-of", "-p", "who=x")
    assert unknown.exit_code == 1 and "has no parameter 'who'" in unknown.output
    nobody = invoke("query", "--graph", str(seed_output), "--name", "relations-of", "-p", "actor=Nobody")
    assert nobody.exit_code == 1 and "no actor called 'Nobody'" in nobody.output


def test_validate_reports_conformance(tmp_path):
    result = invoke("validate", "--sources", str(TINY))
    assert result.exit_code == 0
    assert result.output == "Conforms: 6 claims checked against the sources and ontology/shapes.ttl.\n"


def test_tsv_keeps_one_row_a_line_and_rows_survive_a_partial_read(seed_graph):
    """Regression (found with kg serve): multi-line literals broke TSV rows; a partly read result lost rows."""
    from kg.query.format import format_result
    from kg.query.run import run_query

    text = 'SELECT ?q WHERE { VALUES ?q { "two\\nlines" "tab\\there" } }'
    tsv = format_result(run_query(seed_graph, text), "tsv")
    assert tsv.splitlines() == ["?q", '"two\\nlines"', '"tab\\there"']
    result = run_query(seed_graph, "SELECT ?c WHERE { ?c a kg:Claim }")
    next(iter(result))
    assert format_result(result, "table").splitlines()[-1] == "(36 rows)"
