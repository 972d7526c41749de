"""A unit's writers that skip rdflib and json's Python encoder write what they did (issue 16)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import XSD, Literal

from kg.graph import formats
from kg.graph.formats import (
    _AFTER_COLON,
    _PREFIX_IRIS,
    _item,
    _short,
    _value,
    joined,
    jsonld_entries,
    jsonld_pieces,
    turtle_body,
)
from kg.graph.rdf import _decimal_text
from kg.graph.store import _nt, nt_literal, to_ox

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
KG, ID, XSD_NS = "https://w3id.org/kg/ontology#", "https://w3id.org/kg/id/", "http://www.w3.org/2001/XMLSchema#"


def _json(value: Any) -> str:  # how json writes a value compact (the order of a list's values)
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def test_a_node_as_the_graph_writes_it() -> None:
    a = ox.NamedNode(f"{ID}a")
    triples = [
        ox.Triple(a, ox.NamedNode(RDF_TYPE), ox.NamedNode(f"{KG}B")),
        ox.Triple(a, ox.NamedNode(RDF_TYPE), ox.NamedNode(f"{KG}A")),
        ox.Triple(a, ox.NamedNode(f"{KG}q"), ox.Literal('é\n"x"', language="my")),
        ox.Triple(a, ox.NamedNode(f"{KG}q"), ox.Literal("t")),
        ox.Triple(a, ox.NamedNode(f"{KG}d"), ox.Literal("true", datatype=ox.NamedNode(f"{XSD_NS}boolean"))),
    ]
    node = {
        "@id": "id:a",
        "@type": ["kg:A", "kg:B"],
        "kg:q": sorted([{"@language": "my", "@value": 'é\n"x"'}, "t"], key=_json),
        "kg:d": True,
    }
    expected = json.dumps(node, indent=2, sort_keys=True, ensure_ascii=False).replace("\n", "\n    ")
    assert jsonld_entries(triples) == {"id:a": expected}
    decimal = ox.Literal("1", datatype=ox.NamedNode(f"{XSD_NS}decimal"))
    assert _item(decimal)[0] == '{"@type": "xsd:decimal", "@value": "1"}' == _json(_value(decimal))


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_a_text_literal_is_written_as_from_rdflibs_literal(text: str) -> None:
    assert nt_literal(text) == _nt(Literal(text)) == str(to_ox(Literal(text)))


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.booleans().map(lambda b: (b, None)),
        st.dates().map(lambda d: (d.isoformat(), XSD.date)),
        st.decimals(allow_nan=False, allow_infinity=False, places=3).map(lambda d: (_decimal_text(d), XSD.decimal)),
        st.sampled_from([("2020", XSD.gYear), ("2020-06", XSD.gYearMonth), ("x", XSD.date)]),
    )
)
def test_a_typed_literal_is_written_as_from_rdflibs_literal(case: tuple[Any, Any]) -> None:
    value, datatype = case
    assert nt_literal(value, datatype) == nt_literal(value, datatype) == str(to_ox(Literal(value, datatype=datatype)))


def test_true_and_one_are_not_confused() -> None:
    assert nt_literal(True) != nt_literal("1", XSD.decimal) and nt_literal(Decimal(1).__str__()) == '"1"'


_IRI = st.sampled_from(
    [
        "https://w3id.org/kg/actor/a",
        "https://w3id.org/kg/actor/b-1",
        "https://w3id.org/kg/ontology#operates",
        "https://example.org/x%20y",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "http://www.w3.org/2001/XMLSchema#date",
    ]
)
_TERM = st.one_of(
    _IRI.map(ox.NamedNode),
    st.sampled_from(["b0", "b1"]).map(ox.BlankNode),
    _TEXT.map(ox.Literal),
    st.tuples(_TEXT, st.sampled_from(["en", "my", "fr-CA"])).map(lambda t: ox.Literal(t[0], language=t[1])),
    st.tuples(st.sampled_from(["true", "false", "1", "x"]), _IRI).map(
        lambda t: ox.Literal(t[0], datatype=ox.NamedNode(t[1]))
    ),
    st.sampled_from(["true", "false", "0"]).map(
        lambda v: ox.Literal(v, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["b0", "a"]), _IRI, _TERM), max_size=12, unique=True))
def test_json_ld_nodes_are_json_dumps_of_the_nodes_rdf_gives(rows: list[tuple[str, str, Any]]) -> None:
    triples = [
        ox.Triple(ox.BlankNode(s) if s == "b0" else ox.NamedNode(f"https://w3id.org/kg/actor/{s}"), ox.NamedNode(p), o)
        for s, p, o in rows
    ]
    expected: dict[str, dict[str, list[Any]]] = {}
    for triple in triples:  # the nodes as a JSON-LD writer makes them, each written by json's encoder
        subject = triple.subject
        node = f"_:{subject.value}" if isinstance(subject, ox.BlankNode) else _short(subject.value)
        entry = expected.setdefault(node, {"@id": node})
        if triple.predicate.value == RDF_TYPE and isinstance(triple.object, ox.NamedNode):
            entry.setdefault("@type", []).append(_short(triple.object.value))
        else:
            entry.setdefault(_short(triple.predicate.value), []).append(_value(triple.object))
    for entry in expected.values():
        for key, values in list(entry.items()):
            if key != "@id":
                entry[key] = values[0] if len(values) == 1 else sorted(values, key=_json)
    written = jsonld_entries(triples)
    assert set(written) == set(expected)
    for node, entry in expected.items():
        assert written[node] == json.dumps(entry, indent=2, sort_keys=True, ensure_ascii=False).replace("\n", "\n    ")


_LOCAL = st.text(alphabet=st.sampled_from(list("ab.~/:_-1")), min_size=1, max_size=8)
_NAMESPACE = st.sampled_from(
    ["https://w3id.org/kg/id/", "https://w3id.org/kg/ontology#", "https://example.org/", "urn:x:"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_NAMESPACE, _LOCAL, st.one_of(_TEXT, st.tuples(_NAMESPACE, _LOCAL))), min_size=1, max_size=6))
def test_the_quick_test_skips_only_turtle_the_fix_leaves_as_it_is(rows: list[Any]) -> None:
    def iri(namespace: str, local: str) -> str:
        return str(ox.NamedNode(namespace + local))

    lines = sorted(
        {
            f"{iri(ns, local)} {iri('https://w3id.org/kg/ontology#', 'p')} "
            f"{iri(*obj) if isinstance(obj, tuple) else str(ox.Literal(obj))} .\n"
            for ns, local, obj in rows
        }
    )
    text = "".join(lines)
    quick = turtle_body(text)
    formats._AFTER_COLON = re.compile("")  # the full look, always
    try:
        assert quick == turtle_body(text)
    finally:
        formats._AFTER_COLON = _AFTER_COLON


def test_a_name_with_a_dot_or_an_escape_is_written_in_full_and_a_plain_one_prefixed() -> None:
    op = "<https://w3id.org/kg/ontology#operates>"
    assert turtle_body(f"<https://w3id.org/kg/id/a.b> {op} <https://w3id.org/kg/id/c~d> .\n") == (
        "<https://w3id.org/kg/id/a.b> kg:operates <https://w3id.org/kg/id/c~d> .\n\n"
    )
    assert turtle_body(f'<https://w3id.org/kg/id/ab> {op} "x.y: 1.5" .\n') == 'id:ab kg:operates "x.y: 1.5" .\n\n'


@given(st.lists(_TEXT, max_size=5), st.sampled_from(["", ",\n    ", "\n"]))
def test_pieces_joined_are_the_text_joined(items: list[str], separator: str) -> None:
    assert "".join(joined(items, separator)) == separator.join(items)
    for nodes in (items, [json.dumps(item) for item in items]):
        assert "".join(jsonld_pieces(nodes)) == _document(nodes)


def _document(entries: list[str]) -> str:  # the JSON-LD document as it was written before its pieces
    context = json.dumps(_PREFIX_IRIS, indent=2, sort_keys=True, ensure_ascii=False).replace("\n", "\n  ")
    items = ",\n    ".join(entries)
    graph = f"[\n    {items}\n  ]" if items else "[]"
    return f'{{\n  "@context": {context},\n  "@graph": {graph}\n}}\n'
