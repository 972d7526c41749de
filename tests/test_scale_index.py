"""The build's index of source file hashes (issue 16): a file is read again unless its status proves it unchanged."""

from __future__ import annotations

import gc
import os
import shutil
import time
from pathlib import Path

import pytest

from kg.graph import cache
from kg.graph.build import build
from kg.graph.formats import GRAPH_FILES


def _unread() -> str:
    raise AssertionError("the file was read, though its status was unchanged")


def _index(path: Path) -> cache.FileIndex:
    index = cache.FileIndex(path)
    index.start += 10 * cache.RACY_NS  # files written a moment ago count as old: the index keeps them
    return index


def test_an_unchanged_file_is_not_read_again(tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text("one text\n", encoding="utf-8")
    first = _index(tmp_path / "files.bin")
    digest = first.hash(source, os.lstat(source), lambda: source.read_text(encoding="utf-8"))
    assert digest == cache.text_hash("one text\n")
    first.write()
    assert cache.FileIndex(tmp_path / "files.bin").hash(source, os.lstat(source), _unread) == digest


def test_a_change_that_keeps_size_and_mtime_is_seen(tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text("one text\n", encoding="utf-8")
    first = _index(tmp_path / "files.bin")
    first.hash(source, os.lstat(source), lambda: source.read_text(encoding="utf-8"))
    first.write()
    before = os.lstat(source)
    time.sleep(0.05)
    source.write_text("two text\n", encoding="utf-8")  # same size
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the old mtime: the ctime still moves
    second = cache.FileIndex(tmp_path / "files.bin")
    assert second.hash(source, os.lstat(source), lambda: source.read_text(encoding="utf-8")) == cache.text_hash(
        "two text\n"
    )


def test_a_racily_clean_file_is_not_kept(tmp_path: Path) -> None:
    """A file changed within RACY_NS of the build's start may change again in the same clock tick: not kept."""
    source = tmp_path / "a.md"
    source.write_text("one text\n", encoding="utf-8")
    index = cache.FileIndex(tmp_path / "files.bin")  # starts now: the file is seconds old at most
    index.hash(source, os.lstat(source), lambda: source.read_text(encoding="utf-8"))
    index.write()
    assert cache.FileIndex(tmp_path / "files.bin").before == {}


@pytest.mark.parametrize("kept", ["not json", "[1, 2]", '{"x": [1]}'])
def test_an_index_that_cannot_be_read_counts_as_empty(tmp_path: Path, kept: str) -> None:
    source = tmp_path / "a.md"
    source.write_text("one text\n", encoding="utf-8")
    (tmp_path / "files.bin").write_text(kept, encoding="utf-8")
    index = cache.FileIndex(tmp_path / "files.bin")
    assert index.hash(source, os.lstat(source), lambda: "one text\n") == cache.text_hash("one text\n")


def test_a_build_after_a_same_size_edit_equals_a_fresh_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With every file kept in the index, an article edited in place (same size, old mtime) is still read again."""
    monkeypatch.setattr(cache, "RACY_NS", -(10**18))  # keep every file, however recent
    sources = tmp_path / "sources"
    shutil.copytree(Path(__file__).parent.parent / "sources", sources)
    build(sources, tmp_path / "out", jobs=1)
    article = sorted((sources / "articles").glob("*.md"))[0]
    text = article.read_text(encoding="utf-8")
    before = os.lstat(article)
    changed = text.replace("title: Two", "title: Six", 1)
    assert changed != text and len(changed) == len(text)
    time.sleep(0.05)
    article.write_text(changed, encoding="utf-8")
    os.utime(article, ns=(before.st_atime_ns, before.st_mtime_ns))
    build(sources, tmp_path / "out", jobs=1)
    build(sources, tmp_path / "fresh", jobs=1)
    for name in GRAPH_FILES:
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes(), name
    assert "Six Letpadaung police" in (tmp_path / "out" / "graph.nt").read_text(encoding="utf-8")


def test_a_cache_entry_reads_back_and_a_broken_one_counts_as_absent(tmp_path: Path) -> None:
    kept = cache.Cache(tmp_path / "cache", "base")
    kept.put("ab" + "0" * 62, {"nt": "<a> <b> <c> .\n", "parts": [["<a>", 14]]})
    kept.finish()
    again = cache.Cache(tmp_path / "cache", "base")
    assert again.get("ab" + "0" * 62) == {"nt": "<a> <b> <c> .\n", "parts": [["<a>", 14]]}
    (tmp_path / "cache" / "ab" / f"ab{'0' * 62}.bin").write_bytes(b"\x00broken")
    assert cache.Cache(tmp_path / "cache", "base").get("ab" + "0" * 62) is None
    assert again.get("cd" + "0" * 62) is None


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cycle_collector_is_given_back_as_it_was_even_after_an_error(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with pytest.raises(RuntimeError), cache.no_collection():
            assert not gc.isenabled()
            raise RuntimeError("a build that fails")
        assert gc.isenabled() == enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_what_a_block_made_can_be_left_frozen_for_the_collector() -> None:
    """``no_collection(freeze=True)``: the collector, back on, does not walk again what the block made."""
    gc.unfreeze()
    try:
        with cache.no_collection(freeze=True):
            made = [[number] for number in range(1000)]
        assert gc.get_freeze_count() >= len(made) and gc.isenabled()
    finally:
        gc.unfreeze()


@pytest.mark.parametrize("folder", ["sources/articles", "sources/articles/", "/abs/claims", ".", ""])
def test_the_sources_paths_are_those_os_path_join_makes(folder: str) -> None:
    from kg.graph import scan

    names = ["a001.md", "b.md", "ä.md"]
    assert scan.paths([(folder, names), (folder, [])]) == [[os.path.join(folder, name) for name in names], []]
