"""Every file kg writes takes the mode the umask gives a new file, as the graph files always did."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kg.analysis import load_link_table, load_network_data, open_network
from kg.analysis.exports import FORMATS, export
from kg.core.atomic import write_atomically
from kg.extract.draft import write_atomically as write_draft
from kg.graph.build import build
from kg.graph.formats import GRAPH_FILES
from kg.query.run import load_graph
from kg.view.render import write_view


@pytest.fixture(params=[0o022, 0o027], ids=["umask022", "umask027"])
def umask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_exports_caches_view_and_drafts_follow_the_umask_like_the_graph_files(umask, tiny, tmp_path):
    """issue 12, item 17: .graphml, .gexf, .cyjs, CSVs, caches (and the view, drafts) were 0600."""
    expected = 0o666 & ~umask
    out = tmp_path / "out"
    build(tiny, out)
    written = [out / name for name in GRAPH_FILES]
    load_network_data(out)
    load_link_table(out)
    written += [out / "network-cache.json", out / "network-links.bin"]
    network = open_network(out)
    for fmt, suffix in FORMATS.items():
        written += export(network, fmt, tmp_path / "exports" / f"network{suffix}")
    written.append(write_view(load_graph(out), tmp_path / "view" / "network.html").path)
    draft = tmp_path / "drafts" / "a.yaml"
    write_draft(draft, "claims: []\n")
    written.append(draft)
    assert {p.name: oct(_mode(p)) for p in written} == {p.name: oct(expected) for p in written}
    assert len(written) == len(GRAPH_FILES) + 2 + 5 + 2


def test_an_atomic_write_leaves_no_temporary_file_and_replaces_the_old_one(umask, tmp_path):
    """issue 12, item 17: the shared helper keeps the old file's place atomically, in the umask's mode."""
    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o600)
    write_atomically(target, "new\n")
    assert target.read_bytes() == b"new\n"
    assert _mode(target) == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]
    with pytest.raises(FileNotFoundError):
        write_atomically(tmp_path / "missing" / "b.txt", b"x")
