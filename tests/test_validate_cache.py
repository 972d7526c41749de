"""kg validate --output: the findings kept by the last validate, the nodes near a change checked again (issue 16).

Two ways, each compared with a check of the whole graph: kg.graph.recheck on unit graphs edited at
random with violations planted inside one unit and across units and the registry; and kg validate
itself on a sources tree whose files are edited, where the kept findings must serve (the units are
not all read again) and give the report a validate without them gives, which pySHACL gives too.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.core.ontology import Ontology
from kg.graph import recheck, validate_cache
from kg.graph.rdf import registry_triples
from kg.graph.reach import reach
from kg.graph.shacl import run_checks
from kg.graph.store import nt_lines, ntriples
from kg.graph.units import load_units
from kg.graph.validate import _checks, validate

sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
from scale_bench import generate

KG = "https://w3id.org/kg/ontology#"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def _whole(graphs: dict[str, str], registry: str, ontology: Ontology, checks: list) -> set[tuple[str, ...]]:
    store = ox.Store()
    store.bulk_load("".join([registry, *graphs.values(), ntriples(ontology.graph)]), ox.RdfFormat.N_TRIPLES)
    found = recheck.as_text(run_checks(store, checks))
    assert found is not None
    return {tuple(f) for f in found}


def _edit(rng: random.Random, graphs: dict[str, str], original: dict[str, str], actors: list[str]) -> tuple[str, str]:
    """One unit's N-Triples changed at random: a violation planted or mended, within it or across units."""
    slug = rng.choice(sorted(graphs))
    lines = graphs[slug].splitlines(keepends=True)
    other = graphs[rng.choice(sorted(graphs))].splitlines(keepends=True)
    a, b = rng.sample(actors, 2)
    kind = rng.choice(["drop", "drop", "copy", "copy", "label", "type", "relation", "literal", "restore"])
    if kind == "drop" and lines:
        lines.remove(rng.choice(lines))
    elif kind == "copy" and other:  # the same triple in two units: removing it from one changes nothing
        lines.append(rng.choice(other))
    elif kind == "label":  # a second name for a registry actor: a count across the registry and a unit
        lines.append(f'{a} {LABEL} "Another name {rng.randrange(3)}" .\n')
    elif kind == "type":  # a type another unit's claims may need for their domain or range
        lines.append(f"{a} {TYPE} <{KG}{rng.choice(['Place', 'Person', 'Company', 'ArmedGroup'])}> .\n")
    elif kind == "relation":  # a relation with no claim behind it
        lines.append(f"{a} <{KG}{rng.choice(['owns', 'opposes', 'supports', 'clashedWith'])}> {b} .\n")
    elif kind == "literal":
        number = [i for i, line in enumerate(lines) if "#confidence>" in line]
        if number:
            i = rng.choice(number)
            lines[i] = re.sub(r'"[^"]*"', f'"{rng.choice(["2", "0.5", "-1"])}"', lines[i])
    else:
        return slug, original[slug]
    return slug, "".join(sorted(set(lines)))


@pytest.mark.parametrize(("seed", "shared"), [(1, 2), (2, 2), (3, recheck.SHARED)])
def test_checking_the_nodes_near_a_change_finds_what_checking_the_whole_graph_finds(
    tmp_path, ontology, seed, shared, monkeypatch
):
    monkeypatch.setattr(recheck, "SHARED", shared)  # 2: the lines of most actors and outlets kept in the state
    generate(tmp_path / "sources", 6, seed=seed)
    loaded = load_units(tmp_path / "sources", ontology, tmp_path / "out", 1, pieces=False)
    assert loaded is not None
    registry = "".join(nt_lines(registry_triples(loaded.registry)))
    graphs = {slug: unit.nt for slug, unit in loaded.units.items()}
    original = dict(graphs)
    actors = sorted({line.split(" ", 1)[0] for line in registry.splitlines()})
    checks = _checks(ontology)
    state = recheck.graph_state(
        graphs, registry, sorted(map(list, _whole(graphs, registry, ontology, checks))),
        validate_cache.reaches(checks, tmp_path / "out"),
    )  # fmt: skip
    assert state is not None
    rng = random.Random(seed)
    seen = set()
    for _ in range(40):
        slug, text = _edit(rng, graphs, original, actors)
        assert recheck.recheck(ontology, state, graphs.__getitem__, {slug: graphs[slug]}, {slug: text}, checks)
        graphs[slug] = text
        whole = _whole(graphs, registry, ontology, checks)
        assert {tuple(f) for f in state["findings"]} == whole
        seen |= {message for _, _, message in whole}
    assert len(seen) >= 5  # violations of several kinds came and went


