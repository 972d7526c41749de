"""A :class:`~kg.view.render.View` as one self-contained HTML page.

The page carries vis-network (the copy shipped inside the pyvis package), its
own script and style inline, and the graph as JSON in a
``<script type="application/json">`` element that the script reads with
``JSON.parse``: no request leaves the page, and no text from the sources is
ever parsed as HTML (the script builds every label, quote and link with
``textContent``; only http(s) links are made clickable). Large graphs get
positions computed here (igraph's Fruchterman-Reingold on a grid, with a
fixed seed) and start with physics off.
"""

from __future__ import annotations

import base64
import hashlib
import html
import importlib.util
import json
import random
import re
import sys
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from importlib import resources
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from kg.core.errors import KgError
from kg.core.ontology import Ontology
from kg.view.model import ClaimView, EdgeView, View
from kg.view.style import class_styles, evidence_styles, relation_styles

PHYSICS_LIMIT = 150  # above this many actors, positions come from Python and physics starts off
ASIDE_LIMIT = 2_000  # above this many actors, the layout runs in a forked process beside the rest of the page
LAYOUT_SEED = 20220622
_VIS_JS = "templates/lib/vis-9.1.2/vis-network.min.js"
_MARKER = re.compile(r"<!--kg:(\w+)-->")
_HTTP_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f-\x9f]+", flags=re.IGNORECASE)
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@lru_cache(maxsize=8)
def _asset(package: str, name: str) -> str:
    """A file of an installed package, read where it lies without importing the package when it can be
    (importing pyvis, for vis-network's script, imports IPython and jinja2: 0.2 s of every ``kg viz``)."""
    spec = importlib.util.find_spec(package)
    for folder in (spec and spec.submodule_search_locations) or ():
        path = Path(folder, name)
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


def _inline_script(code: str) -> str:
    """Code that cannot close its <script> element early."""
    return re.sub(r"<(/?script|!--)", r"<\\\1", code, flags=re.IGNORECASE)


