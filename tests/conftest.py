"""Shared fixtures: the seed and a tiny invented sources tree, built once per session."""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml

from kg.core.ontology import load_ontology
from kg.graph.build import build
from kg.query.run import load_graph

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sources"
TINY = Path(__file__).parent / "fixtures" / "tiny"
SEED_SLUG = "myanmar-now-letpadaung-police-surrender"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite tests/golden/ from the current output.")


@pytest.fixture(scope="session")
def ontology():
    return load_ontology()


@pytest.fixture(scope="session")
def seed_output(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seed-output")
    build(SEED, out)
    return out


@pytest.fixture(scope="session")
def seed_graph(seed_output):
    return load_graph(seed_output)


@pytest.fixture()
def tiny(tmp_path) -> Path:
    """A writable copy of the tiny sources tree."""
    dest = tmp_path / "sources"
    shutil.copytree(TINY, dest)
    return dest


def write_yaml(path: Path, data, quoted: bool = False) -> None:
    """Write YAML; ``quoted`` double-quotes every string so that YAML line breaks (NEL, LS) survive as escapes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    style = '"' if quoted else None
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_style=style), encoding="utf-8")


def write_article(path: Path, body: str, **meta) -> None:
    fields = {"title": "A report", "outlet": "Valley Times", "published": "2023-03-14", "language": "en", **meta}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False) + "---\n" + body + "\n", encoding="utf-8"
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder (a build's files, its store, the links to them), by path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@contextmanager
def serving(folder: Path, **options: Any) -> Iterator[Any]:
    """``kg serve`` on ``folder`` (kg.serve.server.Server, on a free port) in a thread, for the length of the block."""
    from kg.serve.server import Server

    running = Server(folder, port=0, **options)
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    try:
        yield running
    finally:
        running.shutdown()
        thread.join(10)


def unused_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