def test_a_check_that_reads_two_edges_away_or_from_nothing_is_not_checked_near_a_change():
    assert reach("SELECT ?this WHERE { ?this <p:a> ?x . ?x <p:b> ?y }") is not None
    assert reach("SELECT ?this WHERE { ?this <p:a> ?x . ?x <p:b> ?y . ?y <p:c> ?z }") is None
    assert reach("SELECT ?this WHERE { ?c <p:a> ?this . ?d <p:a> ?c }") is None  # a reverse edge into ?c
    assert reach("SELECT ?this WHERE { ?this <p:a> ?x . ?other <p:b> ?y }") is None
    assert reach("SELECT ?this WHERE { ?this <p:a> ?x . { SELECT ?y WHERE { ?x <p:b> ?y } } }") is None
    assert reach("SELECT ?this WHERE { <p:n> <p:a> ?this }") is None
    found = reach("SELECT ?this WHERE { ?c <p:a> ?this . ?c <p:b> ?y . ?y <p:t>/<p:s>* <p:C> }")
    assert found is None  # ?y is two edges away
    found = reach("SELECT ?this WHERE { ?c <p:a> ?this . ?c <p:b> ?y . FILTER NOT EXISTS { ?this <p:t>/<p:s>* ?y } }")
    assert found is not None and found.reverse and found.closed == {"p:s"}
    assert reach("SELECT ?this WHERE { ?this <p:a> ?x . FILTER NOT EXISTS { ?x <p:a> ?y . ?y <p:b> ?z } }") is None


def _draft(sources: Path, slug: str, name: str) -> None:
    """Make a claims file a draft whose first claim's object is a proposed actor (``new-militia``) named ``name``."""
    path = sources / "claims" / f"{slug}.yaml"
    text = path.read_text(encoding="utf-8").replace("review: reviewed", "review: pending")
    text = re.sub(r"object: g\d+", "object: new-militia", text, count=1)
    text += f"proposed_actors:\n  - id: new-militia\n    name: {name}\n    type: ArmedGroup\n"
    path.write_text(text, encoding="utf-8")


def _report(report) -> tuple:
    return report.exit_code, report.problems, [str(w) for w in report.warnings], report.claims


def test_validate_with_an_output_folder_checks_again_only_what_changed(tmp_path, monkeypatch):
    sources, out = tmp_path / "sources", tmp_path / "out"
    generate(sources, 4, seed=5)
    out.mkdir()
    _draft(sources, "a000001", "Golden Eagle Militia")
    _draft(sources, "a000002", "Eagle Militia")  # one proposed actor, two names: a violation across two units
    first = validate(sources, cache=out, jobs=1)
    assert _report(first) == _report(validate(sources, jobs=1)) and first.exit_code == 1
    assert any("exactly one non-empty rdfs:label" in str(p) for p in first.problems)
    claims, second = sources / "claims" / "a000003.yaml", sources / "claims" / "a000002.yaml"
    text = claims.read_text(encoding="utf-8")
    edits = [
        lambda: claims.write_text(text.replace("confidence: 0.5", "confidence: 0.9", 1), encoding="utf-8"),
        lambda: claims.write_text(re.sub(r"subject: g\d+", "subject: g00001", text, count=1), encoding="utf-8"),
        lambda: second.write_text(  # the two names agree: the violation goes
            second.read_text(encoding="utf-8").replace("name: Eagle", "name: Golden Eagle"), encoding="utf-8"
        ),
        lambda: claims.write_text(text + text.split("claims:\n", 1)[1], encoding="utf-8"),  # repeated claims
        lambda: (sources / "articles" / "a000004.md").write_text(
            (sources / "articles" / "a000004.md").read_text(encoding="utf-8").replace("title:", "title: New"),
            encoding="utf-8",
        ),
        lambda: None,
    ]

    def unread(*args, **kwargs):
        raise AssertionError("the sources were all read again")

    for edit in edits:
        edit()
        with monkeypatch.context() as patch:
            patch.setattr("kg.graph.validate.load_units", unread)
            kept = validate(sources, cache=out, jobs=1)
        assert _report(kept) == _report(validate(sources, jobs=1))
    assert kept.exit_code == 0 and kept.warnings
    (sources / "articles" / "a000005.md").write_text(  # a new file: the whole tree is read (and kept again)
        (sources / "articles" / "a000004.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    claims.write_text(text.replace("predicate: opposes", "predicate: operate", 1), encoding="utf-8")
    assert _report(validate(sources, cache=out, jobs=1)) == _report(validate(sources, jobs=1))
    claims.write_text(text, encoding="utf-8")
    assert _report(validate(sources, cache=out, jobs=1)) == _report(validate(sources, engine="pyshacl"))