def safe_json(data: Any) -> str:
    """JSON for a <script> element: deterministic, with <, >, & and line separators escaped."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for character, escape in _JSON_ESCAPES.items():  # one pass each in C (a match function per character costs more)
        text = text.replace(character, escape)
    return text


def _csp(scripts: Iterable[str]) -> str:
    """A Content-Security-Policy that runs only kg's own two scripts and lets nothing be fetched."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode("ascii") + "'" for s in scripts
    )
    return (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


def _http(url: str) -> str:
    """The URL when it is a whole http(s) URL, else ``""`` (the page's script checks again).

    Never a ``javascript:`` or ``data:`` link, nor one with whitespace or control characters slipped in.
    """
    return url if _HTTP_URL.fullmatch(url) else ""


def layout(view: View, seed: int = LAYOUT_SEED) -> dict[str, tuple[int, int]]:
    """Positions for a large view (Fruchterman-Reingold on a grid, igraph), the same for the same view.

    Returns:
        Node id -> (x, y) in pixels, about 90 px between neighbours.

    Raises:
        KgError: When igraph is not installed.
    """
    try:
        import igraph
    except ImportError as exc:  # pragma: no cover - igraph is a dependency
        raise KgError("drawing more than 150 actors needs igraph. Fix: pip install igraph.") from exc
    index = {n.id: i for i, n in enumerate(view.nodes)}
    graph = igraph.Graph(n=len(index), edges=[(index[e.source], index[e.target]) for e in view.edges])
    igraph.set_random_number_generator(random.Random(seed))
    try:
        coords = graph.layout_fruchterman_reingold(grid=True, niter=500).coords
    finally:
        igraph.set_random_number_generator(random)
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    left, top = min(xs), min(ys)
    scale = 90 * len(index) ** 0.5 / max(max(xs) - left, max(ys) - top, 1e-9)
    return {n: (round((xs[i] - left) * scale), round((ys[i] - top) * scale)) for n, i in index.items()}


_ASIDE: dict[str, View] = {}  # the view a forked process lays out (it inherits it: nothing is pickled)
_ASIDE_LOCK = threading.Lock()  # one view in _ASIDE at a time, from its setting to the fork that takes it


def _layout_aside() -> dict[str, tuple[int, int]]:
    return layout(_ASIDE["view"])


def _positions(view: View) -> Callable[[], dict[str, tuple[int, int]]]:
    """The layout of a large view, begun now; call the result for it.

    igraph's layout holds Python's lock (0.9 s for 5,000 actors and 100,000 relations), and the page's data
    does not need it until the end: on Linux a large view is laid out in a forked process meanwhile, on the
    other core. It is the same computation (same seed, same graph), so the same positions; where a process
    cannot be made, it runs here.
    """
    if len(view.nodes) <= PHYSICS_LIMIT:
        return dict
    if len(view.nodes) <= ASIDE_LIMIT or not sys.platform.startswith("linux"):
        positions = layout(view)
        return lambda: positions
    try:
        with _ASIDE_LOCK:
            _ASIDE["view"] = view
            try:
                pool = ProcessPoolExecutor(1, mp_context=get_context("fork"))
                future = pool.submit(_layout_aside)  # the process is forked here, holding the view
            finally:
                _ASIDE.clear()
    except OSError:  # no process to be had (a limit on processes, no memory to fork): here, then
        positions = layout(view)
        return lambda: positions

    def result() -> dict[str, tuple[int, int]]:
        try:
            return future.result()
        except KgError:
            raise
        except Exception:  # the process died (killed, out of memory): lay it out here
            return layout(view)
        finally:
            pool.shutdown()

    return result


def _claim(claim: ClaimView) -> dict[str, Any]:
    return {
        "q": claim.quote,
        "s": claim.source,
        "by": claim.claimant,
        "m": claim.method_label or claim.method,
        "x": claim.method == "RuleExtraction",
        "r": claim.rule,
        "cf": claim.confidence,
        "dp": claim.disputed,
        "d": claim.date,
        "e": claim.earliest,
        "l": claim.latest,
    }


def _curves(edges: tuple[EdgeView, ...]) -> list[int]:
    """For edges joining the same two actors, 0, 1, 2...: how far each is bent so that none hides another."""
    seen: dict[tuple[str, str], int] = {}
    found = []
    for edge in edges:
        pair = (min(edge.source, edge.target), max(edge.source, edge.target))
        found.append(seen.get(pair, 0))
        seen[pair] = found[-1] + 1
    return found


def page_data(view: View, ontology: Ontology) -> dict[str, Any]:
    """The JSON the page's script draws from (also what the tests inspect)."""
    pending = _positions(view)
    degree = view.degree()
    classes = class_styles(ontology)
    relations = relation_styles(ontology)
    used_classes = {n.cls for n in view.nodes}
    used_relations = {e.predicate for e in view.edges}
    edges = [
        {
            "f": e.source,
            "t": e.target,
            "p": e.predicate,
            "dp": e.disputed,
            "x": e.extracted,
            "k": curve,
            "c": [_claim(c) for c in e.claims],
        }
        for e, curve in zip(view.edges, _curves(view.edges), strict=True)
    ]
    positions = pending()  # laid out meanwhile
    nodes = []
    for node in view.nodes:
        item = {
            "id": node.id,
            "label": node.label,
            "c": node.cls,
            "a": list(node.aliases),
            "wd": _http(node.wikidata),
            "ds": node.description,
            "dg": degree[node.id],
        }
        if node.id in positions:
            item["x"], item["y"] = positions[node.id]
        nodes.append(item)
    return {
        "title": f"kg network: {len(view.nodes)} actors, {len(view.edges)} relations",
        "filters": list(view.filters),
        "physics": not positions,
        "seed": LAYOUT_SEED,
        "classes": {k: vars(s) for k, s in classes.items() if k in used_classes},
        "relations": {k: vars(s) for k, s in relations.items() if k in used_relations},
        "evidence": {k: vars(s) for k, s in evidence_styles(ontology).items()},
        "sources": {slug: {**vars(s), "url": _http(s.url)} for slug, s in view.sources.items()},
        "nodes": nodes,
        "edges": edges,
    }


def render_html(view: View, ontology: Ontology) -> str:
    """The whole page, byte for byte the same for the same view.

    Args:
        view: From :func:`kg.view.render.build_view`.
        ontology: The vocabulary (for the drawing data and labels).
    """
    data = page_data(view, ontology)
    title = data["title"] + (" (" + "; ".join(view.filters) + ")" if view.filters else "")
    scripts = {"vis": _inline_script(_asset("pyvis", _VIS_JS)), "app": _inline_script(_asset("kg.view", "page.js"))}
    parts = {
        "title": html.escape(title),
        "csp": _csp(scripts.values()),
        "css": _asset("kg.view", "page.css"),
        "data": safe_json(data),
        **scripts,
    }
    return _MARKER.sub(lambda m: parts[m.group(1)], _asset("kg.view", "page.html"))
