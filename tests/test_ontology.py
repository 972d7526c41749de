"""The ontology loads, declares the vocabulary of DESIGN.md, and is the only source of terms the code uses."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kg.core.errors import OntologyError
from kg.core.ontology import KG, load_ontology, ontology_dir

ROOT = Path(__file__).resolve().parent.parent
DESIGN_RELATIONS = {
    "operates", "owns", "subsidiaryOf", "partnerOf", "controls", "memberOf", "leads", "spokespersonFor", "opposes",
    "supports", "funds", "defectedFrom", "defectedTo", "attacked", "clashedWith", "guards", "locatedIn",
}  # fmt: skip
DESIGN_CLASSES = {
    "Person",
    "Company",
    "ArmedGroup",
    "StateForce",
    "Government",
    "Movement",
    "MediaOutlet",
    "Facility",
    "Place",
    "Group",
}


def test_the_seventeen_relations_are_declared_with_label_comment_domain_range(ontology):
    assert set(ontology.relations) == DESIGN_RELATIONS
    for relation in ontology.relations.values():
        assert relation.label and relation.comment, relation.name
        assert relation.domain.startswith(KG) and relation.range.startswith(KG), relation.name
        assert relation.polarity in (KG.Hostile, KG.Cooperative, KG.Neutral), relation.name


def test_symmetric_relations_are_declared_so(ontology):
    assert {r.name for r in ontology.relations.values() if r.symmetric} == {"partnerOf", "clashedWith"}


def test_actor_classes_are_declared_under_actor(ontology):
    assert set(ontology.actor_classes) >= DESIGN_CLASSES
    assert ontology.is_subclass(KG.Company, KG.Organization)
    assert not ontology.is_subclass(KG.Place, KG.Agent)


def test_alignments_to_standard_vocabularies(ontology):
    g = ontology.graph
    wdt = "http://www.wikidata.org/prop/direct/"
    assert (KG.owns, KG.wikidataInverseProperty, URIRef(wdt + "P127")) in g
    assert (KG.subsidiaryOf, KG.wikidataProperty, URIRef(wdt + "P749")) in g
    assert (
        KG.memberOf,
        URIRef("http://www.w3.org/2004/02/skos/core#closeMatch"),
        URIRef("http://www.w3.org/ns/org#memberOf"),
    ) in g
    assert (KG.Claim, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Entity")) in g


def _terms_used_by_code() -> set[str]:
    used = set()
    for path in (ROOT / "kg").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bKG\.([A-Za-z]\w*)", text))
        used |= set(re.findall(r"\bKG\[\"(\w+)\"\]", text))
    for path in [*(ROOT / "kg" / "queries").glob("*.rq"), ROOT / "ontology" / "shapes.ttl"]:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"(?<![\w/#])kg:([A-Za-z]\w*)", text))
    return used


def test_code_uses_only_terms_the_ontology_declares(ontology):
    used = _terms_used_by_code()
    assert "operates" in used or "Claim" in used  # the scan finds something
    undeclared = sorted(t for t in used if (KG[t], None, None) not in ontology.graph)
    assert undeclared == [], f"terms used in code but not declared in ontology/kg.ttl: {undeclared}"


def test_every_declared_term_has_a_label(ontology):
    g: Graph = ontology.graph
    for term in set(g.subjects(RDF.type, None)):
        if isinstance(term, URIRef) and term.startswith(KG):
            assert g.value(term, RDFS.label) is not None, term
    assert (KG.partnerOf, RDF.type, OWL.SymmetricProperty) in g


def test_ontology_is_found_from_any_working_directory(tmp_path):
    code = "from kg.core.ontology import ontology_dir; print(ontology_dir())"
    env = {k: v for k, v in os.environ.items() if k != "KG_ONTOLOGY_DIR"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    assert Path(out.stdout.strip(), "kg.ttl").is_file()


def test_ontology_folder_can_be_overridden_and_a_wrong_one_is_refused(tmp_path, monkeypatch):
    assert ontology_dir(ROOT / "ontology") == ROOT / "ontology"
    monkeypatch.setenv("KG_ONTOLOGY_DIR", str(tmp_path))
    with pytest.raises(OntologyError, match="KG_ONTOLOGY_DIR"):
        ontology_dir()


def test_a_broken_ontology_is_refused_with_its_path(tmp_path):
    (tmp_path / "kg.ttl").write_text("kg:operates a owl:ObjectProperty", encoding="utf-8")
    with pytest.raises(OntologyError, match=r"kg\.ttl: cannot be parsed as Turtle"):
        load_ontology(tmp_path)
