"""Hardening: actor names, aliases, quotes, slugs and URLs are data everywhere.

Hostile values go in through the sources and the command line, and must come out as the same
data: never as SPARQL (parameters are bound, or sent as escaped VALUES), never as HTML or script
(the pages escape them), never as a link other than http(s), never as a path outside the folders
kg writes to, never as a spreadsheet formula, and never as a file that XML readers reject.
tests/test_view.py covers the basic hostile label, quote and alias on the network page; this file
covers everything else that reaches a page, a query, a file name or an export.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import urllib.parse
import xml.etree.ElementTree as ET
from email.message import Message
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import TINY, write_article, write_yaml
from rdflib import Dataset, Graph, Literal

from kg.analysis.exports import csv_cell, xml_text
from kg.cli import main
from kg.core.errors import SourceError
from kg.core.ontology import KG, load_ontology
from kg.core.sparql import sparql_term
from kg.core.yamlio import load_yaml
from kg.graph.build import build
from kg.query.format import format_result
from kg.query.named import run_named
from kg.query.run import load_graph
from kg.serve.push import graph_url, graphs_to_push
from kg.serve.remote import Endpoint, Reply, bind_values
from kg.view.html import page_data
from kg.view.render import View, build_view

# --- the hostile sources -------------------------------------------------------------------------------------------

NAME = "<img src=x onerror=alert(1)>"
SPARQL_ALIAS = 'x" } ; DROP ALL ; #'
UNION_ALIAS = "> } UNION { ?s ?p ?o"
SCRIPT_ALIAS = "</script><script>alert(1)</script>"
ATTR_ALIAS = "\"'><svg onload=alert(1)>"
TEMPLATE_ALIAS = "{{7*7}}"
COMMENT_ALIAS = "<!-- <script>"
SEPARATOR_ALIAS = "line\u2028sep\u2029par"
CONTROL_ALIAS = "bell\x07esc\x1b[2Jdel\x7f"
ALIASES = [SPARQL_ALIAS, UNION_ALIAS, SCRIPT_ALIAS, ATTR_ALIAS, TEMPLATE_ALIAS, COMMENT_ALIAS]
ALIASES += [SEPARATOR_ALIAS, CONTROL_ALIAS]
DESCRIPTION = '<a href="javascript:alert(1)">click</a> ${7*7} `x`'
QUOTE_ID = 'q"uote>id'  # an actor id with a quote and a '>'
SLUG = 'it\'s "quoted" <b>&{x}%20#1'  # a source slug (the article's file name) full of syntax
FORMULA = "=cmd|' /C calc'!A0"
BACKSLASH = r"C:\users\u0022) } UNION { ?s ?p ?o } #"  # \u0022 is a quote to a SPARQL processor

QUOTE_NAME = f"The {NAME} opposes the army."
QUOTE_SCRIPT = f"It wrote {SCRIPT_ALIAS} on the wall."
QUOTE_CONTROL = "A\x01strange\x1b[2Jline\u2028with\u2029separators <!-- and --> {{7*7}} here."
QUOTE_COMPANY = "Quote Id Holdings operates the Hill 12 jade quarry"
BODY = (
    f"{QUOTE_NAME}\x0c {QUOTE_SCRIPT}\n\n{QUOTE_COMPANY}, said {FORMULA}.\n\n{QUOTE_CONTROL}\n\n"
    "It's a <b>bold</b> claim."
)
CLAIMS = [
    {"subject": "hostile", "predicate": "opposes", "object": "state-army", "quote": QUOTE_NAME, "claimant": FORMULA},
    {"subject": "hostile", "predicate": "attacked", "object": "hill-quarry", "quote": QUOTE_SCRIPT,
     "claimant": ATTR_ALIAS, "date": "2023-03-10"},
    {"subject": QUOTE_ID, "predicate": "operates", "object": "hill-quarry", "quote": QUOTE_COMPANY,
     "claimant": BACKSLASH},
    {"subject": "hostile", "predicate": "clashedWith", "object": "state-army", "quote": QUOTE_CONTROL,
     "claimant": SPARQL_ALIAS},
]  # fmt: skip


def hostile_sources(root: Path) -> Path:
    """The tiny sources plus an actor, an article and claims whose every field is hostile."""
    sources = root / "sources"
    shutil.copytree(TINY, sources)
    registry = yaml.safe_load((sources / "actors.yaml").read_text(encoding="utf-8"))
    registry["actors"] += [
        {"id": "hostile", "name": NAME, "type": "ArmedGroup", "aliases": ALIASES, "description": DESCRIPTION},
        {"id": QUOTE_ID, "name": "Quote Id Holdings", "type": "Company", "aliases": ['it\'s "quoted"']},
    ]
    write_yaml(sources / "actors.yaml", registry, quoted=True)
    write_article(sources / "articles" / f"{SLUG}.md", BODY, title=SCRIPT_ALIAS, url="https://example.org/a?b='x'&c=1")
    write_yaml(sources / "claims" / "hostile.yaml", {"article": SLUG, "claims": CLAIMS}, quoted=True)
    return sources


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """The built hostile sources: ``sources/`` and ``out/`` (with network.html) in one folder."""
    root = tmp_path_factory.mktemp("hostile")
    result = build(hostile_sources(root), root / "out")
    assert result.claims == 6 + len(CLAIMS), [str(w) for w in result.warnings]
    return root


@pytest.fixture(scope="module")
def graph(hostile):
    return load_graph(hostile / "out")


def kg(*args: str):
    """Run ``kg`` in-process; a crash (not a KgError turned into a message) fails the test with its traceback."""
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def rows(output: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output)))


# --- SPARQL: parameters are bound, never pasted ----------------------------------------------------------------


@pytest.mark.parametrize("name", [SPARQL_ALIAS, UNION_ALIAS, NAME, SCRIPT_ALIAS, CONTROL_ALIAS])
def test_describe_finds_the_actor_by_a_hostile_name_and_nothing_else(hostile, name):
    before = (hostile / "out" / "graph.trig").read_bytes()
    result = kg("describe", "--graph", hostile / "out", name)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{NAME}  (armed group; id: hostile)")
    assert "3 relations, 3 claims:" in result.output
    assert (hostile / "out" / "graph.trig").read_bytes() == before


def test_describe_prints_control_characters_as_escapes(hostile):
    output = kg("describe", "--graph", hostile / "out", "hostile").output
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]", output)
    assert "bell\\x07esc\\x1b[2Jdel\\x7f" in output and "A\\x01strange\\x1b[2Jline with separators" in output


@pytest.mark.parametrize(
    ("search", "ids"),
    [
        (SPARQL_ALIAS, ["hostile"]),
        (UNION_ALIAS, ["hostile"]),
        ('"', ["hostile", QUOTE_ID]),  # only punctuation: matched as written, not every actor
        ("|", []),  # the separator of the aliases column is not an alias
        ("}", ["hostile"]),
        ("quoted", [QUOTE_ID]),
    ],
)
def test_actors_search_with_hostile_text_lists_exactly_the_matching_actors(hostile, search, ids):
    result = kg("actors", "--graph", hostile / "out", search)
    assert result.exit_code == 0, result.output
    listed = result.output.splitlines()[2:-1]  # between the header and the row count
    every = [a["id"] for a in yaml.safe_load((hostile / "sources" / "actors.yaml").read_text())["actors"]]
    assert sorted(next(i for i in every if f"  {i}  " in line) for line in listed) == sorted(ids)


@pytest.mark.parametrize(
    ("name", "param", "expected"),
    [
        ("relations-of", f"actor={SPARQL_ALIAS}", 3),
        ("relations-of", f"actor={UNION_ALIAS}", 3),
        ("timeline", f"actor={SCRIPT_ALIAS}", 3),
        ("relations-of", f"actor={QUOTE_ID}", 1),
        ("source-says", f"source={SLUG}", 4),
        ("claimants", f"who={FORMULA}", 1),
        ("claimants", f"who={SPARQL_ALIAS}", 1),
        ("claimants", f"who={BACKSLASH}", 1),
        ("claimants", 'who=Valley Times" } UNION { ?claim ?x ?y } #', 0),
    ],
)
def test_named_query_parameters_with_hostile_values_give_exactly_their_rows(hostile, graph, name, param, expected):
    result = kg("query", "--graph", hostile / "out", "-n", name, "-p", param, "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)["results"]["bindings"]
    assert len(found) == expected
    key, value = param.split("=", 1)
    assert result.output == _format(run_named(graph, name, {key: value}), "json")
    if name == "claimants" and expected:
        assert found[0]["claimant"]["value"] == value


def test_query_output_to_a_file_keeps_escape_characters_of_the_data(hostile, graph):
    result = kg("query", "--graph", hostile / "out", "-n", "source-says", "-p", f"source={SLUG}", "--format", "csv")
    # the bytes as written (click's result.output turns CSV's CRLF line ends into LF)
    assert result.stdout_bytes.decode("utf-8") == _format(run_named(graph, "source-says", {"source": SLUG}), "csv")


def _format(result, fmt: str = "csv") -> str:
    return format_result(result, fmt)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "-n", "relations-of", "-p", "actor=junta> } UNION { ?s ?p ?o"], "no actor called"),
        (["query", "-n", "relations-of", "-p", 'actor=nobody" } ; DROP ALL ; #'], "no actor called"),
        (["query", "-n", "source-says", "-p", 'source=x" } UNION { ?s ?p ?o } #'], "no source"),
        (["query", "-n", "source-says", "-p", "source=../../etc/passwd"], "no source"),
        (["query", "-n", "actors-by-type", "-p", "type=Company> } UNION { ?s ?p ?o"], "is not a class"),
        (["query", "-n", "who-funds", "-p", "to=x\x00y"], "no actor called"),
        (["describe", "> } UNION { ?s ?p ?o } ; DROP ALL"], "no actor called"),
        (["viz", "--predicate", "owns> } UNION { ?s ?p ?o"], "unknown relation"),
        (["viz", "--since", '2023" } #'], "--since"),
        (["viz", "--source", 'x" } UNION {'], "no source"),
        (["viz", "--focus", "junta> } UNION"], "no actor called"),
        (["analyze", "centrality", "--predicate", "owns> } UNION"], "unknown relation"),
        (["analyze", "balance", "--source", "../../etc/passwd"], "unknown source"),
        (["analyze", "blocs", "--class", 'Company" } #'], "unknown actor class"),
        (["analyze", "timeline", "hostile", "--from", '2023-01-01" } #'], "--from"),
        (["path", "hostile", "junta> } UNION { ?s ?p ?o"], "no actor"),
        (["export", "--format", "csv", "--polarity", "hostile' } #"], "unknown polarity"),
    ],
)
def test_hostile_values_that_name_nothing_are_clear_errors(hostile, tmp_path, args, message):
    extra = ["-o", str(tmp_path / "x.html")] if args[0] == "viz" else []
    result = kg(*args, *extra, "--graph", hostile / "out")
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "syntax error" not in result.output.lower() and "Traceback" not in result.output
    assert not list(tmp_path.iterdir())


def test_analyses_select_a_hostile_actor_and_a_quoted_slug_exactly(hostile):
    out = hostile / "out"
    timeline = json.loads(kg("analyze", "timeline", UNION_ALIAS, "--graph", out, "--json").output)
    assert {c["quote"] for c in _claims(timeline)} == {QUOTE_NAME, QUOTE_SCRIPT, QUOTE_CONTROL}
    claims = json.loads(kg("analyze", "timeline", "hostile", "--source", SLUG, "--graph", out, "--json").output)
    assert {c["source"] for c in _claims(claims)} == {SLUG}
    path = kg("path", SPARQL_ALIAS, QUOTE_ID, "--graph", out, "--json")
    assert path.exit_code == 0, path.output
    assert {c["quote"] for c in _claims(json.loads(path.output))} == {QUOTE_COMPANY, QUOTE_SCRIPT}


def _claims(document) -> list[dict]:
    """Every claim (a dict with a 'quote') anywhere in a JSON document."""
    if isinstance(document, dict):
        found = [document] if "quote" in document and "source" in document else []
        return found + [c for v in document.values() for c in _claims(v)]
    if isinstance(document, list):
        return [c for v in document for c in _claims(v)]
    return []


def test_push_graph_names_from_a_hostile_slug_stay_one_encoded_parameter(hostile):
    uploads = graphs_to_push(hostile / "out")
    iris = [str(u.iri) for u in uploads]
    assert all(re.fullmatch(r"https://w3id\.org/kg/graph/[A-Za-z0-9._~%/-]+", iri) for iri in iris), iris
    [ours] = [u for u in uploads if "quoted" in u.iri]
    assert urllib.parse.unquote(ours.iri.rsplit("/", 1)[1]) == SLUG
    for store in ("http://store.example/rdf-graphs/service", "http://store.example/store?repo=a&x=1"):
        url = graph_url(store, str(ours.iri))
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
        assert query["graph"] == [str(ours.iri)] and len(query) == (1 if "?" not in store else 3)


def test_push_sends_each_graph_as_n_triples_a_store_can_read(hostile):
    """Regression: the upload was cut into lines with splitlines(), which also splits at U+2028, NEL and form feed."""
    import pyoxigraph as ox

    for upload in graphs_to_push(hostile / "out"):
        assert len(list(ox.parse(upload.body, format=ox.RdfFormat.N_TRIPLES))) == upload.triples, upload.iri


def test_quotes_with_unicode_line_breaks_build_and_read_back_exactly(tiny):
    """A quote copied from a web page may hold U+2028, NEL, a form feed or a file separator."""
    quote = "the army\u2028for two\x85hours\x0cbefore\x1cthey"
    article = tiny / "articles" / "tiny-report.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("the army for two hours before they", quote), encoding="utf-8")
    claims = tiny / "claims" / "tiny-report.yaml"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace("the army for two hours before they", _yaml_string(quote)[1:-1]), encoding="utf-8")
    build(tiny, tiny.parent / "out")
    quotes = {str(q) for q in load_graph(tiny.parent / "out").objects(None, KG.quote)}
    assert any(quote in q for q in quotes), quotes


@pytest.mark.parametrize(
    "value",
    [SPARQL_ALIAS, UNION_ALIAS, BACKSLASH, "\\u0022", "\\\\u0022", "\\U00000022", "\\u00750022", "end\\", "a\nb\r\tc"],
)
def test_a_literal_sent_to_an_endpoint_is_read_back_as_the_same_value(value):
    """Regression: SPARQL processors expand \\uXXXX before parsing, even after an escaped backslash."""
    text = bind_values("SELECT ?v WHERE { }", {"v": Literal(value)})
    assert text.count("VALUES") == 1 and "\\u" not in sparql_term(Literal(value)).replace("\\\\", "")
    assert [str(row[0]) for row in Graph().query(text)] == [value]  # type: ignore[index]


@pytest.fixture(scope="module")
def quads(graph) -> str:
    """The hostile graph with the ontology, as N-Quads for a stand-in endpoint."""
    return graph.serialize(format="nquads")


def _rdflib_endpoint(quads: str):
    dataset = Dataset(default_union=True)
    dataset.parse(data=quads, format="nquads")

    def answer(text: str) -> tuple[str, bytes]:
        result = dataset.query(text)
        if result.type == "CONSTRUCT":
            return "application/n-triples", result.graph.serialize(format="nt", encoding="utf-8")  # type: ignore[union-attr]
        return "application/sparql-results+json", result.serialize(format="json")  # type: ignore[return-value]

    return answer


def _oxigraph_endpoint(quads: str):
    import pyoxigraph as ox

    store = ox.Store()
    store.load(quads, format=ox.RdfFormat.N_QUADS)

    def answer(text: str) -> tuple[str, bytes]:
        result = store.query(text, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryTriples):
            return "application/n-triples", result.serialize(format=ox.RdfFormat.N_TRIPLES)
        return "application/sparql-results+json", result.serialize(format=ox.QueryResultsFormat.JSON)

    return answer


@pytest.mark.parametrize("engine", [_rdflib_endpoint, _oxigraph_endpoint], ids=["rdflib", "oxigraph"])
def test_named_queries_on_an_endpoint_bind_hostile_values_as_locally(graph, quads, monkeypatch, engine):
    """``kg query --endpoint``: a stand-in endpoint (two SPARQL engines) parses what kg sends, as a store would."""
    answer = engine(quads)
    sent = []

    def request(self, method, url=None, data=None, headers=None):
        text = urllib.parse.parse_qs(data.decode("utf-8"))["query"][0]
        sent.append(text)
        return Reply(200, *answer(text), Message())

    monkeypatch.setattr(Endpoint, "request", request)
    cases = [
        ("claimants", "who", BACKSLASH, 1),
        ("claimants", "who", SPARQL_ALIAS, 1),
        ("claimants", "who", 'Valley Times" } UNION { ?claim ?x ?y } #', 0),
        ("relations-of", "actor", UNION_ALIAS, 3),
        ("relations-of", "actor", QUOTE_ID, 1),
        ("source-says", "source", SLUG, 4),
    ]
    for name, key, value, expected in cases:
        remote = kg("query", "--endpoint", "http://store.invalid/sparql", "-n", name, "-p", f"{key}={value}",
                    "--format", "json")  # fmt: skip
        assert remote.exit_code == 0, (name, value, remote.output)
        found = [r for r in json.loads(remote.output)["results"]["bindings"] if r]  # rdflib: an empty group
        local = json.loads(_format(run_named(graph, name, {key: value}), "json"))["results"]["bindings"]
        assert len(found) == expected and _values(found) == _values(local), (name, value)
        if name == "claimants" and expected:
            assert found[0]["claimant"]["value"] == value
    bound = [text for text in sent if "kg:Claim" in text]  # the named queries themselves, not the name look-ups
    assert len(bound) == len(cases)


def _values(bindings: list[dict]) -> list[list[tuple[str, str]]]:
    """The rows' values, but for numbers (engines write 1.0 or 1)."""
    return sorted(sorted((k, v["value"]) for k, v in row.items() if k != "confidence") for row in bindings)


