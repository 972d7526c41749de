"""A unit's writers that skip rdflib and json's Python encoder write what they did (issue 16)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import XSD, Literal

from kg.graph.formats import _compact, _indented
from kg.graph.rdf import _decimal_text
from kg.graph.store import _nt, nt_literal, to_ox

_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
_VALUE = st.recursive(
    st.one_of(_TEXT, st.booleans(), st.none(), st.integers(-5, 5)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_TEXT, inner, max_size=3)),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(_VALUE)
def test_a_json_ld_node_is_written_as_json_writes_it(value: Any) -> None:
    assert _indented(value, "\n    ") == json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False).replace(
        "\n", "\n    "
    )
    assert _compact(value) == json.dumps(value, sort_keys=True, ensure_ascii=False)


def test_a_node_as_the_graph_writes_it() -> None:
    node = {"@id": "id:a", "@type": ["kg:B", "kg:A"], "kg:q": [{"@id": 'é\n"x"'}, "t"], "kg:d": True}
    assert _indented(node, "\n") == json.dumps(node, indent=2, sort_keys=True, ensure_ascii=False)
    assert _compact({"@value": "1", "@type": "xsd:decimal"}) == '{"@type": "xsd:decimal", "@value": "1"}'


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
