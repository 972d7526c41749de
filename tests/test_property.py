"""Property: any actor name or quote survives build -> Turtle -> parse -> SPARQL."""

from __future__ import annotations

import tempfile
from pathlib import Path

from conftest import write_article, write_yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal

from kg.core.text import name_key, name_words
from kg.graph.build import build
from kg.graph.rdf import PREFIXES

QUERY = """
SELECT ?name ?quote WHERE {
  ?actor kg:registryId "a-actor" ; rdfs:label ?name .
  ?claim rdf:subject ?actor ; kg:quote ?quote .
}"""


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.text(min_size=1, max_size=40), quote=st.text(min_size=1, max_size=200))
def test_any_name_and_quote_survive_the_round_trip(name, quote):
    name = name.strip()
    quote = " ".join(quote.split())
    assume(name and quote)
    assume(name_key(name) not in {name_key("Beta Group"), name_key("a-actor"), name_key("b-actor")})
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "sources"
        write_yaml(
            src / "actors.yaml",
            {
                "actors": [
                    {"id": "a-actor", "name": name, "type": "ArmedGroup"},
                    {"id": "b-actor", "name": "Beta Group", "type": "ArmedGroup"},
                ]
            },
            quoted=True,
        )
        write_article(src / "articles" / "report.md", f"Witnesses said: {quote} That was all.")
        write_yaml(
            src / "claims" / "report.yaml",
            {"claims": [{"subject": "a-actor", "predicate": "opposes", "object": "b-actor", "quote": quote}]},
            quoted=True,
        )
        build(src, Path(tmp) / "out")
        graph = Graph().parse(data=(Path(tmp) / "out" / "graph.ttl").read_text(encoding="utf-8"), format="turtle")
    rows = list(graph.query(QUERY, initNs=PREFIXES))
    assert [(str(r.name), str(r.quote)) for r in rows] == [(name, quote)]  # type: ignore[union-attr]
    assert rows[0].name == Literal(name)  # type: ignore[union-attr]


def _name_key_by_categories(name: str) -> str:
    """name_key's rule on Unicode categories, as it runs for names outside ASCII."""
    words = name_words(name)
    return " ".join(words[1:] if len(words) > 1 and words[0] == "the" else words)


@settings(max_examples=300, deadline=None)
@given(name=st.text(alphabet=st.characters(max_codepoint=127), max_size=30))
def test_the_ascii_name_key_is_the_unicode_rule(name):
    assert name_key(name) == _name_key_by_categories(name)
    assert all(name_key(chr(c)) == _name_key_by_categories(chr(c)) for c in range(128))
