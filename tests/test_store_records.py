"""The readers' fast path (issue 16): records read without rdflib terms equal rdflib's, and so do the pages.

:mod:`kg.graph.store_records` reads the build's ``graph.nt`` (a store on disk) or the store's quads (a
store copied into memory) instead of going through rdflib's API; every reader's output must stay the
one rdflib's reading gave: the records, the view's model, ``kg viz``'s page, ``kg path`` and
``kg analyze centrality``, on the seed, the tiny fixture and a generated corpus with awkward quotes.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.graph import publish, records, store, store_records
from kg.graph.build import build
from kg.query.run import load_graph
from kg.view.model import read_model

sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
from scale_bench import generate

AWKWARD = (
    'Unit 1 Brigade said "we hold the bridge" to Unit 2 Brigade \\ near the river.',
    "Unit 3 Brigade attacked Unit 4 Brigade at the café in Hpakant — twice.",
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A built corpus of 40 generated articles, two of whose quotes hold quotes, a backslash and accents."""
    root = tmp_path_factory.mktemp("generated")
    generate(root / "sources", 40)
    for number, quote in enumerate(AWKWARD, start=1):
        claims = root / "sources" / "claims" / f"a{number:06d}.yaml"
        article = root / "sources" / "articles" / f"a{number:06d}.md"
        first = claims.read_text(encoding="utf-8").split("    quote: ", 1)[1].split("\n", 1)[0]
        escaped = quote.replace("\\", "\\\\").replace('"', '\\"')
        claims.write_text(claims.read_text(encoding="utf-8").replace(first, f'"{escaped}"', 1), encoding="utf-8")
        article.write_text(article.read_text(encoding="utf-8").replace(first, quote), encoding="utf-8")
    build(root / "sources", root / "output")
    return root / "output"


@pytest.fixture(scope="module")
def tiny_output(tmp_path_factory) -> Path:
    from conftest import TINY

    out = tmp_path_factory.mktemp("tiny-output")
    build(TINY, out)
    return out


def _graphs(folder: Path):
    """The built graph as the readers open it (a copy in memory when small), and from its store on disk."""
    base = publish.current(folder) or folder
    return {"load_graph": load_graph(folder), "disk": store.open_dataset(base / "store", in_memory=False)}


def _rdflib_only(monkeypatch) -> None:
    """Make the readers go through rdflib's API, as they did before the fast path."""
    monkeypatch.setattr(store_records, "store_of", lambda graph: None)


@pytest.mark.parametrize("corpus", ["seed_output", "tiny_output", "generated"])
def test_records_and_model_equal_rdflib(corpus, request, ontology, monkeypatch):
    folder = request.getfixturevalue(corpus)
    for how, graph in _graphs(folder).items():
        fast, model = store_records.read_records(graph, ontology), read_model(graph, ontology)
        with monkeypatch.context() as patched:
            _rdflib_only(patched)
            slow, slow_model = records.read_records(graph, ontology), read_model(graph, ontology)
        assert fast.claims, how
        assert fast == slow, how  # the claims in the same order; dicts equal whatever their order of keys,
        assert list(fast.actors) == list(slow.actors), how  # which only the actors' keeps (the view sorts the rest)
        assert model == slow_model, how
    if corpus == "generated":
        quotes = {c.quote for c in fast.claims}
        assert set(AWKWARD) <= quotes


def _outputs(folder: Path, tmp_path: Path) -> dict[str, str | bytes]:
    for cache in folder.glob("network-*"):
        cache.unlink()
    runner = CliRunner()
    page = tmp_path / "network.html"
    viz = runner.invoke(main, ["viz", "--graph", str(folder), "-o", str(page)])
    path = runner.invoke(main, ["path", "--graph", str(folder), "g00001", "g00002", "--all", "--max-hops", "3"])
    cent = runner.invoke(main, ["analyze", "centrality", "--graph", str(folder)])
    for result in (viz, path, cent):
        assert result.exit_code in (0, 1), result.output
    return {"viz": viz.output, "page": page.read_bytes(), "path": path.output, "centrality": cent.output}


@pytest.mark.parametrize("on_disk", [False, True])
def test_readers_print_what_rdflib_gave(on_disk, generated, tmp_path, monkeypatch):
    if on_disk:  # the store queried on disk, as for a large graph: the records come from graph.nt
        monkeypatch.setattr(store, "STORE_MIN_BYTES", 0)
    folder = tmp_path / "output"
    shutil.copytree(generated, folder, symlinks=True)
    assert (store_records._nt_file(load_graph(folder)) is not None) == on_disk
    fast = _outputs(folder, tmp_path)
    with monkeypatch.context() as patched:
        _rdflib_only(patched)
        slow = _outputs(folder, tmp_path)
    assert fast == slow
    assert b"we hold the bridge" in fast["page"]
