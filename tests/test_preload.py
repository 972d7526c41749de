"""A build from scratch loads its store while the units are made (kg.graph.preload): the same store, no leftovers."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from test_store import SECOND, add_article, quads

from kg.core.errors import SourceError
from kg.graph import preload, store
from kg.graph.build import build
from kg.graph.publish import STATE

EX = "https://example.org/"


def _more(sources: Path, count: int) -> None:
    for number in range(count):
        add_article(sources, f"report-{number}", *SECOND)


def test_a_store_loaded_as_the_units_are_made_equals_one_loaded_after_them(tiny, tmp_path, monkeypatch):
    _more(tiny, 5)
    loads: list[int] = []
    real = preload._bulk_load
    monkeypatch.setattr(preload, "_bulk_load", lambda s, graphs: (loads.append(len(graphs)), real(s, graphs)))
    monkeypatch.setattr(preload, "BATCH_BYTES", 1)  # a load per unit
    build(tiny, tmp_path / "early")
    assert len(loads) >= 7  # six units one by one, then the registry, the ontology and the rest together
    monkeypatch.setattr(preload, "wanted", lambda *_: False)  # the store loaded once the units are all made
    build(tiny, tmp_path / "after")
    assert quads(tmp_path / "early") == quads(tmp_path / "after")
    assert any("report-4" in q for q in quads(tmp_path / "early"))
    assert not list((tmp_path / "early" / STATE).glob(f"{preload.PREFIX}*"))  # moved into the build


def test_graphs_sharing_a_blank_node_are_loaded_together_and_every_graph_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(preload, "BATCH_BYTES", 1)
    texts = {
        "a": f'_:shared <{EX}p> "a" .\n',
        "b": f'_:shared <{EX}p> "b" .\n',
        "c": f'<{EX}c> <{EX}p> "c" .\n',
        "d": f'<{EX}d> <{EX}p> "d" .\n',
        "empty": "",
    }
    loading = preload.Preload(tmp_path / "out")
    for slug, text in texts.items():
        loading.add(slug, text)
    graphs = {preload.source_graph_name(slug): text for slug, text in texts.items()}
    graphs[f"{EX}registry"] = f'<{EX}r> <{EX}p> "r" .\n'
    path = loading.finish(dict.fromkeys(graphs, ""), graphs.__getitem__)
    opened = ox.Store.read_only(str(path))
    a, b = (preload.source_graph_name(slug) for slug in "ab")
    shared = opened.query(f'SELECT ?x WHERE {{ GRAPH <{a}> {{ ?x <{EX}p> "a" }} GRAPH <{b}> {{ ?x <{EX}p> "b" }} }}')
    assert len(list(shared)) == 1  # one node, as in one load
    assert {g.value for g in opened.named_graphs()} == set(graphs)  # the empty graph too
    assert len(opened) == 5


def test_a_first_build_that_fails_leaves_no_folder_behind(tiny, tmp_path):
    claims = tiny / "claims" / "tiny-report.yaml"
    claims.write_text(claims.read_text().replace("confidence: 0.9", "confidence: 9"))
    out = tmp_path / "new" / "out"
    with pytest.raises(SourceError):
        build(tiny, out)
    assert not out.exists()


def test_a_failed_build_removes_its_store_and_keeps_the_last_good_one(tiny, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(tiny, out)
    before = quads(out)
    monkeypatch.setattr(store, "STORE_FORMAT", store.STORE_FORMAT + 1)  # the next build loads its store whole

    def fail(*_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kg.graph.build.os.rename", fail)
    add_article(tiny, "second-report", *SECOND)
    with pytest.raises(Exception, match="no space left"):
        build(tiny, out)
    assert not list((out / STATE).glob(f"{preload.PREFIX}*"))
    assert quads(out) == before


def test_the_store_of_a_killed_build_is_swept_by_the_next_and_a_running_ones_is_not(tiny, tmp_path):
    out = tmp_path / "out"
    build(tiny, out)
    dead = os.fork()
    if dead == 0:
        os._exit(0)
    os.waitpid(dead, 0)  # a process that has ended: its pid is free
    left = out / STATE / f"{preload.PREFIX}{dead}-1"
    running = out / STATE / f"{preload.PREFIX}{os.getpid()}-1"
    for folder in (left, running):
        folder.mkdir()
        (folder / "000001.sst").write_bytes(b"x" * 1000)
    add_article(tiny, "second-report", *SECOND)
    build(tiny, out)
    assert not left.exists() and running.exists()


def test_a_build_from_scratch_over_a_kept_cache_loads_the_cached_units_too(tiny, tmp_path):
    _more(tiny, 3)
    out = tmp_path / "out"
    build(tiny, out)
    first = quads(out)
    for name in ("current", "builds"):  # the builds gone, the cache kept: units come light from the cache
        path = out / STATE / name
        path.unlink() if path.is_symlink() else shutil.rmtree(path)
    build(tiny, out)
    assert quads(out) == first