# --- HTML: no markup or script from the sources reaches a page ---------------------------------------------------


class Page(HTMLParser):
    """The elements and attributes of a page, and the text of each <script>."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(tag, k, v) for k, v in attrs]
        if tag == "script":
            self.scripts.append("")
            self._in_script = True

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def _template_tags(text: str) -> set[str]:
    return set(Page(text).tags)


@pytest.fixture(scope="module")
def network_page(hostile) -> str:
    result = kg("viz", "--graph", hostile / "out", "--isolated")
    assert result.exit_code == 0, result.output
    return (hostile / "out" / "network.html").read_text(encoding="utf-8")


def test_the_network_page_has_only_its_own_elements_and_scripts(network_page):
    page = Page(network_page)
    template = (resources.files("kg.view") / "page.html").read_text(encoding="utf-8")
    assert set(page.tags) <= _template_tags(template), set(page.tags) - _template_tags(template)
    assert page.tags.count("script") == 3 and len(page.scripts) == 3
    assert not [a for a in page.attributes if a[1].startswith("on") or a[1] in ("href", "src", "srcdoc")]
    assert not re.search(r"\{\{|\$\{", network_page.split('id="kg-data">')[0])


def test_the_inline_json_cannot_end_its_script_or_break_a_line(network_page):
    block = network_page.split('<script type="application/json" id="kg-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block and "&" not in block
    assert "\u2028" not in block and "\u2029" not in block
    data = json.loads(block)
    node = next(n for n in data["nodes"] if n["id"] == "hostile")
    assert node["label"] == NAME and sorted(node["a"]) == sorted(ALIASES) and node["ds"] == DESCRIPTION
    quotes = {c["q"]: c for e in data["edges"] for c in e["c"]}
    assert set(quotes) >= {QUOTE_NAME, QUOTE_SCRIPT, QUOTE_CONTROL, QUOTE_COMPANY}
    assert quotes[QUOTE_NAME]["by"] == FORMULA and quotes[QUOTE_SCRIPT]["by"] == ATTR_ALIAS
    assert quotes[QUOTE_COMPANY]["s"] == SLUG and data["sources"][SLUG]["headline"] == SCRIPT_ALIAS
    assert "49" not in json.dumps([node, quotes[QUOTE_CONTROL]])  # {{7*7}} is text, nothing evaluates it
    urls = [s["url"] for s in data["sources"].values()] + [n["wd"] for n in data["nodes"]]
    assert all(u == "" or re.fullmatch(r"https?://\S+", u) for u in urls)


@pytest.mark.parametrize(
    "args",
    [
        ["--focus", SPARQL_ALIAS],
        ["--focus", NAME, "--depth", "2"],
        ["--source", SLUG],
        ["--source", SLUG, "--predicate", "attacked", "--since", "2023-03"],
    ],
)
def test_filters_naming_hostile_things_reach_the_title_escaped(hostile, tmp_path, args):
    result = kg("viz", "--graph", hostile / "out", "-o", tmp_path / "page.html", *args)
    assert result.exit_code == 0, result.output
    text = (tmp_path / "page.html").read_text(encoding="utf-8")
    page = Page(text)
    assert page.tags.count("script") == 3 and page.tags.count("title") == 1
    markup = re.sub(r"<script\b.*?</script>", "", text, flags=re.S)  # vis-network's code has its own strings
    assert NAME not in markup and SLUG not in markup and "<b>" not in markup
    title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)  # type: ignore[union-attr]
    assert "&lt;" in title and "<" not in title
    data = json.loads(page.scripts[0])
    if "--source" in args:
        assert {c["s"] for e in data["edges"] for c in e["c"]} == {SLUG}


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "\x01javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "https:javascript:alert(1)",
        " https://example.org/",
        "https://exa\tmple.org/",
        "https://example.org/\u2028x",
    ],
)
def test_a_source_url_that_is_not_plain_http_never_becomes_a_link(graph, url):
    """Even in a graph not built by kg (the loader refuses these): the page data keeps no such URL."""
    view = build_view(graph)
    sources = {slug: type(s)(**{**vars(s), "url": url}) for slug, s in view.sources.items()}
    data = page_data(View(view.nodes, view.edges, sources, view.filters), load_ontology())
    assert {s["url"] for s in data["sources"].values()} == {""}


def test_the_endpoint_page_and_answers_are_not_html_from_the_sources(hostile, network_page):
    from werkzeug.test import Client

    from kg.serve.app import SparqlApp
    from kg.serve.pool import WorkerPool

    pool = WorkerPool(hostile / "out", size=1)
    try:
        client = Client(SparqlApp(hostile / "out", pool, timeout=20))
        home = client.get("/")
        page = Page(home.get_data(as_text=True))
        assert home.mimetype == "text/html" and page.tags.count("script") == 2
        assert not [a for a in page.attributes if a[1].startswith("on")]
        json.loads(page.scripts[0])
        query = "SELECT ?n WHERE { ?a skos:altLabel ?n }"
        for accept in ("text/html", "application/xhtml+xml", "*/*"):
            answer = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
            assert answer.mimetype not in ("text/html", "application/xhtml+xml"), accept
        answer = client.get("/sparql", query_string={"query": query, "format": "json"})
        assert SCRIPT_ALIAS in {b["n"]["value"] for b in json.loads(answer.get_data())["results"]["bindings"]}
        served = client.get("/network.html")
        assert served.mimetype == "text/html" and served.get_data(as_text=True) == network_page
        served.close()
    finally:
        pool.close()


# --- URLs: only http(s), refused at load with file, line and fix -------------------------------------------------


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("javascript:alert(1)", "starts with 'javascript:'"),
        ("JaVaScRiPt:alert(1)", "starts with 'javascript:'"),
        (" javascript:alert(1)", "starts with 'javascript:'"),
        ("java\tscript:alert(1)", "contains U+0009"),
        ("java\nscript:alert(1)", "contains U+000A"),
        ("\x01javascript:alert(1)", "contains U+0001"),
        ("javascript\x00:alert(1)", "contains U+0000"),
        ("data:text/html,<script>alert(1)</script>", "contains '<'"),
        ("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "starts with 'data:'"),
        ("vbscript:msgbox(1)", "starts with 'vbscript:'"),
        ("file:///etc/passwd", "starts with 'file:'"),
        ("//evil.example/x", "has no scheme"),
        ("https:javascript:alert(1)", "has no host"),
        ('https://example.org/" onmouseover="alert(1)', "contains '\"'"),
        ("https://example.org/ onmouseover=alert(1)", "contains U+0020 (SPACE)"),
        ("https://example.org/\x7f", "contains U+007F"),
        ("https://example.org/\x85x", "contains U+0085"),
        ("https://example.org/a\u2028b", "contains U+2028"),
        ("https://example.org/gro.live\u202e/", "contains U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    ],
)
def test_an_article_url_that_is_not_http_is_refused_with_file_line_and_fix(tiny, url, why):
    article = tiny / "articles" / "tiny-report.md"
    text = article.read_text(encoding="utf-8")
    old = "url: https://valley-times.example/news/quarry"
    article.write_text(text.replace(old, f"url: {_yaml_string(url)}"), encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        build(tiny, tiny.parent / "out")
    message = str(caught.value)
    assert re.search(r"tiny-report\.md:4: '.*' is not an http\(s\) URL: it ", message), message
    assert why in message and "Fix: give the article's web address starting with https://" in message
    assert all(c.isprintable() or c == "\n" for c in message), "the message shows control characters as escapes"
    assert not (tiny.parent / "out").exists()


def _yaml_string(text: str) -> str:
    """A YAML double-quoted string, every character that is not printable written as an escape."""
    inner = "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}" for c in text)
    return f'"{inner}"'


@pytest.mark.parametrize(
    "url", ["HTTPS://EXAMPLE.ORG/A", "https://example.org/a?b='x'&c=1#f", "https://my.example/\u1019\u103c\u1014\u103a"]
)
def test_unusual_but_valid_http_urls_are_kept(tiny, url):
    article = tiny / "articles" / "tiny-report.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("https://valley-times.example/news/quarry", _yaml_string(url)), encoding="utf-8")
    build(tiny, tiny.parent / "out")
    assert url in {s.url for s in build_view(load_graph(tiny.parent / "out")).sources.values()}


# --- paths: nothing from the data decides where a file is written ------------------------------------------------


def files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file() or p.is_symlink()}


@pytest.mark.parametrize(
    "article", ["../../etc/passwd", "/etc/passwd", "..\\..\\x", "x\x00y", "../articles/tiny-report"]
)
def test_a_claims_file_naming_an_article_outside_the_sources_is_refused(tiny, article):
    write_yaml(tiny / "claims" / "other.yaml", {"article": article, "claims": CLAIMS[:1]}, quoted=True)
    before = files(tiny.parent)
    with pytest.raises(SourceError, match=r"other\.yaml:1: no article '.*' in sources/articles/\..*Fix: "):
        build(tiny, tiny.parent / "out")
    assert files(tiny.parent) == before


@pytest.mark.parametrize("actor_id", ["../../x", "/etc/passwd", "a/../b"])
def test_an_actor_id_with_a_slash_is_refused(tiny, actor_id):
    registry = yaml.safe_load((tiny / "actors.yaml").read_text(encoding="utf-8"))
    registry["actors"].append({"id": actor_id, "name": "Slash", "type": "Company"})
    write_yaml(tiny / "actors.yaml", registry)
    with pytest.raises(SourceError, match=r"actors\.yaml:\d+: the id '.*' contains a space or '/'"):
        build(tiny, tiny.parent / "out")


EXTRACT_NAMES = ["..", ".", "-rf", 'it\'s "quoted" <b>', "..\\..\\evil", "x\nreview: reviewed\narticle: y", " "]


def test_extract_writes_drafts_only_under_sources_claims(tiny, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    for stem in EXTRACT_NAMES:
        write_article(elsewhere / f"{stem}.md", f"{QUOTE_COMPANY.replace('Quote Id Holdings', 'Kaung Holdings')}.")
    outside = tmp_path / "outside.yaml"
    outside.write_text("keep: this\n", encoding="utf-8")
    (tiny / "claims" / "-rf.yaml").symlink_to(outside)  # a draft's place that is a link out of claims/
    before = files(tmp_path)
    result = kg("extract", elsewhere, "--sources", tiny)
    # '...md' and '..md' would make the slugs '..' and '.', path steps in an IRI: refused, with the fix
    assert result.exit_code == 1 and "the file name makes the slug '..'" in result.output, result.output
    for stem in (".", ".."):
        (elsewhere / f"{stem}.md").unlink()
    result = kg("extract", elsewhere, "--sources", tiny)
    assert result.exit_code == 0, result.output
    new = files(tmp_path) - before
    claims = (tiny / "claims").resolve()
    assert new and all(p.parent.resolve() == claims for p in new), new
    assert {p.name for p in new} == {f"{s}.yaml" for s in EXTRACT_NAMES} - {"-rf.yaml", "..yaml", "...yaml"}
    assert outside.read_text(encoding="utf-8") == "keep: this\n"  # never written through the link
    for path in new:
        draft = load_yaml(path.read_text(encoding="utf-8"), path.name)  # kg's loader: no duplicate keys
        assert draft["article"] == path.name.removesuffix(".yaml") and draft["review"] == "pending"


# --- exports: XML stays well-formed, spreadsheets get no formulas ------------------------------------------------


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_exports_escape_markup_and_drop_what_xml_cannot_hold(hostile, tmp_path, fmt):
    result = kg("export", "--format", fmt, "-o", tmp_path / f"n.{fmt}", "--graph", hostile / "out")
    assert result.exit_code == 0, result.output
    root = ET.parse(tmp_path / f"n.{fmt}").getroot()
    texts = {t for e in root.iter() for t in [e.text, *e.attrib.values()] if t}
    assert NAME in texts and QUOTE_ID in texts
    assert QUOTE_SCRIPT in " ".join(texts) and QUOTE_NAME in " ".join(texts)
    assert xml_text(QUOTE_CONTROL) in " ".join(texts)
    assert "A\ufffdstrange\ufffd[2Jline\u2028with" in xml_text(QUOTE_CONTROL)


def test_csv_cells_that_start_like_formulas_get_a_leading_quote(hostile, tmp_path):
    result = kg("export", "--format", "csv", "-o", tmp_path / "n.csv", "--graph", hostile / "out")
    assert result.exit_code == 0, result.output
    edges = rows((tmp_path / "n-edges.csv").read_text(encoding="utf-8"))
    opposes = next(e for e in edges if e["Source"] == "hostile" and e["predicate"] == "opposes")
    assert opposes["claimants"] == "'" + FORMULA and opposes["confidence"] == "1.0"
    for cells in (edges, rows((tmp_path / "n-nodes.csv").read_text(encoding="utf-8"))):
        assert not [v for row in cells for v in row.values() if v[:1] in ("=", "+", "-", "@", "\t", "\r")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("a=1", "a=1"),
        (" =1", " =1"),
        (-1, -1),
        (0.5, 0.5),
        (True, True),
    ],
)
def test_csv_cell(value, expected):
    assert csv_cell(value) == expected


def test_cytoscape_json_keeps_hostile_values_exactly(hostile, tmp_path):
    result = kg("export", "--format", "cytoscape", "-o", tmp_path / "n.cyjs", "--graph", hostile / "out")
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "n.cyjs").read_text(encoding="utf-8"))
    claims = [c for e in document["elements"]["edges"] for c in e["data"]["claim_list"]]
    assert {c["claimant"] for c in claims} >= {FORMULA, ATTR_ALIAS, BACKSLASH, SPARQL_ALIAS}
    assert QUOTE_CONTROL in {c["quote"] for c in claims}


def test_a_query_table_shows_control_characters_as_escapes(hostile):
    result = kg("query", "--graph", hostile / "out", "-n", "source-says", "-p", f"source={SLUG}")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output and "\x01" not in result.output
    assert "A\\x01strange\\x1b[2Jline" in result.output
